package ui

import (
	"bytes"
	"flag"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/hajimehoshi/ebiten/v2"
	xdraw "golang.org/x/image/draw"

	"pushback/client/model"
	"pushback/client/scene"
	. "pushback/client/scene/scenetest"
	"pushback/client/session"
	"pushback/client/ui/layout"
	"pushback/server/protocol/report"
	"pushback/sim"
)

var (
	shots  = flag.String("shots", "../../build/screenshots", "where the render test writes a PNG of each screen")
	readme = flag.String("readme", "", "also write small PNGs for the README into this directory")
)

// render draws the app's current screen the way a frame would, after two
// update passes (panels learn their heights in the first). With full, the
// image is as tall as the content, as if the page had been scrolled through.
func render(a *App, sz Size, full bool) (img *image.RGBA, spots []scene.Spot, points []scene.ChartPoint) {
	onMain(func() {
		a.UI.Geo = layout.Fit(sz.W, sz.H, 1)
		a.UI.Step(&scene.Input{})
		a.UI.Step(&scene.Input{})
		if full && a.UI.ContentHeight() > a.UI.Geo.H {
			// The whole page, up to the largest image a GPU takes (the
			// debrief on a phone runs longer than that).
			a.UI.Geo.H = math.Min(math.Ceil(a.UI.ContentHeight()), math.Floor(maxImage/a.UI.Geo.Scale))
			a.UI.Geo.DH = int(math.Ceil(a.UI.Geo.H * a.UI.Geo.Scale))
		}
		dst := ebiten.NewImage(a.UI.Geo.DW, a.UI.Geo.DH)
		defer dst.Deallocate()
		dst.Fill(scene.ColGround)
		drawn := a.paint(dst)
		img = image.NewRGBA(image.Rect(0, 0, a.UI.Geo.DW, a.UI.Geo.DH))
		dst.ReadPixels(img.Pix)
		spots, points = drawn.Spots, drawn.Points
	})
	return img, spots, points
}

// maxImage is the tallest image the render test asks for, in device pixels.
const maxImage = 8000

func same(a color.RGBA, b color.RGBA) bool { return a == b }

// checkMeters asserts that every meter's fill is as long as its value says,
// and that the track shows past it; and that QR modules are where the code
// says.
func checkMeters(t *testing.T, img *image.RGBA, spots []scene.Spot) {
	t.Helper()
	for _, s := range spots {
		if s.QR != nil {
			checkQR(t, img, s)
			continue
		}
		g := s.Gauge
		col := scene.MeterColour[int(g.Meter)%len(scene.MeterColour)]
		y := int(s.Bar.Y + s.Bar.H/2)
		x0, x1 := int(math.Ceil(s.Bar.X)), int(math.Floor(s.Bar.Right()))
		n := 0
		for x := x0; x < x1; x++ {
			if same(img.RGBAAt(x, y), col) {
				n++
			}
		}
		v := math.Max(0, math.Min(g.Value, float64(g.Max)))
		want := s.Bar.W * v / float64(g.Max)
		tol := 2.0
		if g.Max > 100 && v > 100 {
			tol += 3 // the plan line crosses the fill
		}
		if math.Abs(float64(n)-want) > tol {
			t.Errorf("meter %q = %.1f of %d: filled %d px of %.0f, want %.1f", g.Label, g.Value, g.Max, n, s.Bar.W, want)
		}
		if after := int(s.Bar.X + want + 3); after < x1-1 && !(g.Max > 100) {
			if c := img.RGBAAt(after, y); c != scene.ColTrack {
				t.Errorf("meter %q: past the fill at x=%d the track should show, got %v", g.Label, after, c)
			}
		}
	}
}

