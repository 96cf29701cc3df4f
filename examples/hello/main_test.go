package main

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestHandler(t *testing.T) {
	tests := []struct {
		name     string
		c        config
		path     string
		wantCode int
		wantBody string
	}{
		{"hello", config{version: "v2", instance: "i-1"}, "/", 200, "hello from v2 (instance i-1)\n"},
		{"healthy", config{}, "/healthz", 200, "ok\n"},
		{"unhealthy", config{failHealth: true}, "/healthz", 503, "unhealthy"},
		{"always failing", config{version: "v3", instance: "i-2", failRate: 1}, "/", 500, "failing from v3"},
		{"not found", config{}, "/nope", 404, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := httptest.NewRecorder()
			handler(tt.c).ServeHTTP(rec, httptest.NewRequest(http.MethodGet, tt.path, nil))
			body, _ := io.ReadAll(rec.Body)
			if rec.Code != tt.wantCode || !strings.HasPrefix(string(body), tt.wantBody) {
				t.Errorf("GET %s = %d %q, want %d %q", tt.path, rec.Code, body, tt.wantCode, tt.wantBody)
			}
		})
	}
}

func TestParse(t *testing.T) {
	t.Setenv("PORT", "1234")
	t.Setenv("GENNAKER_INSTANCE_ID", "i-9")
	c, err := parse([]string{"--version", "v7"})
	if err != nil || c.port != 1234 || c.version != "v7" || c.instance != "i-9" || c.exitAfter >= 0 {
		t.Errorf("parse = %+v, %v", c, err)
	}
	if _, err := parse([]string{"--fail-rate", "2"}); err == nil {
		t.Error("parse(--fail-rate 2) succeeded, want an error")
	}
}
