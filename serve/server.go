// Package serve is `clubdesk serve`: one desk service on the club's
// workstation that every receptionist reaches over SSH (Wish), each
// connection its own console — its own root model, window size and colour
// profile — over one provider connection, one journal, one offline memory,
// one rate limiter and one clock. The console and nothing else: no shell,
// no command, no port forwarding, no SFTP.
//
// Who may connect is the operators file (operators.go); what each may do
// is its permit= option, enforced below the console (guard.go); reads
// several desks ask at once go to the CRM once (shared.go).
package serve

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"strings"
	"sync"
	"time"

	tea "charm.land/bubbletea/v2"
	"charm.land/ssh"
	"charm.land/wish/v2"
	bm "charm.land/wish/v2/bubbletea"
	gossh "golang.org/x/crypto/ssh"

	"github.com/clubdesk/clubdesk/config"
	"github.com/clubdesk/clubdesk/models"
	"github.com/clubdesk/clubdesk/text"
	"github.com/clubdesk/clubdesk/ui"
	"github.com/clubdesk/clubdesk/ui/i18n"
	"github.com/clubdesk/clubdesk/ui/scanner"
)

// Session is what a console is built for: who connected, from which desk,
// in which language, and the service's gate its writes pass.
type Session struct {
	Operator Operator
	// Desk names where the receptionist sits: the client's CLUBDESK_DESK
	// (ssh -o SetEnv=CLUBDESK_DESK=front), else its address.
	Desk string
	// Lang is the operator's (operators file), else the session's locale,
	// else the service's.
	Lang string
	Gate *Gate
}

// Config is the service.
type Config struct {
	Listen    string
	HostKey   gossh.Signer
	Operators *Operators
	Log       *slog.Logger
	// Lang is the service's language (the config's, else its locale).
	Lang string
	// NewConsole builds a session's console: its root model.
	NewConsole func(Session) (tea.Model, error)
	// StopWait bounds how long a graceful stop waits for writes in flight
	// (a write's own deadline is 45 s).
	StopWait time.Duration
}

// Server is the running service.
type Server struct {
	cfg  Config
	srv  *ssh.Server
	gate Gate

	mu       sync.Mutex
	programs map[*tea.Program]string // the session's language
	sessions sync.WaitGroup
	stopping bool
}

// New builds the service; Serve starts it.
func New(cfg Config) (*Server, error) {
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.DiscardHandler)
	}
	if cfg.StopWait == 0 {
		cfg.StopWait = 60 * time.Second
	}
	s := &Server{cfg: cfg, programs: map[*tea.Program]string{}}
	srv, err := wish.NewServer(
		wish.WithAddress(cfg.Listen),
		func(srv *ssh.Server) error { srv.AddHostKey(cfg.HostKey); return nil },
		// Public keys only: no password or keyboard-interactive handler
		// is set, so neither is offered.
		wish.WithPublicKeyAuth(s.allow),
		wish.WithMiddleware(s.console),
		func(srv *ssh.Server) error {
			// No forwarding of any kind, no subsystem (SFTP): the nil
			// callbacks refuse; say it here rather than rely on it.
			srv.LocalPortForwardingCallback = nil
			srv.ReversePortForwardingCallback = nil
			srv.SubsystemHandlers = map[string]ssh.SubsystemHandler{}
			srv.RequestHandlers = map[string]ssh.RequestHandler{}
			srv.ChannelHandlers = map[string]ssh.ChannelHandler{"session": ssh.DefaultSessionHandler}
			srv.HandshakeTimeout = 30 * time.Second
			return nil
		},
	)
	if err != nil {
		return nil, fmt.Errorf("serve: %w", err)
	}
	s.srv = srv
	return s, nil
}

// Gate is the service's gate (tests, benchmarks).
func (s *Server) Gate() *Gate { return &s.gate }

// allow lets in the keys of the operators file, and logs every other.
func (s *Server) allow(ctx ssh.Context, key ssh.PublicKey) bool {
	s.mu.Lock()
	stopping := s.stopping
	s.mu.Unlock()
	if stopping {
		return false
	}
	if _, ok := s.cfg.Operators.Find(key); ok {
		return true
	}
	s.cfg.Log.Warn("ssh key refused: not in the operators file", "remote", remoteHost(ctx.RemoteAddr()),
		"user", text.Clean(ctx.User()), "key", gossh.FingerprintSHA256(key), "type", key.Type())
	return false
}

func remoteHost(a net.Addr) string {
	if a == nil {
		return ""
	}
	host, _, err := net.SplitHostPort(a.String())
	if err != nil {
		return a.String()
	}
	return host
}

