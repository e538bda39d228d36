// Package pgtest runs a throwaway PostgreSQL for tests: a cluster made with
// initdb in a temporary directory, started as an unprivileged user (nobody,
// when the tests run as root) and reachable only through a Unix socket in
// that directory, so it touches no port and no system cluster. Each test
// gets a database of its own. Debian's postgresql package provides the
// binaries (.ci/deps.sh installs it); a machine without them fails the
// tests that need it, naming what is missing.
//
// Use it from a package's TestMain:
//
//	func TestMain(m *testing.M) { os.Exit(pgtest.Run(m)) }
//
// and in a test: url := pgtest.Database(t). A test that stops the database
// mid-way (a restart, an outage) or a tool that needs one outside a test
// (the load tool's cluster mode) makes a cluster of its own with New and
// uses Down and Up on it.
package pgtest

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib"
)

var (
	once    sync.Once
	shared  *Cluster
	bootErr error
	dbs     atomic.Int64
)

// Run runs the package's tests and stops the shared cluster if one was
// started.
func Run(m *testing.M) int {
	code := m.Run()
	Stop()
	return code
}

// Stop shuts the shared cluster down and removes its directory.
func Stop() {
	if shared != nil {
		shared.Remove()
	}
}

// Cluster is one PostgreSQL server on a data directory of its own.
type Cluster struct {
	Dir  string // the cluster's directory, also its socket directory
	proc *exec.Cmd
	done chan struct{}
}

// bin finds a PostgreSQL program: on PATH, else in Debian's versioned
// directory.
func bin(name string) (string, error) {
	if p, err := exec.LookPath(name); err == nil {
		return p, nil
	}
	m, _ := filepath.Glob("/usr/lib/postgresql/*/bin/" + name)
	if len(m) > 0 {
		return m[len(m)-1], nil
	}
	return "", fmt.Errorf("pgtest: %s not found: install Debian's postgresql package (bash .ci/deps.sh)", name)
}

// asNobody runs cmd as the unprivileged user nobody when we are root:
// PostgreSQL refuses to run as root.
func asNobody(cmd *exec.Cmd) {
	if os.Geteuid() == 0 {
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: 65534, Gid: 65534}}
	}
}

// New makes a cluster with initdb in a new temporary directory and starts
// it.
func New() (*Cluster, error) {
	initdb, err := bin("initdb")
	if err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp("", "pgtest-")
	if err != nil {
		return nil, err
	}
	c := &Cluster{Dir: dir}
	if os.Geteuid() == 0 {
		if err := os.Chown(dir, 65534, 65534); err != nil {
			c.Remove()
			return nil, err
		}
	}
	cmd := exec.Command(initdb, "-D", filepath.Join(dir, "data"), "-U", "pushback", "-A", "trust", "-E", "UTF8", "--no-sync", "--locale=C")
	asNobody(cmd)
	if out, err := cmd.CombinedOutput(); err != nil {
		c.Remove()
		return nil, fmt.Errorf("pgtest: initdb: %v\n%s", err, out)
	}
	if err := c.Up(); err != nil {
		c.Remove()
		return nil, err
	}
	return c, nil
}

// Up starts the server on the cluster's data directory and waits until it
// answers.
func (c *Cluster) Up() error {
	postgres, err := bin("postgres")
	if err != nil {
		return err
	}
	// No TCP at all; the socket lives in Dir. fsync stays on: the store's
	// durability is what the tests check.
	proc := exec.Command(postgres, "-D", filepath.Join(c.Dir, "data"), "-k", c.Dir, "-c", "listen_addresses=",
		"-c", "max_connections=200", "-c", "shared_buffers=16MB")
	asNobody(proc)
	if proc.SysProcAttr == nil {
		proc.SysProcAttr = &syscall.SysProcAttr{}
	}
	proc.SysProcAttr.Pdeathsig = syscall.SIGQUIT // a test binary that dies takes its cluster along
	logf, err := os.OpenFile(filepath.Join(c.Dir, "postgres.log"), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return err
	}
	defer logf.Close()
	proc.Stdout, proc.Stderr = logf, logf
	if err := proc.Start(); err != nil {
		return fmt.Errorf("pgtest: start postgres: %w", err)
	}
	done := make(chan struct{})
	go func() { proc.Wait(); close(done) }()
	c.proc, c.done = proc, done
	db, err := sql.Open("pgx", c.URL("postgres"))
	if err != nil {
		return err
	}
	defer db.Close()
	deadline := time.Now().Add(30 * time.Second)
	for {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		err := db.PingContext(ctx)
		cancel()
		if err == nil {
			return nil
		}
		select {
		case <-done:
			log, _ := os.ReadFile(filepath.Join(c.Dir, "postgres.log"))
			return fmt.Errorf("pgtest: postgres exited at start\n%s", log)
		default:
		}
		if time.Now().After(deadline) {
			log, _ := os.ReadFile(filepath.Join(c.Dir, "postgres.log"))
			return fmt.Errorf("pgtest: postgres did not come up: %v\n%s", err, log)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// Down stops the server with a fast shutdown (SIGINT: clients are cut off,
// committed data stays), waiting at most ten seconds before killing it. The
// data directory stays for Up.
func (c *Cluster) Down() {
	if c.proc == nil {
		return
	}
	c.proc.Process.Signal(syscall.SIGINT)
	select {
	case <-c.done:
	case <-time.After(10 * time.Second):
		c.proc.Process.Kill()
		<-c.done
	}
	c.proc = nil
}

// Remove stops the server and deletes the cluster's directory.
func (c *Cluster) Remove() {
	c.Down()
	os.RemoveAll(c.Dir)
}

// URL is the address of database name in the cluster.
func (c *Cluster) URL(name string) string {
	return "postgres://pushback@/" + name + "?host=" + c.Dir + "&sslmode=disable"
}

// Create makes a new, empty database and returns its URL.
func (c *Cluster) Create(name string) (string, error) {
	db, err := sql.Open("pgx", c.URL("postgres"))
	if err != nil {
		return "", err
	}
	defer db.Close()
	if _, err := db.Exec("CREATE DATABASE " + name); err != nil {
		return "", fmt.Errorf("pgtest: create database: %w", err)
	}
	return c.URL(name), nil
}

// Shared is the package's cluster, started on first use and removed by Run
// or Stop. A test may take it Down and Up again, but no other test may
// use it meanwhile.
func Shared(t testing.TB) *Cluster {
	t.Helper()
	once.Do(func() { shared, bootErr = New() })
	if bootErr != nil {
		t.Fatal(bootErr)
	}
	return shared
}

// Database starts the shared cluster on first use and returns the URL of a
// new, empty database for t.
func Database(t testing.TB) string {
	t.Helper()
	url, err := Shared(t).Create("t" + strconv.Itoa(os.Getpid()) + "_" + strconv.FormatInt(dbs.Add(1), 10))
	if err != nil {
		t.Fatal(err)
	}
	return url
}
