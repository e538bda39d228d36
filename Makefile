# Pushback. `make run` serves the game; `make test` runs every test.
GO      ?= go
ADDR    ?= :8080
WEB     := build/web
GOROOT  := $(shell $(GO) env GOROOT)

.PHONY: run test deps vet test-go test-client test-e2e bench web

## run: build the browser client and serve the default scenario on $(ADDR)
run: web
	$(GO) run ./server -addr $(ADDR) -web $(WEB)

## web: the browser build of the client, served at / by the server
web:
	mkdir -p $(WEB)
	GOOS=js GOARCH=wasm $(GO) build -trimpath -ldflags="-s -w" -o $(WEB)/pushback.wasm ./client
	cp $(GOROOT)/lib/wasm/wasm_exec.js $(WEB)/
	cp client/web/index.html $(WEB)/

## test: every test (installs what the tests need with apt-get)
test: deps vet test-go test-client test-e2e

deps:
	bash .ci/deps.sh

vet:
	$(GO) vet ./...

# sim starts no goroutine (it is pure), so the race detector has nothing to
# watch there and would only make its thousands of balance games 10x slower.
test-go:
	$(GO) test -count=1 ./sim/...
	$(GO) test -race -count=1 ./scenarios/... ./server/... ./client/model/...

## test-client: the client's link over loopback, and the render test in a real window under Xvfb
test-client:
	$(GO) test -race -count=1 ./client/conn/...
	xvfb-run -a -s "-screen 0 1920x1080x24" $(GO) test -count=1 ./client/ui/...

## test-e2e: the browser build in headless Chromium against the real server
test-e2e: web
	$(GO) test -count=1 -tags e2e ./client/e2e/...

## bench: the benchmarks, reported in sim/README.md and server/PERFORMANCE.md
bench:
	$(GO) test -run '^$$' -bench . -benchmem ./sim/... ./server/...
