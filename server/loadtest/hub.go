package loadtest

import (
	"net/http"
	"net/http/pprof"

	"pushback/server/room"
	"pushback/server/store"
)

// ServeHub serves the room package alone on addr with its data in dir:
// /ws, /metrics and, with profile, /debug/pprof. It is the server the load
// tool profiles and the one its test kills; it returns only on failure.
func ServeHub(addr, dir string, profile bool) error {
	st, err := store.Open(dir)
	if err != nil {
		return err
	}
	h, err := room.New(room.Config{Store: st, MaxRooms: 1_000_000, NoLimits: true})
	if err != nil {
		return err
	}
	mux := http.NewServeMux()
	mux.Handle("/ws", h)
	mux.Handle("/metrics", h.Metrics())
	if profile {
		mux.HandleFunc("/debug/pprof/", pprof.Index)
		mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	}
	return http.ListenAndServe(addr, mux)
}
