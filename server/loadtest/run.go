// Package loadtest proves what one small machine carries: N rooms of M bot
// clients playing whole games over real WebSockets against a server on
// loopback, measuring the time from a command to the view it causes reaching
// every seat of its room, the server's memory per connected player, and
// every error by code. The same run drives a bare gorilla/websocket relay
// (Baseline) with the same message sizes and pattern, so that our figures
// can be stated as ratios to the library itself. It also injects faults
// (clients dropping and resuming, the server killed with SIGKILL and
// restarted) and checks that no acknowledged command was lost. README.md
// beside this file is the manual; server/PERFORMANCE.md holds the figures.
package loadtest

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gorilla/websocket"

	"pushback/scenarios"
	"pushback/server/protocol"
	"pushback/server/store"
	"pushback/server/wsclient"
	"pushback/sim"
)

// Config is one load run. Zero values take the defaults in brackets.
type Config struct {
	URL      string        // ws://127.0.0.1:PORT/ws, or /base for the baseline
	Metrics  string        // the server's metrics page, "" none
	Server   *Child        // the server process, if the tool runs it: RSS and kills
	Nodes    []*Child      // a cluster's nodes, if the tool runs them: CPU, RSS and kills, one node in turn
	Rooms    int           // rooms playing at once [10]
	Players  int           // players per room, executive included [5]
	Scenario string        // [scenarios.Default]
	Think    time.Duration // mean think time before each decision; 0 flat out
	Duration time.Duration // play window; no game starts after it [30s]
	Finish   bool          // after Duration, let started games end (within Grace) rather than cut them
	Grace    time.Duration // the longest wait for games to end [2m]
	Ramp     int           // rooms set up at once [32]
	Drop     float64       // share of players that drop their connection once per game and resume
	Kill     time.Duration // SIGKILL and restart Server (or a node) this often during the window; 0 never
	Every    time.Duration // progress line and sample period [5s]
	Progress io.Writer     // progress lines, nil none
	Seed     uint64        // bots' and faults' randomness

	// The baseline: a bare relay with the message sizes and turn shape the
	// real run measured.
	Baseline     bool
	ViewBytes    int // size of each view frame [3000]
	CommandBytes int // size of each command frame [120]
	Turns        int // turns per game [the scenario's]
	Rulings      int // rulings per turn [2]
}

func (c *Config) defaults() {
	def := func(p *int, v int) {
		if *p <= 0 {
			*p = v
		}
	}
	def(&c.Rooms, 10)
	def(&c.Players, 5)
	def(&c.Ramp, 32)
	def(&c.ViewBytes, 3000)
	def(&c.CommandBytes, 120)
	def(&c.Rulings, 2)
	if c.Scenario == "" {
		c.Scenario = scenarios.Default
	}
	if c.Duration <= 0 {
		c.Duration = 30 * time.Second
	}
	if c.Grace <= 0 {
		c.Grace = 2 * time.Minute
	}
	if c.Every <= 0 {
		c.Every = 5 * time.Second
	}
}

// think draws a think time, uniform within ±50% of the mean.
func (c *Config) think(r *rand.Rand) time.Duration {
	if c.Think <= 0 {
		return 0
	}
	return c.Think/2 + time.Duration(r.Int64N(int64(c.Think)))
}

// run is the state of one Run.
type run struct {
	cfg     Config
	scn     *sim.Scenario
	sched   schedule
	st      stats
	h, iv   hist
	steady  hist        // latencies after every room has started
	ramped  atomic.Bool // every room has started its first game
	mu      sync.Mutex
	acks    map[string][]ackedCmd // room code → acknowledged commands
	gameIDs atomic.Int64
	peak    atomic.Int64
	killed  []kill             // under mu
	cpuDone map[*Child]float64 // CPU seconds of processes killed since, under mu
}

// kill is one SIGKILL of the run: when, and how long until the last seat
// it disconnected was back in its room.
type kill struct {
	at, back time.Time
}

// back notes that a seat which lost its connection at lost is in its room
// again: it counts toward the failover of the last kill before lost.
func (r *run) back(lost time.Time) {
	now := time.Now()
	r.mu.Lock()
	defer r.mu.Unlock()
	for i := len(r.killed) - 1; i >= 0; i-- {
		if k := &r.killed[i]; !lost.Before(k.at) {
			if now.After(k.back) {
				k.back = now
			}
			return
		}
	}
}

// procs are the server processes the tool runs: the cluster's nodes or the
// one server.
func (r *run) procs() []*Child {
	if len(r.cfg.Nodes) > 0 {
		return r.cfg.Nodes
	}
	if r.cfg.Server != nil {
		return []*Child{r.cfg.Server}
	}
	return nil
}