// console is the whole session: a terminal, and the console in it.
func (s *Server) console(ssh.Handler) ssh.Handler {
	return func(sess ssh.Session) {
		lang := s.cfg.Lang
		op, ok := s.cfg.Operators.Find(sess.PublicKey())
		if !ok { // removed from the file since the handshake
			_ = sess.Exit(1)
			return
		}
		lang = sessionLang(op, sess.Environ(), lang)
		st := i18n.Serve(lang)
		pty, winch, hasPty := sess.Pty()
		if !hasPty || sess.RawCommand() != "" || sess.Subsystem() != "" {
			wish.Println(sess, st.NoTerminal)
			_ = sess.Exit(1)
			return
		}
		s.mu.Lock()
		if s.stopping {
			s.mu.Unlock()
			wish.Println(sess, st.Stopping)
			_ = sess.Exit(1)
			return
		}
		s.sessions.Add(1)
		s.mu.Unlock()
		defer s.sessions.Done()

		desk := deskName(sess)
		who := Session{Operator: op, Desk: desk, Lang: lang, Gate: &s.gate}
		log := s.cfg.Log.With("operator", op.Name, "desk", desk)
		m, err := s.cfg.NewConsole(who)
		if err != nil {
			log.Error("console not built", "err", err)
			wish.Println(sess, text.Clean(err.Error()))
			_ = sess.Exit(1)
			return
		}
		opts := append(bm.MakeOptions(sess),
			// Esc presses bunched by the link stay apart, as at a
			// console of its own (scanner.Input).
			tea.WithInput(scanner.NewReader(sess)),
			// The service's signals are the service's: SIGTERM is a
			// graceful stop of all sessions, not the end of one.
			tea.WithoutSignalHandler(),
			// A changed frame waits for the renderer's next tick: 4 ms
			// on average at 120 a second instead of 8 at the default 60,
			// which took a lone desk's scan over 2 RTT + 10 ms. An
			// unchanged frame costs a tick nothing but a comparison
			// (twenty idle sessions: 43 ms of CPU a second, 40 at 60).
			tea.WithFPS(120),
		)
		p := tea.NewProgram(m, opts...)
		s.mu.Lock()
		s.programs[p] = lang
		s.mu.Unlock()
		log.Info("session opened", "term", text.Clean(pty.Term), "width", pty.Window.Width, "height", pty.Window.Height)

		ctx, cancel := context.WithCancel(sess.Context())
		go func() {
			for {
				select {
				case <-ctx.Done():
					// The connection dropped: the console ends; a write
					// it started goes on (its context is not the
					// session's) and the journal gets its outcome.
					p.Quit()
					return
				case w, ok := <-winch:
					if !ok {
						return
					}
					p.Send(tea.WindowSizeMsg{Width: w.Width, Height: w.Height})
				}
			}
		}()
		_, err = p.Run()
		cancel()
		p.Kill()
		s.mu.Lock()
		delete(s.programs, p)
		stopping := s.stopping
		s.mu.Unlock()
		if err != nil && !errors.Is(err, tea.ErrProgramKilled) {
			log.Warn("session ended with an error", "err", err)
		}
		// Out of the alt screen now: the last line the terminal keeps.
		bye := st.Bye
		if stopping {
			bye = st.Stopping
		}
		_, _ = io.WriteString(sess, "\r\n"+bye+"\r\n")
		log.Info("session closed", "stopping", stopping)
		_ = sess.Exit(0)
	}
}

// sessionLang is the operator's language, else the session's locale
// (LANG sent by the client), else the service's.
func sessionLang(op Operator, env []string, service string) string {
	if op.Lang != "" {
		return op.Lang
	}
	get := func(k string) string {
		for _, kv := range env {
			if v, ok := strings.CutPrefix(kv, k+"="); ok {
				return v
			}
		}
		return ""
	}
	for _, k := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		if get(k) != "" {
			return config.Config{}.UILanguage(get)
		}
	}
	return service
}

// maxDesk bounds a desk's name: it goes to every journal line.
const maxDesk = 40

// deskName is the client's CLUBDESK_DESK, else its address.
func deskName(sess ssh.Session) string {
	for _, kv := range sess.Environ() {
		if v, ok := strings.CutPrefix(kv, "CLUBDESK_DESK="); ok {
			if v = strings.TrimSpace(text.Clean(v)); v != "" {
				return text.Cap(v, maxDesk)
			}
		}
	}
	return remoteHost(sess.RemoteAddr())
}

// Serve listens and serves until Stop; it returns nil after a graceful
// stop.
func (s *Server) Serve(l net.Listener) error {
	err := s.srv.Serve(l)
	if errors.Is(err, ssh.ErrServerClosed) {
		return nil
	}
	return err
}

// Listen opens the service's address.
func (s *Server) Listen() (net.Listener, error) {
	return net.Listen("tcp", s.cfg.Listen)
}

// Stop is the graceful stop: no new session or write is let in, the
// writes in flight finish and journal their outcome, then every console
// ends with a message and the connections close. It returns how many
// writes were still in flight when StopWait ran out (0 normally).
func (s *Server) Stop() int64 {
	s.mu.Lock()
	s.stopping = true
	s.mu.Unlock()
	s.gate.Close()
	// Closing the listener refuses new connections; the ones open go on
	// until their console ends.
	shut := make(chan error, 1)
	ctx, cancel := context.WithCancel(context.Background())
	go func() { shut <- s.srv.Shutdown(ctx) }()
	// Every receptionist is told, while the writes on their way finish.
	s.mu.Lock()
	for p, lang := range s.programs {
		go p.Send(ui.Notice{Level: models.Red, Text: i18n.Serve(lang).StoppingNotice})
	}
	s.mu.Unlock()
	left := int64(0)
	if !s.gate.Wait(s.cfg.StopWait) {
		left = s.gate.InFlight()
		s.cfg.Log.Warn("graceful stop: writes still in flight", "writes", left)
	}
	s.mu.Lock()
	for p := range s.programs {
		p.Quit()
	}
	s.mu.Unlock()
	done := make(chan struct{})
	go func() { s.sessions.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		s.cfg.Log.Warn("graceful stop: sessions did not end")
	}
	cancel()
	_ = s.srv.Close()
	<-shut
	return left
}

// Sessions is how many consoles are open.
func (s *Server) Sessions() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.programs)
}
