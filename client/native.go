//go:build !js

package main

import (
	"flag"
	"net/url"
	"strings"

	"pushback/client/ui"
)

// options are the command line's.
func options() (server, session string, fresh bool) {
	s := flag.String("server", "ws://localhost:8080/ws", "the server's WebSocket URL")
	sess := flag.String("session", "", "file that keeps the resume token (default: in the user's config directory)")
	f := flag.Bool("fresh", false, "forget any saved seat and start at the title screen")
	flag.Parse()
	return *s, *sess, *f
}

// roomParam is the room code given in the page's address; none on the desktop.
func roomParam() string { return "" }

// handover is the browser page's join form; the desktop has none.
func handover() (code, name string, join bool) { return "", "", false }

// joinURL is the address participants open in a browser: the server's own
// page, derived from its WebSocket URL.
func joinURL(server string) string {
	u, err := url.Parse(server)
	if err != nil {
		return server
	}
	u.Scheme = strings.Replace(strings.Replace(u.Scheme, "wss", "https", 1), "ws", "http", 1)
	u.Path = "/"
	return u.String()
}

// expose is the browser's test hook; the desktop has none.
func expose(*ui.App) {}
