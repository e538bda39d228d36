package debrief_test

import (
	"bytes"
	"context"
	"flag"
	"image"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"pushback/server/debrief"
)

var (
	keep   = flag.String("out", "", "keep the screenshots and PDFs the browser test makes in this directory, to look at them")
	update = flag.Bool("update", false, "rewrite the committed example report in example/")
)

// browser finds headless Chromium, or skips: `make test` installs it.
func browser(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	t.Skip("Chromium is not installed; `bash .ci/deps.sh` (run by `make test`) installs it")
	return ""
}

// render runs headless Chromium on a page with one extra flag, the output.
func render(t *testing.T, bin, page string, out ...string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	// Not t.TempDir: a helper process may still write the profile for a
	// moment after Chromium exits, and TempDir's cleanup fails on that.
	profile, err := os.MkdirTemp("", "pushback-report-profile-")
	if err != nil {
		t.Fatal(err)
	}
	defer func() {
		for i := 0; i < 50 && os.RemoveAll(profile) != nil; i++ {
			time.Sleep(100 * time.Millisecond)
		}
	}()
	args := append([]string{"--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
		"--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--user-data-dir=" + profile}, out...)
	cmd := exec.CommandContext(ctx, bin, append(args, "file://"+page)...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("chromium %s: %v\n%s", strings.Join(out, " "), err, stderr.String())
	}
}

// inked is the share of pixels in a region that are not near-white.
func inked(img image.Image, r image.Rectangle) float64 {
	n, ink := 0, 0
	for y := r.Min.Y; y < r.Max.Y; y += 2 {
		for x := r.Min.X; x < r.Max.X; x += 2 {
			c := img.At(x, y)
			rr, g, b, _ := c.RGBA()
			n++
			if rr < 0xe000 || g < 0xe000 || b < 0xe000 {
				ink++
			}
		}
	}
	return float64(ink) / float64(n)
}

func readPNG(t *testing.T, path string) image.Image {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return img
}

var mediaBox = regexp.MustCompile(`/MediaBox\s*\[\s*0\s+0\s+([0-9.]+)\s+([0-9.]+)\s*\]`)

// TestBrowserRendersReport opens the report in headless Chromium, takes a
// screenshot and prints it to PDF, and checks both hold the report: the
// screenshot is drawn, the PDF has A4 pages. Run with -out DIR to keep them.
func TestBrowserRendersReport(t *testing.T) {
	bin := browser(t)
	dir := t.TempDir()
	if *keep != "" {
		dir = *keep
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	g, _ := botGame(t, "listener", 9, 0)
	r, err := debrief.Build(g)
	if err != nil {
		t.Fatal(err)
	}
	var file bytes.Buffer // the game itself, for `go run ./server replay DIR/game.json`
	if err := debrief.WriteJSON(&file, g); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "game.json"), file.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	live, _ := botGame(t, "", 1, 40)
	lr, err := debrief.Build(live)
	if err != nil {
		t.Fatal(err)
	}
	pages := map[string]func(*bytes.Buffer) error{
		"report":   func(b *bytes.Buffer) error { return debrief.WriteHTML(b, r) },
		"live":     func(b *bytes.Buffer) error { return debrief.WriteHTML(b, lr) },
		"combined": func(b *bytes.Buffer) error { return debrief.WriteCombinedHTML(b, []*debrief.Report{r, lr}) },
	}
	for name, write := range pages {
		t.Run(name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := write(&buf); err != nil {
				t.Fatal(err)
			}
			page := filepath.Join(dir, name+".html")
			if err := os.WriteFile(page, buf.Bytes(), 0o644); err != nil {
				t.Fatal(err)
			}
			shot, pdf := filepath.Join(dir, name+".png"), filepath.Join(dir, name+".pdf")
			render(t, bin, page, "--screenshot="+shot, "--window-size=1280,2400", "--hide-scrollbars")
			render(t, bin, page, "--print-to-pdf="+pdf, "--no-pdf-header-footer")

			img := readPNG(t, shot)
			if b := img.Bounds(); b.Dx() != 1280 || b.Dy() != 2400 {
				t.Fatalf("screenshot is %v", b)
			}
			// The heading, the score table and the first charts fill the top.
			if ink := inked(img, image.Rect(0, 0, 1280, 1200)); ink < 0.04 {
				t.Errorf("the top of the screenshot is nearly blank: %.3f inked", ink)
			}
			data, err := os.ReadFile(pdf)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.HasPrefix(data, []byte("%PDF-")) {
				t.Fatalf("not a PDF: %.20q", data)
			}
			boxes := mediaBox.FindAllSubmatch(data, -1)
			if len(boxes) < 2 {
				t.Fatalf("%d pages in the PDF, want several", len(boxes))
			}
			for _, m := range boxes {
				w, _ := strconv.ParseFloat(string(m[1]), 64)
				h, _ := strconv.ParseFloat(string(m[2]), 64)
				if w < 594 || w > 597 || h < 841 || h > 844 { // A4 is 595.3 × 841.9 points
					t.Fatalf("page of %.1f × %.1f points, not A4", w, h)
				}
			}
			t.Logf("%s: %d bytes of HTML, %d A4 pages", name, buf.Len(), len(boxes))
			// Draw the first PDF page back to pixels when poppler is here.
			if pp, err := exec.LookPath("pdftoppm"); err == nil {
				out := filepath.Join(dir, name+"-page")
				if b, err := exec.Command(pp, "-png", "-singlefile", "-r", "60", "-f", "1", "-l", "1", pdf, out).CombinedOutput(); err != nil {
					t.Fatalf("pdftoppm: %v %s", err, b)
				}
				p1 := readPNG(t, out+".png")
				if ink := inked(p1, p1.Bounds()); ink < 0.015 {
					t.Errorf("the first PDF page is nearly blank: %.3f inked", ink)
				}
			} else {
				t.Log("pdftoppm (poppler-utils) is not installed; the PDF's pages were not drawn back")
			}
		})
	}
}

