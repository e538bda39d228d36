package room

import (
	"net"
	"net/http"
	"strings"
	"sync"

	"golang.org/x/time/rate"
)

// The budgets a stranger can spend. Each is a token bucket per address
// group (an IPv4 address, or an IPv6 /64: one host's share of addresses)
// and, where a crowd of addresses could still spend the server's capacity,
// one more for everybody together.

// addrKey groups a remote host: IPv6 addresses by their /64, everything
// else as it is.
func addrKey(host string) string {
	ip := net.ParseIP(host)
	if ip == nil {
		return host
	}
	if v4 := ip.To4(); v4 != nil {
		return v4.String()
	}
	return ip.Mask(net.CIDRMask(64, 128)).String() + "/64"
}

// budget is a token bucket per address group plus an optional global one.
type budget struct {
	off   bool
	rate  rate.Limit
	burst int
	all   *rate.Limiter // nil: no global bucket

	mu  sync.Mutex
	per map[string]*rate.Limiter
}

func newBudget(perRate float64, perBurst int, allRate float64, allBurst int) *budget {
	b := &budget{off: perRate < 0, rate: rate.Limit(perRate), burst: perBurst, per: map[string]*rate.Limiter{}}
	if allRate > 0 && !b.off {
		b.all = rate.NewLimiter(rate.Limit(allRate), allBurst)
	}
	return b
}

func (b *budget) limiter(key string) *rate.Limiter {
	l := b.per[key]
	if l == nil {
		if len(b.per) > 100_000 { // bound the map; forgetting is the safe side
			clear(b.per)
		}
		l = rate.NewLimiter(b.rate, b.burst)
		b.per[key] = l
	}
	return l
}

// allow spends one token of key's bucket and one of the global bucket.
func (b *budget) allow(key string) bool {
	if b.off {
		return true
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	l := b.limiter(key)
	if l.Tokens() < 1 || (b.all != nil && b.all.Tokens() < 1) {
		return false
	}
	l.Allow()
	if b.all != nil {
		b.all.Allow()
	}
	return true
}

// left reports whether key (and everybody) still has a token, spending none.
func (b *budget) left(key string) bool {
	if b.off {
		return true
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if l := b.per[key]; l != nil && l.Tokens() < 1 {
		return false
	}
	return b.all == nil || b.all.Tokens() >= 1
}

// charge spends a token of key's bucket and of the global one, if any is left.
func (b *budget) charge(key string) {
	if b.off {
		return
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	b.limiter(key).Allow()
	if b.all != nil {
		b.all.Allow()
	}
}

// RemoteKey is the address group of an HTTP request: the connection's peer,
// or, behind a trusted reverse proxy (Config.ForwardedHeader), the last
// address that proxy wrote in the header.
func (h *Hub) RemoteKey(r *http.Request) string {
	if hd := h.cfg.ForwardedHeader; hd != "" {
		if v := r.Header.Values(hd); len(v) > 0 {
			parts := strings.Split(v[len(v)-1], ",")
			if a := strings.TrimSpace(parts[len(parts)-1]); a != "" {
				return addrKey(a)
			}
		}
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	return addrKey(host)
}

// AllowHTTP spends one request of the address's entry budget (shared with
// creates, joins, resumes and table lists) for an HTTP endpoint that checks
// a token or builds a report; false means answer 429.
func (h *Hub) AllowHTTP(r *http.Request) bool {
	key := h.RemoteKey(r)
	return h.guesses.left(key) && h.entries.allow(key)
}

// GuessedHTTP charges a wrong token on an HTTP endpoint to the address, like
// a wrong code or token on a WebSocket.
func (h *Hub) GuessedHTTP(r *http.Request) { h.guesses.charge(h.RemoteKey(r)) }
