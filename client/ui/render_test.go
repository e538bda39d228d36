package ui

import (
	"bytes"
	"flag"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"maps"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/hajimehoshi/ebiten/v2"
	xdraw "golang.org/x/image/draw"

	"pushback/client/model"
	"pushback/client/session"
	"pushback/client/ui/layout"
	"pushback/server/protocol"
	"pushback/server/protocol/report"
	"pushback/sim"
)

var (
	shots  = flag.String("shots", "../../build/screenshots", "where the render test writes a PNG of each screen")
	readme = flag.String("readme", "", "also write small PNGs for the README into this directory")
)

// recorder is a Sender that keeps what the UI sent.
type recorder struct{ msgs []protocol.ClientMsg }

func (r *recorder) SendMsg(m protocol.ClientMsg) bool {
	r.msgs = append(r.msgs, m)
	return true
}

// size is a device to draw for.
type size struct {
	name string
	w, h float64
}

var (
	laptop    = size{"1280x720", 1280, 720}
	bigScreen = size{"1920x1080", 1920, 1080}
	phone     = size{"phone", 360, 740}
)

// render draws the app's current screen the way a frame would, after two
// update passes (panels learn their heights in the first). With full, the
// image is as tall as the content, as if the page had been scrolled through.
func render(a *App, sz size, full bool) (img *image.RGBA, spots []spot, points []chartPoint) {
	onMain(func() {
		a.geo = layout.Fit(sz.w, sz.h, 1)
		a.step(&Input{})
		a.step(&Input{})
		if full && a.st.contentH > a.geo.H {
			// The whole page, up to the largest image a GPU takes (the
			// debrief on a phone runs longer than that).
			a.geo.H = math.Min(math.Ceil(a.st.contentH), math.Floor(maxImage/a.geo.Scale))
			a.geo.DH = int(math.Ceil(a.geo.H * a.geo.Scale))
		}
		dst := ebiten.NewImage(a.geo.DW, a.geo.DH)
		defer dst.Deallocate()
		dst.Fill(ColGround)
		p := a.paint(dst)
		img = image.NewRGBA(image.Rect(0, 0, a.geo.DW, a.geo.DH))
		dst.ReadPixels(img.Pix)
		spots, points = append(spots, p.spots...), p.points
	})
	return img, spots, points
}

// maxImage is the tallest image the render test asks for, in device pixels.
const maxImage = 8000

func same(a color.RGBA, b color.RGBA) bool { return a == b }

// checkMeters asserts that every meter's fill is as long as its value says,
// and that the track shows past it; and that QR modules are where the code
// says.
func checkMeters(t *testing.T, img *image.RGBA, spots []spot) {
	t.Helper()
	for _, s := range spots {
		if s.qr != nil {
			checkQR(t, img, s)
			continue
		}
		g := s.gauge
		col := MeterColour[int(g.Meter)%len(MeterColour)]
		y := int(s.bar.y + s.bar.h/2)
		x0, x1 := int(math.Ceil(s.bar.x)), int(math.Floor(s.bar.right()))
		n := 0
		for x := x0; x < x1; x++ {
			if same(img.RGBAAt(x, y), col) {
				n++
			}
		}
		v := math.Max(0, math.Min(g.Value, float64(g.Max)))
		want := s.bar.w * v / float64(g.Max)
		tol := 2.0
		if g.Max > 100 && v > 100 {
			tol += 3 // the plan line crosses the fill
		}
		if math.Abs(float64(n)-want) > tol {
			t.Errorf("meter %q = %.1f of %d: filled %d px of %.0f, want %.1f", g.Label, g.Value, g.Max, n, s.bar.w, want)
		}
		if after := int(s.bar.x + want + 3); after < x1-1 && !(g.Max > 100) {
			if c := img.RGBAAt(after, y); c != ColTrack {
				t.Errorf("meter %q: past the fill at x=%d the track should show, got %v", g.Label, after, c)
			}
		}
	}
}

