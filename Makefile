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
## binaryen's wasm-opt and brotli installed (.ci/deps.sh) the module is
## optimised and precompressed as .br and .gz; without them it is built
## plain and gzipped. The server serves the files under content-hashed names
## (server/web). Each file is written under a dot name and moved into place,
## the module before its compressed forms, so that a running server never
## serves a half-written file.
WASMOPT_FLAGS ?= -O2 --enable-bulk-memory --enable-sign-ext --enable-nontrapping-float-to-int --enable-mutable-globals
web:
	mkdir -p $(WEB)
	GOOS=js GOARCH=wasm $(GO) build -trimpath -ldflags="-s -w" -o $(WEB)/.pushback.wasm ./client
	if command -v wasm-opt >/dev/null; then \
	  wasm-opt $(WASMOPT_FLAGS) $(WEB)/.pushback.wasm -o $(WEB)/.pushback.opt.wasm && \
	  mv $(WEB)/.pushback.opt.wasm $(WEB)/.pushback.wasm; \
	else echo "wasm-opt not found: the module is not optimised (bash .ci/deps.sh installs binaryen)"; fi
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
test-go:
	$(GO) test -count=1 ./sim/...
	$(GO) test -race -count=1 ./scenarios/... ./server/... ./client/model/...

## test-client: the client's link over loopback, and the render test in a real window under Xvfb
test-client:
	$(GO) test -race -count=1 ./client/conn/...
	xvfb-run -a -s "-screen 0 1920x1080x24" $(GO) test -count=1 ./client/ui/...

## test-e2e: the browser build in headless Chromium against the real server
test-e2e: web
	$(GO) test -count=1 -timeout 20m -tags e2e ./client/e2e/...

## bench: the benchmarks, reported in sim/README.md and server/PERFORMANCE.md
bench:
	$(GO) test -run '^$$' -bench . -benchmem ./sim/... ./server/...