// TestExample keeps the committed example report honest: with -update it
// rewrites example/report.html and its screenshot from a seeded bot game of
// the default scenario; without, it builds the page afresh and requires the
// committed one to be the same, byte for byte, and self-contained.
func TestExample(t *testing.T) {
	const dir = "example"
	_, _, buf := examplePage(t)
	_, hr := handoutGame(t)
	var handouts bytes.Buffer
	if err := debrief.WriteHandouts(&handouts, hr, ""); err != nil {
		t.Fatal(err)
	}
	if *update {
		page, _ := filepath.Abs(filepath.Join(dir, "report.html"))
		if err := os.WriteFile(page, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		bin := browser(t)
		render(t, bin, page, "--screenshot="+filepath.Join(dir, "report.png"), "--window-size=1100,1800", "--hide-scrollbars")
		// The new sections, each alone on a copy of the page.
		for _, sec := range []string{"bench", "exec", "takeaways"} {
			only := strings.Replace(buf.String(), "</style>", "article > *:not(#"+sec+") { display: none; }\n</style>", 1)
			copyPath := filepath.Join(t.TempDir(), sec+".html")
			if err := os.WriteFile(copyPath, []byte(only), 0o644); err != nil {
				t.Fatal(err)
			}
			render(t, bin, copyPath, "--screenshot="+filepath.Join(dir, "report-"+sec+".png"), "--window-size=1100,1500", "--hide-scrollbars")
		}
		if err := os.WriteFile(filepath.Join(dir, "handouts.html"), handouts.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		printedPages(t, handouts.Bytes(), dir)
	}
	if got, err := os.ReadFile(filepath.Join(dir, "handouts.html")); err != nil || !bytes.Equal(got, handouts.Bytes()) {
		t.Errorf("example/handouts.html is not what the code builds today (%v); regenerate it with -update", err)
	}
	page, err := os.ReadFile(filepath.Join(dir, "report.html"))
	if err != nil {
		t.Fatalf("no example report (go test -run TestExample -update writes it): %v", err)
	}
	if !bytes.Equal(page, buf.Bytes()) {
		t.Errorf("example/report.html is not what the code builds today; regenerate it: go test ./server/debrief -run TestExample -update")
	}
	checkSelfContained(t, string(page))
	img := readPNG(t, filepath.Join(dir, "report.png"))
	if ink := inked(img, img.Bounds()); ink < 0.04 {
		t.Errorf("the example screenshot is nearly blank")
	}
}

// printedPages prints the handouts to PDF (A4) and keeps pictures of three
// printed pages — the executive's sheet, a manager's, the why page — made
// with pdftoppm (poppler-utils); without it, it says so and keeps none.
func printedPages(t *testing.T, page []byte, dir string) {
	t.Helper()
	pdf, err := debrief.PrintPDF(context.Background(), bytes.Replace(page, []byte("@page {"), []byte("@page { size: A4;"), 1))
	if err != nil {
		t.Fatal(err)
	}
	tool, err := exec.LookPath("pdftoppm")
	if err != nil {
		t.Log("no pdftoppm: the printed pages' pictures are not refreshed")
		return
	}
	tmp := t.TempDir()
	in := filepath.Join(tmp, "handouts.pdf")
	if err := os.WriteFile(in, pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	n := len(pdfPage.FindAll(pdf, -1))
	for name, p := range map[string]int{"handout-executive": 1, "handout-manager": 2, "handout-why": n} {
		if out, err := exec.Command(tool, "-r", "70", "-png", "-singlefile", "-f", strconv.Itoa(p), "-l", strconv.Itoa(p), in, filepath.Join(dir, name)).CombinedOutput(); err != nil {
			t.Fatalf("pdftoppm: %v %s", err, out)
		}
	}
}