func checkQR(t *testing.T, img *image.RGBA, s spot) {
	t.Helper()
	bad := 0
	for y, row := range s.qr {
		for x, on := range row {
			px := img.RGBAAt(int(s.bar.x+(float64(x)+0.5)*s.mod), int(s.bar.y+(float64(y)+0.5)*s.mod))
			if want := map[bool]color.RGBA{true: ColInk, false: ColPanel}[on]; px != want {
				bad++
			}
		}
	}
	if bad > 0 {
		t.Errorf("QR code: %d of %d modules drawn wrong", bad, len(s.qr)*len(s.qr))
	}
}

func writePNG(t *testing.T, dir, name string, img image.Image) int {
	t.Helper()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	enc := png.Encoder{CompressionLevel: png.BestCompression}
	if err := enc.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, name), buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return buf.Len()
}

// small scales an image to width w for the README.
func small(img image.Image, w int) image.Image {
	b := img.Bounds()
	if b.Dx() <= w {
		return img
	}
	h := b.Dy() * w / b.Dx()
	dst := image.NewRGBA(image.Rect(0, 0, w, h))
	xdraw.CatmullRom.Scale(dst, dst.Bounds(), img, b, xdraw.Src, nil)
	return dst
}

// TestScreens draws every screen from fixed models at the laptop, projector
// and phone sizes, checks the meters' pixels against their values, checks
// that nothing is laid out off the screen's width, and writes a PNG of each.
func TestScreens(t *testing.T) {
	for _, fx := range fixtures(t) {
		sizes := []size{laptop, phone}
		switch fx.screen {
		case model.ScreenProjector, model.ScreenFacilitator, model.ScreenReveal, model.ScreenDebrief:
			sizes = append(sizes, bigScreen)
		}
		for _, sz := range sizes {
			t.Run(fx.name+"/"+sz.name, func(t *testing.T) {
				a := NewApp(session.New(fx.m, nil, nil, &recorder{}))
				a.JoinURL = "http://workshop.example:8080/"
				img, spots, _ := render(a, sz, true)
				if got := img.RGBAAt(2, 2); got != ColInk {
					t.Errorf("header bar missing: %v", got)
				}
				checkMeters(t, img, spots)
				if fx.m.Room.Started && fx.screen != model.ScreenBriefing && fx.screen != model.ScreenHost && len(spots) == 0 {
					t.Error("no meter drawn")
				}
				if fx.screen == model.ScreenProjector && !hasQR(spots) {
					t.Error("no QR code on the projector")
				}
				// Nothing sticks out of the screen's width.
				c := a.ctx(&Input{}, nil)
				scenes[fx.screen](c)
				for _, f := range c.pass.Order {
					if f.R.X < 0 || f.R.Right() > a.geo.W+0.5 {
						t.Errorf("control %s at %.0f..%.0f is outside the %.0f-unit width", f.ID, f.R.X, f.R.Right(), a.geo.W)
					}
				}
				// Text stays readable: the smallest text at least 12 device pixels.
				if px := sizeSmall * a.geo.Scale; px < 12 {
					t.Errorf("small text is %.1f px", px)
				}
				name := fmt.Sprintf("%s-%s.png", fx.name, sz.name)
				writePNG(t, *shots, name, img)
				if *readme != "" && (sz == laptop || sz == phone && phoneShot[fx.name]) {
					w := 640
					if sz == phone {
						w = 360
					}
					shot := image.Image(img)
					if b := img.Bounds(); fx.screen == model.ScreenDebrief && b.Dy() > b.Dx() {
						// The debrief runs long (every question of every objective): the README shows its top.
						h := b.Dx() * 2
						if sz != phone {
							h = b.Dx() * 9 / 16 // the first screenful
						}
						shot = img.SubImage(image.Rect(0, 0, b.Dx(), min(h, b.Dy())))
					}
					if n := writePNG(t, *readme, name, fewColours(small(shot, w))); n > 150<<10 {
						t.Errorf("%s is %d KB; keep README images under 150 KB", name, n>>10)
					}
				}
			})
		}
	}
}

