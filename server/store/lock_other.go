//go:build !unix

package store

import "os"

// lockDir opens the lock file; without flock the directory is not guarded.
func lockDir(path string) (*os.File, error) {
	return os.OpenFile(path, os.O_CREATE|os.O_RDWR, 0o640)
}
