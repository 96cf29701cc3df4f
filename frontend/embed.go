// Package frontend serves the operators' dashboard: the React single-page application
// built by Vite into dist/ and embedded in the binary.
//
// The Go build does not need Node: a fresh clone holds only dist/.gitkeep, and the
// handler then serves placeholder.html, which says how to build the dashboard.
package frontend

import (
	"embed"
	"io/fs"
	"net/http"
	"path"
	"strings"
)

//go:embed all:dist placeholder.html
var files embed.FS

// Cache-Control values: Vite names everything under assets/ by the hash of its content,
// so those never change; index.html names the current hashes and must be revalidated.
const (
	cacheImmutable = "public, max-age=31536000, immutable"
	cacheNone      = "no-cache"
)

// Handler serves the embedded dashboard. Files in dist/ are served as they are; any other
// path that is not an asset is a client-side route and gets index.html. When the
// dashboard has not been built, every page is placeholder.html. Only GET and HEAD are
// answered; other methods get 405.
func Handler() http.Handler {
	return newHandler(files)
}

// newHandler serves fsys, which holds dist/ and placeholder.html (tests pass a MapFS).
func newHandler(fsys fs.FS) http.Handler {
	dist, err := fs.Sub(fsys, "dist")
	if err != nil {
		panic("frontend: dist is not a valid directory name: " + err.Error()) // a constant: cannot happen
	}
	return &spa{root: fsys, dist: dist}
}

type spa struct {
	root fs.FS // holds placeholder.html
	dist fs.FS // the Vite build
}

func (h *spa) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	name := strings.TrimPrefix(path.Clean("/"+r.URL.Path), "/")
	if name != "" && name != "index.html" && !isHidden(name) && isFile(h.dist, name) {
		if strings.HasPrefix(name, "assets/") {
			w.Header().Set("Cache-Control", cacheImmutable)
		} else {
			w.Header().Set("Cache-Control", cacheNone)
		}
		http.ServeFileFS(w, r, h.dist, name)
		return
	}
	// A missing hashed asset is an old bundle asking for a file that no longer exists:
	// answering with index.html would hand a script tag HTML.
	if strings.HasPrefix(name, "assets/") {
		w.Header().Set("Cache-Control", cacheNone)
		http.NotFound(w, r)
		return
	}
	h.serveIndex(w, r)
}

// serveIndex answers a client-side route with index.html, or the placeholder when the
// dashboard has not been built.
func (h *spa) serveIndex(w http.ResponseWriter, r *http.Request) {
	body, err := fs.ReadFile(h.dist, "index.html")
	if err != nil {
		body, err = fs.ReadFile(h.root, "placeholder.html")
	}
	if err != nil {
		http.Error(w, "the dashboard is not built: run make up", http.StatusNotFound)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", cacheNone)
	w.WriteHeader(http.StatusOK)
	if r.Method != http.MethodHead {
		_, _ = w.Write(body)
	}
}

// isHidden reports whether any element of name starts with a dot (dist/.gitkeep).
func isHidden(name string) bool {
	for _, part := range strings.Split(name, "/") {
		if strings.HasPrefix(part, ".") {
			return true
		}
	}
	return false
}

func isFile(fsys fs.FS, name string) bool {
	st, err := fs.Stat(fsys, name)
	return err == nil && !st.IsDir()
}