// fewColours maps an image onto 256 colours: the UI's palette and the
// image's most frequent others, which is every flat colour of a screen and
// enough of the anti-aliased text's edges to look the same; it halves a
// long page's PNG for the README.
func fewColours(img image.Image) image.Image {
	b := img.Bounds()
	counts := map[color.RGBA]int{}
	at := func(x, y int) color.RGBA {
		r, g, bl, a := img.At(x, y).RGBA()
		return color.RGBA{uint8(r >> 8), uint8(g >> 8), uint8(bl >> 8), uint8(a >> 8)}
	}
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			counts[at(x, y)]++
		}
	}
	all := make([]color.RGBA, 0, len(counts))
	for c := range counts {
		all = append(all, c)
	}
	slices.SortFunc(all, func(p, q color.RGBA) int {
		if d := counts[q] - counts[p]; d != 0 {
			return d
		}
		return int(uint32(p.R)<<24|uint32(p.G)<<16|uint32(p.B)<<8|uint32(p.A)) - int(uint32(q.R)<<24|uint32(q.G)<<16|uint32(q.B)<<8|uint32(q.A))
	})
	// The palette's own colours first, so that a small mark (a vermillion
	// arrow) keeps its hue even where it covers few pixels.
	pal := color.Palette{ColInk, ColMuted, ColGround, ColPanel, ColLine, ColTrack, ColOrange, ColSky, ColGreen,
		ColYellow, ColBlue, ColVermil, ColPurple, ColSelected, color.RGBA{0xff, 0xff, 0xff, 0xff}}
	for _, c := range all {
		if len(pal) == 256 {
			break
		}
		if !slices.Contains(pal, color.Color(c)) {
			pal = append(pal, c)
		}
	}
	out := image.NewPaletted(b, pal)
	index := map[color.RGBA]uint8{}
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			c := at(x, y)
			i, ok := index[c]
			if !ok {
				i = uint8(pal.Index(c))
				index[c] = i
			}
			out.SetColorIndex(x, y, i)
		}
	}
	return out
}

// phoneShot says which screens the README shows at phone size too.
var phoneShot = map[string]bool{"title": true, "manager": true, "reveal": true, "debrief": true}

func hasQR(spots []spot) bool {
	for _, s := range spots {
		if s.qr != nil {
			return true
		}
	}
	return false
}

// TestMeterFill draws lone meters at several values and scales and measures
// the filled length; a hidden meter has no fill at all; a falling trend
// shows the vermillion arrow and a rising one the blue.
func TestMeterFill(t *testing.T) {
	for _, scale := range []float64{1, 1.5, 360.0 / 380} {
		for _, g := range []model.Gauge{
			{Meter: sim.MeterMorale, Label: "Morale", Value: 0, Max: 100},
			{Meter: sim.MeterTrust, Label: "Trust", Value: 57, Max: 100, Trend: -8, History: []int{65, 57}},
			{Meter: sim.MeterQuota, Label: "Quota", Value: 100, Max: 100, Trend: 3},
			{Meter: sim.MeterStanding, Label: "Standing", Value: 33.4, Max: 100},
			{Meter: sim.MeterRevenue, Label: "Revenue", Value: 87, Max: 200, Trend: 2},
			{Meter: sim.MeterCost, Label: "Cost", Value: 130, Max: 200},
			{Meter: sim.MeterTrust, Label: "Trust", Hidden: true, Max: 100},
		} {
			t.Run(fmt.Sprintf("%s=%v@%.2f", g.Label, g.Value, scale), func(t *testing.T) {
				var img *image.RGBA
				var spots []spot
				onMain(func() {
					w, h := int(520*scale), int(70*scale)
					dst := ebiten.NewImage(w, h)
					defer dst.Deallocate()
					dst.Fill(ColPanel)
					st := &state{}
					measureScale = scale
					c := &ctx{m: model.New(model.Saved{}), st: st, p: &painter{dst: dst, scale: scale}, scale: scale}
					c.meter(rect{10, 10, 500, 50}, g)
					c.p.flush()
					img = image.NewRGBA(image.Rect(0, 0, w, h))
					dst.ReadPixels(img.Pix)
					spots = c.p.spots
				})
				if g.Hidden {
					if len(spots) != 0 {
						t.Fatal("a hidden meter was drawn with a value")
					}
					return
				}
				if len(spots) != 1 {
					t.Fatalf("%d spots", len(spots))
				}
				checkMeters(t, img, spots)
				up, down := count(img, ColUp), count(img, ColDown)
				switch {
				case g.Trend < 0 && down == 0:
					t.Error("a fall shows no vermillion sign")
				case g.Trend > 0 && up == 0:
					t.Error("a rise shows no blue sign")
				case g.Trend == 0 && g.Meter != sim.MeterTrust && g.Meter != sim.MeterCost && (up > 0 || down > 0):
					t.Errorf("no change, yet %d up and %d down pixels", up, down)
				}
			})
		}
	}
}

