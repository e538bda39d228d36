package scene_test

import (
	"os"
	"os/exec"
	"strings"
	"testing"
)

// TestNoEbitengine fails if the screens, their layout or anything else the
// input tests need — as built for the desktop and for the browser — imports
// Ebitengine, whose start needs a display: only client/ui and the client's
// main may.
func TestNoEbitengine(t *testing.T) {
	for _, goos := range [][2]string{{"", ""}, {"js", "wasm"}} {
		cmd := exec.Command("go", "list", "-f", `{{.ImportPath}} {{join .Deps " "}}`,
			"pushback/client/scene/...", "pushback/client/ui/layout", "pushback/client/model", "pushback/client/session", "pushback/client/conn")
		cmd.Env = os.Environ()
		if goos[0] != "" {
			cmd.Env = append(cmd.Env, "GOOS="+goos[0], "GOARCH="+goos[1])
		}
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("go list (GOOS=%s): %v", goos[0], err)
		}
		lines := strings.Split(strings.TrimSpace(string(out)), "\n")
		if len(lines) < 6 {
			t.Fatalf("go list (GOOS=%s) listed %d packages:\n%s", goos[0], len(lines), out)
		}
		for _, line := range lines {
			f := strings.Fields(line)
			for _, dep := range f[1:] {
				if strings.HasPrefix(dep, "github.com/hajimehoshi/ebiten") {
					t.Errorf("%s (GOOS=%s) imports %s", f[0], goos[0], dep)
				}
			}
		}
	}
}
