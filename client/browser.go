//go:build js

package main

import (
	"bytes"
	"syscall/js"

	"github.com/vmihailenco/msgpack/v5"

	"pushback/client/ui"
)

// options: the /ws of the server that served the page, the token kept in
// localStorage.
func options() (server, session string, fresh bool) {
	loc := js.Global().Get("location")
	scheme := "ws:"
	if loc.Get("protocol").String() == "https:" {
		scheme = "wss:"
	}
	return scheme + "//" + loc.Get("host").String() + "/ws", "", false
}

// roomParam is ?room=CODE from the page's address, which the projector's QR
// code carries so that a phone lands on the join form with the code filled.
func roomParam() string {
	q := js.Global().Get("URLSearchParams").New(js.Global().Get("location").Get("search"))
	if v := q.Call("get", "room"); v.Type() == js.TypeString {
		return v.String()
	}
	return ""
}

// handover is what the page's join form collected while the game loaded
// (window.pushbackJoin, set by web/index.html just before it starts the
// game): the code and name typed, and whether Join was pressed.
func handover() (code, name string, join bool) {
	v := js.Global().Get("pushbackJoin")
	if v.Type() != js.TypeObject {
		return "", "", false
	}
	str := func(k string) string {
		if s := v.Get(k); s.Type() == js.TypeString {
			return s.String()
		}
		return ""
	}
	return str("code"), str("name"), v.Get("join").Truthy()
}

func joinURL(string) string {
	return js.Global().Get("location").Get("origin").String() + "/"
}

// expose installs window.pushbackState(): a JSON snapshot of the model for
// end-to-end tests. It reads a snapshot the game loop publishes, so the
// callback never blocks and never races the loop. The snapshot goes
// through msgpack (by its json tags) into plain maps and lists, which the
// browser's JSON writes: encoding/json would add 70 KB to the download.
func expose(app *ui.App) {
	js.Global().Set("pushbackState", js.FuncOf(func(this js.Value, args []js.Value) any {
		var b bytes.Buffer
		enc := msgpack.NewEncoder(&b)
		enc.SetCustomStructTag("json")
		var v any
		if enc.Encode(app.Snapshot()) != nil || msgpack.Unmarshal(b.Bytes(), &v) != nil {
			return "{}"
		}
		return js.Global().Get("JSON").Call("stringify", v)
	}))
}
