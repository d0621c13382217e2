package server

import (
	"encoding/json"
	"net/http"
	"sync/atomic"
	"time"

	"github.com/rolegraph/rolegraph/catalog"
	"github.com/rolegraph/rolegraph/demo"
	"github.com/rolegraph/rolegraph/web"
)

// demoTokenTTL is how long a demo sign-in lasts, as the printed tokens.
const demoTokenTTL = 24 * time.Hour

// demoState is the demo organization the console and GraphiQL offer to
// sign in as; nil without --demo.
type demoState = atomic.Pointer[demo.Demo]

// SetDemo makes the demo organization's members available to sign in as,
// at web.DemoMembersPath: with tokens, so only for a server started with
// --demo.
func (s *Server) SetDemo(d *demo.Demo) { s.demo.Store(d) }

// consoleRoutes mounts the admin console (unless Config.NoConsole) and the
// demo sign-in list, which GraphiQL reads too.
func (s *Server) consoleRoutes(mux *http.ServeMux) {
	mux.HandleFunc(web.DemoMembersPath, s.demoMembers)
	mux.HandleFunc(web.SignInPath, s.signInMethods)
	// Browsers ask every page's origin for an icon; without an answer the
	// console and GraphiQL would each start with a 404 in the console.
	mux.HandleFunc("/favicon.ico", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "public, max-age=86400")
		w.WriteHeader(http.StatusNoContent)
	})
	if s.Config.NoConsole {
		return
	}
	var connect []string
	if o, ok := s.oidcSignIn(); ok {
		connect = append(connect, o.TokenEndpoint) // the browser trades its code for a token there
	}
	console := web.Console("/console", connect...)
	mux.Handle("/console", console)
	mux.Handle("/console/", console)
}

type demoMember struct {
	Label string `json:"label"`
	Role  string `json:"role"`
	Email string `json:"email"`
	Note  string `json:"note"`
	Token string `json:"token"`
}

// demoMembers lists the demo members with a fresh token each; 404 when no
// demo is loaded.
func (s *Server) demoMembers(w http.ResponseWriter, r *http.Request) {
	d := s.demo.Load()
	if d == nil {
		http.NotFound(w, r)
		return
	}
	if !getOnly(w, r) {
		return
	}
	out := struct {
		Organization string       `json:"organization"`
		Members      []demoMember `json:"members"`
	}{Organization: d.OrgID, Members: make([]demoMember, 0, len(d.People))}
	for _, p := range d.People {
		tok, err := s.Token(d.OrgID, p.ID, demoTokenTTL)
		if err != nil {
			s.log.Error("demo token", "member", p.ID, "err", err)
			http.Error(w, "could not issue demo tokens", http.StatusInternalServerError)
			return
		}
		out.Members = append(out.Members, demoMember{Label: p.Label, Role: p.Role, Email: p.Email, Note: p.Note, Token: tok})
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	json.NewEncoder(w).Encode(out)
}

// oidcSignIn is what a browser needs to sign in at the OIDC issuer:
// with --oidc-issuer and --oidc-client-id only.
type oidcSignIn struct {
	Issuer                string `json:"issuer"`
	ClientID              string `json:"clientId"`
	AuthorizationEndpoint string `json:"authorizationEndpoint"`
	TokenEndpoint         string `json:"tokenEndpoint"`
	// EndSessionEndpoint is where signing out sends the browser so the
	// issuer's session ends too; absent when the issuer has none.
	EndSessionEndpoint string `json:"endSessionEndpoint,omitempty"`
	Scope              string `json:"scope"`
}

func (s *Server) oidcSignIn() (oidcSignIn, bool) {
	ep, ok := s.Verifier.OIDCEndpoints()
	if !ok || s.Config.OIDCClientID == "" || ep.Authorization == "" || ep.Token == "" {
		return oidcSignIn{}, false
	}
	return oidcSignIn{Issuer: ep.Issuer, ClientID: s.Config.OIDCClientID,
		AuthorizationEndpoint: ep.Authorization, TokenEndpoint: ep.Token, EndSessionEndpoint: ep.EndSession,
		Scope: "openid email profile"}, true
}

// signInMethods tells the console and GraphiQL how this server lets people
// sign in: demo members (then listed at web.DemoMembersPath) and the OIDC
// issuer; a pasted token always works. Nothing here is secret: the client
// id of a browser app is public, and PKCE stands in for a client secret.
func (s *Server) signInMethods(w http.ResponseWriter, r *http.Request) {
	if !getOnly(w, r) {
		return
	}
	out := struct {
		Demo bool        `json:"demo"`
		OIDC *oidcSignIn `json:"oidc"`
		// ExplorePermission is what GraphiQL's schema needs here: the
		// permission with --production (introspection is gated), null
		// without; the console marks its GraphiQL link by it.
		ExplorePermission *string `json:"explorePermission"`
	}{Demo: s.demo.Load() != nil}
	if s.Config.Production {
		p := catalog.PermissionExplore
		out.ExplorePermission = &p
	}
	if o, ok := s.oidcSignIn(); ok {
		out.OIDC = &o
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	json.NewEncoder(w).Encode(out)
}

// getOnly answers 405 to anything but GET and HEAD and says whether to go on.
func getOnly(w http.ResponseWriter, r *http.Request) bool {
	if r.Method == http.MethodGet || r.Method == http.MethodHead {
		return true
	}
	w.Header().Set("Allow", "GET, HEAD")
	http.Error(w, "GET only", http.StatusMethodNotAllowed)
	return false
}