func (r *run) faults() bool { return r.cfg.Drop > 0 || r.cfg.Kill > 0 }

type stats struct {
	connected  atomic.Int64
	rooms      atomic.Int64 // rooms with a game running
	started    atomic.Int64
	finished   atomic.Int64
	sent       atomic.Int64
	acked      atomic.Int64
	views      atomic.Int64
	viewBytes  atomic.Int64
	cmdBytes   atomic.Int64
	reconnects atomic.Int64
	drops      atomic.Int64
	kills      atomic.Int64
	setupFail  atomic.Int64
	kinds      [sim.NumCommands]atomic.Int64
	mu         sync.Mutex
	errors     map[string]int
}

func (s *stats) errorf(code string) {
	s.mu.Lock()
	if s.errors == nil {
		s.errors = map[string]int{}
	}
	s.errors[code]++
	s.mu.Unlock()
}

func (s *stats) errorCount() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, c := range s.errors {
		n += c
	}
	return n
}

// game is one room playing one game.
type game struct {
	run     *run
	code    string
	players []*player
	track   *tracker
	persona *sim.Persona
	styles  []*sim.Style
}

// Sample is the server as seen at one moment of the run.
type Sample struct {
	At         time.Duration // since the start
	Connected  int64         // players connected
	Games      int64         // games finished so far
	RSS        int64         // server resident memory, bytes (0 unknown)
	HeapInuse  int64         // from the metrics page
	Goroutines int64
	CPU        float64 // server CPU seconds so far, 0 unknown
}

// Report is the outcome of a run.
type Report struct {
	Mode         string // "pushback" or "baseline"
	Rooms        int
	Players      int // per room
	Think        time.Duration
	Window       time.Duration // the play window as it ran
	Ramp         time.Duration // until every room had started its first game
	PeakPlayers  int64
	GamesStarted int64
	GamesEnded   int64
	Commands     int64       // acknowledged
	CmdRate      float64     // acknowledged per second over the window
	Latency      Percentiles // the whole run, ramp included
	Steady       Percentiles // after the ramp: every room playing
	Idle         Sample      // before the first connection
	Full         Sample      // the last sample of the window, everyone connected
	Peak         Sample      // the sample with the highest RSS
	Samples      []Sample
	Errors       map[string]int
	Reconnects   int64
	Drops        int64
	Kills        int64
	SetupFailed  int64
	ViewBytes    int // mean view frame
	CommandBytes int // mean command frame
	Rulings      int // mean rulings per turn, rounded
	Turns        int
	Failovers    []time.Duration // per kill: until the last seat it disconnected was back in its room
	NodeCPU      []float64       // per node: its CPU time over the run as a share of one core, restarts included
	Verified     int             // acknowledged commands found in the log
	Lost         []string        // acknowledged commands missing from the log
	Unverified   int             // acknowledged but not checked (no log to read)

	acks map[string][]ackedCmd
}

// PerPlayer is the server's resident memory per connected player at full
// load, total and above the idle process.
func (r *Report) PerPlayer() (total, delta float64) {
	if r.Full.Connected == 0 || r.Full.RSS == 0 {
		return 0, 0
	}
	n := float64(r.Full.Connected)
	return float64(r.Full.RSS) / n, float64(r.Full.RSS-r.Idle.RSS) / n
}

