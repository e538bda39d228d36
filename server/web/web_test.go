package web

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

const testPage = `<!doctype html><title>t</title><style>body{margin:0}</style>
<script src="wasm_exec.js" defer></script>
<script>fetch("pushback.wasm")</script>`

// buildDir lays out a client build beside a secret that must stay private:
// a dotfile, a subdirectory and symlinks that lead out of the directory.
func buildDir(t *testing.T) (dir, secret string) {
	t.Helper()
	base := t.TempDir()
	dir = filepath.Join(base, "web")
	outside := filepath.Join(base, "outside")
	secret = "TOP-SECRET-" + t.Name()
	for name, body := range map[string]string{
		"web/index.html":     testPage,
		"web/pushback.wasm":  "\x00asm" + strings.Repeat("wasm bytes ", 500),
		"web/wasm_exec.js":   "// the Go runtime's glue",
		"web/.env":           secret,
		"web/.git/config":    secret,
		"web/sub/notes.txt":  secret,
		"web/favicon.txt":    "a public file",
		"outside/secret.txt": secret,
	} {
		p := filepath.Join(base, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for link, target := range map[string]string{
		"escape.txt": filepath.Join(outside, "secret.txt"),
		"escdir":     outside,
		"rel.txt":    "../outside/secret.txt",
	} {
		if err := os.Symlink(target, filepath.Join(dir, link)); err != nil {
			t.Fatal(err)
		}
	}
	return dir, secret
}

func get(t *testing.T, h http.Handler, path string, hdr ...string) *http.Response {
	t.Helper()
	req := httptest.NewRequest(http.MethodGet, path, nil)
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec.Result()
}

func body(t *testing.T, r *http.Response) string {
	t.Helper()
	b, err := io.ReadAll(r.Body)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestNothingPrivateIsServed: issue 12 point 12. http.FileServer, which the
// server used before, lists directories, serves dotfiles and follows
// symlinks out of its directory.
func TestNothingPrivateIsServed(t *testing.T) {
	dir, secret := buildDir(t)
	h := New(dir, nil)
	for _, p := range []string{
		"/.env", "/.git/config", "/.git/", "/sub/", "/sub", "/sub/notes.txt",
		"/escape.txt", "/escdir/", "/escdir/secret.txt", "/rel.txt",
		"/../outside/secret.txt", "/%2e%2e/outside/secret.txt", "/./.env",
	} {
		r := get(t, h, p)
		b := body(t, r)
		if r.StatusCode != http.StatusNotFound || strings.Contains(b, secret) || strings.Contains(b, "notes.txt") {
			t.Errorf("GET %s: %d %q, want a bare 404", p, r.StatusCode, b)
		}
		if r.Header.Get("X-Content-Type-Options") != "nosniff" {
			t.Errorf("GET %s: no nosniff on an error", p)
		}
	}
	if r := get(t, h, "/favicon.txt"); r.StatusCode != http.StatusOK || body(t, r) != "a public file" {
		t.Errorf("a plain public file: %d", r.StatusCode)
	}
	req := httptest.NewRequest(http.MethodPost, "/", strings.NewReader("x"))
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code != http.StatusMethodNotAllowed {
		t.Errorf("POST /: %d", rec.Code)
	}
}

// TestSecurityHeaders: the page gets a policy it works under (its own
// inline script and style by hash, wasm compilation, the same-origin
// WebSocket) and may not be framed.
func TestSecurityHeaders(t *testing.T) {
	dir, _ := buildDir(t)
	h := New(dir, nil)
	r := get(t, h, "/")
	if r.StatusCode != http.StatusOK {
		t.Fatalf("GET /: %d", r.StatusCode)
	}
	csp := r.Header.Get("Content-Security-Policy")
	for _, want := range []string{
		"default-src 'self'", "'wasm-unsafe-eval'", "connect-src 'self'", "frame-ancestors 'none'",
		"object-src 'none'", "base-uri 'none'",
		"'sha256-", // the inline script, by hash
	} {
		if !strings.Contains(csp, want) {
			t.Errorf("CSP %q lacks %q", csp, want)
		}
	}
	script, _, _ := strings.Cut(csp[strings.Index(csp, "script-src"):], ";")
	if strings.Contains(script, "unsafe-inline") || strings.Contains(csp, "'unsafe-eval'") {
		t.Errorf("CSP %q allows inline scripts or eval", csp)
	}
	if n := strings.Count(script, "'sha256-"); n != 1 {
		t.Errorf("script-src has %d hashes, want the page's one inline script: %s", n, csp)
	}
	for k, v := range map[string]string{
		"X-Content-Type-Options": "nosniff",
		"X-Frame-Options":        "DENY",
		"Referrer-Policy":        "no-referrer",
	} {
		if got := r.Header.Get(k); got != v {
			t.Errorf("%s: %q, want %q", k, got, v)
		}
	}
}

// TestCaching: the page is revalidated by ETag (a reload costs a 304), the
// assets have content-hashed names and are immutable, precompressed forms
// are chosen by Accept-Encoding, and the decoded size is sent for the
// progress bar.
func TestCaching(t *testing.T) {
	dir, _ := buildDir(t)
	wasm, _ := os.ReadFile(filepath.Join(dir, "pushback.wasm"))
	if err := os.WriteFile(filepath.Join(dir, "pushback.wasm.br"), []byte("brotli bytes"), 0o644); err != nil {
		t.Fatal(err)
	}
	h := New(dir, nil)
	r := get(t, h, "/")
	page := body(t, r)
	if r.Header.Get("Cache-Control") != "no-cache" || r.Header.Get("ETag") == "" {
		t.Errorf("page: Cache-Control %q ETag %q", r.Header.Get("Cache-Control"), r.Header.Get("ETag"))
	}
	if r := get(t, h, "/", "If-None-Match", r.Header.Get("ETag")); r.StatusCode != http.StatusNotModified {
		t.Errorf("page revalidation: %d, want 304", r.StatusCode)
	}
	m := regexp.MustCompile(`"(pushback\.[0-9a-f]{16}\.wasm)"`).FindStringSubmatch(page)
	if m == nil || !regexp.MustCompile(`"wasm_exec\.[0-9a-f]{16}\.js"`).MatchString(page) {
		t.Fatalf("the page does not load hashed names:\n%s", page)
	}
	asset := "/" + m[1]

	cases := []struct {
		accept, coding, body string
	}{
		{"gzip, deflate, br, zstd", "br", "brotli bytes"},
		{"gzip, br;q=0", "gzip", string(wasm)},
		{"", "", string(wasm)},
	}
	for _, c := range cases {
		r := get(t, h, asset, "Accept-Encoding", c.accept)
		if r.StatusCode != http.StatusOK {
			t.Fatalf("%s (%q): %d", asset, c.accept, r.StatusCode)
		}
		got := body(t, r)
		if n, _ := strconv.Atoi(r.Header.Get("Content-Length")); n != len(got) {
			t.Errorf("%q: Content-Length %q for a body of %d bytes", c.accept, r.Header.Get("Content-Length"), len(got))
		}
		if c.coding == "gzip" {
			zr, err := gzip.NewReader(bytes.NewReader([]byte(got)))
			if err != nil {
				t.Fatal(err)
			}
			b, _ := io.ReadAll(zr)
			got = string(b)
		}
		if r.Header.Get("Content-Encoding") != c.coding || got != c.body {
			t.Errorf("%q: encoding %q, body %d bytes; want %q", c.accept, r.Header.Get("Content-Encoding"), len(got), c.coding)
		}
		if r.Header.Get("Cache-Control") != "public, max-age=31536000, immutable" ||
			r.Header.Get("Content-Type") != "application/wasm" ||
			r.Header.Get(DecodedLength) != "5504" || r.Header.Get("Vary") != "Accept-Encoding" {
			t.Errorf("%q: headers %v", c.accept, r.Header)
		}
	}
	sw := body(t, get(t, h, "/sw.js"))
	if !strings.Contains(sw, asset) {
		t.Errorf("the service worker does not keep %s:\n%s", asset, sw)
	}
	if r := get(t, h, "/pushback.0000000000000000.wasm"); r.StatusCode != http.StatusNotFound {
		t.Errorf("a stale hash: %d", r.StatusCode)
	}
}

// TestNoBuild: before `make web` the front page says how to build it.
func TestNoBuild(t *testing.T) {
	h := New(t.TempDir(), http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "build me") }))
	if b := body(t, get(t, h, "/")); b != "build me" {
		t.Errorf("GET / without a build: %q", b)
	}
	if r := get(t, h, "/pushback.wasm"); r.StatusCode != http.StatusNotFound {
		t.Errorf("GET /pushback.wasm without a build: %d", r.StatusCode)
	}
}
