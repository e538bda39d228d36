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
// and in a test: url := pgtest.Database(t).
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
	dir     string // the cluster's directory, also its socket directory
	proc    *exec.Cmd
	bootErr error
	dbs     atomic.Int64
)

// Run runs the package's tests and stops the cluster if one was started.
func Run(m *testing.M) int {
	code := m.Run()
	Stop()
	return code
}

// Stop shuts the cluster down (immediately: it holds nothing worth
// keeping) and removes its directory.
func Stop() {
	if proc != nil && proc.Process != nil {
		proc.Process.Signal(syscall.SIGQUIT)
		done := make(chan struct{})
		go func() { proc.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			proc.Process.Kill()
		}
	}
	if dir != "" {
		os.RemoveAll(dir)
	}
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

func boot() error {
	initdb, err := bin("initdb")
	if err != nil {
		return err
	}
	postgres, err := bin("postgres")
	if err != nil {
		return err
	}
	dir, err = os.MkdirTemp("", "pgtest-")
	if err != nil {
		return err
	}
	if os.Geteuid() == 0 {
		if err := os.Chown(dir, 65534, 65534); err != nil {
			return err
		}
	}
	data := filepath.Join(dir, "data")
	cmd := exec.Command(initdb, "-D", data, "-U", "pushback", "-A", "trust", "-E", "UTF8", "--no-sync", "--locale=C")
	asNobody(cmd)
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("pgtest: initdb: %v\n%s", err, out)
	}
	// No TCP at all; the socket lives in dir. fsync stays on: the store's
	// durability is what the tests check.
	proc = exec.Command(postgres, "-D", data, "-k", dir, "-c", "listen_addresses=", "-c", "max_connections=200",
		"-c", "shared_buffers=16MB")
	asNobody(proc)
	if proc.SysProcAttr == nil {
		proc.SysProcAttr = &syscall.SysProcAttr{}
	}
	proc.SysProcAttr.Pdeathsig = syscall.SIGQUIT // a test binary that dies takes its cluster along
	logf, err := os.Create(filepath.Join(dir, "postgres.log"))
	if err != nil {
		return err
	}
	proc.Stdout, proc.Stderr = logf, logf
	if err := proc.Start(); err != nil {
		return fmt.Errorf("pgtest: start postgres: %w", err)
	}
	db, err := sql.Open("pgx", admin())
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
		if time.Now().After(deadline) {
			log, _ := os.ReadFile(filepath.Join(dir, "postgres.log"))
			return fmt.Errorf("pgtest: postgres did not come up: %v\n%s", err, log)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func admin() string { return URL("postgres") }

// URL is the address of database name in the running cluster.
func URL(name string) string {
	return "postgres://pushback@/" + name + "?host=" + dir + "&sslmode=disable"
}

// Database starts the cluster on first use and returns the URL of a new,
// empty database for t.
func Database(t testing.TB) string {
	t.Helper()
	once.Do(func() { bootErr = boot() })
	if bootErr != nil {
		t.Fatal(bootErr)
	}
	name := "t" + strconv.Itoa(os.Getpid()) + "_" + strconv.FormatInt(dbs.Add(1), 10)
	db, err := sql.Open("pgx", admin())
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec("CREATE DATABASE " + name); err != nil {
		t.Fatalf("pgtest: create database: %v", err)
	}
	return URL(name)
}
