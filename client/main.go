// Command client is the Pushback client: `go run ./client` opens a window;
// built with GOOS=js GOARCH=wasm it is the browser client the server serves
// at /. Both dial the server's /ws and keep the seat across drops.
package main

import (
	"context"
	"flag"
	"log/slog"
	"os"

	"github.com/hajimehoshi/ebiten/v2"

	"pushback/client/conn"
	"pushback/client/model"
	"pushback/client/ui"
)

func main() {
	server := flag.String("server", defaultServer(), "the server's WebSocket URL")
	session := flag.String("session", "", "file that keeps the resume token (default: in the user's config directory)")
	fresh := flag.Bool("fresh", false, "forget any saved seat and start at the title screen")
	flag.Parse()

	store := conn.NewStore(*session)
	saved := store.Load()
	if *fresh {
		saved = model.Saved{}
	}
	m := model.New(saved)
	if code := roomParam(); code != "" {
		m.Title.Code = code
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	m.Conn = model.ConnConnecting
	link := conn.Dial(ctx, *server)
	app := ui.NewApp(m, link, store, nil)
	app.JoinURL = joinURL(*server)
	expose(app)

	ebiten.SetWindowTitle("Pushback")
	ebiten.SetWindowSize(1280, 720)
	ebiten.SetWindowResizingMode(ebiten.WindowResizingModeEnabled)
	if err := ebiten.RunGame(app); err != nil {
		slog.Error("client", "err", err)
		os.Exit(1)
	}
}
