package room

import (
	"bufio"
	"encoding/binary"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
	"time"
)

// frameConn is a WebSocket connection's socket, shared by gorilla and the
// writer pool. gorilla writes the handshake, the pongs (from the reader
// goroutine), the close frames and the close answering a protocol error;
// the writer pool writes a client's queued data frames and its ping
// itself, all of them framed into one buffer and written with one system
// call (gorilla would flush each message with its own). Every write holds
// mu, and each is whole frames, so frames from the two never interleave.
type frameConn struct {
	net.Conn
	mu sync.Mutex
	dl time.Time // the write deadline last set, under mu
}

func (f *frameConn) Write(p []byte) (int, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.Conn.Write(p)
}

// SetWriteDeadline waits for a write in progress, so that gorilla setting
// its own deadline does not cut short the writer's.
func (f *frameConn) SetWriteDeadline(t time.Time) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.dl = t
	return f.Conn.SetWriteDeadline(t)
}

// SetDeadline is SetWriteDeadline for both directions.
func (f *frameConn) SetDeadline(t time.Time) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.dl = t
	return f.Conn.SetDeadline(t)
}

// deadlineSlack is how much earlier than asked a write's deadline may be:
// writeFrames keeps the socket's deadline when it is at most this much
// earlier, rather than setting the runtime's timer again for each write.
const deadlineSlack = time.Second

// WebSocket opcodes with the final bit set: one unfragmented frame each.
const (
	finBinary = 0x80 | 2
	finPing   = 0x80 | 9
)

// queued is a frame in a connection's send queue. Its bytes are either its
// own (buf nil) or a broadcast view's shared buffer (buf), which the writer
// releases once it has copied them.
type queued struct {
	b   []byte
	buf *viewBuf
}

// viewBuf holds one seat's view of one broadcast, encoded into a pooled
// buffer and queued on every connection of that seat (observers and the
// projector share the public one). Each queue it is on holds a reference
// (refs, counted by the room before it hands the frames over); the writer
// drops its reference once it has copied the bytes into its write buffer,
// and the last one returns the buffer to viewBufs. So a view's bytes are
// never rewritten while a queue still holds them, and a broadcast makes no
// garbage (a frame dropped from a queue unwritten is left to the garbage
// collector).
type viewBuf struct {
	b    []byte
	refs atomic.Int32
}

var viewBufs = sync.Pool{New: func() any { return new(viewBuf) }}

// release drops one reference; nil is allowed.
func (v *viewBuf) release() {
	if v != nil && v.refs.Add(-1) == 0 {
		viewBufs.Put(v)
	}
}

// frameBufs are the writers' buffers, each as large as the largest batch
// it has framed.
var frameBufs = sync.Pool{New: func() any { return new([]byte) }}

// writeFrames writes binary messages, and a ping when ping is set, as
// unmasked server frames in one write that must end by deadline (or up to
// deadlineSlack before it). It releases the messages' view buffers.
func (f *frameConn) writeFrames(msgs []queued, ping bool, deadline time.Time) error {
	bp := frameBufs.Get().(*[]byte)
	b := (*bp)[:0]
	for _, m := range msgs {
		b = appendFrame(b, finBinary, m.b)
		m.buf.release() // copied: the view's buffer may be reused
	}
	if ping {
		b = appendFrame(b, finPing, nil)
	}
	f.mu.Lock()
	var err error
	if f.dl.After(deadline) || f.dl.Before(deadline.Add(-deadlineSlack)) {
		f.dl = deadline
		err = f.Conn.SetWriteDeadline(deadline)
	}
	if err == nil {
		_, err = f.Conn.Write(b)
	}
	f.mu.Unlock()
	*bp = b
	frameBufs.Put(bp)
	return err
}

// appendFrame appends one frame (RFC 6455 §5.2; a server's is not masked).
func appendFrame(b []byte, op byte, payload []byte) []byte {
	switch n := len(payload); {
	case n < 126:
		b = append(b, op, byte(n))
	case n <= 0xffff:
		b = binary.BigEndian.AppendUint16(append(b, op, 126), uint16(n))
	default:
		b = binary.BigEndian.AppendUint64(append(b, op, 127), uint64(n))
	}
	return append(b, payload...)
}

// framing hands the upgrader a connection whose socket is a frameConn.
type framing struct{ http.ResponseWriter }

func (w framing) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	conn, rw, err := http.NewResponseController(w.ResponseWriter).Hijack()
	if err != nil {
		return nil, nil, err
	}
	return &frameConn{Conn: conn}, rw, nil
}