// Run plays the configured load and returns its report. It stops by itself:
// at Duration (plus Grace for the games to end when Finish), whatever the
// server does.
func Run(ctx context.Context, cfg Config) (*Report, error) {
	cfg.defaults()
	if cfg.Players < 2 || cfg.Players > sim.MaxManagers+1 {
		return nil, fmt.Errorf("players per room must be 2..%d, not %d", sim.MaxManagers+1, cfg.Players)
	}
	scn, err := scenarios.Load(cfg.Scenario)
	if err != nil {
		return nil, err
	}
	if cfg.Turns <= 0 {
		cfg.Turns = scn.Turns
	}
	r := &run{cfg: cfg, scn: scn, acks: map[string][]ackedCmd{}, cpuDone: map[*Child]float64{},
		sched: schedule{players: cfg.Players, rulings: cfg.Rulings, turns: cfg.Turns}}
	start := time.Now()
	stopNew := start.Add(cfg.Duration)
	hardStop := stopNew
	if cfg.Finish {
		hardStop = stopNew.Add(cfg.Grace)
	}
	ctx, cancel := context.WithDeadline(ctx, hardStop)
	defer cancel()

	rep := &Report{Mode: "pushback", Rooms: cfg.Rooms, Players: cfg.Players, Think: cfg.Think, Turns: cfg.Turns}
	if cfg.Baseline {
		rep.Mode = "baseline"
	}
	rep.Idle = r.sample(ctx, start)

	var ramped sync.WaitGroup
	ramped.Add(cfg.Rooms)
	var rampEnd atomic.Int64
	sem := make(chan struct{}, cfg.Ramp)
	var wg sync.WaitGroup
	for i := range cfg.Rooms {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r.conduct(ctx, i, stopNew, sem, &ramped)
		}()
	}
	go func() { ramped.Wait(); rampEnd.Store(int64(time.Since(start))); r.ramped.Store(true) }()

	// Faults: the server killed and restarted during the window.
	var kills sync.WaitGroup
	if cfg.Kill > 0 && len(r.procs()) > 0 {
		kills.Add(1)
		go func() {
			defer kills.Done()
			r.killer(ctx, stopNew)
		}()
	}

	// Progress and samples until every conductor is done.
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	tick := time.NewTicker(cfg.Every)
	defer tick.Stop()
	var lastAcked int64
	lastAt := start
	inWindow := true
loop:
	for {
		select {
		case <-done:
			break loop
		case now := <-tick.C:
			s := r.sample(ctx, start)
			rep.Samples = append(rep.Samples, s)
			if s.RSS > rep.Peak.RSS {
				rep.Peak = s
			}
			if inWindow && now.Before(stopNew) {
				rep.Full = s
			} else {
				inWindow = false
			}
			a := r.st.acked.Load()
			iv := r.iv.take(true)
			if cfg.Progress != nil {
				fmt.Fprintf(cfg.Progress, "%s %6s players=%d rooms=%d games=%d cmds/s=%.0f p50=%s p95=%s p99=%s max=%s rss=%s goroutines=%d errors=%d reconnects=%d kills=%d\n",
					rep.Mode, s.At.Round(time.Second), s.Connected, r.st.rooms.Load(), s.Games,
					float64(a-lastAcked)/now.Sub(lastAt).Seconds(), ms(iv.P50), ms(iv.P95), ms(iv.P99), ms(iv.Max),
					mib(s.RSS), s.Goroutines, r.st.errorCount(), r.st.reconnects.Load(), r.st.kills.Load())
			}
			lastAcked, lastAt = a, now
		}
	}
	kills.Wait()
	window := min(time.Since(start), cfg.Duration)
	rep.Window = window
	rep.Ramp = time.Duration(rampEnd.Load())
	rep.PeakPlayers = r.peak.Load()
	rep.GamesStarted, rep.GamesEnded = r.st.started.Load(), r.st.finished.Load()
	rep.Commands = r.st.acked.Load()
	rep.CmdRate = float64(rep.Commands) / time.Since(start).Seconds()
	rep.Latency = r.h.take(false)
	rep.Steady = r.steady.take(false)
	r.st.mu.Lock()
	rep.Errors = r.st.errors
	r.st.mu.Unlock()
	rep.Reconnects, rep.Drops, rep.Kills, rep.SetupFailed = r.st.reconnects.Load(), r.st.drops.Load(), r.st.kills.Load(), r.st.setupFail.Load()
	if v := r.st.views.Load(); v > 0 {
		rep.ViewBytes = int(r.st.viewBytes.Load() / v)
	}
	if s := r.st.sent.Load(); s > 0 {
		rep.CommandBytes = int(r.st.cmdBytes.Load() / s)
	}
	rep.Rulings = cfg.Rulings
	if m := r.st.kinds[sim.CmdMandate].Load(); m > 0 && !cfg.Baseline {
		rep.Rulings = int(float64(r.st.kinds[sim.CmdRule].Load())/float64(m) + 0.5)
	}
	r.mu.Lock()
	for _, k := range r.killed {
		rep.Failovers = append(rep.Failovers, max(k.back.Sub(k.at), 0))
	}
	for _, n := range r.cfg.Nodes {
		cpu, _ := n.CPU()
		rep.NodeCPU = append(rep.NodeCPU, (cpu+r.cpuDone[n])/time.Since(start).Seconds())
	}
	r.mu.Unlock()
	rep.acks = r.acks
	for _, a := range r.acks {
		rep.Unverified += len(a)
	}
	return rep, nil
}

