//go:build js

package scene

import (
	"sync"
	"syscall/js"

	"pushback/server/protocol"
)

// pickInBrowser: the browser build uploads a scenario file through the
// page's own file chooser.
const pickInBrowser = true

// picker is the page's <input type=file> and the file it last read.
var picker struct {
	input js.Value
	mu    sync.Mutex
	name  string
	data  []byte
	ready bool
}

// filePicker puts the hidden file input into the page once (id pb-file).
func filePicker() js.Value {
	if picker.input.Truthy() {
		return picker.input
	}
	doc := js.Global().Get("document")
	if !doc.Truthy() || !doc.Get("body").Truthy() {
		return js.Undefined()
	}
	in := doc.Call("createElement", "input")
	in.Set("type", "file")
	in.Set("id", "pb-file")
	in.Set("accept", ".yaml,.yml,text/yaml,application/yaml")
	in.Call("setAttribute", "aria-label", "Scenario file")
	in.Call("setAttribute", "style", hideCSS)
	in.Call("addEventListener", "change", js.FuncOf(func(this js.Value, args []js.Value) any {
		files := in.Get("files")
		if !files.Truthy() || files.Length() == 0 {
			return nil
		}
		f := files.Index(0)
		name := f.Get("name").String()
		// One byte past the limit is enough to say the file is too large.
		f.Call("slice", 0, protocol.MaxScenario+1).Call("arrayBuffer").Call("then", js.FuncOf(func(this js.Value, args []js.Value) any {
			u := js.Global().Get("Uint8Array").New(args[0])
			b := make([]byte, u.Length())
			js.CopyBytesToGo(b, u)
			picker.mu.Lock()
			picker.name, picker.data, picker.ready = name, b, true
			picker.mu.Unlock()
			in.Set("value", "") // the same file may be chosen again after an edit
			return nil
		}))
		return nil
	}))
	doc.Get("body").Call("appendChild", in)
	picker.input = in
	return in
}

// pickFile opens the browser's file chooser.
func pickFile() {
	if in := filePicker(); in.Truthy() {
		in.Call("click")
	}
}

// takePicked returns a file the trainer chose, once.
func takePicked() (name string, data []byte, ok bool) {
	picker.mu.Lock()
	defer picker.mu.Unlock()
	if !picker.ready {
		return "", nil, false
	}
	picker.ready = false
	return picker.name, picker.data, true
}

// readScenario is the desktop's; the browser reads through the chooser.
func readScenario(string) (string, []byte, error) { return "", nil, nil }

// openURL opens a link in a new tab, or downloads what it points to.
func openURL(url string, download bool) {
	if !download {
		js.Global().Call("open", url, "_blank", "noopener")
		return
	}
	a := js.Global().Get("document").Call("createElement", "a")
	a.Set("href", url)
	a.Call("setAttribute", "download", "")
	a.Call("click")
}
