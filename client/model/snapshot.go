package model

// Snapshot is the model in a few plain fields, for tests that drive the
// browser build from outside (window.pushbackState()).
type Snapshot struct {
	Screen  string         `json:"screen"`
	Conn    string         `json:"conn"`
	Notice  string         `json:"notice"`
	Code    string         `json:"code"`
	Seat    int            `json:"seat"`
	Turn    int            `json:"turn"`
	Phase   string         `json:"phase"`
	Version uint64         `json:"version"`
	Focus   string         `json:"focus"`
	Sent    bool           `json:"sent"`
	Answer  string         `json:"answer"` // the manager's draft: response and team action
	Meters  map[string]int `json:"meters"` // own meters (company ones for the executive), targets
	Shown   map[string]int `json:"shown"`  // the same as drawn now, mid-animation
	Causes  []string       `json:"causes"`

	// The room as the facilitator left it: the briefing read here, the
	// pause, the notices shown as banners, and the projector's "3 of 5
	// answered".
	Briefed  bool     `json:"briefed"`
	Paused   bool     `json:"paused"`
	Banners  []string `json:"banners,omitempty"`
	Answered string   `json:"answered,omitempty"`

	// The business case: this month's mandate (ID), the evidence the team
	// holds (IDs, in the order of the cite.N chips), the draft's citations
	// and alternative, and after the reveal the ruling and its feedback.
	Card        string    `json:"card,omitempty"`
	Evidence    []string  `json:"evidence,omitempty"`
	Cited       [2]string `json:"cited"`
	Alternative string    `json:"alternative,omitempty"`
	Verdict     string    `json:"verdict,omitempty"`
	Feedback    []string  `json:"feedback,omitempty"`
}
