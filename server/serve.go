package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"runtime/debug"
	"strings"
	"sync"
	"syscall"
	"time"

	"pushback/server/debrief"
	"pushback/server/room"
	"pushback/server/store"
	webui "pushback/server/web"
)

func init() {
	register("serve", "serve the game on -addr (the default command)", serve)
}

// serve runs the game server until SIGINT or SIGTERM.
func serve(args []string) int {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	addr := fs.String("addr", ":8080", "listen address (HTTP and WebSocket on one origin)")
	data := fs.String("data", "data", "directory of the game database; rooms survive restarts in it")
	storeURL := fs.String("store", "", "postgres://user:password@host/database: keep the game log in PostgreSQL instead of the SQLite file in -data")
	web := fs.String("web", "build/web", "directory of the browser client (make web)")
	origins := fs.String("origins", "", "comma-separated Origin hosts allowed besides the server's own, or * for any")
	maxRooms := fs.Int("max-rooms", 500, "live rooms at most")
	maxConns := fs.Int("max-conns", 64, "connections per room at most")
	level := fs.String("log", "info", "log level: debug, info, warn or error")
	memLimit := fs.Int64("mem-limit", 0, "soft memory limit of the Go runtime in MiB; 0: $GOMEMLIMIT if set, else 3/4 of the machine's memory; -1: none")
	maxClients := fs.Int("max-clients", 20_000, "connections at once, all rooms and addresses together")
	addrConns := fs.Int("addr-conns", 100, "connections at once per address (an IPv6 address counts by its /64)")
	addrEntries := fs.Int("addr-entries", 60, "creates, joins, resumes, table lists and report requests per address per minute (also the burst)")
	addrCreates := fs.Int("addr-creates", 30, "rooms created per address per 10 minutes (also the burst)")
	helloWait := fs.Duration("hello-wait", 10*time.Second, "time a new connection has to say hello")
	lobbyIdle := fs.Duration("lobby-idle", 10*time.Minute, "a room nobody is in and where nothing can happen is unloaded after this; it no longer counts against -max-rooms")
	retain := fs.Duration("retain", 90*24*time.Hour, "finished games are deleted this long after their end (reports then answer 410); -1s: keep forever")
	retainIdle := fs.Duration("retain-idle", 7*24*time.Hour, "unfinished rooms (abandoned lobbies) in which nothing changed for this long are deleted; -1s: keep forever")
	httpIdle := fs.Duration("http-idle", 60*time.Second, "an idle keep-alive HTTP connection is closed after this")
	forwarded := fs.String("forwarded-header", "", "behind a trusted reverse proxy: the header holding the client address it saw, e.g. X-Forwarded-For (the last address in it counts)")
	scns := fs.String("scenarios", "", "a directory of the trainer's own scenario files (*.yaml), offered beside the shipped ones; a broken file is logged with its line:column problems and skipped")
	node := fs.String("node", "", "this node's unique name in a cluster of servers on one PostgreSQL -store (turns cluster mode on; see README, Running a cluster)")
	advertise := fs.String("advertise", "", "cluster: the URL where the other nodes reach this one, e.g. http://10.0.0.5:8080 (required with -node)")
	lease := fs.Duration("lease", 5*time.Second, "cluster: how long a node's hold on a room lasts unless renewed (every third of it); a dead node's rooms move after this")
	secret := fs.String("cluster-secret", "", "cluster: the secret the nodes sign forwarded connections with (better: the environment variable PUSHBACK_CLUSTER_SECRET)")
	drainWait := fs.Duration("drain-wait", 2*time.Second, "cluster: on SIGTERM, how long /readyz says 503 before the rooms are handed over, so that the load balancer stops sending connections")
	noLimits := fs.Bool("no-limits", false, "turn off per-address and global budgets and connection caps: for load tests from one machine only, never on the internet")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	var lv slog.Level
	if err := lv.UnmarshalText([]byte(*level)); err != nil {
		fmt.Fprintf(os.Stderr, "serve: -log %q: %v\n", *level, err)
		return 2
	}
	slog.SetDefault(slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: lv})))
	setMemLimit(*memLimit)

	if *secret == "" {
		*secret = os.Getenv("PUSHBACK_CLUSTER_SECRET")
	}
	if *node != "" {
		switch {
		case !strings.HasPrefix(*storeURL, "postgres://") && !strings.HasPrefix(*storeURL, "postgresql://"):
			fmt.Fprintln(os.Stderr, "serve: -node needs a PostgreSQL -store shared by the nodes")
			return 2
		case !strings.HasPrefix(*advertise, "http://") && !strings.HasPrefix(*advertise, "https://"):
			fmt.Fprintln(os.Stderr, "serve: -node needs -advertise http://HOST:PORT, where the other nodes reach this one")
			return 2
		case *secret == "":
			fmt.Fprintln(os.Stderr, "serve: -node needs the cluster secret: set PUSHBACK_CLUSTER_SECRET (or -cluster-secret) to the same value on every node")
			return 2
		case *lease < 300*time.Millisecond:
			fmt.Fprintln(os.Stderr, "serve: -lease must be at least 300ms")
			return 2
		}
	}
	var st *store.Store
	var err error
	switch {
	case *node != "":
		st, err = store.OpenCluster(*storeURL, store.Node{Name: *node, Addr: *advertise, TTL: *lease})
	case *storeURL != "":
		st, err = store.OpenURL(*storeURL)
	default:
		st, err = store.Open(*data)
	}
	if err != nil {
		slog.Error("open the store", "err", err)
		return 1
	}
	defer st.Close()
	// Connections past the descriptor limit would starve /healthz, the
	// database and new clients alike: keep a reserve of 64.
	if n := fdLimit(); n > 0 && *maxClients > n-64 && !*noLimits {
		slog.Warn("-max-clients lowered to fit the descriptor limit (raise it with ulimit -n)", "max-clients", max(n-64, 1), "nofile", n)
		*maxClients = max(n-64, 1)
	}
	cfg := room.Config{Store: st, MaxRooms: *maxRooms, MaxConns: *maxConns,
		MaxClients: *maxClients, AddrConns: *addrConns, HelloWait: *helloWait, LobbyIdle: *lobbyIdle,
		Retain: *retain, RetainIdle: *retainIdle, ForwardedHeader: *forwarded, NoLimits: *noLimits, Scenarios: *scns, Secret: *secret}
	if *addrEntries > 0 {
		cfg.EntryRate, cfg.EntryBurst = float64(*addrEntries)/60, *addrEntries
	}
	if *addrCreates > 0 {
		cfg.CreateRate, cfg.CreateBurst = float64(*addrCreates)/600, *addrCreates
	}
	if *origins != "" {
		cfg.Origins = strings.Split(*origins, ",")
	}
	hub, err := room.New(cfg)
	if err != nil {
		slog.Error("restore rooms", "err", err)
		return 1
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		slog.Error("listen", "addr", *addr, "err", err)
		hub.Close()
		return 1
	}
	srv := &http.Server{Handler: routes(hub, st, *web), ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout: 30 * time.Second, IdleTimeout: *httpIdle, MaxHeaderBytes: 16 << 10}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	slog.Info("serving", "addr", ln.Addr().String(), "db", st.Path(), "web", *web, "rooms", hub.Rooms(), "node", *node)
	select {
	case err := <-done:
		slog.Error("serve", "err", err)
		hub.Close()
		return 1
	case <-ctx.Done():
	}
	if *node != "" {
		// Drain: the load balancer sees /readyz fail and stops sending
		// connections; then every room is handed over (its lease released,
		// its connections closed with 1012), and clients reconnect
		// elsewhere.
		hub.Drain()
		slog.Info("draining", "wait", *drainWait)
		time.Sleep(*drainWait)
		hub.Handover()
	}
	slog.Info("shutting down")
	sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	srv.Shutdown(sctx) // stops accepting; WebSockets are hijacked and closed by the hub
	hub.Close()
	return 0
}

