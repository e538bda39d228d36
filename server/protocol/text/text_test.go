package text

import (
	"errors"
	"testing"
)

func TestName(t *testing.T) {
	for _, tc := range []struct {
		in   string
		ok   bool
		want string
	}{
		{"Ada", true, "Ada"},
		{"  Zoë Ünal ", true, "Zoë Ünal"},
		{"李雷", true, "李雷"},
		{"", false, ""},
		{"   ", false, ""},
		{"\u200b", false, ""}, // zero-width space only
		{"\ufeff", false, ""}, // BOM only
		{"\u200b\u200c\u200d", false, ""},
		{"Eve\u202egnp.exe", false, ""}, // right-to-left override
		{"a\u2066b", false, ""},         // isolate
		{"x\u0085y", false, ""},         // C1 next line
		{"x\u009by", false, ""},         // C1 CSI
		{"x\x1b[31my", false, ""},       // C0 escape
		{"x\x7fy", false, ""},
		{"\xff\xfe", false, ""}, // invalid UTF-8
		{"Yes-man (bot)", false, ""},
		{"Yes-man ( BOT )", false, ""},
		{"Firebrand [bot]", false, ""},
		{"Robot", true, "Robot"},
		{"\u0301\u0301", false, ""}, // combining marks only
		{"a\u2028b", false, ""},
		{"0123456789012345678901234567890123456789x", false, ""}, // 41 bytes
	} {
		got, err := Name(tc.in, 40)
		if (err == nil) != tc.ok || got != tc.want {
			t.Errorf("Name(%q) = %q, %v; want ok=%v %q", tc.in, got, err, tc.ok, tc.want)
		}
		if err != nil && !errors.Is(err, ErrText) {
			t.Errorf("Name(%q): error %v does not wrap ErrText", tc.in, err)
		}
	}
	if _, err := Name("the ceo", 40, "The  CEO"); err == nil {
		t.Error("a reserved name was taken")
	}
}

func TestCheck(t *testing.T) {
	for _, tc := range []struct {
		in        string
		multiline bool
		ok        bool
	}{
		{"Cut costs by 10%.\nNow.", true, true},
		{"Cut costs by 10%.\nNow.", false, false},
		{"tab\there", true, true},
		{"bidi \u202e override", true, false},
		{"soft\u00adhyphen", true, false},
		{"nel\u0085", true, false},
		{"bad \xc3\x28", true, false},
		{"", true, true},
	} {
		if err := Check(tc.in, 600, tc.multiline); (err == nil) != tc.ok {
			t.Errorf("Check(%q, %v) = %v, want ok=%v", tc.in, tc.multiline, err, tc.ok)
		}
	}
}
