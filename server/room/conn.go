package room

import (
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gorilla/websocket"
	"golang.org/x/time/rate"

	"pushback/server/protocol"
	"pushback/sim"
)

// Connection timing, in the shape of gorilla's chat example: the writer
// pings well within the reader's pong deadline.
const (
	writeWait  = 10 * time.Second
	pongWait   = 60 * time.Second
	pingPeriod = pongWait * 9 / 10
)

// client is one WebSocket connection. It has exactly one reader goroutine
// (readPump) and one writer goroutine (writePump); everyone else hands it
// frames through send, which never blocks: a client whose queue is full is
// evicted rather than waited on.
type client struct {
	hub  *Hub
	ws   *websocket.Conn
	addr string // remote host, for the code-guessing throttle
	send chan []byte
	quit chan struct{}
	once sync.Once

	room atomic.Pointer[Room] // the room it is in, nil before join

	// Owned by the reader goroutine.
	hello   bool
	limiter *rate.Limiter
	strikes int

	// Owned by the goroutine of the room it is in.
	id   int
	seat sim.Seat
	role string
	name string
}

// enqueue queues a frame without ever blocking; a full queue evicts the
// client (its writer then closes the socket and its reader detaches it).
func (c *client) enqueue(b []byte) {
	select {
	case <-c.quit:
		return
	default:
	}
	select {
	case c.send <- b:
		c.hub.m.msgsOut.Inc()
	default:
		c.hub.m.evicted.Inc()
		slog.Warn("evicting slow client", "addr", c.addr, "queue", cap(c.send))
		c.close()
	}
}

// reply encodes and queues a message.
func (c *client) reply(m protocol.ServerMsg) {
	b, err := protocol.Encode(m)
	if err != nil {
		slog.Error("encode", "kind", m.Kind, "err", err)
		return
	}
	c.enqueue(b)
}

// fail answers a request with a typed error.
func (c *client) fail(re uint32, code protocol.Code, msg string) {
	c.hub.m.errors.WithLabelValues(string(code)).Inc()
	c.reply(protocol.ServerMsg{Kind: protocol.KindError, Re: re, Error: &protocol.Error{Code: code, Message: msg}})
}

// close ends the connection once; safe from any goroutine.
func (c *client) close() {
	c.once.Do(func() { close(c.quit) })
}

// readPump decodes frames and hands them on. It is the only reader of ws,
// and closes it last: after the connection is told to close (evicted,
// kicked, abusive) it keeps reading and discarding until the client answers
// the close frame or the writer's deadline cuts it off, so that nothing the
// server sent before closing is lost to a TCP reset.
func (c *client) readPump() {
	defer func() {
		c.close()
		if r := c.room.Load(); r != nil {
			r.leave(c)
		}
		c.ws.Close()
		c.hub.gone(c)
	}()
	c.ws.SetReadLimit(protocol.MaxMessage)
	c.ws.SetReadDeadline(time.Now().Add(pongWait))
	c.ws.SetPongHandler(func(string) error { c.ws.SetReadDeadline(time.Now().Add(pongWait)); return nil })
	for {
		typ, b, err := c.ws.ReadMessage()
		if err != nil {
			if websocket.IsUnexpectedCloseError(err, websocket.CloseGoingAway, websocket.CloseNormalClosure, websocket.CloseNoStatusReceived) {
				slog.Debug("read", "addr", c.addr, "err", err)
			}
			return
		}
		select {
		case <-c.quit:
			continue // closing: drain
		default:
		}
		c.hub.m.msgsIn.Inc()
		if !c.limiter.Allow() {
			c.strikes++
			if c.strikes > c.hub.cfg.Strikes {
				slog.Warn("disconnecting a flooding client", "addr", c.addr)
				c.close()
				continue
			}
			c.fail(0, protocol.CodeRateLimited, "too many messages; slow down or be disconnected")
			continue
		}
		if typ != websocket.BinaryMessage {
			c.fail(0, protocol.CodeBadMessage, "frames must be binary msgpack")
			continue
		}
		m, err := protocol.DecodeClient(b)
		if err != nil {
			c.fail(0, protocol.CodeBadMessage, err.Error())
			continue
		}
		c.hub.dispatch(c, m)
	}
}

// writePump is the only writer of ws: frames, pings and the close frame.
// On a write error it closes the socket, which also ends the reader.
func (c *client) writePump() {
	ticker := time.NewTicker(pingPeriod)
	defer func() {
		ticker.Stop()
		c.ws.SetWriteDeadline(time.Now().Add(time.Second))
		if c.ws.WriteMessage(websocket.CloseMessage, websocket.FormatCloseMessage(websocket.CloseNormalClosure, "")) != nil {
			c.ws.Close()
			return
		}
		// The reader drains until the client answers the close, at most 2 s.
		c.ws.SetReadDeadline(time.Now().Add(2 * time.Second))
	}()
	for {
		select {
		case b := <-c.send:
			c.ws.SetWriteDeadline(time.Now().Add(writeWait))
			if err := c.ws.WriteMessage(websocket.BinaryMessage, b); err != nil {
				c.close()
				c.ws.Close()
				return
			}
		case <-ticker.C:
			c.ws.SetWriteDeadline(time.Now().Add(writeWait))
			if err := c.ws.WriteMessage(websocket.PingMessage, nil); err != nil {
				c.close()
				c.ws.Close()
				return
			}
		case <-c.quit:
			// Flush what is queued (the last error, say) before closing,
			// within one second in all.
			c.ws.SetWriteDeadline(time.Now().Add(time.Second))
			for {
				select {
				case b := <-c.send:
					if c.ws.WriteMessage(websocket.BinaryMessage, b) != nil {
						return
					}
				default:
					return
				}
			}
		}
	}
}
