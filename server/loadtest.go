package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	neturl "net/url"
	"os"
	"os/signal"
	"runtime"
	"strings"
	"syscall"
	"time"

	"pushback/server/cluster"
	"pushback/server/loadtest"
	"pushback/server/store"
)

func init() {
	register("loadtest", "N rooms x M bots against a server on loopback, with a bare-gorilla baseline", runLoadtest)
}

func runLoadtest(args []string) int {
	if len(args) > 0 {
		switch args[0] {
		case "child-hub": // internal: the game server without the serve subcommand's extras
			return childHub(args[1:])
		case "child-baseline": // internal: the bare relay
			return childBaseline(args[1:])
		}
	}
	fs := flag.NewFlagSet("loadtest", flag.ContinueOnError)
	var cfg loadtest.Config
	fs.IntVar(&cfg.Rooms, "rooms", 2000, "rooms playing at once")
	fs.IntVar(&cfg.Players, "players", 5, "players per room, the executive included")
	fs.StringVar(&cfg.Scenario, "scenario", "", "scenario the rooms play (default the server's default)")
	fs.DurationVar(&cfg.Think, "think", 10*time.Second, "mean think time before each decision (±50%); 0 plays flat out")
	fs.DurationVar(&cfg.Duration, "duration", time.Minute, "play window; the run stops by itself after it")
	fs.BoolVar(&cfg.Finish, "finish", false, "after the window, let started games end (within -grace) instead of cutting them")
	fs.DurationVar(&cfg.Grace, "grace", 3*time.Minute, "longest wait for games to end with -finish")
	fs.IntVar(&cfg.Ramp, "ramp", 32, "rooms set up at once")
	fs.Float64Var(&cfg.Drop, "drop", 0, "share of players that drop their connection once per game and resume with their token")
	fs.DurationVar(&cfg.Kill, "kill", 0, "kill the server with SIGKILL and restart it this often (needs the tool to run the server)")
	fs.DurationVar(&cfg.Every, "every", 5*time.Second, "progress line period")
	fs.Uint64Var(&cfg.Seed, "seed", 1, "randomness of bots and faults")
	url := fs.String("url", "", "an already running server's (or load balancer's) ws:// URL on loopback (default: start one as a child process)")
	nodes := fs.Int("cluster", 0, "start a cluster of this many nodes instead of one server: a throwaway PostgreSQL, the nodes and a load balancer in front, all on loopback")
	lb := fs.String("lb", "haproxy", "-cluster: the load balancer, haproxy or nginx")
	fs.DurationVar(&cfg.Kill, "kill-node", 0, "-cluster: kill one node (in turn) with SIGKILL and restart it this often")
	server := fs.String("server", "serve", "what the child runs: serve (this binary's serve subcommand) or hub (the room package bare, with pprof)")
	baseline := fs.String("baseline", "after", "the bare gorilla relay: after (same run), only, or off")
	soak := fs.Bool("soak", false, "soak: 10 minutes (unless -duration is given), samples every 10s, and a verdict on memory and goroutines")
	fs.IntVar(&cfg.ViewBytes, "view-bytes", 0, "-baseline only: view frame size (default: measured by the run before, else 3000)")
	fs.IntVar(&cfg.CommandBytes, "command-bytes", 0, "-baseline only: command frame size (default: measured, else 120)")
	fs.IntVar(&cfg.Rulings, "rulings", 0, "-baseline only: rulings per turn (default: measured, else 2)")
	lean := fs.Bool("lean", false, "give the baseline relay the buffer settings recommended for our server (1 KiB read buffer, pooled write buffers)")
	keep := fs.String("data", "", "the child server's data directory (default a new temporary one, removed after)")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	if *soak {
		if !set["duration"] {
			cfg.Duration = 10 * time.Minute
		}
		if !set["every"] {
			cfg.Every = 10 * time.Second
		}
	}
	if cfg.Kill > 0 && *url != "" {
		fmt.Fprintln(os.Stderr, "loadtest: -kill and -kill-node need the tool to run the server; drop -url")
		return 2
	}
	if set["kill-node"] && *nodes == 0 || set["kill"] && *nodes > 0 {
		fmt.Fprintln(os.Stderr, "loadtest: -kill-node goes with -cluster, -kill with one server")
		return 2
	}
	if *nodes > 0 && *url != "" {
		fmt.Fprintln(os.Stderr, "loadtest: -cluster starts its own cluster; drop -url")
		return 2
	}
	if *nodes > 0 && !set["baseline"] {
		*baseline = "off"
	}
	if u, err := neturl.Parse(*url); *url != "" && (err != nil || u.Scheme != "ws" || !loopback(u.Hostname())) {
		fmt.Fprintln(os.Stderr, "loadtest: -url must be ws://127.0.0.1:PORT/…: the load stays on loopback")
		return 2
	}
	if n, err := loadtest.RaiseFileLimit(); err != nil {
		slog.Warn("file limit", "err", err)
	} else if need := uint64(cfg.Rooms*(cfg.Players+1) + 256); n < need {
		fmt.Fprintf(os.Stderr, "loadtest: the open-file limit is %d, the run needs about %d (raise the hard limit: ulimit -Hn)\n", n, need)
		return 2
	}
	slog.SetDefault(slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn})))
	cfg.Progress = os.Stdout
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	self, err := os.Executable()
	if err != nil {
		fmt.Fprintln(os.Stderr, "loadtest:", err)
		return 1
	}
	fmt.Printf("loadtest: %d rooms x %d players, think %s, window %s; %s\n", cfg.Rooms, cfg.Players, cfg.Think, cfg.Duration, machine())

	var ours *loadtest.Report
	failed := false
	if *baseline != "only" {
		c := cfg
		var srv *loadtest.Child
		var dir string
		var cl *cluster.Cluster
		if *nodes > 0 {
			if dir, err = os.MkdirTemp("", "pushback-cluster-"); err != nil {
				fmt.Fprintln(os.Stderr, "loadtest:", err)
				return 1
			}
			defer os.RemoveAll(dir)
			cl, err = cluster.Start(cluster.Config{Bin: self, Nodes: *nodes, LB: *lb, Dir: dir,
				Extra: []string{"-log", "warn", "-max-rooms", fmt.Sprint(2*cfg.Rooms + 1000), "-no-limits"}})
			if err != nil {
				fmt.Fprintln(os.Stderr, "loadtest:", err)
				return 1
			}
			defer cl.Close()
			c.URL, c.Nodes = cl.URL(), cl.Nodes
			fmt.Printf("loadtest: %d nodes behind %s on %s, PostgreSQL in %s; logs in %s\n", *nodes, *lb, cl.LB.Addr, cl.PG.Dir, dir)
		} else if *url == "" {
			dir = *keep
			if dir == "" {
				if dir, err = os.MkdirTemp("", "pushback-loadtest-"); err != nil {
					fmt.Fprintln(os.Stderr, "loadtest:", err)
					return 1
				}
				defer os.RemoveAll(dir)
			}
			addr, err := loadtest.FreeAddr()
			if err != nil {
				fmt.Fprintln(os.Stderr, "loadtest:", err)
				return 1
			}
			a := []string{self, "serve", "-addr", addr, "-data", dir, "-log", "warn",
				"-max-rooms", fmt.Sprint(2*cfg.Rooms + 1000), "-no-limits", "-web", dir + "/no-web"}
			if _, ok := subcommands["serve"]; !ok || *server == "hub" {
				a = []string{self, "loadtest", "child-hub", addr, dir}
			}
			logf, err := os.Create(dir + "/server.log")
			if err != nil {
				fmt.Fprintln(os.Stderr, "loadtest:", err)
				return 1
			}
			defer logf.Close()
			srv = &loadtest.Child{Args: a, Addr: addr, Log: logf}
			if err := srv.Start(); err != nil {
				fmt.Fprintln(os.Stderr, "loadtest:", err)
				return 1
			}
			defer srv.Kill()
			c.URL, c.Metrics, c.Server = "ws://"+addr+"/ws", "http://"+addr+"/metrics", srv
			fmt.Printf("loadtest: server pid %d on %s: %s\n", srv.Pid(), addr, strings.Join(a[1:3], " "))
		} else {
			c.URL, c.Metrics = *url, "http://"+strings.TrimSuffix(strings.TrimPrefix(*url, "ws://"), "/ws")+"/metrics"
		}
		ours, err = loadtest.Run(ctx, c)
		if err != nil {
			fmt.Fprintln(os.Stderr, "loadtest:", err)
			return 1
		}
		if srv != nil || cl != nil {
			var st *store.Store
			if cl != nil {
				cl.Kill() // the log is read as SIGKILL leaves it
				st, err = store.OpenURL(cl.Store)
			} else {
				srv.Kill()
				st, err = store.Open(dir)
			}
			if err == nil {
				err = ours.Verify(st)
				st.Close()
			}
			if err != nil {
				fmt.Fprintln(os.Stderr, "loadtest: reading the log:", err)
			}
		}
		fmt.Print(ours)
		failed = len(ours.Errors) > 0 || len(ours.Lost) > 0 || (cfg.Finish && ours.GamesEnded != ours.GamesStarted)
		if *soak {
			rss, heap, gor, ok := ours.Flat(0.10)
			fmt.Printf("soak: last quarter against the second: RSS %+.1f%%, heap %+.1f%%, goroutines %+.1f%% -> flat: %v\n", 100*rss, 100*heap, 100*gor, ok)
			failed = failed || !ok
		}
	}
	if *baseline != "off" && ctx.Err() == nil {
		c := cfg
		c.Baseline, c.Drop, c.Kill = true, 0, 0
		if ours != nil {
			c.ViewBytes, c.CommandBytes, c.Rulings, c.Turns = ours.ViewBytes, ours.CommandBytes, max(ours.Rulings, 1), ours.Turns
		}
		addr, err := loadtest.FreeAddr()
		if err != nil {
			fmt.Fprintln(os.Stderr, "loadtest:", err)
			return 1
		}
		srv := &loadtest.Child{Args: []string{self, "loadtest", "child-baseline", addr, fmt.Sprint(*lean)}, Addr: addr, Log: os.Stderr}
		if err := srv.Start(); err != nil {
			fmt.Fprintln(os.Stderr, "loadtest:", err)
			return 1
		}
		defer srv.Kill()
		c.URL, c.Metrics, c.Server = "ws://"+addr+"/base", "http://"+addr+"/stats", srv
		base, err := loadtest.Run(ctx, c)
		srv.Kill()
		if err != nil {
			fmt.Fprintln(os.Stderr, "loadtest:", err)
			return 1
		}
		if *lean {
			base.Mode = "baseline (lean buffers)"
		}
		fmt.Print(base)
		if ours != nil {
			fmt.Print(loadtest.Ratios(ours, base))
		}
	}
	if failed {
		return 1
	}
	return 0
}

