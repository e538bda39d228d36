// Command client is the Pushback client: `go run ./client` opens a window;
// built with GOOS=js GOARCH=wasm it is the browser client the server serves
// at /. Both dial the server's /ws and keep the seat across drops.
package main

import (
	"context"
	"log"

	"github.com/hajimehoshi/ebiten/v2"

	"pushback/client/conn"
	"pushback/client/model"
	"pushback/client/ui"
)

func main() {
	server, session, fresh := options()
	store := conn.NewStore(session)
	saved := store.Load()
	if fresh {
		saved = model.Saved{}
	}
	code, name, join := handover()
	if code == "" {
		code = roomParam()
	}
	var pending *model.Join
	if join && model.NormalizeCode(code) != saved.Code {
		// Joined from the page's form: a seat kept from another room must
		// not be resumed instead. The same room's seat is resumed as is.
		saved = model.Saved{Facilitator: saved.Facilitator}
	}
	if join && saved.Token == "" {
		pending = &model.Join{Code: code, Name: name}
	}
	m := model.New(saved)
	if code != "" {
		m.Title.Code = code
	}
	m.Title.Name = name
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	m.Conn = model.ConnConnecting
	link := conn.Dial(ctx, server)
	app := ui.NewApp(m, link, store, nil)
	app.JoinURL = joinURL(server)
	expose(app)
	game := &handoff{App: app, link: link, pending: pending}

	ebiten.SetWindowTitle("Pushback")
	ebiten.SetWindowSize(1280, 720)
	ebiten.SetWindowResizingMode(ebiten.WindowResizingModeEnabled)
	if err := ebiten.RunGame(game); err != nil {
		log.Fatal("client: ", err)
	}
}

// handoff is the game with the join the page's form asked for before the
// game had loaded: it is sent once, as soon as the link is up.
type handoff struct {
	*ui.App
	link    *conn.Client
	pending *model.Join
}

func (h *handoff) Update() error {
	err := h.App.Update() // drains the link: on Up it has sent hello
	if h.pending != nil && h.M.Conn == model.ConnOnline && !h.M.Busy && !h.M.Joined {
		for _, msg := range h.M.Do(*h.pending) {
			h.link.SendMsg(msg)
		}
		h.pending = nil
	}
	return err
}
