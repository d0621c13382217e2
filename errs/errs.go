// Package errs is the one shape user-facing errors take: a code from the
// GraphQL contract, a message a person can act on, and the field or
// permission it is about. The GraphQL layer turns it into extensions.
package errs

import (
	"errors"
	"fmt"
)

type Code string

const (
	Unauthenticated Code = "UNAUTHENTICATED"
	Forbidden       Code = "FORBIDDEN"
	NotFound        Code = "NOT_FOUND"
	BadUserInput    Code = "BAD_USER_INPUT"
	Conflict        Code = "CONFLICT"
	PlanRequired    Code = "PLAN_REQUIRED"
	SeatRequired    Code = "SEAT_REQUIRED"
	SeatLimit       Code = "SEAT_LIMIT"
	ProductDisabled Code = "PRODUCT_DISABLED"
	Escalation      Code = "ESCALATION"
	ComplexityLimit Code = "COMPLEXITY_LIMIT"
	Unavailable     Code = "UNAVAILABLE"
	Internal        Code = "INTERNAL_SERVER_ERROR"
)

// Error is a user-facing error.
type Error struct {
	Code       Code
	Message    string
	Field      string // BAD_USER_INPUT: the argument path, e.g. "input.email"
	Permission string // FORBIDDEN, ESCALATION, …: the module.action at stake
	// Queued is for UNAVAILABLE: true when the change was saved and will
	// reach the permission service without a retry, false when nothing
	// was changed (clients read it as extensions.queued).
	Queued bool
	// OutcomeUnknown is for UNAVAILABLE: the entity store went away while
	// the change was committing, so it may or may not have been saved
	// (clients read extensions.outcome "UNKNOWN", and no queued: look
	// before retrying).
	OutcomeUnknown bool
	Err            error // the cause, for logs; never shown
}

func (e *Error) Error() string { return e.Message }
func (e *Error) Unwrap() error { return e.Err }

// As finds the *Error in err's chain.
func As(err error) (*Error, bool) {
	var e *Error
	ok := errors.As(err, &e)
	return e, ok
}

// Is reports whether err carries code.
func Is(err error, code Code) bool {
	e, ok := As(err)
	return ok && e.Code == code
}

func New(code Code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

func BadInput(field, format string, args ...any) *Error {
	return &Error{Code: BadUserInput, Field: field, Message: fmt.Sprintf(format, args...)}
}

// Denied is FORBIDDEN for a missing permission.
func Denied(permission, format string, args ...any) *Error {
	return &Error{Code: Forbidden, Permission: permission, Message: fmt.Sprintf(format, args...)}
}

// WithPermission returns a copy naming the permission.
func (e *Error) WithPermission(p string) *Error {
	c := *e
	c.Permission = p
	return &c
}

// Unavailablef wraps a dependency failure.
func Unavailablef(cause error, format string, args ...any) *Error {
	return &Error{Code: Unavailable, Message: fmt.Sprintf(format, args...), Err: cause}
}
