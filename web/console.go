package web

import (
	"embed"
	"io/fs"
	"net/http"
	"net/url"
	"strings"
)

// The admin console is a single page built from console/ (TypeScript,
// React, Vite; see console/README.md). Its built files are committed in
// console/dist and embedded, so the binary serves it without node;
// TestConsoleBundleIsFresh rebuilds them and fails when they are stale.
//
//go:embed console/dist
var consoleFS embed.FS

var consoleFiles = sub(consoleFS, "console/dist")

// consolePolicy keeps the console to its own origin: scripts, styles and
// requests only from here (and the OIDC issuer's token endpoint, where the
// sign-in trades its code), never framed. Inline styles are allowed because
// the dialog library sets some at run time.
func consolePolicy(connect []string) string {
	return "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
		"connect-src " + strings.Join(append([]string{"'self'"}, connect...), " ") +
		"; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
}

// Console serves the console below prefix ("/console"): the page at prefix
// and prefix+"/", its hashed assets below prefix+"/assets/". Views are hash
// routes (#/roles), so no other path exists. connect are URLs the page may
// call besides its own origin (the OIDC token endpoint); each is reduced to
// its origin, scheme://host[:port], nothing a policy could misread.
func Console(prefix string, connect ...string) http.Handler {
	var allowed []string
	for _, c := range connect {
		if u, err := url.Parse(c); err == nil && (u.Scheme == "https" || u.Scheme == "http") && u.Host != "" {
			allowed = append(allowed, u.Scheme+"://"+u.Host)
		}
	}
	policy := consolePolicy(allowed)
	index, err := fs.ReadFile(consoleFiles, "index.html")
	if err != nil {
		panic("web: console/dist has no index.html: run npm run build in web/console") // a test rebuilds it
	}
	assets := http.StripPrefix(prefix+"/", http.FileServer(http.FS(consoleFiles)))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Security-Policy", policy)
		w.Header().Set("X-Content-Type-Options", "nosniff")
		w.Header().Set("Referrer-Policy", "no-referrer")
		switch rest := strings.TrimPrefix(r.URL.Path, prefix); {
		case rest == "" || rest == "/":
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.Header().Set("Cache-Control", "no-cache")
			w.Write(index)
		case strings.HasPrefix(rest, "/assets/") && !strings.HasSuffix(rest, "/"):
			// Names carry a hash of the content: a new build has new names.
			w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
			assets.ServeHTTP(w, r)
		default:
			http.NotFound(w, r)
		}
	})
}
