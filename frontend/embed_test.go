package frontend

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"testing/fstest"
)

func builtFS() fstest.MapFS {
	return fstest.MapFS{
		"dist/.gitkeep":               {Data: []byte{}},
		"dist/index.html":             {Data: []byte("<html>app</html>")},
		"dist/favicon.svg":            {Data: []byte("<svg/>")},
		"dist/assets/index-3f9a1c.js": {Data: []byte("console.log(1)")},
		"placeholder.html":            {Data: []byte("<html>the dashboard is not built: run make up</html>")},
	}
}

func TestHandler(t *testing.T) {
	unbuilt := fstest.MapFS{
		"dist/.gitkeep":    {Data: []byte{}},
		"placeholder.html": {Data: []byte("<html>the dashboard is not built: run make up</html>")},
	}
	tests := []struct {
		name      string
		fs        fstest.MapFS
		method    string
		path      string
		wantCode  int
		wantBody  string
		wantCache string
	}{
		{"root is index", builtFS(), "GET", "/", 200, "app", cacheNone},
		{"index by name", builtFS(), "GET", "/index.html", 200, "app", cacheNone},
		{"client route falls back", builtFS(), "GET", "/applications/shop/clusters", 200, "app", cacheNone},
		{"execution route falls back", builtFS(), "GET", "/executions/RXhlY3V0aW9uOjE=", 200, "app", cacheNone},
		{"hashed asset is immutable", builtFS(), "GET", "/assets/index-3f9a1c.js", 200, "console.log(1)", cacheImmutable},
		{"other file revalidates", builtFS(), "GET", "/favicon.svg", 200, "<svg/>", cacheNone},
		{"missing asset is 404", builtFS(), "GET", "/assets/index-old.js", 404, "", cacheNone},
		{"gitkeep is not served", builtFS(), "GET", "/.gitkeep", 200, "app", cacheNone},
		{"dot segments stay inside", builtFS(), "GET", "/../placeholder.html", 200, "app", cacheNone},
		{"head has no body", builtFS(), "HEAD", "/applications", 200, "", cacheNone},
		{"post is refused", builtFS(), "POST", "/", 405, "", ""},
		{"unbuilt root is placeholder", unbuilt, "GET", "/", 200, "not built: run make up", cacheNone},
		{"unbuilt route is placeholder", unbuilt, "GET", "/applications/shop/pipelines", 200, "not built", cacheNone},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := httptest.NewRecorder()
			newHandler(tt.fs).ServeHTTP(rec, httptest.NewRequest(tt.method, tt.path, nil))
			if rec.Code != tt.wantCode {
				t.Fatalf("status: got %d, want %d", rec.Code, tt.wantCode)
			}
			if tt.wantBody != "" && !strings.Contains(rec.Body.String(), tt.wantBody) {
				t.Errorf("body: got %q, want it to contain %q", rec.Body.String(), tt.wantBody)
			}
			if tt.method == http.MethodHead && rec.Body.Len() != 0 {
				t.Errorf("HEAD body: got %d bytes, want none", rec.Body.Len())
			}
			if got := rec.Header().Get("Cache-Control"); got != tt.wantCache {
				t.Errorf("Cache-Control: got %q, want %q", got, tt.wantCache)
			}
		})
	}
}

func TestEmbeddedHandlerServesSomething(t *testing.T) {
	// Whether or not the dashboard was built, the real embedded files answer "/" with HTML.
	rec := httptest.NewRecorder()
	Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/", nil))
	if rec.Code != http.StatusOK {
		t.Fatalf("status: got %d, want 200", rec.Code)
	}
	if ct := rec.Header().Get("Content-Type"); !strings.HasPrefix(ct, "text/html") {
		t.Errorf("Content-Type: got %q, want text/html", ct)
	}
}
