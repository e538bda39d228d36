package debrief

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"time"
)

// Browsers are the names of a headless Chromium this package looks for on
// PATH to print the handouts as PDF; without one it serves the print-ready
// HTML instead and says so.
var Browsers = []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"}

// ErrNoBrowser is returned by PrintPDF when no Chromium is installed.
var ErrNoBrowser = errors.New("no headless Chromium on this server")

// PrintPDF prints a self-contained HTML page to PDF with headless Chromium.
func PrintPDF(ctx context.Context, page []byte) ([]byte, error) {
	bin := ""
	for _, b := range Browsers {
		if p, err := exec.LookPath(b); err == nil {
			bin = p
			break
		}
	}
	if bin == "" {
		return nil, ErrNoBrowser
	}
	dir, err := os.MkdirTemp("", "pushback-pdf-")
	if err != nil {
		return nil, err
	}
	defer func() {
		for i := 0; i < 50 && os.RemoveAll(dir) != nil; i++ { // a helper may write the profile a moment longer
			time.Sleep(100 * time.Millisecond)
		}
	}()
	in, out := filepath.Join(dir, "page.html"), filepath.Join(dir, "page.pdf")
	if err := os.WriteFile(in, page, 0o600); err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
		"--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--user-data-dir="+filepath.Join(dir, "profile"), "--no-pdf-header-footer", "--print-to-pdf-no-header",
		"--print-to-pdf="+out, "file://"+in)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		return nil, fmt.Errorf("chromium: %w: %s", err, bytes.TrimSpace(stderr.Bytes()))
	}
	return os.ReadFile(out)
}

// ServeHandouts answers a request for a table's take-home sheets: format
// "handouts.html" (print-ready, one sheet per page) or "handouts.pdf" (the
// same printed by headless Chromium on the server; when it cannot be, the
// HTML is served with a note that says so, and the header X-Pushback-PDF:
// unavailable). The caller checks the facilitator token first.
func ServeHandouts(w http.ResponseWriter, req *http.Request, format string, g Game) {
	r, err := Build(g)
	if err != nil {
		slog.Error("debrief handouts", "table", g.Table, "err", err)
		http.Error(w, "the handouts could not be built", http.StatusInternalServerError)
		return
	}
	name := "pushback-" + fileLabel(g.Table) + "-handouts"
	var page bytes.Buffer
	if err := WriteHandouts(&page, r, ""); err != nil {
		slog.Error("debrief handouts", "table", g.Table, "err", err)
		http.Error(w, "the handouts could not be built", http.StatusInternalServerError)
		return
	}
	if format == "handouts.pdf" {
		pdf, err := PrintPDF(req.Context(), page.Bytes())
		if err == nil {
			send(w, req, "pdf", name+".pdf", pdf)
			return
		}
		slog.Warn("debrief handouts: no PDF, serving HTML", "table", g.Table, "err", err)
		page.Reset()
		WriteHandouts(&page, r, "This server could not make a PDF ("+err.Error()+"). Print this page from your browser: one sheet per page, A4 or Letter.")
		w.Header().Set("X-Pushback-PDF", "unavailable")
	}
	send(w, req, "html", name+".html", page.Bytes())
}
