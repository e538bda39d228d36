// Package cluster runs a Pushback cluster on one machine, for the tests and
// the load tool: a PostgreSQL (pgtest), N nodes of the server binary on
// loopback ports and a load balancer in front of them — HAProxy or nginx,
// run in the foreground as child processes from the configurations beside
// this file (haproxy.cfg, nginx.conf), which server/README.md quotes. It
// never touches the system's PostgreSQL, HAProxy or nginx services or their
// configurations.
package cluster

import (
	"bytes"
	"context"
	"crypto/rand"
	"database/sql"
	"embed"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"text/template"
	"time"

	"pushback/server/loadtest"
	"pushback/server/store/pgtest"
)

//go:embed haproxy.cfg nginx.conf
var files embed.FS

// Node is one server of the cluster as a load balancer sees it.
type Node struct{ Name, Addr string }

// Render fills the configuration file name (haproxy.cfg or nginx.conf)
// for a load balancer listening on listen in front of nodes.
func Render(name, listen string, nodes []Node) ([]byte, error) {
	text, err := files.ReadFile(name)
	if err != nil {
		return nil, err
	}
	t, err := template.New(name).Parse(string(text))
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	err = t.Execute(&b, struct {
		Listen string
		Nodes  []Node
	}{listen, nodes})
	return b.Bytes(), err
}

// Template is the text of a configuration file as shipped.
func Template(name string) string {
	b, _ := files.ReadFile(name)
	return string(b)
}

// Files are the configuration files of the load balancers, by program.
var Files = map[string]string{"haproxy": "haproxy.cfg", "nginx": "nginx.conf"}

// Proxy writes the configuration of kind ("haproxy" or "nginx") into dir
// and returns the load balancer as a child process, not yet started.
func Proxy(kind, dir, listen string, nodes []Node, log io.Writer) (*loadtest.Child, error) {
	name, ok := Files[kind]
	if !ok {
		return nil, fmt.Errorf("load balancer %q: haproxy or nginx", kind)
	}
	path, err := exec.LookPath(kind)
	if err != nil {
		if path, err = exec.LookPath("/usr/sbin/" + kind); err != nil {
			return nil, fmt.Errorf("%s not found: install Debian's %s package (bash .ci/deps.sh)", kind, kind)
		}
	}
	cfg, err := Render(name, listen, nodes)
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(filepath.Join(dir, "tmp"), 0o755); err != nil {
		return nil, err
	}
	file := filepath.Join(dir, name)
	if err := os.WriteFile(file, cfg, 0o644); err != nil {
		return nil, err
	}
	var args []string
	if kind == "haproxy" {
		args = []string{path, "-db", "-f", file} // -db: foreground, no daemon
	} else {
		// One process, no master and workers: a worker outlives a killed
		// master, and these run only as long as a test or a load run.
		args = []string{path, "-p", dir, "-c", file, "-e", "stderr", "-g", "daemon off; master_process off;"}
	}
	return &loadtest.Child{Args: args, Addr: listen, Log: log}, nil
}

// Config is a cluster to start.
type Config struct {
	Bin   string   // the server binary
	Nodes int      // [3]
	Lease string   // -lease [2s]
	LB    string   // haproxy or nginx [haproxy]
	Dir   string   // where configurations, data and logs go (a temporary directory)
	Extra []string // more serve flags for every node
	// Log returns where the output of a node ("n1"…) or of the load
	// balancer ("lb") goes; nil: files in Dir.
	Log func(name string) io.Writer
	// PG is the PostgreSQL to use; nil: a new one, removed by Close.
	PG *pgtest.Cluster
}

// Cluster is a running cluster.
type Cluster struct {
	cfg    Config
	PG     *pgtest.Cluster
	Store  string // the store's URL
	Secret string
	Nodes  []*loadtest.Child
	Names  []string
	LB     *loadtest.Child
	ownPG  bool

	mu    sync.Mutex
	files []*os.File
}