// conduct plays games in room slot i, one after another, until stopNew.
func (r *run) conduct(ctx context.Context, i int, stopNew time.Time, sem chan struct{}, ramped *sync.WaitGroup) {
	first := true
	defer func() {
		if first {
			ramped.Done()
		}
	}()
	rng := rand.New(rand.NewPCG(r.cfg.Seed, uint64(i)))
	for ctx.Err() == nil && time.Now().Before(stopNew) {
		select {
		case sem <- struct{}{}:
		case <-ctx.Done():
			return
		}
		g, conns, err := r.setup(ctx, i, rng)
		<-sem
		if err != nil {
			r.st.setupFail.Add(1)
			if !r.faults() && ctx.Err() == nil {
				r.st.errorf("setup: " + shortErr(err))
				time.Sleep(time.Second)
			}
			select {
			case <-ctx.Done():
			case <-time.After(time.Duration(100+rng.IntN(400)) * time.Millisecond):
			}
			continue
		}
		if first {
			first = false
			ramped.Done()
		}
		r.play(ctx, g, conns)
	}
}

func shortErr(err error) string {
	s := err.Error()
	if ec, ok := err.(wsclient.ErrCode); ok {
		return string(ec.Code)
	}
	if i := strings.LastIndex(s, ": "); i >= 0 {
		s = s[i+2:]
	}
	return s
}

// setup makes a room and seats its players: a facilitator connection
// creates a workshop room with a human executive, every player joins, the
// facilitator starts the game and leaves.
func (r *run) setup(ctx context.Context, slot int, rng *rand.Rand) (*game, []*websocket.Conn, error) {
	id := r.gameIDs.Add(1)
	g := &game{run: r, track: newTracker(r.cfg.Players, r)}
	g.persona = &r.scn.Personas[int(id)%len(r.scn.Personas)]
	for _, s := range roomStyles {
		if st := r.scn.Style(s); st != nil {
			g.styles = append(g.styles, st)
		}
	}
	if len(g.styles) == 0 {
		for i := range r.scn.Styles {
			g.styles = append(g.styles, &r.scn.Styles[i])
		}
	}
	var fac *websocket.Conn
	if r.cfg.Baseline {
		g.code = fmt.Sprintf("b%d", id)
	} else {
		ws, err := wsclient.Hello(ctx, r.cfg.URL)
		if err != nil {
			return nil, nil, err
		}
		fac = ws
		ans, err := wsclient.Request(ws, protocol.ClientMsg{Kind: protocol.KindCreate, ID: 2, Create: &protocol.CreateRoom{
			Scenario: r.cfg.Scenario, Executive: "human", Managers: r.cfg.Players - 1, Seed: r.cfg.Seed + uint64(id)}}, r.countError)
		if err != nil {
			ws.Close()
			return nil, nil, err
		}
		if ans.Joined == nil {
			ws.Close()
			return nil, nil, fmt.Errorf("create answered %s", ans.Kind)
		}
		g.code = ans.Joined.Code
	}
	conns := make([]*websocket.Conn, r.cfg.Players)
	fail := func(err error) (*game, []*websocket.Conn, error) {
		for _, c := range conns {
			if c != nil {
				c.Close()
			}
		}
		if fac != nil {
			fac.Close()
		}
		return nil, nil, err
	}
	for i := range r.cfg.Players {
		p := &player{g: g, name: fmt.Sprintf("Bot %d", i+1), seat: sim.Seat(i),
			rng: rand.New(rand.NewPCG(r.cfg.Seed^uint64(id), uint64(i)))}
		if r.cfg.Drop > 0 && rng.Float64() < r.cfg.Drop {
			p.dropAt = 1 + rng.IntN(max(2*r.cfg.Turns, 2))
			p.dropIdle = rng.IntN(2) == 0
		}
		g.players = append(g.players, p)
		ws, err := p.connect(ctx)
		if err != nil {
			return fail(err)
		}
		conns[i] = ws
	}
	if fac != nil {
		_, err := wsclient.Request(fac, protocol.ClientMsg{Kind: protocol.KindStart, ID: 3}, r.countError)
		fac.Close()
		fac = nil
		if err != nil {
			return fail(err)
		}
	}
	r.connected(int64(len(conns)))
	return g, conns, nil
}

var roomStyles = []string{"yes-man", "firebrand", "diplomat", "advocate"}

