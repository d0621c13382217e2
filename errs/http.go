package errs

import (
	"encoding/json"
	"net/http"
)

// WriteHTTP answers a request refused before GraphQL ran (a bad token, a
// body too large) with e as the one error of a GraphQL response, under
// status. Nothing ran, so an UNAVAILABLE one says queued: false.
func WriteHTTP(w http.ResponseWriter, status int, e *Error) {
	ext := map[string]any{"code": string(e.Code)}
	if e.Field != "" {
		ext["field"] = e.Field
	}
	if e.Permission != "" {
		ext["permission"] = e.Permission
	}
	if e.Code == Unavailable {
		ext["queued"] = false
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(map[string]any{"errors": []any{map[string]any{"message": e.Message, "extensions": ext}}})
}
