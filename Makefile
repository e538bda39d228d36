# Pushback. `make run` serves the game; `make test` runs every test.
GO      ?= go
ADDR    ?= :8080
WEB     := build/web
GOROOT  := $(shell $(GO) env GOROOT)

.PHONY: run test deps vet test-go test-client test-e2e bench web

## run: build the browser client and serve the default scenario on $(ADDR)
run: web
	$(GO) run ./server -addr $(ADDR) -web $(WEB)

## web: the browser build of the client, served at / by the server. With
## brotli installed (.ci/deps.sh) the files are precompressed as .br and
## .gz; without it, gzipped only. The server serves the files under content-hashed names
## (server/web). Each file is written under a dot name and moved into place,
## the module before its compressed forms, so that a running server never
## serves a half-written file.
## The module is compiled without inlining, except in the runtime: the
## tables of inlined calls compress badly, and without them the Brotli
## download is 10 % smaller (2.20 → 1.99 MB) while the game starts no slower
## (client/README.md, "Sizes of the wasm module"). binaryen's wasm-opt -O2
## would then make it 6 KB larger, in 50 s.
WASM_GCFLAGS ?= -gcflags=all=-l -gcflags=runtime/...= -gcflags=internal/...=
web:
	mkdir -p $(WEB)
	GOOS=js GOARCH=wasm $(GO) build -trimpath $(WASM_GCFLAGS) -ldflags="-s -w" -o $(WEB)/.pushback.wasm ./client
	cp $(GOROOT)/lib/wasm/wasm_exec.js $(WEB)/.wasm_exec.js
	for f in pushback.wasm wasm_exec.js; do \
	  gzip -9 -n -c $(WEB)/.$$f > $(WEB)/.$$f.gz && \
	  if command -v brotli >/dev/null; then brotli -q 11 -n -f -o $(WEB)/.$$f.br $(WEB)/.$$f && chmod 644 $(WEB)/.$$f.br; fi; \
	done
	rm -f $(WEB)/*.br $(WEB)/*.gz
	for f in pushback.wasm wasm_exec.js; do \
	  mv $(WEB)/.$$f $(WEB)/$$f; \
	  if [ -f $(WEB)/.$$f.br ]; then mv $(WEB)/.$$f.br $(WEB)/$$f.br; fi; \
	  mv $(WEB)/.$$f.gz $(WEB)/$$f.gz; \
	done
	cp client/web/index.html $(WEB)/.index.html && mv $(WEB)/.index.html $(WEB)/index.html

## test: every test (installs what the tests need with apt-get)
test: deps vet test-go test-client test-e2e

deps:
	bash .ci/deps.sh

vet:
	$(GO) vet ./...

# sim starts no goroutine (it is pure), so the race detector has nothing to
# watch there and would only make its thousands of balance games 10x slower.
# -pgo=off: the server's profile (server/default.pgo) would make the race
# build compile every package a second time; the server binaries the tests
# build and run themselves (security, e2e) are built as shipped, with it.
test-go:
	$(GO) test -count=1 ./sim/...
	$(GO) test -race -pgo=off -count=1 ./scenarios/... ./server/... ./client/model/...

## test-client: the client's link and session over loopback, its screens' input, focus and semantics
## without a display, and the render test (pixels) in a real window under Xvfb
test-client:
	$(GO) test -race -count=1 ./client/conn/... ./client/session/... ./client/scene/... ./client/ui/layout/...
	xvfb-run -a -s "-screen 0 1920x1080x24" $(GO) test -count=1 ./client/ui

## test-e2e: the browser build in headless Chromium against the real server
test-e2e: web
	$(GO) test -count=1 -timeout 20m -tags e2e ./client/e2e/...

## bench: the benchmarks, reported in sim/README.md and server/PERFORMANCE.md,
## compiled as the server binary is: with its profile (server/pgo.sh)
bench:
	$(GO) test -pgo=server/default.pgo -run '^$$' -bench . -benchmem ./sim/... ./server/...