// play runs every player of g until its game ends or ctx is done.
func (r *run) play(ctx context.Context, g *game, conns []*websocket.Conn) {
	r.st.started.Add(1)
	r.st.rooms.Add(1)
	var wg sync.WaitGroup
	for i, p := range g.players {
		wg.Add(1)
		go func() {
			defer wg.Done()
			p.play(ctx, conns[i])
		}()
	}
	// A kick-off: players decide on the views that came with their join.
	for _, p := range g.players {
		p.mu.Lock()
		p.maybeDecide()
		p.mu.Unlock()
	}
	wg.Wait()
	r.connected(-int64(len(g.players)))
	r.st.rooms.Add(-1)
	over := true
	var acks []ackedCmd
	for _, p := range g.players {
		p.mu.Lock()
		over = over && p.over
		acks = append(acks, p.acked...)
		p.mu.Unlock()
	}
	if over {
		r.st.finished.Add(1)
	}
	if !r.cfg.Baseline {
		r.mu.Lock()
		r.acks[g.code] = append(r.acks[g.code], acks...)
		r.mu.Unlock()
	}
}

func (r *run) connected(d int64) {
	n := r.st.connected.Add(d)
	for {
		p := r.peak.Load()
		if n <= p || r.peak.CompareAndSwap(p, n) {
			return
		}
	}
}

// killer kills the server (a cluster's nodes in turn) with SIGKILL and
// restarts it, every cfg.Kill.
func (r *run) killer(ctx context.Context, stopNew time.Time) {
	procs := r.procs()
	for k := 0; ; k++ {
		select {
		case <-ctx.Done():
			return
		case <-time.After(r.cfg.Kill):
		}
		if time.Now().After(stopNew) {
			return
		}
		victim := procs[k%len(procs)]
		cpu, _ := victim.CPU()
		r.mu.Lock()
		r.cpuDone[victim] += cpu
		r.killed = append(r.killed, kill{at: time.Now()})
		r.mu.Unlock()
		if err := victim.Kill(); err != nil {
			r.st.errorf("kill: " + err.Error())
			return
		}
		r.st.kills.Add(1)
		time.Sleep(200 * time.Millisecond)
		if err := victim.Start(); err != nil {
			r.st.errorf("restart: " + shortErr(err))
			return
		}
	}
}

// sample reads the server's memory and goroutines.
func (r *run) sample(ctx context.Context, start time.Time) Sample {
	s := Sample{At: time.Since(start), Connected: r.st.connected.Load(), Games: r.st.finished.Load()}
	for _, p := range r.procs() {
		rss, _ := p.RSS()
		cpu, _ := p.CPU()
		s.RSS += rss
		s.CPU += cpu
	}
	pages := []string{r.cfg.Metrics}
	if len(r.cfg.Nodes) > 0 { // a cluster: every node's page, summed
		pages = nil
		for _, n := range r.cfg.Nodes {
			pages = append(pages, "http://"+n.Addr+"/metrics")
		}
	}
	rss := s.RSS == 0
	for _, page := range pages {
		if page == "" {
			continue
		}
		if m, err := Metrics(ctx, page); err == nil {
			s.HeapInuse += int64(m["go_memstats_heap_inuse_bytes"])
			s.Goroutines += int64(m["go_goroutines"])
			if rss {
				s.RSS += int64(m["process_resident_memory_bytes"])
			}
		}
	}
	return s
}

// Verify checks every acknowledged command against the room logs of st: it
// must be there, at a position after the version it was decided on and no
// later than the version of the view that preceded its ok.
func (rep *Report) Verify(st *store.Store) error {
	codes := make([]string, 0, len(rep.acks))
	for c := range rep.acks {
		codes = append(codes, c)
	}
	sort.Strings(codes)
	for _, code := range codes {
		acks := rep.acks[code]
		log, err := st.Log(code)
		if err != nil {
			return err
		}
		for _, a := range acks {
			found := false
			for _, e := range log {
				if e.Seq > a.based && e.Seq <= a.v && sameCommand(e.Command, a.cmd) {
					found = true
					break
				}
			}
			rep.Unverified--
			if found {
				rep.Verified++
			} else {
				rep.Lost = append(rep.Lost, fmt.Sprintf("room %s: %s by seat %d decided on version %d, acknowledged by version %d",
					code, a.cmd.Kind, a.cmd.Seat, a.based, a.v))
			}
		}
	}
	return nil
}

func sameCommand(a, b sim.Command) bool {
	ab, err1 := protocol.Encode(a)
	bb, err2 := protocol.Encode(b)
	return err1 == nil && err2 == nil && string(ab) == string(bb)
}

func ms(d time.Duration) string {
	return fmt.Sprintf("%.1fms", float64(d.Microseconds())/1000)
}

func mib(b int64) string {
	if b == 0 {
		return "?"
	}
	return fmt.Sprintf("%.0fMiB", float64(b)/(1<<20))
}
