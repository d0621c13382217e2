package web

import (
	"embed"
	"io/fs"
	"net/http"
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
// requests only from here, never framed. Inline styles are allowed because
// the dialog library sets some at run time.
const consolePolicy = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
	"connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

// Console serves the console below prefix ("/console"): the page at prefix
// and prefix+"/", its hashed assets below prefix+"/assets/". Views are hash
// routes (#/roles), so no other path exists.
func Console(prefix string) http.Handler {
	index, err := fs.ReadFile(consoleFiles, "index.html")
	if err != nil {
		panic("web: console/dist has no index.html: run npm run build in web/console") // a test rebuilds it
	}
	assets := http.StripPrefix(prefix+"/", http.FileServer(http.FS(consoleFiles)))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Security-Policy", consolePolicy)
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
