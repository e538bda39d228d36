//go:build js

package conn

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"syscall/js"
)

// jsSocket is the browser's own WebSocket, used through syscall/js rather
// than github.com/coder/websocket: that package's js build imports
// net/http, which brings crypto/tls and x509 into the wasm module for
// nothing (issue 14: what is shipped).
type jsSocket struct {
	ws     js.Value
	frames chan []byte
	closed chan struct{}
	once   sync.Once
	err    error
	funcs  []js.Func
}

func dial(ctx context.Context, url string) (socket, error) {
	s := &jsSocket{frames: make(chan []byte, 256), closed: make(chan struct{})}
	opened := make(chan struct{})
	var openOnce sync.Once
	defer func() {
		select {
		case <-opened:
		default:
			s.CloseNow()
		}
	}()
	ws := js.Global().Get("WebSocket").New(url)
	ws.Set("binaryType", "arraybuffer")
	s.ws = ws
	on := func(event string, f func(js.Value)) {
		fn := js.FuncOf(func(this js.Value, args []js.Value) any {
			var v js.Value
			if len(args) > 0 {
				v = args[0]
			}
			f(v)
			return nil
		})
		s.funcs = append(s.funcs, fn)
		ws.Call("addEventListener", event, fn)
	}
	on("open", func(js.Value) { openOnce.Do(func() { close(opened) }) })
	on("message", func(e js.Value) {
		data := e.Get("data")
		if data.Type() == js.TypeString {
			return // the protocol is binary
		}
		arr := js.Global().Get("Uint8Array").New(data)
		if n := arr.Get("length").Int(); n > maxFrame {
			s.fail(fmt.Errorf("a frame of %d bytes, over the limit", n))
			return
		}
		b := make([]byte, arr.Get("length").Int())
		js.CopyBytesToGo(b, arr)
		select {
		case s.frames <- b:
		default:
			// The game loop drains events every frame; a backlog this long
			// means it is gone. Drop the link rather than block the browser.
			s.fail(errors.New("the reader fell behind"))
		}
	})
	on("close", func(e js.Value) {
		s.fail(fmt.Errorf("connection closed (%d)", e.Get("code").Int()))
	})
	on("error", func(js.Value) { s.fail(errors.New("connection failed")) })
	select {
	case <-opened:
		return s, nil
	case <-s.closed:
		return nil, s.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

func (s *jsSocket) fail(err error) {
	s.once.Do(func() {
		s.err = err
		close(s.closed)
	})
}

func (s *jsSocket) Read(ctx context.Context) ([]byte, error) {
	select {
	case b := <-s.frames:
		return b, nil
	default:
	}
	select {
	case b := <-s.frames:
		return b, nil
	case <-s.closed:
		return nil, s.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

func (s *jsSocket) Write(ctx context.Context, b []byte) error {
	select {
	case <-s.closed:
		return s.err
	default:
	}
	arr := js.Global().Get("Uint8Array").New(len(b))
	js.CopyBytesToJS(arr, b)
	s.ws.Call("send", arr)
	return nil
}

func (s *jsSocket) CloseNow() {
	s.fail(errors.New("closed"))
	s.ws.Call("close")
	for _, f := range s.funcs {
		f.Release()
	}
	s.funcs = nil
}
