package ui

import (
	"os"
	"sync/atomic"
	"testing"

	"github.com/hajimehoshi/ebiten/v2"
)

// The render tests need a real Ebitengine loop (pixels can only be read back
// while a game runs), and the loop must own the main thread. TestMain runs
// the tests on another goroutine and the loop here; each test hands its
// drawing to the loop with onMain. Run under Xvfb: `make test-client`.

var (
	jobs = make(chan func())
	done atomic.Bool
)

type harness struct{}

func (harness) Update() error {
	for {
		select {
		case j := <-jobs:
			j()
		default:
			if done.Load() {
				return ebiten.Termination
			}
			return nil
		}
	}
}

func (harness) Draw(*ebiten.Image)         {}
func (harness) Layout(int, int) (int, int) { return 16, 16 }

func TestMain(m *testing.M) {
	code := 0
	go func() {
		code = m.Run()
		done.Store(true)
	}()
	ebiten.SetWindowSize(16, 16)
	ebiten.SetWindowTitle("pushback render test")
	ebiten.SetTPS(240) // short ticks: jobs start sooner
	if err := ebiten.RunGame(harness{}); err != nil {
		panic(err)
	}
	os.Exit(code)
}

// onMain runs f inside the game loop and waits for it.
func onMain(f func()) {
	ch := make(chan struct{})
	jobs <- func() {
		defer close(ch)
		f()
	}
	<-ch
}
