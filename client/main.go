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
	"pushback/client/session"
	"pushback/client/ui"
)

func main() {
	server, file, fresh := options()
	store := conn.NewStore(file)
	saved := store.Load()
	if fresh {
		saved = model.Saved{}
	}
	code, name, join := handover()
	if code == "" {
		code = roomParam()
	}
	if join && model.NormalizeCode(code) != saved.Code {
		// Joined from the page's form: a seat kept from another room must
		// not be resumed instead. The same room's seat is resumed as is.
		saved = model.Saved{Facilitator: saved.Facilitator}
	}
	m := model.New(saved)
	title := m.Title
	if code != "" {
		title.Code = code
	}
	title.Name = name
	m.Do(model.EditTitle{Title: title})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	m.Conn = model.ConnConnecting
	link := conn.Dial(ctx, server)
	s := session.New(m, link, store, nil)
	if join && saved.Token == "" {
		// The page's form asked before the game ran: sent once the link is up.
		s.JoinWhenUp(model.Join{Code: code, Name: name})
	}
	app := ui.NewApp(s)
	app.UI.JoinURL = joinURL(server)
	expose(app)

	ebiten.SetWindowTitle("Pushback")
	ebiten.SetWindowSize(1280, 720)
	ebiten.SetWindowResizingMode(ebiten.WindowResizingModeEnabled)
	if err := ebiten.RunGame(app); err != nil {
		log.Fatal("client: ", err)
	}
}