// routes is the whole HTTP surface of the server.
func routes(hub *room.Hub, st *store.Store, web string) http.Handler {
	mux := http.NewServeMux()
	mux.Handle("/ws", hub)
	health := &healthCheck{st: st}
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		if err := health.check(); err != nil {
			slog.Error("health check", "err", err)
			w.WriteHeader(http.StatusServiceUnavailable)
			fmt.Fprintf(w, "failing: the database cannot be written\n")
			return
		}
		fmt.Fprintf(w, "ok rooms=%d\n", hub.Rooms())
	})
	// Readiness, for a load balancer or a Kubernetes probe: the database
	// answers a write and the node is not draining.
	mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		err := hub.Ready()
		if err == nil && health.check() != nil {
			err = errors.New("the database cannot be written")
		}
		if err != nil {
			w.WriteHeader(http.StatusServiceUnavailable)
			fmt.Fprintf(w, "not ready: %v\n", err)
			return
		}
		fmt.Fprintf(w, "ready\n")
	})
	mux.Handle("GET /metrics", hub.Metrics())
	mux.HandleFunc("GET /tables", func(w http.ResponseWriter, r *http.Request) {
		if !hub.AllowHTTP(r) {
			tooMany(w)
			return
		}
		ts, err := hub.Tables(r.URL.Query().Get("token"))
		if err != nil {
			hub.GuessedHTTP(r)
			http.Error(w, "unauthorized: a valid facilitator token is required", http.StatusUnauthorized)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Cache-Control", "no-store")
		json.NewEncoder(w).Encode(ts)
	})
	// The debrief: reports built by server/debrief from the stored log, for
	// the table's facilitator only.
	mux.HandleFunc("GET /rooms/{code}/{file}", func(w http.ResponseWriter, r *http.Request) {
		format, ok := strings.CutPrefix(r.PathValue("file"), "report.")
		if !ok {
			http.NotFound(w, r)
			return
		}
		if !hub.AllowHTTP(r) {
			tooMany(w)
			return
		}
		g, err := hub.Game(r.PathValue("code"), r.URL.Query().Get("token"))
		if err != nil {
			reportError(w, r, hub, err)
			return
		}
		debrief.ServeReport(w, r, format, g)
	})
	mux.HandleFunc("GET /reports", func(w http.ResponseWriter, r *http.Request) {
		if !hub.AllowHTTP(r) {
			tooMany(w)
			return
		}
		gs, err := hub.Games(r.URL.Query().Get("token"))
		if err != nil {
			reportError(w, r, hub, err)
			return
		}
		debrief.ServeCombined(w, r, gs)
	})
	mux.Handle("/", webui.New(web, http.HandlerFunc(howToConnect)))
	return mux
}