// Start starts PostgreSQL (unless given), the nodes and the load balancer,
// and waits until every node is ready.
func Start(cfg Config) (c *Cluster, err error) {
	if cfg.Nodes <= 0 {
		cfg.Nodes = 3
	}
	if cfg.Lease == "" {
		cfg.Lease = "2s"
	}
	if cfg.LB == "" {
		cfg.LB = "haproxy"
	}
	c = &Cluster{cfg: cfg, PG: cfg.PG}
	defer func() {
		if err != nil {
			c.Close()
		}
	}()
	if c.PG == nil {
		if c.PG, err = pgtest.New(); err != nil {
			return c, err
		}
		c.ownPG = true
	}
	if c.Store, err = c.PG.Create("pushback_" + hex.EncodeToString(random(4))); err != nil {
		return c, err
	}
	c.Secret = hex.EncodeToString(random(16))
	var nodes []Node
	for i := range cfg.Nodes {
		addr, err := loadtest.FreeAddr()
		if err != nil {
			return c, err
		}
		name := fmt.Sprintf("n%d", i+1)
		data := filepath.Join(cfg.Dir, name)
		args := append([]string{cfg.Bin, "serve", "-addr", addr, "-data", data, "-web", filepath.Join(data, "no-web"),
			"-store", c.Store, "-node", name, "-advertise", "http://" + addr, "-lease", cfg.Lease,
			"-forwarded-header", "X-Forwarded-For"}, cfg.Extra...)
		n := &loadtest.Child{Args: args, Addr: addr, Log: c.log(name),
			Env: []string{"PUSHBACK_CLUSTER_SECRET=" + c.Secret}}
		c.Nodes, c.Names = append(c.Nodes, n), append(c.Names, name)
		nodes = append(nodes, Node{name, addr})
	}
	for i := range c.Nodes {
		if err := c.Restart(i); err != nil {
			return c, err
		}
	}
	listen, err := loadtest.FreeAddr()
	if err != nil {
		return c, err
	}
	if c.LB, err = Proxy(cfg.LB, filepath.Join(cfg.Dir, cfg.LB), listen, nodes, c.log("lb")); err != nil {
		return c, err
	}
	if err := c.LB.Start(); err != nil {
		return c, fmt.Errorf("%s: %w", cfg.LB, err)
	}
	return c, nil
}

func random(n int) []byte {
	b := make([]byte, n)
	rand.Read(b)
	return b
}

func (c *Cluster) log(name string) io.Writer {
	if c.cfg.Log != nil {
		return c.cfg.Log(name)
	}
	f, err := os.OpenFile(filepath.Join(c.cfg.Dir, name+".log"), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return io.Discard
	}
	c.mu.Lock()
	c.files = append(c.files, f)
	c.mu.Unlock()
	return f
}

// Restart starts node i (again, on the same address) and waits until it is
// ready.
func (c *Cluster) Restart(i int) error {
	if err := c.Nodes[i].Start(); err != nil {
		return fmt.Errorf("node %s: %w", c.Names[i], err)
	}
	deadline := time.Now().Add(30 * time.Second)
	for {
		code, body, err := c.Get(i, "/readyz")
		if err == nil && code == http.StatusOK {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("node %s not ready in 30s: %d %s %v", c.Names[i], code, body, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// Get reads path from node i directly: status code and body.
func (c *Cluster) Get(i int, path string) (int, string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, "http://"+c.Nodes[i].Addr+path, nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, "", err
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	return resp.StatusCode, strings.TrimSpace(string(b)), nil
}

// Metric reads one unlabelled series from node i's /metrics.
func (c *Cluster) Metric(i int, name string) (float64, error) {
	m, err := loadtest.Metrics(context.Background(), "http://"+c.Nodes[i].Addr+"/metrics")
	if err != nil {
		return 0, err
	}
	v, ok := m[name]
	if !ok {
		return 0, fmt.Errorf("node %s: no %s in /metrics", c.Names[i], name)
	}
	return v, nil
}

// Index is the position of the node named name (or advertising it), -1 if
// none.
func (c *Cluster) Index(name string) int {
	for i, n := range c.Names {
		if n == name || "http://"+c.Nodes[i].Addr == name {
			return i
		}
	}
	return -1
}

// URL is the players' WebSocket address: the load balancer's.
func (c *Cluster) URL() string { return "ws://" + c.LB.Addr + "/ws" }

// Kill kills the load balancer and every node with SIGKILL; the database
// stays, to be read.
func (c *Cluster) Kill() {
	if c.LB != nil {
		c.LB.Kill()
	}
	for _, n := range c.Nodes {
		n.Kill()
	}
}

// Close kills the load balancer and every node and removes the PostgreSQL
// if Start made it.
func (c *Cluster) Close() {
	c.Kill()
	if c.ownPG && c.PG != nil {
		c.PG.Remove()
	}
	c.mu.Lock()
	for _, f := range c.files {
		f.Close()
	}
	c.mu.Unlock()
}

// ErrNoOwner is Owner's answer for a room without a lease.
var ErrNoOwner = errors.New("no lease")

// Owner reads room code's lease from the database: the owner's node name,
// its epoch and whether the lease is still live by the database's clock.
func (c *Cluster) Owner(code string) (node string, epoch int64, live bool, err error) {
	db, err := sql.Open("pgx", c.Store)
	if err != nil {
		return "", 0, false, err
	}
	defer db.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	err = db.QueryRowContext(ctx, `SELECT node, epoch, expires > (extract(epoch from now())*1000)::bigint FROM leases WHERE room = $1`,
		code).Scan(&node, &epoch, &live)
	if errors.Is(err, sql.ErrNoRows) {
		err = ErrNoOwner
	}
	return node, epoch, live, err
}