func count(img *image.RGBA, c color.RGBA) int {
	n := 0
	for i := 0; i+3 < len(img.Pix); i += 4 {
		if img.Pix[i] == c.R && img.Pix[i+1] == c.G && img.Pix[i+2] == c.B {
			n++
		}
	}
	return n
}

// TestRevealAnimates catches the reveal mid-animation: the trust meter is
// drawn between its old and new values, then at the new one.
func TestRevealAnimates(t *testing.T) {
	tb := newTable(t)
	tb.play(nil, func(s *sim.State) bool { return s.Turn == 2 })
	tb.play([]sim.Seat{1}, mandatePlayed)
	m := tb.model(1, true, 0)
	from := m.Gauge(1, sim.MeterTrust).Target
	tb.apply(sim.Command{Kind: sim.CmdRespond, Seat: 1, Response: sim.ResponseRelay})
	tb.play([]sim.Seat{1}, atReveal)
	tb.feed(m, 1, true, 0)
	to := m.Gauge(1, sim.MeterTrust).Target
	if from == to {
		t.Fatalf("trust did not move (%d)", from)
	}
	trust := func(spots []spot) float64 {
		for _, s := range spots {
			if s.gauge.Meter == sim.MeterTrust {
				return s.gauge.Value
			}
		}
		t.Fatal("no trust meter drawn")
		return 0
	}
	for _, tc := range []struct {
		at      time.Duration
		between bool
	}{{model.MeterAnimation / 3, true}, {model.MeterAnimation * 2, false}} {
		m.Tick(t0.Add(tc.at))
		a := NewApp(session.New(m, nil, nil, &recorder{}))
		img, spots, _ := render(a, laptop, false)
		checkMeters(t, img, spots)
		v := trust(spots)
		lo, hi := math.Min(float64(from), float64(to)), math.Max(float64(from), float64(to))
		if tc.between && !(v > lo && v < hi) {
			t.Errorf("at %v trust is drawn at %.2f, want strictly between %d and %d", tc.at, v, from, to)
		}
		if !tc.between && v != float64(to) {
			t.Errorf("at %v trust is drawn at %.2f, want %d", tc.at, v, to)
		}
	}
}

