//go:build !js

package scene

import (
	"io"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"

	"pushback/server/protocol"
)

// pickInBrowser: the desktop build takes a scenario file's path instead.
const pickInBrowser = false

func filePicker()                                     {}
func pickFile()                                       {}
func takePicked() (name string, data []byte, ok bool) { return "", nil, false }

// readScenario reads a trainer's file, one byte past the limit at most
// (enough for the model to say it is too large), and names it.
func readScenario(path string) (name string, data []byte, err error) {
	f, err := os.Open(path)
	if err != nil {
		return "", nil, err
	}
	defer f.Close()
	data, err = io.ReadAll(io.LimitReader(f, protocol.MaxScenario+1))
	return filepath.Base(path), data, err
}

// openURL hands a link to the desktop's browser (which also downloads).
func openURL(url string, download bool) {
	opener := "xdg-open"
	switch runtime.GOOS {
	case "darwin":
		opener = "open"
	case "windows":
		opener = "explorer"
	}
	if err := exec.Command(opener, url).Start(); err != nil {
		slog.Warn("opening a link", "url", url, "err", err)
	}
}
