# clubdesk — the two commands a new user needs are `make run` and `make test`.

GO        ?= go
BIN       := bin/clubdesk
VERSION   ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS   := -X main.version=$(VERSION)
STATICCHECK := honnef.co/go/tools/cmd/staticcheck@v0.8.2

.PHONY: run build test tools lint bench clean

## run: build and open the console (the demo club when there is no config)
run: build
	./$(BIN) $(ARGS)

## build: compile bin/clubdesk
build:
	$(GO) build -ldflags "$(LDFLAGS)" -o $(BIN) .

## test: every test, including the end-to-end run in a real terminal (tmux)
test: tools
	$(GO) test -count=1 ./...

## tools: install what the tests need, or say exactly what to install:
##        tmux (end-to-end test), dbus + gnome-keyring + libsecret-tools (keyring test)
TEST_TOOLS := tmux dbus-run-session dbus-send gnome-keyring-daemon secret-tool
TEST_PKGS  := tmux dbus gnome-keyring libsecret-tools
tools:
	@missing=""; for t in $(TEST_TOOLS); do command -v $$t >/dev/null 2>&1 || missing="$$missing $$t"; done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "installing test tools:$$missing"; \
	    DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
	    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $(TEST_PKGS) >/dev/null; \
	  else \
	    echo "The tests need:$$missing. Install: sudo apt-get install --no-install-recommends $(TEST_PKGS)"; \
	    exit 1; \
	  fi; \
	fi

## lint: go vet and staticcheck
lint:
	$(GO) vet ./...
	$(GO) run $(STATICCHECK) ./...

## bench: the benchmarks whose figures the README quotes
bench:
	$(GO) test -run '^$$' -bench . -benchmem ./...

clean:
	rm -rf bin
