//go:build !js

package conn

import (
	"context"

	"github.com/coder/websocket"
)

// wsSocket is a native WebSocket (github.com/coder/websocket).
type wsSocket struct{ ws *websocket.Conn }

func dial(ctx context.Context, url string) (socket, error) {
	ws, _, err := websocket.Dial(ctx, url, nil)
	if err != nil {
		return nil, err
	}
	ws.SetReadLimit(maxFrame)
	return wsSocket{ws}, nil
}

func (s wsSocket) Read(ctx context.Context) ([]byte, error) {
	_, b, err := s.ws.Read(ctx)
	return b, err
}

func (s wsSocket) Write(ctx context.Context, b []byte) error {
	return s.ws.Write(ctx, websocket.MessageBinary, b)
}

func (s wsSocket) CloseNow() { s.ws.CloseNow() }
