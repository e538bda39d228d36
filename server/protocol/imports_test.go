package protocol_test

import (
	"os"
	"os/exec"
	"strings"
	"testing"
)

// TestWireImportsStayOnTheWire fails if the protocol (with its report) or
// any client package — as built for the desktop and for the browser — reaches
// the server's debrief, room or store: what crosses the wire lives under
// server/protocol, so the client needs nothing else of the server.
func TestWireImportsStayOnTheWire(t *testing.T) {
	forbidden := []string{"pushback/server/debrief", "pushback/server/room", "pushback/server/store", "pushback/scenarios"}
	for _, goos := range [][2]string{{"", ""}, {"js", "wasm"}} {
		cmd := exec.Command("go", "list", "-f", `{{.ImportPath}} {{join .Deps " "}}`, "pushback/server/protocol/...", "pushback/client/...")
		cmd.Env = os.Environ()
		if goos[0] != "" {
			cmd.Env = append(cmd.Env, "GOOS="+goos[0], "GOARCH="+goos[1])
		}
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("go list (GOOS=%s): %v", goos[0], err)
		}
		pkgs := 0
		for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
			f := strings.Fields(line)
			if strings.HasSuffix(f[0], "test") {
				// A test-support package (client/scene/scenetest builds real
				// games with the scenario parser and the server's report, as
				// tests may): only tests import it, and a package that did
				// would list its imports here itself.
				continue
			}
			pkgs++
			for _, dep := range f[1:] {
				for _, bad := range forbidden {
					if dep == bad || strings.HasPrefix(dep, bad+"/") {
						t.Errorf("%s (GOOS=%s) imports %s", f[0], goos[0], dep)
					}
				}
			}
		}
		if pkgs < 6 {
			t.Fatalf("go list (GOOS=%s) listed %d packages, want protocol, report, text and the client's:\n%s", goos[0], pkgs, out)
		}
	}
}
