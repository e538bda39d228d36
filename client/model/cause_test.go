package model

import (
	"strings"
	"testing"

	"pushback/sim"
)

// TestExplainReadsAsSoftening: the trust a mandate still costs a manager
// who explained it reads as what explaining softened, not as a penalty
// for explaining.
func TestExplainReadsAsSoftening(t *testing.T) {
	s := game(t)
	txt := sim.Delta{Meter: sim.MeterTrust, Amount: -2, Cause: sim.CauseExplain, Ref: 0}.Text(s.Scn)
	if !strings.Contains(txt, "softened") || strings.Contains(txt, "and explained the reasons") {
		t.Errorf("the cause reads %q", txt)
	}
}
