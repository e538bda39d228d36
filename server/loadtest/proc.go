package loadtest

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// RaiseFileLimit lifts the soft limit on open files to the hard one: every
// WebSocket is a file descriptor, and the usual soft limit of 1,024 stops a
// load run long before the server does. A child process inherits the raised
// limit. It returns the new soft limit.
func RaiseFileLimit() (uint64, error) {
	var l syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &l); err != nil {
		return 0, fmt.Errorf("getrlimit: %w", err)
	}
	if l.Cur < l.Max {
		l.Cur = l.Max
		if err := syscall.Setrlimit(syscall.RLIMIT_NOFILE, &l); err != nil {
			return 0, fmt.Errorf("setrlimit %d: %w", l.Max, err)
		}
	}
	return l.Cur, nil
}

// FreeAddr returns a loopback address with a port nobody listens on now, so
// that a child server keeps one address across kills and restarts.
func FreeAddr() (string, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer l.Close()
	return l.Addr().String(), nil
}

// Child is a server the load tool runs as its own process on loopback: the
// way to read its resident memory from /proc and to kill it with SIGKILL
// mid-game.
type Child struct {
	Args []string // program and arguments
	Env  []string // added to the tool's environment
	Addr string   // host:port it listens on (127.0.0.1 only)
	Log  io.Writer

	mu   sync.Mutex
	cmd  *exec.Cmd
	done chan struct{}
}

// Start starts the process and waits until it accepts connections.
func (c *Child) Start() error {
	if !strings.HasPrefix(c.Addr, "127.0.0.1:") {
		return fmt.Errorf("child server address %q: the load tool only uses 127.0.0.1", c.Addr)
	}
	cmd := exec.Command(c.Args[0], c.Args[1:]...)
	cmd.Env = append(os.Environ(), c.Env...)
	cmd.Stdout, cmd.Stderr = c.Log, c.Log
	// Its own process group, so that ^C on the tool does not reach it
	// before the tool has read its last figures; killed if the tool dies
	// without cleaning up (a test's timeout).
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("start %s: %w", c.Args[0], err)
	}
	done := make(chan struct{})
	go func() { cmd.Wait(); close(done) }()
	c.mu.Lock()
	c.cmd, c.done = cmd, done
	c.mu.Unlock()
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		select {
		case <-done:
			return fmt.Errorf("server %s exited before listening: %v", c.Args[0], cmd.ProcessState)
		default:
		}
		if conn, err := net.DialTimeout("tcp", c.Addr, time.Second); err == nil {
			conn.Close()
			return nil
		}
		time.Sleep(50 * time.Millisecond)
	}
	c.Kill()
	return fmt.Errorf("server %s did not listen on %s within a minute", c.Args[0], c.Addr)
}

// Kill ends the process with SIGKILL — no shutdown code runs — and waits.
// Its whole process group goes: nginx's workers too, which outlive a
// killed master.
func (c *Child) Kill() error {
	c.mu.Lock()
	cmd, done := c.cmd, c.done
	c.mu.Unlock()
	if cmd == nil {
		return nil
	}
	err := syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
	<-done
	if errors.Is(err, syscall.ESRCH) {
		err = nil
	}
	return err
}

// Stop asks the process to end (SIGTERM) and kills it after ten seconds.
func (c *Child) Stop() {
	c.mu.Lock()
	cmd, done := c.cmd, c.done
	c.mu.Unlock()
	if cmd == nil {
		return
	}
	cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		c.Kill()
	}
}

// Signal sends sig to the running process (SIGSTOP, SIGCONT, SIGTERM, …).
func (c *Child) Signal(sig os.Signal) error {
	c.mu.Lock()
	cmd := c.cmd
	c.mu.Unlock()
	if cmd == nil {
		return errors.New("not started")
	}
	return cmd.Process.Signal(sig)
}

// Done is closed when the process last started has exited.
func (c *Child) Done() <-chan struct{} {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.done
}

// Pid is the running process's id, 0 before Start.
func (c *Child) Pid() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.cmd == nil {
		return 0
	}
	return c.cmd.Process.Pid
}

// RSS is the process's resident memory in bytes (VmRSS), the figure the
// kernel charges it: heap, stacks, buffers and runtime together.
func (c *Child) RSS() (int64, error) { return procRSS(c.Pid()) }

func procRSS(pid int) (int64, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, err
	}
	for line := range strings.SplitSeq(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			return kb << 10, err
		}
	}
	return 0, errors.New("no VmRSS in /proc status")
}

// Metrics reads a Prometheus text page (the server's /metrics) into
// name → value, for the unlabelled series only (go_goroutines,
// go_memstats_heap_inuse_bytes, pushback_connections, …).
func Metrics(ctx context.Context, url string) (map[string]float64, error) {
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return nil, err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("GET %s: %s", url, resp.Status)
	}
	out := map[string]float64{}
	sc := bufio.NewScanner(resp.Body)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		line := sc.Bytes()
		if len(line) == 0 || line[0] == '#' || bytes.IndexByte(line, '{') >= 0 {
			continue
		}
		name, val, ok := bytes.Cut(line, []byte{' '})
		if !ok {
			continue
		}
		if f, err := strconv.ParseFloat(string(bytes.TrimSpace(val)), 64); err == nil {
			out[string(name)] = f
		}
	}
	return out, sc.Err()
}

// CPU is the process's user and system time so far, in seconds.
func (c *Child) CPU() (float64, error) { return procCPU(c.Pid()) }

func procCPU(pid int) (float64, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, err
	}
	// Fields after the command name, which is in parentheses and may hold spaces.
	i := bytes.LastIndexByte(b, ')')
	f := strings.Fields(string(b[i+1:]))
	if len(f) < 13 {
		return 0, errors.New("short /proc stat")
	}
	ut, _ := strconv.ParseFloat(f[11], 64)
	st, _ := strconv.ParseFloat(f[12], 64)
	return (ut + st) / 100, nil // USER_HZ is 100 on Linux
}
