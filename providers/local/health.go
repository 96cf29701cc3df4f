package local

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"time"

	"github.com/gennaker/gennaker/providers"
)

// healthTracker turns a sequence of health check results into a health
// state, with thresholds: pure, so that it is tested with tables.
type healthTracker struct {
	cfg       HealthCheck
	launched  time.Time
	up        bool
	everUp    bool
	successes int
	failures  int
	state     providers.HealthState
	detail    string
}

func newHealthTracker(cfg HealthCheck, launched time.Time) *healthTracker {
	return &healthTracker{cfg: cfg, launched: launched, state: providers.Starting, detail: "waiting for the first health check"}
}

// observe records one check result (err nil: passed) made at now and
// reports whether the state or its detail changed.
func (h *healthTracker) observe(now time.Time, err error) bool {
	before, beforeDetail := h.state, h.detail
	if err == nil {
		h.successes++
		h.failures = 0
		if h.successes >= h.cfg.HealthyThreshold {
			h.up, h.everUp = true, true
			h.state, h.detail = providers.Up, ""
		}
		return h.state != before || h.detail != beforeDetail
	}
	h.failures++
	h.successes = 0
	switch {
	case h.up && h.failures >= h.cfg.UnhealthyThreshold:
		h.up = false
		h.state, h.detail = providers.Down, fmt.Sprintf("failed %d health checks in a row: %v", h.failures, err)
	case h.up:
		// Still Up until the threshold: one slow answer is not an outage.
	case h.everUp:
		h.state, h.detail = providers.Down, fmt.Sprintf("health check failing: %v", err)
	case now.Sub(h.launched) >= h.cfg.StartTimeout.D():
		h.state, h.detail = providers.Failed, fmt.Sprintf("never became healthy within %v: %v", h.cfg.StartTimeout.D(), err)
	default:
		h.state, h.detail = providers.Starting, fmt.Sprintf("waiting to become healthy: %v", err)
	}
	return h.state != before || h.detail != beforeDetail
}

// check runs one health check against the instance on port and returns nil
// when it passes.
func check(ctx context.Context, client *http.Client, cfg HealthCheck, port int) error {
	ctx, cancel := context.WithTimeout(ctx, cfg.Timeout.D())
	defer cancel()
	addr := net.JoinHostPort("127.0.0.1", strconv.Itoa(port))
	if cfg.Path == "" {
		var d net.Dialer
		c, err := d.DialContext(ctx, "tcp", addr)
		if err != nil {
			return fmt.Errorf("connecting to %s: %w", addr, err)
		}
		return c.Close()
	}
	url := "http://" + addr + cfg.Path
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return fmt.Errorf("GET %s: %w", url, err)
	}
	resp, err := client.Do(req)
	if err != nil {
		return fmt.Errorf("GET %s: %w", url, unwrapURLError(err))
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	if resp.StatusCode >= 400 {
		return fmt.Errorf("GET %s: %s", url, resp.Status)
	}
	return nil
}

// unwrapURLError drops the *url.Error layer, which repeats the method and URL.
func unwrapURLError(err error) error {
	if u, ok := err.(interface{ Unwrap() error }); ok {
		if inner := u.Unwrap(); inner != nil {
			return inner
		}
	}
	return err
}
