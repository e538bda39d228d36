//go:build unix

package store

import (
	"fmt"
	"os"
	"syscall"
)

// lockDir takes an exclusive, non-blocking flock on the data directory's
// lock file, held for the life of the Store: two servers on one directory
// would hand out the same seat twice and lose each other's tokens.
func lockDir(path string) (*os.File, error) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_RDWR, 0o640)
	if err != nil {
		return nil, fmt.Errorf("store: lock file: %w", err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		return nil, fmt.Errorf("store: %s is in use by another server (%w): stop it, or give this one another -data directory", path, ErrLocked)
	}
	return f, nil
}
