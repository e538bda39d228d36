// Package web serves the browser client's build directory (`make web`): the
// page, the game's wasm module and the wasm_exec.js of the Go that built it,
// and a service worker, with the caching and security headers that let a
// participant on conference Wi-Fi load the game once and reload it for a few
// hundred bytes (or with no network at all).
//
// The page is served under its own name with an ETag and `no-cache`, so a
// reload asks "still the same?" and gets a 304. The assets are served under
// names that carry a hash of their content (pushback.<hash>.wasm), which the
// page is rewritten to use, so they can be cached for a year as immutable:
// a new build is a new name. The build may precompress each asset as
// NAME.br and NAME.gz; without them the handler gzips the assets itself,
// once, when it loads the build.
//
// Nothing but regular files directly in the directory is served: no
// listings, no dotfiles, nothing in subdirectories, nothing reached through a
// symlink that leads out of the directory.
package web

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"mime"
	"net/http"
	"os"
	"path"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"
)

// The build's inputs: the page and the two assets it loads by name.
const (
	pageFile = "index.html"
	wasmFile = "pushback.wasm"
	execFile = "wasm_exec.js"
)

// DecodedLength is the response header that carries an asset's size before
// Content-Encoding. A browser's fetch reports decoded bytes while
// Content-Length counts compressed ones, so the page needs this to draw a
// true progress bar.
const DecodedLength = "X-Decoded-Length"

// immutable is how long a content-hashed asset may be kept: a year, never
// revalidated, since its name changes whenever its content does.
const immutable = "public, max-age=31536000, immutable"

// recheck is how often the handler looks whether the build changed, so
// `make web` under a running server takes effect without a restart.
const recheck = time.Second

// Handler serves the client build in one directory. The zero value is not
// usable; make one with New.
type Handler struct {
	dir      string
	fallback http.Handler // while the directory holds no build

	mu      sync.Mutex
	checked time.Time
	stamp   string // the inputs' sizes and times the build was loaded from
	b       *build // nil while there is none
	root    *os.Root
}

// build is one loaded client build.
type build struct {
	page   []byte
	etag   string
	csp    string
	sw     []byte
	swETag string
	assets map[string]*asset // by URL path, hashed and plain names alike
}

// asset is one content-hashed file and its compressed forms.
type asset struct {
	file   string // its name in the directory
	hashed string // its URL path with the content hash
	ctype  string
	etag   string
	size   int64
	mod    time.Time
	br, gz *encoded // nil when there is none
}

// encoded is a compressed form of an asset: a file the build wrote, or
// bytes the handler compressed itself.
type encoded struct {
	file string
	data []byte
	size int64
}

// New returns the handler for dir. fallback answers "/" while dir holds no
// client build (nil: 404).
func New(dir string, fallback http.Handler) *Handler {
	if fallback == nil {
		fallback = http.NotFoundHandler()
	}
	h := &Handler{dir: dir, fallback: fallback}
	go h.current() // load (and, without build-time .gz files, gzip) before the first visitor asks
	return h
}

// SecurityHeaders sets the headers every response of the client carries:
// what the page may load and connect to, no MIME sniffing, no framing (the
// game is a target for clickjacking a join or an answer), and no referrer
// with the room code leaving the site. csp is the page's policy.
func SecurityHeaders(h http.Header, csp string) {
	h.Set("Content-Security-Policy", csp)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("Cross-Origin-Opener-Policy", "same-origin")
}

// Policy is the Content-Security-Policy of a page whose inline scripts have
// the given hashes ('sha256-…' sources): the game's code from this origin
// only, WebAssembly compiled but no eval, the WebSocket to this origin, and
// no framing. Styles may be inline: the accessibility mirror hides itself
// with a style attribute, the page renders no markup from anyone, and a
// policy with hashes would make browsers ignore 'unsafe-inline'.
func Policy(scripts []string) string {
	return "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'" + join(scripts) +
		"; style-src 'self' 'unsafe-inline'" +
		"; img-src 'self' data: blob:; connect-src 'self'; worker-src 'self'; manifest-src 'self'" +
		"; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
}

