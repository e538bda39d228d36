package debrief

import (
	"bytes"
	"fmt"
	"log/slog"
	"net/http"
	"regexp"
)

// ServeReport answers a request for one table's report in format "html",
// "csv" or "json". It does not check who asks: the caller routes
// /rooms/{code}/report.{format} and checks the facilitator token first. The
// report is rebuilt from the game's log on every request, so a facilitator
// may fetch it live and again at the end.
func ServeReport(w http.ResponseWriter, req *http.Request, format string, g Game) {
	var buf bytes.Buffer
	var err error
	switch format {
	case "json":
		err = WriteJSON(&buf, g)
	case "html", "csv":
		var r *Report
		if r, err = Build(g); err == nil {
			if format == "html" {
				err = WriteHTML(&buf, r)
			} else {
				err = WriteCSV(&buf, r)
			}
		}
	case "handouts.html", "handouts.pdf":
		ServeHandouts(w, req, format, g)
		return
	default:
		http.Error(w, fmt.Sprintf("no report format %q (html, csv, json, handouts.html, handouts.pdf)", format), http.StatusNotFound)
		return
	}
	if err != nil {
		slog.Error("debrief report", "table", g.Table, "format", format, "err", err)
		http.Error(w, "the report could not be built", http.StatusInternalServerError)
		return
	}
	send(w, req, format, "pushback-"+fileLabel(g.Table)+"-report."+format, buf.Bytes())
}

// ServeCombined answers a request for the one report over all of a
// facilitator's tables (HTML only); the caller checks the token first.
func ServeCombined(w http.ResponseWriter, req *http.Request, games []Game) {
	reports := make([]*Report, 0, len(games))
	for _, g := range games {
		r, err := Build(g)
		if err != nil {
			slog.Error("debrief combined report", "table", g.Table, "err", err)
			http.Error(w, "the report could not be built", http.StatusInternalServerError)
			return
		}
		reports = append(reports, r)
	}
	var buf bytes.Buffer
	if err := WriteCombinedHTML(&buf, reports); err != nil {
		slog.Error("debrief combined report", "err", err)
		http.Error(w, "the report could not be built", http.StatusInternalServerError)
		return
	}
	send(w, req, "html", "pushback-all-tables-report.html", buf.Bytes())
}

var contentTypes = map[string]string{
	"html": "text/html; charset=utf-8",
	"csv":  "text/csv; charset=utf-8",
	"json": "application/json",
	"pdf":  "application/pdf",
}

func send(w http.ResponseWriter, req *http.Request, format, filename string, body []byte) {
	h := w.Header()
	h.Set("Content-Type", contentTypes[format])
	h.Set("Cache-Control", "no-store") // a live report changes every turn, and carries the game's secrets
	h.Set("X-Content-Type-Options", "nosniff")
	// The page has no scripts and needs nothing from elsewhere; say so.
	h.Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; img-src data:")
	disposition := "attachment"
	if format == "html" {
		disposition = "inline"
	}
	h.Set("Content-Disposition", fmt.Sprintf("%s; filename=%q", disposition, filename))
	if req.Method == http.MethodHead {
		return
	}
	w.Write(body)
}

var unsafeName = regexp.MustCompile(`[^A-Za-z0-9_-]+`)

func fileLabel(table string) string {
	if s := unsafeName.ReplaceAllString(table, "-"); s != "" && s != "-" {
		return s
	}
	return "table"
}
