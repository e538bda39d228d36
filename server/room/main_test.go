package room

import (
	"log/slog"
	"os"
	"testing"
)

func TestMain(m *testing.M) {
	// Rooms log every creation and game end; tests want warnings only.
	slog.SetDefault(slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn})))
	os.Exit(m.Run())
}
