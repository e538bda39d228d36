//go:build js

package conn

import (
	"encoding/json"
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
	if item.Type() != js.TypeString || json.Unmarshal([]byte(item.String()), &v) != nil {
		return model.Saved{}
	}
	return v
}

// Save stores v.
func (s *Store) Save(v model.Saved) error {
	ls, ok := storage()
	if !ok {
		return errors.New("no localStorage")
	}
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	ls.Call("setItem", storageKey, string(b))
	return nil
}
