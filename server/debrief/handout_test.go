package debrief_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"html"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"pushback/server/debrief"
)

// exampleTakeaways are two participants' answers at the end of the example
// game.
var exampleTakeaways = []debrief.Takeaway{
	{Seat: 1, Name: names[0], Word: "squeezed", Scale: 2, Commitment: "Next month I will bring renewal data to every objection."},
	{Seat: 4, Name: names[3], Scale: 4, Commitment: "Next month I will tell my team what I asked for."},
}

// handoutGame is the example game with two participants' answers.
func handoutGame(t *testing.T) (debrief.Game, *debrief.Report) {
	t.Helper()
	g, _ := botGame(t, "listener", 9, 0)
	g.Table = "EXAMPLE"
	g.Takeaways = exampleTakeaways
	r, err := debrief.Build(g)
	if err != nil {
		t.Fatal(err)
	}
	return g, r
}

// One sheet per participant — the executive's, then each manager's — each
// with its path, best and worst moment, the benchmark, its questions with
// its own numbers and its commitment (or lines to write one), and a last
// page on why the model behaves as it does.
func TestHandouts(t *testing.T) {
	_, r := handoutGame(t)
	var buf bytes.Buffer
	if err := debrief.WriteHandouts(&buf, r, ""); err != nil {
		t.Fatal(err)
	}
	checkNoFetch(t, buf.String())
	if !strings.Contains(buf.String(), "@page {") {
		t.Errorf("the sheets have no print styles")
	}
	page := html.UnescapeString(buf.String())
	sheets := strings.Split(page, `<section class="sheet`)[1:]
	if len(sheets) != len(r.Managers)+2 {
		t.Fatalf("%d sheets for %d managers, the executive and the why page", len(sheets), len(r.Managers))
	}
	exec := sheets[0]
	for _, want := range []string{r.Executive + " — executive", fmt.Sprintf("Your score: %d", *r.Scores.Executive),
		fmt.Sprintf("scored %d in the same game", r.Exec.Judging.Total), "Next month I will …"} {
		if !strings.Contains(exec, want) {
			t.Errorf("the executive's sheet lacks %q", want)
		}
	}
	for i, m := range r.Managers {
		sh := sheets[i+1]
		want := []string{m.Name + " — sales manager", fmt.Sprintf("Your balanced score: %d. In your seat of the same game, with the same executive and the same peers, the good style scored %d and a yes-man %d.",
			r.Scores.Managers[i], m.Benchmarks[0].Final, m.Benchmarks[1].Final), "<svg "}
		if m.Best != nil {
			want = append(want, fmt.Sprintf("Best: turn %d", m.Best.Turn))
		}
		if m.Worst != nil {
			want = append(want, fmt.Sprintf("Worst: turn %d", m.Worst.Turn))
		}
		for _, p := range r.Prompts {
			for _, it := range p.Items {
				if it.Manager == m.Name || it.Manager == "" {
					want = append(want, it.WhatHappened)
				} else if strings.Contains(sh, it.WhatHappened) && it.WhatHappened != "" {
					// another manager's numbers: only if they happen to read the same
					if !strings.Contains(it.WhatHappened, m.Name) {
						continue
					}
					t.Errorf("%s's sheet carries %s's question", m.Name, it.Manager)
				}
			}
		}
		switch m.Seat {
		case 1:
			want = append(want, "Next month I will bring renewal data to every objection.", "Your reaction at the end: <b>“squeezed”, 2 of 5</b>")
		case 4:
			want = append(want, "Next month I will tell my team what I asked for.")
		default:
			want = append(want, "Next month I will …")
		}
		for _, w := range want {
			if !strings.Contains(sh, w) {
				t.Errorf("%s's sheet lacks %q", m.Name, w)
			}
		}
	}
	why := sheets[len(sheets)-1]
	for _, w := range debrief.WhyRows {
		if !strings.Contains(why, w.Mechanic) || !strings.Contains(why, w.Section) {
			t.Errorf("the why page lacks %q", w.Mechanic)
		}
	}
}

var pdfPage = regexp.MustCompile(`/Type\s*/Page[^s]`)

// The handouts print one sheet per page on A4 and on Letter; the server's
// PDF is those pages, or — without Chromium — the HTML with a note. With
// -out DIR the PDFs are kept (pdftoppm makes pictures of them).
func TestHandoutsPrint(t *testing.T) {
	g, r := handoutGame(t)
	var buf bytes.Buffer
	if err := debrief.WriteHandouts(&buf, r, ""); err != nil {
		t.Fatal(err)
	}
	for _, size := range []string{"A4", "letter"} {
		page := strings.Replace(buf.String(), "@page {", "@page { size: "+size+";", 1)
		pdf, err := debrief.PrintPDF(context.Background(), []byte(page))
		if errors.Is(err, debrief.ErrNoBrowser) {
			t.Skip("no Chromium here; make test installs it")
		}
		if err != nil {
			t.Fatal(err)
		}
		if n := len(pdfPage.FindAll(pdf, -1)); n != len(r.Managers)+2 {
			t.Errorf("%s: %d printed pages, want %d (one per participant and the why page)", size, n, len(r.Managers)+2)
		}
		if *keep != "" {
			os.WriteFile(filepath.Join(*keep, "handouts-"+size+".pdf"), pdf, 0o644)
		}
	}
	w := httptest.NewRecorder()
	debrief.ServeReport(w, httptest.NewRequest("GET", "/rooms/EXAMPLE/report.handouts.pdf", nil), "handouts.pdf", g)
	if ct := w.Header().Get("Content-Type"); w.Code != 200 || ct != "application/pdf" || !bytes.HasPrefix(w.Body.Bytes(), []byte("%PDF")) {
		t.Errorf("handouts.pdf: %d %s", w.Code, ct)
	}
	t.Setenv("PATH", t.TempDir()) // no Chromium: the print-ready page instead, saying so
	w = httptest.NewRecorder()
	debrief.ServeReport(w, httptest.NewRequest("GET", "/rooms/EXAMPLE/report.handouts.pdf", nil), "handouts.pdf", g)
	if w.Code != 200 || !strings.HasPrefix(w.Header().Get("Content-Type"), "text/html") || w.Header().Get("X-Pushback-PDF") != "unavailable" ||
		!strings.Contains(w.Body.String(), "could not make a PDF") {
		t.Errorf("without Chromium: %d %s %q", w.Code, w.Header().Get("Content-Type"), w.Header().Get("X-Pushback-PDF"))
	}
}