// loopback reports whether host is this machine's loopback.
func loopback(host string) bool {
	ip := net.ParseIP(host)
	return host == "localhost" || ip != nil && ip.IsLoopback()
}

// machine describes the host for the report: cores, memory, CPU model.
func machine() string {
	model, mem := "?", "?"
	if b, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for line := range strings.SplitSeq(string(b), "\n") {
			if v, ok := strings.CutPrefix(line, "model name"); ok {
				model = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(v), ":"))
				break
			}
		}
	}
	if b, err := os.ReadFile("/proc/meminfo"); err == nil {
		for line := range strings.SplitSeq(string(b), "\n") {
			if v, ok := strings.CutPrefix(line, "MemTotal:"); ok {
				var kb int64
				fmt.Sscanf(strings.TrimSpace(v), "%d", &kb)
				mem = fmt.Sprintf("%.1f GiB", float64(kb)/(1<<20))
			}
		}
	}
	var l syscall.Rlimit
	syscall.Getrlimit(syscall.RLIMIT_NOFILE, &l)
	load, _ := os.ReadFile("/proc/loadavg")
	return fmt.Sprintf("%d cores (%s), %s, open files %d, load %s", runtime.NumCPU(), model, mem, l.Cur, strings.Join(strings.Fields(string(load))[:3], " "))
}

// childHub serves the room package on addr with data in dir, plus
// /metrics and /debug/pprof: the server the load tool profiles.
func childHub(args []string) int {
	if len(args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: loadtest child-hub ADDR DIR")
		return 2
	}
	slog.SetDefault(slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn})))
	slog.Error("serve", "err", loadtest.ServeHub(args[0], args[1], true))
	return 1
}

// childBaseline serves the bare gorilla relay on addr.
func childBaseline(args []string) int {
	if len(args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: loadtest child-baseline ADDR LEAN")
		return 2
	}
	fmt.Fprintln(os.Stderr, http.ListenAndServe(args[0], loadtest.NewBaseline(args[1] == "true")))
	return 1
}
