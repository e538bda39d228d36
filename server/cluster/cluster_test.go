package cluster

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// Both configurations, filled in, are accepted by the real HAProxy and
// nginx (their own check modes), and server/README.md quotes them as they
// are, so that the manual cannot drift from what the tests run.
func TestConfigurations(t *testing.T) {
	nodes := []Node{{"n1", "127.0.0.1:18081"}, {"n2", "127.0.0.1:18082"}}
	readme, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, kind := range []string{"haproxy", "nginx"} {
		t.Run(kind, func(t *testing.T) {
			dir := t.TempDir()
			p, err := Proxy(kind, dir, "127.0.0.1:18080", nodes, nil)
			if err != nil {
				t.Fatal(err)
			}
			name := Files[kind]
			file := filepath.Join(dir, name)
			args := []string{"-c", "-f", file}
			if kind == "nginx" {
				args = []string{"-t", "-p", dir, "-c", file, "-e", "stderr"}
			}
			if out, err := exec.Command(p.Args[0], args...).CombinedOutput(); err != nil {
				t.Fatalf("%s rejects its configuration: %v\n%s", kind, err, out)
			}
			cfg, _ := os.ReadFile(file)
			for _, n := range nodes {
				if !strings.Contains(string(cfg), n.Addr) {
					t.Errorf("the configuration does not name node %s:\n%s", n.Addr, cfg)
				}
			}
			if !strings.Contains(string(readme), Template(name)) {
				t.Errorf("server/README.md does not quote cluster/%s as it is", name)
			}
		})
	}
}