// TestDebriefCharts draws the debrief of a real game at the laptop and
// phone sizes and at several cursor months: each chart shows one point per
// manager per month up to the cursor and none after it; every point sits
// where its value says on the 0–100 axis, and its pixel there is its
// manager's colour (unless a later manager's marker covers it); the
// questions appear only at the last month.
func TestDebriefCharts(t *testing.T) {
	var rep *report.Report
	var m *model.Model
	for _, fx := range fixtures(t) {
		if fx.name == "debrief" {
			m, rep = fx.m, fx.m.Report
		}
	}
	if rep == nil || rep.Played < 4 {
		t.Fatal("no finished report among the fixtures")
	}
	for _, sz := range []size{laptop, phone} {
		for _, step := range []int{0, 3, rep.Played} {
			t.Run(fmt.Sprintf("%s/month%d", sz.name, step), func(t *testing.T) {
				m.Do(model.ShowMonth{Month: step})
				a := NewApp(session.New(m, nil, nil, &recorder{}))
				img, spots, pts := render(a, sz, true)
				checkMeters(t, img, spots)
				if want := len(chartMeters) * len(rep.Managers) * (step + 1); len(pts) != want {
					t.Fatalf("%d chart points drawn, want %d", len(pts), want)
				}
				for i, p := range pts {
					if p.month > step {
						t.Errorf("%s seat %d month %d drawn past the cursor %d", p.chart, p.seat, p.month, step)
					}
					if want := rep.Managers[p.seat-1].Meters[p.month].Get(p.chart); p.value != want {
						t.Errorf("%s seat %d month %d: drawn value %d, report %d", p.chart, p.seat, p.month, p.value, want)
					}
					if wantY := p.plot.bottom() - p.plot.h*float64(p.value)/100; math.Abs(p.y-wantY) > 0.5 {
						t.Errorf("%s seat %d month %d = %d at y %.1f, want %.1f", p.chart, p.seat, p.month, p.value, p.y, wantY)
					}
					if wantX := p.plot.x + p.plot.w*float64(p.month)/float64(rep.Played); math.Abs(p.x-wantX) > 0.5 {
						t.Errorf("%s seat %d month %d at x %.1f, want %.1f", p.chart, p.seat, p.month, p.x, wantX)
					}
					covered := false
					for _, q := range pts[i+1:] {
						if q.chart == p.chart && math.Hypot(q.x-p.x, q.y-p.y) < 14*a.geo.Scale {
							covered = true
						}
					}
					if got := img.RGBAAt(int(p.x), int(p.y)); !covered && got != p.col {
						t.Errorf("%s seat %d month %d: pixel at (%.0f, %.0f) is %v, want the series colour %v", p.chart, p.seat, p.month, p.x, p.y, got, p.col)
					}
				}
				c := a.ctx(&Input{}, nil)
				scenes[model.ScreenDebrief](c)
				for _, f := range c.pass.Order {
					if f.R.X < 0 || f.R.Right() > a.geo.W+0.5 {
						t.Errorf("control %s sticks out of the width", f.ID)
					}
				}
				writePNG(t, *shots, fmt.Sprintf("debrief-%s-month%d.png", sz.name, step), img)
			})
		}
	}
}

// TestDebriefKeys steps the debrief with the arrow keys and the buttons,
// and tabs to every control, with no pointer at all.
func TestDebriefKeys(t *testing.T) {
	var m *model.Model
	for _, fx := range fixtures(t) {
		if fx.name == "debrief" {
			m = fx.m
		}
	}
	a := NewApp(session.New(m, nil, nil, &recorder{}))
	render(a, laptop, false)
	last := m.Report.Played
	keys := []struct {
		in   input
		want int
	}{
		{Input{Left: true}, last - 1},
		{Input{Left: true}, last - 2},
		{Input{Right: true}, last - 1},
		{Input{Right: true}, last},
		{Input{Right: true}, last}, // clamps
	}
	for i, k := range keys {
		onMain(func() { a.step(&k.in) })
		if m.Step != k.want {
			t.Fatalf("key %d: cursor at %d, want %d", i, m.Step, k.want)
		}
	}
	// Tab to "From the start" and press Enter.
	for i := 0; i < 20 && a.st.nav.ID != "deb.start"; i++ {
		onMain(func() { a.step(&Input{Tab: true}) })
	}
	if a.st.nav.ID != "deb.start" {
		t.Fatalf("Tab never reached the From the start button (focus %q)", a.st.nav.ID)
	}
	onMain(func() { a.step(&Input{Enter: true}) })
	if m.Step != 0 {
		t.Fatalf("Enter on From the start: cursor at %d", m.Step)
	}
	for i := 0; i < 20 && a.st.nav.ID != "deb.back"; i++ {
		onMain(func() { a.step(&Input{Tab: true}) })
	}
	onMain(func() { a.step(&Input{Enter: true}) })
	if m.Screen() == model.ScreenDebrief {
		t.Fatal("Enter on Back left the debrief up")
	}
}