func reportError(w http.ResponseWriter, r *http.Request, hub *room.Hub, err error) {
	if errors.Is(err, store.ErrGone) {
		http.Error(w, "gone: this game was deleted after the server's retention period", http.StatusGone)
		return
	}
	if errors.Is(err, room.ErrUnauthorized) {
		hub.GuessedHTTP(r)
		http.Error(w, "unauthorized: the table's facilitator token is required", http.StatusUnauthorized)
		return
	}
	slog.Error("report", "err", err)
	http.Error(w, "the report could not be built", http.StatusInternalServerError)
}

func tooMany(w http.ResponseWriter) {
	w.Header().Set("Retry-After", "60")
	http.Error(w, "too many requests from this address; wait a minute", http.StatusTooManyRequests)
}

// healthCheck answers /healthz with a real write through the store's commit
// path, at most one a second: a probe that only read would say ok on a full
// or read-only disk while every game write fails.
type healthCheck struct {
	st   *store.Store
	mu   sync.Mutex
	at   time.Time
	last error
}

func (hc *healthCheck) check() error {
	hc.mu.Lock()
	defer hc.mu.Unlock()
	if time.Since(hc.at) < time.Second {
		return hc.last
	}
	hc.last, hc.at = hc.st.Health(), time.Now()
	return hc.last
}

// howToConnect is the front page while the browser client is not built.
func howToConnect(w http.ResponseWriter, r *http.Request) {
	webui.SecurityHeaders(w.Header(), "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'")
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	host := r.Host
	fmt.Fprintf(w, `<!doctype html><meta charset="utf-8"><title>Pushback server</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:40em;margin:3em auto;padding:0 1em}code{background:#eee;padding:0 .2em}</style>
<h1>Pushback</h1>
<p>The game server is running, but the browser client has not been built.</p>
<ul>
<li>Build it and restart: <code>make web</code>, then <code>go run ./server -web build/web</code> (or just <code>make run</code>).</li>
<li>Or play with the desktop client: <code>go run ./client -server ws://%s/ws</code>.</li>
<li>Clients speak the protocol in <code>server/protocol/README.md</code> over <code>ws://%s/ws</code>.</li>
</ul>
<p>Health: <a href="/healthz">/healthz</a> · metrics: <a href="/metrics">/metrics</a></p>
`, htmlEscape(host), htmlEscape(host))
}

func htmlEscape(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;").Replace(s)
}

// setMemLimit sets the Go runtime's soft memory limit (debug.SetMemoryLimit)
// from -mem-limit in MiB. Without one the garbage collector lets the heap
// grow to twice what is live, whatever the machine holds; with one it
// collects harder as the process nears the limit instead of running out of
// memory. By default the limit is 3/4 of the machine's (or the cgroup's)
// memory, unless GOMEMLIMIT already set one.
func setMemLimit(mib int64) {
	switch {
	case mib < 0:
		return
	case mib == 0 && os.Getenv("GOMEMLIMIT") != "":
		return // the runtime has read it
	case mib == 0:
		total := machineMemory()
		if total <= 0 {
			return
		}
		mib = total / 4 * 3 >> 20
	}
	debug.SetMemoryLimit(mib << 20)
	slog.Info("memory limit", "MiB", mib)
}

// machineMemory is the memory this process may use, in bytes: the cgroup's
// limit if there is one, else the machine's; 0 if neither can be read.
func machineMemory() int64 {
	var total int64
	if b, err := os.ReadFile("/proc/meminfo"); err == nil {
		var kb int64
		if i := bytes.Index(b, []byte("MemTotal:")); i >= 0 {
			fmt.Sscanf(string(b[i+len("MemTotal:"):]), "%d", &kb)
		}
		total = kb << 10
	}
	if b, err := os.ReadFile("/sys/fs/cgroup/memory.max"); err == nil {
		var n int64
		if _, err := fmt.Sscanf(string(b), "%d", &n); err == nil && n > 0 && (total == 0 || n < total) {
			total = n
		}
	}
	return total
}