func checkQR(t *testing.T, img *image.RGBA, s scene.Spot) {
	t.Helper()
	bad := 0
	for y, row := range s.QR {
		for x, on := range row {
			px := img.RGBAAt(int(s.Bar.X+(float64(x)+0.5)*s.Mod), int(s.Bar.Y+(float64(y)+0.5)*s.Mod))
			if want := map[bool]color.RGBA{true: scene.ColInk, false: scene.ColPanel}[on]; px != want {
				bad++
			}
		}
	}
	if bad > 0 {
		t.Errorf("QR code: %d of %d modules drawn wrong", bad, len(s.QR)*len(s.QR))
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
	for _, fx := range Fixtures(t) {
		sizes := []Size{Laptop, Phone}
		switch fx.Screen {
		case model.ScreenProjector, model.ScreenFacilitator, model.ScreenReveal, model.ScreenDebrief:
			sizes = append(sizes, BigScreen)
		}
		for _, sz := range sizes {
			t.Run(fx.Name+"/"+sz.Name, func(t *testing.T) {
				a := NewApp(session.New(fx.M, nil, nil, &Recorder{}))
				a.UI.JoinURL = "http://workshop.example:8080/"
				img, spots, _ := render(a, sz, true)
				if got := img.RGBAAt(2, 2); got != scene.ColInk {
					t.Errorf("header bar missing: %v", got)
				}
				checkMeters(t, img, spots)
				if fx.M.Room.Started && fx.Screen != model.ScreenBriefing && fx.Screen != model.ScreenHost && len(spots) == 0 {
					t.Error("no meter drawn")
				}
				if fx.Screen == model.ScreenProjector && !hasQR(spots) {
					t.Error("no QR code on the projector")
				}
				// Nothing sticks out of the screen's width.
				// (And text stays readable: scene's TestSmallTextReadable.)
				for _, f := range a.UI.Controls() {
					if f.R.X < 0 || f.R.Right() > a.UI.Geo.W+0.5 {
						t.Errorf("control %s at %.0f..%.0f is outside the %.0f-unit width", f.ID, f.R.X, f.R.Right(), a.UI.Geo.W)
					}
				}
				name := fmt.Sprintf("%s-%s.png", fx.Name, sz.Name)
				writePNG(t, *shots, name, img)
				if *readme != "" && (sz == Laptop || sz == Phone && phoneShot[fx.Name]) {
					w := 640
					if sz == Phone {
						w = 360
					}
					shot := image.Image(img)
					if b := img.Bounds(); fx.Screen == model.ScreenDebrief && b.Dy() > b.Dx() {
						// The debrief runs long (every question of every objective): the README shows its top.
						h := b.Dx() * 2
						if sz != Phone {
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
	pal := color.Palette{scene.ColInk, scene.ColMuted, scene.ColGround, scene.ColPanel, scene.ColLine, scene.ColTrack, scene.ColOrange, scene.ColSky, scene.ColGreen,
		scene.ColYellow, scene.ColBlue, scene.ColVermil, scene.ColPurple, scene.ColSelected, color.RGBA{0xff, 0xff, 0xff, 0xff}}
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

func hasQR(spots []scene.Spot) bool {
	for _, s := range spots {
		if s.QR != nil {
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
				var spots []scene.Spot
				onMain(func() {
					w, h := int(520*scale), int(70*scale)
					dst := ebiten.NewImage(w, h)
					defer dst.Deallocate()
					dst.Fill(scene.ColPanel)
					spots = scene.PaintMeter(&canvas{dst: dst}, scale, g)
					img = image.NewRGBA(image.Rect(0, 0, w, h))
					dst.ReadPixels(img.Pix)
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
				up, down := count(img, scene.ColUp), count(img, scene.ColDown)
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
	tb := NewTable(t)
	tb.Play(nil, func(s *sim.State) bool { return s.Turn == 2 })
	tb.Play([]sim.Seat{1}, MandatePlayed)
	m := tb.Model(1, true, 0)
	from := m.Gauge(1, sim.MeterTrust).Target
	tb.Apply(sim.Command{Kind: sim.CmdRespond, Seat: 1, Response: sim.ResponseRelay})
	tb.Play([]sim.Seat{1}, AtReveal)
	tb.Feed(m, 1, true, 0)
	to := m.Gauge(1, sim.MeterTrust).Target
	if from == to {
		t.Fatalf("trust did not move (%d)", from)
	}
	trust := func(spots []scene.Spot) float64 {
		for _, s := range spots {
			if s.Gauge.Meter == sim.MeterTrust {
				return s.Gauge.Value
			}
		}
		t.Fatal("no trust meter drawn")
		return 0
	}
	for _, tc := range []struct {
		at      time.Duration
		between bool
	}{{model.MeterAnimation / 3, true}, {model.MeterAnimation * 2, false}} {
		m.Tick(T0.Add(tc.at))
		a := NewApp(session.New(m, nil, nil, &Recorder{}))
		img, spots, _ := render(a, Laptop, false)
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
	for _, fx := range Fixtures(t) {
		if fx.Name == "debrief" {
			m, rep = fx.M, fx.M.Report
		}
	}
	if rep == nil || rep.Played < 4 {
		t.Fatal("no finished report among the fixtures")
	}
	for _, sz := range []Size{Laptop, Phone} {
		for _, step := range []int{0, 3, rep.Played} {
			t.Run(fmt.Sprintf("%s/month%d", sz.Name, step), func(t *testing.T) {
				m.Do(model.ShowMonth{Month: step})
				a := NewApp(session.New(m, nil, nil, &Recorder{}))
				img, spots, pts := render(a, sz, true)
				checkMeters(t, img, spots)
				if want := len(scene.ChartMeters) * len(rep.Managers) * (step + 1); len(pts) != want {
					t.Fatalf("%d chart points drawn, want %d", len(pts), want)
				}
				for i, p := range pts {
					if p.Month > step {
						t.Errorf("%s seat %d month %d drawn past the cursor %d", p.Chart, p.Seat, p.Month, step)
					}
					if want := rep.Managers[p.Seat-1].Meters[p.Month].Get(p.Chart); p.Value != want {
						t.Errorf("%s seat %d month %d: drawn value %d, report %d", p.Chart, p.Seat, p.Month, p.Value, want)
					}
					if wantY := p.Plot.Bottom() - p.Plot.H*float64(p.Value)/100; math.Abs(p.Y-wantY) > 0.5 {
						t.Errorf("%s seat %d month %d = %d at y %.1f, want %.1f", p.Chart, p.Seat, p.Month, p.Value, p.Y, wantY)
					}
					if wantX := p.Plot.X + p.Plot.W*float64(p.Month)/float64(rep.Played); math.Abs(p.X-wantX) > 0.5 {
						t.Errorf("%s seat %d month %d at x %.1f, want %.1f", p.Chart, p.Seat, p.Month, p.X, wantX)
					}
					covered := false
					for _, q := range pts[i+1:] {
						if q.Chart == p.Chart && math.Hypot(q.X-p.X, q.Y-p.Y) < 14*a.UI.Geo.Scale {
							covered = true
						}
					}
					if got := img.RGBAAt(int(p.X), int(p.Y)); !covered && got != p.Col {
						t.Errorf("%s seat %d month %d: pixel at (%.0f, %.0f) is %v, want the series colour %v", p.Chart, p.Seat, p.Month, p.X, p.Y, got, p.Col)
					}
				}
				for _, f := range a.UI.Controls() {
					if f.R.X < 0 || f.R.Right() > a.UI.Geo.W+0.5 {
						t.Errorf("control %s sticks out of the width", f.ID)
					}
				}
				writePNG(t, *shots, fmt.Sprintf("debrief-%s-month%d.png", sz.Name, step), img)
			})
		}
	}
}

// TestDebriefEightStyles draws a debrief of eight managers on flat lines
// apart: every manager's points are in their own colour of report.Styles
// (the table the HTML report draws from), eight colours in all. (That each
// seat's dash pattern and marker are the table's is scene's
// TestDebriefStylesAreTheTable.)
func TestDebriefEightStyles(t *testing.T) {
	var m *model.Model
	for _, fx := range Fixtures(t) {
		if fx.Name == "debrief" {
			m = fx.M
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
	a := NewApp(session.New(m, nil, nil, &Recorder{}))
	img, _, points := render(a, Laptop, true)
	colours := map[color.RGBA]int{}
	for _, p := range points {
		st := report.StyleOf(p.Seat - 1)
		r, g, b := st.RGB()
		want := color.RGBA{r, g, b, 0xff}
		if p.Col != want {
			t.Errorf("seat %d drawn in %v, want %v", p.Seat, p.Col, want)
		}
		if got := img.RGBAAt(int(p.X), int(p.Y)); got == want {
			colours[got] = p.Seat
		}
	}
	if len(colours) != len(report.Styles) {
		t.Errorf("%d manager colours on screen, want %d: %v", len(colours), len(report.Styles), colours)
	}
	writePNG(t, *shots, "debrief-eight-styles.png", img)
}

// TestHeaderSticksDrawn: scrolled down, the header with the month and phase
// is still drawn at the top (scene's TestHeaderSticks: taps on it and the
// keyboard's focus).
func TestHeaderSticksDrawn(t *testing.T) {
	tb := NewTable(t)
	tb.Play([]sim.Seat{1}, MandatePlayed)
	a := NewApp(session.New(tb.Model(1, true, 0), nil, nil, &Recorder{}))
	render(a, Phone, false)
	if a.UI.ContentHeight()-a.UI.Geo.H < 400 {
		t.Fatalf("the fixture does not scroll (%.0f units below the screen)", a.UI.ContentHeight()-a.UI.Geo.H)
	}
	onMain(func() { a.UI.Step(&scene.Input{Drag: -500 * a.UI.Geo.Scale}) }) // a finger's drag, no tap
	img, _, _ := render(a, Phone, false)
	for _, y := range []int{2, 40, 70} {
		if got := img.RGBAAt(200, y); got != scene.ColInk {
			t.Errorf("scrolled, the header is not at y=%d: %v", y, got)
		}
	}
}

// TestDebriefTakeawayShots draws the debrief's reaction round, a player's
// and the projector's, to -shots (scene's TestDebriefTakeaways checks
// their controls).
func TestDebriefTakeawayShots(t *testing.T) {
	player, proj := Takeaways(t)
	for name, m := range map[string]*model.Model{"player": player, "projector": proj} {
		img, _, _ := render(NewApp(session.New(m, nil, nil, &Recorder{})), Laptop, true)
		writePNG(t, *shots, "debrief-takeaways-"+name+".png", img)
	}
}