// TestDebriefEightStyles draws a debrief of eight managers on flat lines
// apart: every manager's points are in their own colour of report.Styles
// (the table the HTML report draws from), eight colours in all, and each
// seat's style is the table's: its dash pattern and its marker.
func TestDebriefEightStyles(t *testing.T) {
	var m *model.Model
	for _, fx := range fixtures(t) {
		if fx.name == "debrief" {
			m = fx.m
		}
	}
	rep := m.Report
	base := rep.Managers[0]
	rep.Managers, rep.Scores.Managers = nil, nil
	for i := range report.Styles {
		mg := base
		mg.Seat, mg.Name = i+1, fmt.Sprintf("Manager %d", i+1)
		mg.Meters = make([]sim.Meters, len(base.Meters))
		for k := range mg.Meters {
			v := 12 + 11*i
			mg.Meters[k] = sim.Meters{Morale: v, Trust: v, Quota: v, Standing: v}
		}
		rep.Managers = append(rep.Managers, mg)
		rep.Scores.Managers = append(rep.Scores.Managers, 50)
	}
	m.Do(model.ShowMonth{Month: rep.Played})
	a := NewApp(session.New(m, nil, nil, &recorder{}))
	img, _, points := render(a, laptop, true)
	colours := map[colorT]int{}
	for _, p := range points {
		st := report.StyleOf(p.seat - 1)
		want := rgb(st.RGB())
		if p.col != want {
			t.Errorf("seat %d drawn in %v, want %v", p.seat, p.col, want)
		}
		if got := img.RGBAAt(int(p.x), int(p.y)); got == want {
			colours[got] = p.seat
		}
	}
	if len(colours) != len(report.Styles) {
		t.Errorf("%d manager colours on screen, want %d: %v", len(colours), len(report.Styles), colours)
	}
	for i, st := range report.Styles {
		if got := styleOf(i); got.shape != st.Marker || fmt.Sprint(got.dash) != fmt.Sprint(st.Dash) {
			t.Errorf("seat %d drawn with marker %d dash %v, the table says %d %v", i+1, got.shape, got.dash, st.Marker, st.Dash)
		}
	}
	writePNG(t, *shots, "debrief-eight-styles.png", img)
}

// Draw only reads: painting any screen changes neither the model nor the
// state the update keeps (focus, scroll, panel heights, the mirror's nodes).
func TestDrawOnlyReads(t *testing.T) {
	for _, fx := range fixtures(t) {
		t.Run(fx.name, func(t *testing.T) {
			a := NewApp(session.New(fx.m, nil, nil, &recorder{}))
			onMain(func() {
				a.geo = layout.Fit(laptop.w, laptop.h, 1)
				a.step(&Input{})
				a.step(&Input{})
				st, m := a.st, *a.M
				st.panels = maps.Clone(a.st.panels)
				st.nodes = slices.Clone(a.st.nodes)
				dst := ebiten.NewImage(a.geo.DW, a.geo.DH)
				defer dst.Deallocate()
				a.Draw(dst)
				if !reflect.DeepEqual(st, a.st) {
					t.Errorf("Draw changed the UI state:\n%+v\n%+v", st, a.st)
				}
				if !reflect.DeepEqual(m, *a.M) {
					t.Error("Draw changed the model")
				}
			})
		})
	}
}
