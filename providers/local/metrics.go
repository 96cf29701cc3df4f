package local

import (
	"errors"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// metrics are the load balancers' per server group metrics, the input of
// canary analysis. Every series has the labels load_balancer and
// server_group (server_group "none" when no group could take the request),
// and the constant label account.
type metrics struct {
	requests *prometheus.CounterVec   // gennaker_lb_requests_total{code="2xx"…}
	errors   *prometheus.CounterVec   // gennaker_lb_backend_errors_total
	retries  *prometheus.CounterVec   // gennaker_lb_retries_total
	duration *prometheus.HistogramVec // gennaker_lb_request_duration_seconds
	inflight *prometheus.GaugeVec     // gennaker_lb_requests_in_flight
}

// noGroup labels requests that found no healthy server group.
const noGroup = "none"

func newMetrics(reg prometheus.Registerer, account string) (*metrics, error) {
	constant := prometheus.Labels{"account": account}
	labels := []string{"load_balancer", "server_group"}
	m := &metrics{
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "gennaker_lb_requests_total", ConstLabels: constant,
			Help: "Requests answered by a local load balancer, by server group and status code class (2xx, 3xx, 4xx, 5xx).",
		}, append(labels, "code")),
		errors: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "gennaker_lb_backend_errors_total", ConstLabels: constant,
			Help: "Requests a local load balancer answered 502 because the instance failed (after one retry), by server group.",
		}, labels),
		retries: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "gennaker_lb_retries_total", ConstLabels: constant,
			Help: "Requests a local load balancer retried on another instance after the first refused the connection, by the server group of the first.",
		}, labels),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "gennaker_lb_request_duration_seconds", ConstLabels: constant,
			Help:    "Time from receiving a request to the end of its response, by server group.",
			Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10},
		}, labels),
		inflight: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "gennaker_lb_requests_in_flight", ConstLabels: constant,
			Help: "Requests a local load balancer is proxying now, by server group.",
		}, labels),
	}
	if reg == nil {
		return m, nil
	}
	var err error
	m.requests = register(reg, m.requests, &err)
	m.errors = register(reg, m.errors, &err)
	m.retries = register(reg, m.retries, &err)
	m.duration = register(reg, m.duration, &err)
	m.inflight = register(reg, m.inflight, &err)
	return m, err
}

// register registers c, or returns the collector already registered under
// the same description (a second driver on the same account, after a
// restart in the same process).
func register[C prometheus.Collector](reg prometheus.Registerer, c C, errp *error) C {
	if err := reg.Register(c); err != nil {
		var are prometheus.AlreadyRegisteredError
		if errors.As(err, &are) {
			if existing, ok := are.ExistingCollector.(C); ok {
				return existing
			}
		}
		if *errp == nil {
			*errp = err
		}
	}
	return c
}

// observe records one answered request.
func (m *metrics) observe(lb, group string, code int, d time.Duration) {
	m.requests.WithLabelValues(lb, group, codeClass(code)).Inc()
	m.duration.WithLabelValues(lb, group).Observe(d.Seconds())
}

// codeClass returns "2xx" for 204 and so on.
func codeClass(code int) string {
	if code < 100 || code > 599 {
		return "unknown"
	}
	return strconv.Itoa(code/100) + "xx"
}
