package protocol

// DecodeView is decodeView, for the tests that compare it with msgpack.
var DecodeView = decodeView
