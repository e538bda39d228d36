//go:build !js

package ui

import "pushback/client/scene"

// textInput: on the desktop the typed characters arrive with the tick's
// input, so fields need no platform entry.
func textInput() scene.TextInput { return nil }
