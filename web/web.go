// Package web serves rolegraph's browser pages from assets embedded in the
// binary: GraphiQL and the admin console (console.go). Admins use both
// from wherever the service runs, and a browser that cannot reach a CDN (a
// locked-down network, an air-gapped install) would otherwise get an empty
// page. GraphiQL's files are npm's own, byte for byte (graphiql/SOURCES.md);
// its page (graphiql.go) names them with subresource-integrity hashes
// computed from the embedded bytes, so a file that does not match what the
// page names is refused by the browser.
package web

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/base64"
	"io/fs"
	"net/http"
	"strings"
)

//go:embed graphiql/*.js graphiql/*.css
var embedded embed.FS

// files are the served assets, by name.
var files = sub(embedded, "graphiql")

// sub is an embedded directory as a file system of its own.
func sub(fsys embed.FS, dir string) fs.FS {
	sub, err := fs.Sub(fsys, dir)
	if err != nil {
		panic(err) // dir is embedded by this package
	}
	return sub
}

// SRI is the integrity attribute value of an embedded asset.
func SRI(name string) string {
	b, err := fs.ReadFile(files, name)
	if err != nil {
		panic("web: no embedded asset " + name) // names are constants of this package
	}
	sum := sha256.Sum256(b)
	return "sha256-" + base64.StdEncoding.EncodeToString(sum[:])
}

// Asset names, as the page links them.
const (
	GraphiQLJS  = "graphiql.min.js"
	GraphiQLCSS = "graphiql.min.css"
	ReactJS     = "react.production.min.js"
	ReactDOMJS  = "react-dom.production.min.js"
	ExplorerJS  = "explorer.umd.js"
	ExplorerCSS = "explorer.css"
)

// GraphiQL is the GraphiQL page for endpoint, loading its assets from
// assets (a path ending in "/" where Assets is mounted). It opens with
// ExampleQuery and signs in through a demo member (DemoMembersPath) or a
// pasted token (graphiql.go).
func GraphiQL(title, endpoint, assets string) http.Handler {
	var page bytes.Buffer
	err := graphiqlPage.Execute(&page, graphiqlData{
		Title: title, Endpoint: endpoint, DemoMembers: DemoMembersPath, SignIn: SignInPath, Query: ExampleQuery, Assets: assets,
		JS: GraphiQLJS, CSS: GraphiQLCSS, ReactJS: ReactJS, ReactDOMJS: ReactDOMJS, ExplorerJS: ExplorerJS, ExplorerCSS: ExplorerCSS,
		JSSRI: SRI(GraphiQLJS), CSSSRI: SRI(GraphiQLCSS), ReactSRI: SRI(ReactJS), ReactDOMSRI: SRI(ReactDOMJS),
		ExplorerJSSRI: SRI(ExplorerJS), ExplorerCSSSRI: SRI(ExplorerCSS),
	})
	if err != nil {
		panic("web: GraphiQL page: " + err.Error()) // the template and its data are this package's
	}
	body := page.Bytes()
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write(body)
	})
}

// Assets serves the embedded files below prefix. They never change for a
// given build, so browsers may keep them a day.
func Assets(prefix string) http.Handler {
	fileServer := http.StripPrefix(prefix, http.FileServer(http.FS(files)))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "/") {
			http.NotFound(w, r) // no directory listings
			return
		}
		w.Header().Set("Cache-Control", "public, max-age=86400")
		fileServer.ServeHTTP(w, r)
	})
}
