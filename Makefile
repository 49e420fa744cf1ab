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

## test: every test, including the end-to-end runs in a real terminal (tmux),
##       on a pty, and through a real sshd on 127.0.0.1
test: tools
	$(GO) test -count=1 ./...

## tools: install what the tests need, or say exactly what to install:
##        tmux (end-to-end test), dbus + gnome-keyring + libsecret-tools (keyring test),
##        openssh-server + openssh-client (the console over SSH)
TEST_TOOLS := tmux dbus-run-session dbus-send gnome-keyring-daemon secret-tool ssh ssh-keygen
TEST_PKGS  := tmux dbus gnome-keyring libsecret-tools openssh-server openssh-client
tools:
	@missing=""; for t in $(TEST_TOOLS); do command -v $$t >/dev/null 2>&1 || missing="$$missing $$t"; done; \
	command -v sshd >/dev/null 2>&1 || [ -x /usr/sbin/sshd ] || missing="$$missing sshd"; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "installing test tools:$$missing"; \
	    DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
	    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $(TEST_PKGS) >/dev/null; \
	    case "$$missing" in *sshd*) \
	      : "the tests start their own sshd: the system one just installed need not run"; \
	      command -v systemctl >/dev/null 2>&1 && systemctl disable --now ssh.service >/dev/null 2>&1 || true;; \
	    esac; \
	  else \
	    echo "The tests need:$$missing. Install: sudo apt-get install --no-install-recommends $(TEST_PKGS)"; \
	    exit 1; \
	  fi; \
	fi

## lint: go vet and staticcheck
lint:
	$(GO) vet ./...
	$(GO) run $(STATICCHECK) ./...

## bench: every figure of BENCHMARKS.md (a few minutes on 2 cores). The
##        benchmarks that wait on a local server, a pty or a process start run
##        a fixed number of times; the rest for the default second each.
##        A big club (issue 16): GoCRMSearch, DemoClubSize run in the first
##        line; GoCRMClientList reads from a local server, a fixed 3 times;
##        FirstFrameBigClub and RSSBigClub run with FirstFrame and RSS.
BENCH_FIXED := ScanToCard|TypingRequests|TimetableToRoster|RequestsPerTask|BytesPerSelectionMove|FirstFrame|RSS|YclientsDayRosters|YclientsMarkThenRoster|Luckyfit|Serve|GoCRMClientList|OfflineHour|OfflineLoad
bench:
	$(GO) test -run '^$$' -bench . -skip '$(BENCH_FIXED)' -benchmem ./...
	$(GO) test -run '^$$' -bench 'GoCRMClientList' -benchtime 3x ./providers/gocrm
	$(GO) test -run '^$$' -bench 'ScanToCard|TypingRequests|TimetableToRoster' -benchtime 20x ./ui
	$(GO) test -run '^$$' -bench 'RequestsPerTask' -benchtime 1x ./ui
	$(GO) test -run '^$$' -bench 'BytesPerSelectionMove' -benchtime 98x ./e2e
	$(GO) test -run '^$$' -bench 'FirstFrame' -benchtime 20x ./e2e
	$(GO) test -run '^$$' -bench 'RSS' -benchtime 3x ./e2e
	$(GO) test -run '^$$' -bench 'YclientsDayRosters/.*/.*/desk' -benchtime 5x ./providers/yclients
	$(GO) test -run '^$$' -bench 'YclientsDayRosters/.*/.*/naive' -benchtime 1x ./providers/yclients
	$(GO) test -run '^$$' -bench 'YclientsMarkThenRoster' -benchtime 10x ./providers/yclients
	$(GO) test -run '^$$' -bench 'LuckyfitFirstCardBookings|LuckyfitFirstCardSlowLine|LuckyfitNextCardAfterBooking|LuckyfitCardQueue' -benchtime 3x ./providers/luckyfit
	$(GO) test -run '^$$' -bench 'Serve' -benchtime 3x ./e2e
	$(GO) test -run '^$$' -bench 'OfflineLoad' -benchtime 5x -benchmem ./offline
	$(GO) test -run '^$$' -bench 'OfflineHour' -benchtime 1x ./offline

clean:
	rm -rf bin
