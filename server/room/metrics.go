package room

import (
	"net/http"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"pushback/server/store"
)

// metrics are the numbers an operator watches during a workshop. Each Hub
// has its own registry, so that tests can run several servers in one
// process.
type metrics struct {
	reg      *prometheus.Registry
	rooms    prometheus.Gauge
	conns    prometheus.Gauge
	msgsIn   prometheus.Counter
	msgsOut  prometheus.Counter
	errors   *prometheus.CounterVec
	evicted  prometheus.Counter
	latency  prometheus.Histogram
	commands prometheus.Counter
	refused  *prometheus.CounterVec
	// A cluster node's (forward.go).
	forwarded prometheus.Gauge
	claims    prometheus.Counter
	leaseLost prometheus.Counter
}

func newMetrics() *metrics {
	m := &metrics{
		reg:     prometheus.NewRegistry(),
		rooms:   prometheus.NewGauge(prometheus.GaugeOpts{Name: "pushback_rooms", Help: "Rooms in memory whose game is not over."}),
		conns:   prometheus.NewGauge(prometheus.GaugeOpts{Name: "pushback_connections", Help: "Open WebSocket connections."}),
		msgsIn:  prometheus.NewCounter(prometheus.CounterOpts{Name: "pushback_messages_in_total", Help: "Frames received from clients."}),
		msgsOut: prometheus.NewCounter(prometheus.CounterOpts{Name: "pushback_messages_out_total", Help: "Frames queued to clients."}),
		errors:  prometheus.NewCounterVec(prometheus.CounterOpts{Name: "pushback_errors_total", Help: "Error answers sent, by protocol code."}, []string{"code"}),
		evicted: prometheus.NewCounter(prometheus.CounterOpts{Name: "pushback_evicted_total", Help: "Connections closed because their send queue was full."}),
		refused: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "pushback_refused_connections_total",
			Help: "Connections refused before the upgrade, by reason (server_full, address_full)."}, []string{"reason"}),
		commands: prometheus.NewCounter(prometheus.CounterOpts{Name: "pushback_commands_total", Help: "Game commands accepted and logged, bots' included."}),
		latency: prometheus.NewHistogram(prometheus.HistogramOpts{Name: "pushback_command_seconds",
			Help:    "From a command's arrival in its room to every view queued: apply, durable append, bots, views.",
			Buckets: prometheus.ExponentialBuckets(0.0005, 2, 14)}),
	}
	m.forwarded = prometheus.NewGauge(prometheus.GaugeOpts{Name: "pushback_forwarded_connections", Help: "Connections this node relays to the node that owns their room."})
	m.claims = prometheus.NewCounter(prometheus.CounterOpts{Name: "pushback_claims_total", Help: "Room leases this node claimed (a room loaded from the store, or taken over from a node that stopped renewing)."})
	m.leaseLost = prometheus.NewCounter(prometheus.CounterOpts{Name: "pushback_lease_lost_total", Help: "Rooms stopped here because another node claimed their lease."})
	m.reg.MustRegister(m.forwarded, m.claims, m.leaseLost)
	m.reg.MustRegister(m.rooms, m.conns, m.msgsIn, m.msgsOut, m.errors, m.evicted, m.commands, m.latency, m.refused,
		prometheus.NewGoCollector())
	return m
}

// storeMetrics adds the gauge of rooms whose lease this node holds and the
// count of the store's group commits.
func (m *metrics) storeMetrics(st *store.Store) {
	m.reg.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "pushback_rooms_owned", Help: "Rooms whose lease this cluster node holds."},
		func() float64 { return float64(len(st.Held())) }),
		prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "pushback_store_commits_total",
			Help: "Transactions of the store's group commit: commands and records share them when they arrive together."},
			func() float64 { return float64(st.Commits()) }))
}

func (m *metrics) handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{})
}
