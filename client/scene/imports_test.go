package scene_test

import (
	"os"
	"os/exec"
	"slices"
	"strings"
	"testing"
)

// TestNoEbitengine fails if the screens, their layout or anything else the
// input tests need — as built for the desktop and for the browser — reaches
// Ebitengine, whose start needs a display: only client/ui and the client's
// main may.
func TestNoEbitengine(t *testing.T) {
	free := []string{"pushback/client/scene/...", "pushback/client/ui/layout", "pushback/client/model", "pushback/client/session", "pushback/client/conn"}
	for _, env := range []string{"", "GOOS=js GOARCH=wasm"} {
		cmd := exec.Command("go", append([]string{"list", "-deps"}, free...)...)
		cmd.Env = append(os.Environ(), strings.Fields(env)...)
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("go list %s: %v", env, err)
		}
		deps := strings.Fields(string(out))
		if !slices.Contains(deps, "pushback/client/scene") || !slices.Contains(deps, "pushback/sim") {
			t.Fatalf("go list %s did not list the scenes and their imports:\n%s", env, out)
		}
		for _, dep := range deps {
			if strings.HasPrefix(dep, "github.com/hajimehoshi/ebiten") {
				t.Errorf("%s (%s) reaches %s", strings.Join(free, ", "), env, dep)
			}
		}
	}
}
