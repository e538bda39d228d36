package debrief

import (
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// CSVHeader is the CSV export's first row. Manager rows fill the team
// meters, the executive's row (seat 0) the company's; each row carries the
// seat's decision that turn and every meter change with its cause.
var CSVHeader = []string{
	"turn", "seat", "role", "name",
	"morale", "trust", "quota", "standing", "pulse",
	"revenue", "cost", "pressure", "market",
	"mandate", "target", "response", "case_data", "case_impact", "case_ask", "case_quality",
	"verdict", "action", "escalated", "discovered", "visited", "causes",
}

// WriteCSV writes one row per seat per finished turn, turn 0 being the start,
// for a spreadsheet.
func WriteCSV(w io.Writer, r *Report) error {
	cw := csv.NewWriter(w)
	cw.Write(CSVHeader)
	itoa := strconv.Itoa
	for t := 0; t <= r.Played; t++ {
		row := make([]string, len(CSVHeader))
		c := r.Company[t]
		copy(row, []string{itoa(t), "0", "executive", r.Executive, "", "", "", "", "",
			itoa(c.Revenue), itoa(c.Cost), itoa(c.Pressure), itoa(c.Market)})
		if t > 0 {
			ti := r.Turn[t-1]
			row[13], row[14] = ti.Mandate, ti.Target
			var visited []string
			for _, v := range r.Visits {
				if v.Turn == t {
					visited = append(visited, r.Managers[v.Seat-1].Name)
				}
			}
			row[24] = strings.Join(visited, "; ")
			row[25] = strings.Join(ti.Changes, "; ")
		}
		cw.Write(row)
		for _, m := range r.Managers {
			row := make([]string, len(CSVHeader))
			x := m.Meters[t]
			copy(row, []string{itoa(t), itoa(m.Seat), "manager", m.Name,
				itoa(x.Morale), itoa(x.Trust), itoa(x.Quota), itoa(x.Standing), itoa(m.Pulse[t])})
			if t > 0 && t-1 < len(m.Decisions) {
				d := m.Decisions[t-1]
				row[13], row[15], row[20], row[21], row[22] = d.Card, d.Response, d.Verdict, d.Action, d.Escalated
				if d.Case != nil {
					row[16], row[17], row[18], row[19] = d.Case.Data, d.Case.Impact, d.Case.Ask, fmt.Sprintf("%.2f", d.Case.Quality)
				}
				if d.Discovered {
					row[23] = "yes"
				}
				row[25] = strings.Join(d.Changes, "; ")
			}
			cw.Write(row)
		}
	}
	cw.Flush()
	return cw.Error()
}
