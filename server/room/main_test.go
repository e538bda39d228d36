package room

import (
	"log/slog"
	"os"
	"testing"

	"pushback/server/store/pgtest"
)

func TestMain(m *testing.M) {
	// Rooms log every creation and game end; tests want warnings only.
	slog.SetDefault(slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn})))
	os.Exit(pgtest.Run(m))
}