func join(srcs []string) string {
	s := ""
	for _, x := range srcs {
		s += " " + x
	}
	return s
}

// strictCSP is the policy of anything that is not the page.
var strictCSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'"

func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		SecurityHeaders(w.Header(), strictCSP)
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	b, root := h.current()
	p := r.URL.Path
	if b == nil {
		if p == "/" {
			h.fallback.ServeHTTP(w, r)
			return
		}
		SecurityHeaders(w.Header(), strictCSP)
		http.NotFound(w, r)
		return
	}
	switch {
	case p == "/" || p == "/"+pageFile:
		SecurityHeaders(w.Header(), b.csp)
		serveBytes(w, r, "text/html; charset=utf-8", b.etag, "no-cache", b.page)
	case p == "/sw.js":
		SecurityHeaders(w.Header(), b.csp)
		serveBytes(w, r, "text/javascript; charset=utf-8", b.swETag, "no-cache", b.sw)
	case b.assets[p] != nil:
		SecurityHeaders(w.Header(), strictCSP)
		b.assets[p].serve(w, r, root, p == b.assets[p].hashed)
	default:
		SecurityHeaders(w.Header(), strictCSP)
		serveOther(w, r, root)
	}
}

// serveBytes answers with an in-memory body, 304 when the ETag matches.
func serveBytes(w http.ResponseWriter, r *http.Request, ctype, etag, cache string, body []byte) {
	hd := w.Header()
	hd.Set("Content-Type", ctype)
	hd.Set("ETag", etag)
	hd.Set("Cache-Control", cache)
	http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(body))
}

// serve answers with the asset in the best encoding the browser accepts.
// Under its hashed name it is immutable; under its plain name (a page from
// before content hashing) it is revalidated by ETag.
func (a *asset) serve(w http.ResponseWriter, r *http.Request, root *os.Root, hashed bool) {
	hd := w.Header()
	hd.Set("Content-Type", a.ctype)
	hd.Set("Vary", "Accept-Encoding")
	hd.Set(DecodedLength, strconv.FormatInt(a.size, 10))
	if hashed {
		hd.Set("Cache-Control", immutable)
	} else {
		hd.Set("Cache-Control", "no-cache")
	}
	enc, coding := a.pick(r.Header.Get("Accept-Encoding"))
	etag := a.etag
	if coding != "" {
		// http.ServeContent leaves out Content-Length under a
		// Content-Encoding; the page's progress bar wants it, so it is set
		// here, and ranges of a compressed body are not offered.
		hd.Set("Content-Encoding", coding)
		hd.Set("Content-Length", strconv.FormatInt(enc.size, 10))
		r.Header.Del("Range")
		etag = strings.TrimSuffix(etag, `"`) + "-" + coding + `"`
	}
	hd.Set("ETag", etag)
	var body io.ReadSeeker
	switch {
	case enc != nil && enc.data != nil:
		body = bytes.NewReader(enc.data)
	default:
		name := a.file
		if enc != nil {
			name = enc.file
		}
		f, err := root.Open(name)
		if err != nil {
			slog.Error("web: open asset", "file", name, "err", err)
			http.Error(w, "the file could not be read", http.StatusInternalServerError)
			return
		}
		defer f.Close()
		body = f
	}
	http.ServeContent(w, r, "", a.mod, body)
}

// pick chooses Brotli, then gzip, then none, as the browser accepts them.
func (a *asset) pick(accept string) (*encoded, string) {
	if a.br != nil && accepts(accept, "br") {
		return a.br, "br"
	}
	if a.gz != nil && accepts(accept, "gzip") {
		return a.gz, "gzip"
	}
	return nil, ""
}

// accepts reports whether an Accept-Encoding header takes coding with a
// non-zero quality.
func accepts(header, coding string) bool {
	for _, part := range strings.Split(header, ",") {
		name, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		if !strings.EqualFold(strings.TrimSpace(name), coding) {
			continue
		}
		params = strings.ReplaceAll(params, " ", "")
		if q, ok := strings.CutPrefix(params, "q="); ok {
			f, err := strconv.ParseFloat(q, 64)
			return err == nil && f > 0
		}
		return true
	}
	return false
}

