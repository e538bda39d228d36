package loadtest

import (
	"encoding/binary"
	"fmt"
	"net/http"
	"runtime"
	"strconv"
	"sync"

	"github.com/gorilla/websocket"
)

// Baseline is the yardstick: the least a gorilla/websocket server can do for
// the same traffic. Clients of one room connect to /base?room=R&n=N&size=S;
// when the N-th arrives it announces version 0 to all, and from then on each
// frame a client sends bumps the room's version and is answered the way the
// game answers a command: one S-byte frame to every connection of the room,
// then a short acknowledgement to the sender. It decodes nothing, stores
// nothing and builds no views, in the shape of gorilla's chat example (a
// reader and a writer goroutine per connection, a buffered send queue, the
// library's default buffers), so that the ratio of our figures to its
// figures is the price of the game itself.
type Baseline struct {
	up    websocket.Upgrader
	mu    sync.Mutex
	rooms map[string]*baseRoom
}

// Frames of the baseline: 8 bytes of version, one byte of kind, padding.
const (
	baseView = 'v'
	baseAck  = 'k'
)

type baseRoom struct {
	mu      sync.Mutex
	conns   map[*baseConn]struct{}
	version uint64
	n, size int
	started bool
}

type baseConn struct {
	ws   *websocket.Conn
	send chan []byte
}

// NewBaseline makes an empty baseline server. Lean gives it the buffer
// settings we recommend for our own server — a 1 KiB read buffer (client
// frames are a few hundred bytes; larger ones are still read whole) and a
// shared pool of write buffers, held only while a frame is written — so
// that the saving per connection can be measured on the bare library.
func NewBaseline(lean bool) *Baseline {
	b := &Baseline{rooms: map[string]*baseRoom{}}
	if lean {
		b.up = websocket.Upgrader{ReadBufferSize: 1024, WriteBufferSize: 4096, WriteBufferPool: &sync.Pool{}}
	}
	return b
}

func baseFrame(v uint64, kind byte, size int) []byte {
	b := make([]byte, max(size, 9))
	binary.BigEndian.PutUint64(b, v)
	b[8] = kind
	return b
}

// ServeHTTP serves /base (the relay) and /stats (goroutines and heap, in
// the Prometheus text format the load tool reads from our server too).
func (s *Baseline) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path == "/stats" || r.URL.Path == "/metrics" {
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		fmt.Fprintf(w, "go_goroutines %d\ngo_memstats_heap_inuse_bytes %d\ngo_memstats_sys_bytes %d\n",
			runtime.NumGoroutine(), ms.HeapInuse, ms.Sys)
		return
	}
	q := r.URL.Query()
	n, _ := strconv.Atoi(q.Get("n"))
	size, _ := strconv.Atoi(q.Get("size"))
	ws, err := s.up.Upgrade(w, r, nil)
	if err != nil {
		return
	}
	code := q.Get("room")
	s.mu.Lock()
	rm := s.rooms[code]
	if rm == nil {
		rm = &baseRoom{conns: map[*baseConn]struct{}{}, n: n, size: size}
		s.rooms[code] = rm
	}
	s.mu.Unlock()
	c := &baseConn{ws: ws, send: make(chan []byte, 64)}
	rm.mu.Lock()
	rm.conns[c] = struct{}{}
	if rm.started {
		c.send <- baseFrame(rm.version, baseView, rm.size)
	} else if len(rm.conns) >= rm.n {
		rm.started = true
		rm.broadcastLocked()
	}
	rm.mu.Unlock()
	go c.writePump()
	go s.readPump(c, code, rm)
}

func (rm *baseRoom) broadcastLocked() {
	f := baseFrame(rm.version, baseView, rm.size)
	for c := range rm.conns {
		select {
		case c.send <- f:
		default: // a full queue: drop the client, as the chat example does
			delete(rm.conns, c)
			close(c.send)
		}
	}
}

func (s *Baseline) readPump(c *baseConn, code string, rm *baseRoom) {
	defer func() {
		rm.mu.Lock()
		if _, ok := rm.conns[c]; ok {
			delete(rm.conns, c)
			close(c.send)
		}
		empty := len(rm.conns) == 0
		rm.mu.Unlock()
		if empty {
			s.mu.Lock()
			if s.rooms[code] == rm {
				delete(s.rooms, code)
			}
			s.mu.Unlock()
		}
		c.ws.Close()
	}()
	for {
		if _, _, err := c.ws.ReadMessage(); err != nil {
			return
		}
		rm.mu.Lock()
		rm.version++
		rm.broadcastLocked()
		if _, ok := rm.conns[c]; ok {
			select {
			case c.send <- baseFrame(rm.version, baseAck, 9):
			default:
			}
		}
		rm.mu.Unlock()
	}
}

func (c *baseConn) writePump() {
	defer c.ws.Close()
	for b := range c.send {
		if err := c.ws.WriteMessage(websocket.BinaryMessage, b); err != nil {
			return
		}
	}
	c.ws.WriteMessage(websocket.CloseMessage, websocket.FormatCloseMessage(websocket.CloseNormalClosure, ""))
}

// schedule is the baseline's stand-in for the rules: the same turn shape as
// a game (the executive's mandate, every manager's answer, the executive's
// rulings one by one, everyone's ready), so that the baseline carries the
// same number of commands in the same order of waiting as a real game.
type schedule struct {
	players, rulings, turns int
}

func (s schedule) perTurn() uint64 { return uint64(1 + (s.players - 1) + s.rulings + s.players) }

func (s schedule) total() uint64 { return s.perTurn() * uint64(s.turns) }

// at returns the phase (a number unique to this phase of this game) at
// version v and whether seat owes a command in it, one at a time
// (serial) or once per phase (parallel).
func (s schedule) at(v uint64, seat int) (phase uint64, owes, serial bool) {
	l := s.perTurn()
	turn, p := v/l, v%l
	switch {
	case p == 0: // mandate
		return turn * 4, seat == 0, true
	case p < uint64(s.players): // answers
		return turn*4 + 1, seat > 0, false
	case p < uint64(s.players+s.rulings): // rulings
		return turn*4 + 2, seat == 0, true
	default: // ready
		return turn*4 + 3, true, false
	}
}
