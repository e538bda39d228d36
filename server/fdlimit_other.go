//go:build !unix

package main

// fdLimit is unknown here.
func fdLimit() int { return 0 }