// serveOther answers any other path with a regular file directly in the
// directory, opened through an os.Root so that no symlink leads out of it:
// no listings, no dotfiles, no subdirectories.
func serveOther(w http.ResponseWriter, r *http.Request, root *os.Root) {
	name := strings.TrimPrefix(r.URL.Path, "/")
	if name == "" || strings.ContainsAny(name, `/\`) || strings.HasPrefix(name, ".") || path.Clean(name) != name {
		http.NotFound(w, r)
		return
	}
	f, err := root.Open(name)
	if err != nil {
		http.NotFound(w, r)
		return
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil || !fi.Mode().IsRegular() {
		http.NotFound(w, r)
		return
	}
	if ct := mime.TypeByExtension(path.Ext(name)); ct != "" {
		w.Header().Set("Content-Type", ct)
	}
	w.Header().Set("Cache-Control", "no-cache")
	http.ServeContent(w, r, name, fi.ModTime(), f)
}

// current returns the loaded build, reloading it when its files changed.
func (h *Handler) current() (*build, *os.Root) {
	h.mu.Lock()
	defer h.mu.Unlock()
	now := time.Now()
	if now.Sub(h.checked) < recheck && !h.checked.IsZero() {
		return h.b, h.root
	}
	h.checked = now
	stamp := h.stampNow()
	if stamp == h.stamp {
		return h.b, h.root
	}
	root, err := os.OpenRoot(h.dir)
	if err != nil {
		h.stamp, h.b = stamp, nil
		return nil, nil
	}
	b, err := load(root)
	if err != nil {
		if !errors.Is(err, fs.ErrNotExist) {
			slog.Error("web: load the client build", "dir", h.dir, "err", err)
		}
		root.Close()
		h.stamp, h.b = stamp, nil
		return nil, nil
	}
	if h.root != nil {
		// Requests still reading from the old root keep their open files.
		old := h.root
		time.AfterFunc(time.Minute, func() { old.Close() })
	}
	h.stamp, h.b, h.root = stamp, b, root
	return b, root
}

// stampNow identifies the build's inputs by size and modification time.
func (h *Handler) stampNow() string {
	var sb strings.Builder
	for _, n := range []string{pageFile, wasmFile, execFile, wasmFile + ".br", wasmFile + ".gz", execFile + ".br", execFile + ".gz"} {
		fi, err := os.Stat(path.Join(h.dir, n))
		if err != nil {
			sb.WriteString("-;")
			continue
		}
		fmt.Fprintf(&sb, "%d.%d;", fi.Size(), fi.ModTime().UnixNano())
	}
	return sb.String()
}

// load reads a build: hashes the assets, finds or makes their compressed
// forms, and rewrites the page to load them by their hashed names.
func load(root *os.Root) (*build, error) {
	page, err := root.ReadFile(pageFile)
	if err != nil {
		return nil, err
	}
	b := &build{assets: map[string]*asset{}}
	var shell []string
	for _, n := range []string{execFile, wasmFile} {
		a, err := loadAsset(root, n)
		if errors.Is(err, fs.ErrNotExist) {
			continue // the page's reference to it will answer 404
		}
		if err != nil {
			return nil, err
		}
		b.assets["/"+n] = a
		b.assets[a.hashed] = a
		shell = append(shell, a.hashed)
		page = bytes.ReplaceAll(page, []byte(`"`+n+`"`), []byte(`"`+strings.TrimPrefix(a.hashed, "/")+`"`))
	}
	b.page = page
	b.etag = etagOf(page)
	b.csp = Policy(inlineHashes(page))
	b.sw = serviceWorker(b.etag, shell)
	b.swETag = etagOf(b.sw)
	return b, nil
}

func loadAsset(root *os.Root, name string) (*asset, error) {
	f, err := root.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, err
	}
	sum := sha256.New()
	var gz bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&gz, gzip.BestCompression)
	a := &asset{file: name, size: fi.Size(), mod: fi.ModTime(), ctype: mime.TypeByExtension(path.Ext(name))}
	if path.Ext(name) == ".wasm" {
		a.ctype = "application/wasm"
	}
	a.br = precompressed(root, name+".br", fi)
	a.gz = precompressed(root, name+".gz", fi)
	w := io.Writer(sum)
	if a.gz == nil {
		w = io.MultiWriter(sum, zw) // no build-time gzip: make one now, once
	}
	if _, err := io.Copy(w, f); err != nil {
		return nil, fmt.Errorf("read %s: %w", name, err)
	}
	hash := hex.EncodeToString(sum.Sum(nil))[:16]
	ext := path.Ext(name)
	a.hashed = "/" + strings.TrimSuffix(name, ext) + "." + hash + ext
	a.etag = `"` + hash + `"`
	if a.gz == nil {
		if err := zw.Close(); err != nil {
			return nil, err
		}
		a.gz = &encoded{data: gz.Bytes(), size: int64(gz.Len())}
		slog.Info("web: gzipped at start (no build-time .gz)", "file", name, "bytes", gz.Len())
	}
	return a, nil
}

// precompressed returns the build's compressed file name, if there is one
// and it is not older than the file it compresses.
func precompressed(root *os.Root, name string, of os.FileInfo) *encoded {
	fi, err := root.Stat(name)
	if err != nil || !fi.Mode().IsRegular() {
		return nil
	}
	// Whole seconds: some compressors copy the time without its fraction.
	if fi.ModTime().Before(of.ModTime().Truncate(time.Second)) {
		slog.Warn("web: ignoring a compressed file older than its source", "file", name)
		return nil
	}
	return &encoded{file: name, size: fi.Size()}
}

func etagOf(b []byte) string {
	s := sha256.Sum256(b)
	return `"` + hex.EncodeToString(s[:8]) + `"`
}

var inlineScript = regexp.MustCompile(`(?s)<script>(.*?)</script>`)

// inlineHashes are the CSP sources of the page's inline <script> elements
// (written without attributes), so the policy allows exactly them.
func inlineHashes(page []byte) []string {
	var out []string
	for _, m := range inlineScript.FindAllSubmatch(page, -1) {
		s := sha256.Sum256(m[1])
		out = append(out, "'sha256-"+base64.StdEncoding.EncodeToString(s[:])+"'")
	}
	return out
}

// serviceWorker is the worker that lets a participant reload the page with
// no network: it keeps the page and this build's assets, answers the page
// from the network when it can (so a new build is seen at once) and from its
// cache when it cannot, and the hashed assets from its cache. Browsers run
// service workers only in a secure context: https, or localhost.
func serviceWorker(version string, shell []string) []byte {
	list := `"/"`
	for _, s := range shell {
		list += `, "` + s + `"`
	}
	return []byte(`// Pushback's service worker, written by the server for build ` + version + `.
const CACHE = "pushback-` + strings.Trim(version, `"`) + `";
const SHELL = [` + list + `];
self.addEventListener("install", (e) => {
  e.waitUntil(caches.open(CACHE).then((c) => c.addAll(SHELL)).then(() => self.skipWaiting()));
});
self.addEventListener("activate", (e) => {
  e.waitUntil(caches.keys()
    .then((ks) => Promise.all(ks.filter((k) => k.startsWith("pushback-") && k !== CACHE).map((k) => caches.delete(k))))
    .then(() => self.clients.claim()));
});
self.addEventListener("fetch", (e) => {
  const req = e.request, url = new URL(req.url);
  if (req.method !== "GET" || url.origin !== self.location.origin) return;
  if (req.mode === "navigate" && (url.pathname === "/" || url.pathname === "/index.html")) {
    // From the network, so a new build shows at once; from the cache when
    // the network or the server (a 5xx from a proxy in front) is down.
    const cached = () => caches.match("/");
    e.respondWith(fetch(req).then((resp) => {
      if (resp.ok) {
        const copy = resp.clone();
        caches.open(CACHE).then((c) => c.put("/", copy));
      }
      return resp.status >= 500 ? cached().then((hit) => hit || resp) : resp;
    }, () => cached().then((hit) => hit || Response.error())));
    return;
  }
  if (SHELL.includes(url.pathname)) {
    e.respondWith(caches.match(url.pathname).then((hit) => hit || fetch(req)));
  }
});
`)
}
