package aws

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
)

// recorder is a reverse proxy in front of moto that notes, of every request, the AWS action
// and the access key that signed it, and the access key of STS's AssumeRole answers.
type recorder struct {
	mu       sync.Mutex
	calls    []call
	assumed  string     // the access key id AssumeRole handed out
	assumeIn url.Values // AssumeRole's parameters
}

type call struct{ action, key string }

var (
	credentialRE = regexp.MustCompile(`Credential=([^/]+)/`)
	accessKeyRE  = regexp.MustCompile(`<AccessKeyId>([^<]+)</AccessKeyId>`)
)

func newRecorder(t *testing.T, target string) (*recorder, string) {
	t.Helper()
	u, err := url.Parse(target)
	if err != nil {
		t.Fatal(err)
	}
	rec := &recorder{}
	proxy := httputil.NewSingleHostReverseProxy(u)
	proxy.ModifyResponse = func(resp *http.Response) error {
		if resp.Request.Header.Get("X-Test-Action") != "AssumeRole" {
			return nil
		}
		body, err := io.ReadAll(resp.Body)
		if err != nil {
			return err
		}
		resp.Body = io.NopCloser(bytes.NewReader(body))
		if m := accessKeyRE.FindSubmatch(body); m != nil {
			rec.mu.Lock()
			rec.assumed = string(m[1])
			rec.mu.Unlock()
		}
		return nil
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		r.Body = io.NopCloser(bytes.NewReader(body))
		form, _ := url.ParseQuery(string(body))
		action := form.Get("Action")
		if action == "" { // JSON protocols name it in a header
			action = r.Header.Get("X-Amz-Target")
		}
		key := ""
		if m := credentialRE.FindStringSubmatch(r.Header.Get("Authorization")); m != nil {
			key = m[1]
		}
		rec.mu.Lock()
		rec.calls = append(rec.calls, call{action, key})
		if action == "AssumeRole" {
			rec.assumeIn = form
		}
		rec.mu.Unlock()
		r.Header.Set("X-Test-Action", action)
		proxy.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	return rec, srv.URL
}

// TestAssumeRole: an account with assumeRole and externalId reads AWS with the temporary
// credentials STS hands out for that role, asked for with the account's own credentials.
func TestAssumeRole(t *testing.T) {
	seed(t)
	rec, endpoint := newRecorder(t, moto.URL)
	const role = "arn:aws:iam::123456789012:role/gennaker-deployer"
	d := newDriver(t, map[string]any{"endpoint": endpoint, "assumeRole": role, "externalId": "gennaker-test"})
	if _, err := d.ServerGroups(t.Context(), testAccount, "conformance"); err != nil {
		t.Fatal(err)
	}
	rec.mu.Lock()
	defer rec.mu.Unlock()
	if rec.assumeIn == nil {
		t.Fatalf("no AssumeRole call; calls: %v", rec.calls)
	}
	if rec.assumeIn.Get("RoleArn") != role || rec.assumeIn.Get("ExternalId") != "gennaker-test" || rec.assumeIn.Get("RoleSessionName") == "" {
		t.Errorf("AssumeRole asked with %v; want the role, the external id and a session name", rec.assumeIn)
	}
	if rec.assumed == "" || rec.assumed == "testing" {
		t.Fatalf("AssumeRole answered access key %q; want moto's temporary one", rec.assumed)
	}
	reads := 0
	for _, c := range rec.calls {
		switch {
		case c.action == "AssumeRole":
			if c.key != "testing" {
				t.Errorf("AssumeRole signed with %q; want the account's own key", c.key)
			}
		case strings.HasPrefix(c.action, "Describe"):
			reads++
			if c.key != rec.assumed {
				t.Errorf("%s signed with %q; want the assumed role's %q", c.action, c.key, rec.assumed)
			}
		}
	}
	if reads == 0 {
		t.Fatalf("no reads went through the proxy: %v", rec.calls)
	}
}
