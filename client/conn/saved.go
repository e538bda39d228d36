//go:build !js

package conn

import (
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"path/filepath"

	"pushback/client/model"
)

// Store keeps the resume token between runs: on the desktop a small JSON
// file, in the browser localStorage (saved_js.go).
type Store struct{ path string }

// NewStore keeps the token in path; "" means the user's config directory.
func NewStore(path string) *Store {
	if path == "" {
		dir, err := os.UserConfigDir()
		if err != nil {
			dir = os.TempDir()
		}
		path = filepath.Join(dir, "pushback", "session.json")
	}
	return &Store{path: path}
}

// Load returns what was saved, or nothing when there is nothing usable.
func (s *Store) Load() model.Saved {
	var v model.Saved
	b, err := os.ReadFile(s.path)
	if err != nil {
		return v
	}
	if json.Unmarshal(b, &v) != nil {
		return model.Saved{}
	}
	return v
}

// Save writes v, replacing the file atomically; readable by the user only
// since the token is a key to the seat.
func (s *Store) Save(v model.Saved) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(s.path), 0o700); err != nil && !errors.Is(err, fs.ErrExist) {
		return err
	}
	tmp := s.path + ".tmp"
	if err := os.WriteFile(tmp, b, 0o600); err != nil {
		return err
	}
	return os.Rename(tmp, s.path)
}
