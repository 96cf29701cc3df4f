package engine

import (
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/gennaker/gennaker/bus"
)

type metrics struct {
	handled     *prometheus.HistogramVec
	transitions prometheus.Counter
	repairs     prometheus.Counter
}

func newMetrics(reg prometheus.Registerer) *metrics {
	m := &metrics{
		handled: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "gennaker_engine_command_duration_seconds", Help: "Commands handled, by type and result.",
			Buckets: []float64{.0005, .001, .0025, .005, .01, .025, .05, .1, .25, 1, 5},
		}, []string{"type", "result"}),
		transitions: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "gennaker_engine_transitions_total", Help: "Rows (execution, stages, tasks) committed by the engine."}),
		repairs: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "gennaker_engine_watchdog_repairs_total", Help: "Stuck executions the watchdog re-queued."}),
	}
	if reg != nil {
		reg.MustRegister(m.handled, m.transitions, m.repairs)
	}
	return m
}

func (m *metrics) observe(t bus.CommandType, err error, d time.Duration) {
	result := "ok"
	if err != nil {
		result = "error"
	}
	m.handled.WithLabelValues(string(t), result).Observe(d.Seconds())
}
