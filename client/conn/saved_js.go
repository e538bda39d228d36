//go:build js

package conn

import (
	"errors"
	"syscall/js"

	"pushback/client/model"
)

const storageKey = "pushback.session"

// Store keeps the resume token between visits in the browser's localStorage.
type Store struct{}

// NewStore returns the browser's store; path is ignored.
func NewStore(path string) *Store { return &Store{} }

func storage() (js.Value, bool) {
	ls := js.Global().Get("localStorage")
	return ls, ls.Truthy()
}

// Load returns what was saved, or nothing.
func (s *Store) Load() model.Saved {
	var v model.Saved
	ls, ok := storage()
	if !ok {
		return v
	}
	item := ls.Call("getItem", storageKey)
	if item.Type() != js.TypeString {
		return v
	}
	// The browser's own JSON, as the page reads it too (web/index.html);
	// encoding/json would add 70 KB to the download.
	var o js.Value
	func() {
		defer func() { recover() }() // JSON.parse throws on a broken item
		o = js.Global().Get("JSON").Call("parse", item)
	}()
	if o.Type() != js.TypeObject {
		return v
	}
	str := func(k string) string {
		if s := o.Get(k); s.Type() == js.TypeString {
			return s.String()
		}
		return ""
	}
	v = model.Saved{Code: str("code"), Token: str("token"), Facilitator: str("facilitator"), Draft: str("draft"),
		Briefed: str("briefed")}
	if p := o.Get("projector"); p.Type() == js.TypeBoolean {
		v.Projector = p.Bool()
	}
	if n := o.Get("seen"); n.Type() == js.TypeNumber {
		v.Seen = int64(n.Float())
	}
	return v
}

// Save stores v.
func (s *Store) Save(v model.Saved) error {
	ls, ok := storage()
	if !ok {
		return errors.New("no localStorage")
	}
	// The same keys as model.Saved's JSON tags, empty ones left out.
	o := map[string]any{"code": v.Code}
	for k, x := range map[string]string{"token": v.Token, "facilitator": v.Facilitator, "draft": v.Draft, "briefed": v.Briefed} {
		if x != "" {
			o[k] = x
		}
	}
	if v.Projector {
		o["projector"] = true
	}
	if v.Seen != 0 {
		o["seen"] = float64(v.Seen)
	}
	ls.Call("setItem", storageKey, js.Global().Get("JSON").Call("stringify", o))
	return nil
}
