// Package frontend serves the React dashboard built into dist/ and embedded in the binary.
// Before the dashboard has ever been built, a placeholder page says how to build it.
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

// Handler serves the dashboard: files from dist, and index.html for every other path so
// that client-side routes work on reload.
func Handler() http.Handler {
	dist, _ := fs.Sub(files, "dist")
	index, err := fs.ReadFile(dist, "index.html")
	if err != nil {
		index, _ = files.ReadFile("placeholder.html")
	}
	static := http.FileServerFS(dist)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p := strings.TrimPrefix(path.Clean(r.URL.Path), "/")
		if p != "" && p != "index.html" {
			if st, err := fs.Stat(dist, p); err == nil && !st.IsDir() {
				if strings.HasPrefix(p, "assets/") {
					w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
				}
				static.ServeHTTP(w, r)
				return
			}
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Cache-Control", "no-cache")
		_, _ = w.Write(index)
	})
}
