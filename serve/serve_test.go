package serve

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/zalando/go-keyring"
	gossh "golang.org/x/crypto/ssh"

	"github.com/clubdesk/clubdesk/keys"
	"github.com/clubdesk/clubdesk/models"
	"github.com/clubdesk/clubdesk/providers"
	"github.com/clubdesk/clubdesk/providers/demo"
	"github.com/clubdesk/clubdesk/ui/components"
	"github.com/clubdesk/clubdesk/ui/i18n"
)

func newKey(t testing.TB) gossh.PublicKey {
	t.Helper()
	pub, _, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	k, err := gossh.NewPublicKey(pub)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func authorized(k gossh.PublicKey) string {
	return strings.TrimSpace(string(gossh.MarshalAuthorizedKey(k)))
}

func TestParseOperators(t *testing.T) {
	anna, boris, vera, bad := newKey(t), newKey(t), newKey(t), newKey(t)
	file := strings.Join([]string{
		"# reception",
		"",
		`operator="Анна Петрова",permit="money,override",lang="en" ` + authorized(anna) + " anna@laptop",
		authorized(boris) + " Борис",
		`permit="money" ` + authorized(vera), // no name
		`command="/bin/sh" ` + authorized(bad) + " Someone",
		`permit="root" ` + authorized(bad) + " Someone",
		"operator=\"Eve\x1b[31m\" " + authorized(bad),
		authorized(boris) + " Boris again",
		"not a key",
	}, "\n")
	ops, errs := ParseOperators([]byte(file))
	if len(ops) != 3 {
		t.Fatalf("operators: %+v", ops)
	}
	a, b, e := ops[0], ops[1], ops[2]
	if a.Name != "Анна Петрова" || !a.Money || !a.Override || a.Lang != "en" || a.Line != 3 {
		t.Errorf("Анна: %+v", a)
	}
	if b.Name != "Борис" || b.Money || b.Override || b.Lang != "" || b.Permits() != "-" {
		t.Errorf("Борис: %+v", b)
	}
	if strings.ContainsRune(e.Name, 0x1b) || !strings.HasPrefix(e.Name, "Eve") {
		t.Errorf("an escape sequence in a name: %q", e.Name)
	}
	want := []string{
		"line 5: no operator's name",
		`line 6: option "command" is not an operators option`,
		`line 7: permit="root"`,
		"line 9: the key of line 4 again (Борис)",
		"line 10: not an authorized_keys line",
	}
	if len(errs) != len(want) {
		t.Fatalf("errors: %v", errs)
	}
	for i, w := range want {
		if !strings.Contains(errs[i].Error(), w) {
			t.Errorf("error %d: %v, want %q", i, errs[i], w)
		}
	}
}

func TestOperatorsRereadWhenTheFileChanges(t *testing.T) {
	path := filepath.Join(t.TempDir(), "operators")
	anna, boris := newKey(t), newKey(t)
	write := func(lines ...string) {
		t.Helper()
		if err := os.WriteFile(path, []byte(strings.Join(lines, "\n")), 0o600); err != nil {
			t.Fatal(err)
		}
		// A file rewritten within the same tick of the clock keeps its
		// time: the size tells it apart here, and this pins the time too.
		later := time.Now().Add(time.Duration(len(lines)) * time.Second)
		os.Chtimes(path, later, later)
	}
	if _, err := NewOperators(path, "en", func(string, ...any) {}); err == nil {
		t.Fatal("a missing operators file started the service")
	}
	write("# nobody yet")
	if _, err := NewOperators(path, "en", func(string, ...any) {}); err == nil || !strings.Contains(err.Error(), "holds no usable key") {
		t.Fatalf("an empty operators file: %v", err)
	}
	write(authorized(anna) + " Анна")
	var logged []string
	var mu sync.Mutex
	ops, err := NewOperators(path, "en", func(msg string, args ...any) {
		mu.Lock()
		logged = append(logged, msg)
		mu.Unlock()
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := ops.Find(boris); ok {
		t.Fatal("Борис let in before he is in the file")
	}
	write(authorized(anna)+" Анна", authorized(boris)+" Борис", "broken line")
	if op, ok := ops.Find(boris); !ok || op.Name != "Борис" {
		t.Fatalf("Борис added: %+v %v", op, ok)
	}
	if len(logged) == 0 {
		t.Error("the broken line was not logged")
	}
	write(authorized(boris) + " Борис")
	if _, ok := ops.Find(anna); ok {
		t.Fatal("Анна removed from the file is still let in")
	}
	// A file gone (being replaced) keeps who was let in last.
	os.Remove(path)
	if _, ok := ops.Find(boris); !ok {
		t.Fatal("a file being replaced locked everyone out")
	}
}

func TestHostKeyMadeOncePrivate(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state", "host")
	s1, made, err := HostKey(path)
	if err != nil || !made {
		t.Fatalf("first start: %v %v", made, err)
	}
	fi, err := os.Stat(path)
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("host key mode: %v %v", fi.Mode(), err)
	}
	os.Chmod(path, 0o644)
	s2, made, err := HostKey(path)
	if err != nil || made {
		t.Fatalf("second start: %v %v", made, err)
	}
	if gossh.FingerprintSHA256(s1.PublicKey()) != gossh.FingerprintSHA256(s2.PublicKey()) {
		t.Fatal("the host key changed between starts")
	}
	if fi, _ := os.Stat(path); fi.Mode().Perm() != 0o600 {
		t.Fatalf("a host key readable by others was left so: %v", fi.Mode())
	}
}

// counting is a provider that counts calls and can hold its answers.
type counting struct {
	providers.Provider
	lessons, sells atomic.Int64
	// hold holds the answers of reads; holdSells of sales.
	hold, holdSells chan struct{}
}

func (c *counting) Lessons(ctx context.Context, from, to time.Time) ([]models.Lesson, error) {
	c.lessons.Add(1)
	if c.hold != nil {
		<-c.hold
	}
	return c.Provider.Lessons(ctx, from, to)
}

func (c *counting) Sell(ctx context.Context, s models.Sale) (models.SaleResult, error) {
	c.sells.Add(1)
	if c.holdSells != nil {
		<-c.holdSells
	}
	return models.SaleResult{}, nil
}

func demoClub(t testing.TB) providers.Provider {
	t.Helper()
	p, err := demo.New(providers.Settings{})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestSharedSendsOneReadForDesksAskingAtOnce(t *testing.T) {
	c := &counting{Provider: demoClub(t), hold: make(chan struct{})}
	s := NewShared(c)
	from := time.Now().Truncate(24 * time.Hour)
	to := from.Add(24 * time.Hour)
	var wg sync.WaitGroup
	answers := make([][]models.Lesson, 20)
	for i := range answers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ls, err := s.Lessons(context.Background(), from, to)
			if err != nil {
				t.Error(err)
			}
			answers[i] = ls
		}()
	}
	// Everyone asks while the first read is on its way.
	deadline := time.Now().Add(5 * time.Second)
	for c.lessons.Load() == 0 && time.Now().Before(deadline) {
		time.Sleep(time.Millisecond)
	}
	time.Sleep(50 * time.Millisecond)
	close(c.hold)
	wg.Wait()
	if n := c.lessons.Load(); n != 1 {
		t.Fatalf("20 desks at once sent %d reads", n)
	}
	if len(answers[0]) == 0 {
		t.Fatal("no lessons")
	}
	// Each desk has its own copy: one sorting or cutting its list does
	// not touch another's.
	answers[1][0].Title = "changed"
	if answers[2][0].Title == "changed" {
		t.Fatal("desks share one slice")
	}
	// Nothing is kept: the next read goes to the CRM.
	c.hold = nil
	if _, err := s.Lessons(context.Background(), from, to); err != nil || c.lessons.Load() != 2 {
		t.Fatalf("a later read: %d reads, %v", c.lessons.Load(), err)
	}
}

func TestSharedReadAfterAWriteIsAskedAnew(t *testing.T) {
	c := &counting{Provider: demoClub(t), hold: make(chan struct{})}
	s := NewShared(c)
	from := time.Now()
	to := from.Add(time.Hour)
	first := make(chan struct{})
	go func() { s.Lessons(context.Background(), from, to); close(first) }()
	for c.lessons.Load() == 0 {
		time.Sleep(time.Millisecond)
	}
	// A write finishes while that read is on its way...
	s.Sell(context.Background(), models.Sale{})
	// ...so a read asked now does not join it.
	second := make(chan struct{})
	go func() { s.Lessons(context.Background(), from, to); close(second) }()
	for c.lessons.Load() < 2 {
		select {
		case <-second:
			t.Fatal("the read after the write was answered by the one before it")
		default:
		}
		time.Sleep(time.Millisecond)
	}
	close(c.hold)
	<-first
	<-second
}

func TestSharedReadGoesOnWhenItsFirstAskerLeaves(t *testing.T) {
	c := &counting{Provider: demoClub(t), hold: make(chan struct{})}
	s := NewShared(c)
	from := time.Now()
	ctx, cancel := context.WithCancel(context.Background())
	firstErr := make(chan error)
	go func() { _, err := s.Lessons(ctx, from, from.Add(time.Hour)); firstErr <- err }()
	for c.lessons.Load() == 0 {
		time.Sleep(time.Millisecond)
	}
	second := make(chan error)
	go func() { _, err := s.Lessons(context.Background(), from, from.Add(time.Hour)); second <- err }()
	time.Sleep(20 * time.Millisecond)
	cancel()
	if err := <-firstErr; !errors.Is(err, context.Canceled) {
		t.Fatalf("the desk that left: %v", err)
	}
	close(c.hold)
	if err := <-second; err != nil {
		t.Fatalf("the desk still waiting lost its read: %v", err)
	}
}

func TestGuardRefusesWhatTheOperatorMayNotDo(t *testing.T) {
	c := &counting{Provider: demoClub(t)}
	var gate Gate
	boris := Guard(c, Operator{Name: "Борис"}, &gate)
	_, err := boris.Sell(context.Background(), models.Sale{})
	if !errors.Is(err, providers.ErrNotPermitted) || c.sells.Load() != 0 {
		t.Fatalf("a sale by an operator without money: %v, %d sent", err, c.sells.Load())
	}
	ru := components.Describe(i18n.For("ru"), err)
	if ru != "Нет права: Борис не может принимать деньги (permit=money в operators)" {
		t.Errorf("ru: %q", ru)
	}
	if en := components.Describe(i18n.For("en"), err); en != "Not permitted: Борис may not take money (permit=money in operators)" {
		t.Errorf("en: %q", en)
	}
	for name, call := range map[string]func() error{
		"payment": func() error { _, err := boris.TakePayment(context.Background(), models.PaymentRequest{}); return err },
		"top-up":  func() error { _, err := boris.TopUpDeposit(context.Background(), models.PaymentRequest{}); return err },
		"override": func() error {
			_, err := boris.CheckIn(context.Background(), models.CheckIn{ClientID: "1", Override: "знаю его"})
			return err
		},
	} {
		if err := call(); !errors.Is(err, providers.ErrNotPermitted) {
			t.Errorf("%s: %v", name, err)
		}
	}
	anna := Guard(c, Operator{Name: "Анна", Money: true}, &gate)
	if _, err := anna.Sell(context.Background(), models.Sale{}); err != nil || c.sells.Load() != 1 {
		t.Fatalf("a sale by an operator with money: %v", err)
	}
}

func TestGateWaitsForWritesInFlightAndLetsNoNewOneIn(t *testing.T) {
	c := &counting{Provider: demoClub(t), holdSells: make(chan struct{})}
	var gate Gate
	anna := Guard(c, Operator{Name: "Анна", Money: true}, &gate)
	done := make(chan error)
	go func() { _, err := anna.Sell(context.Background(), models.Sale{}); done <- err }()
	for gate.InFlight() == 0 {
		time.Sleep(time.Millisecond)
	}
	gate.Close()
	if _, err := anna.Sell(context.Background(), models.Sale{}); !errors.Is(err, providers.ErrNotPermitted) {
		t.Fatalf("a sale asked while stopping: %v", err)
	}
	if gate.Wait(50 * time.Millisecond) {
		t.Fatal("the stop did not wait for the sale on its way")
	}
	close(c.holdSells)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if !gate.Wait(time.Second) || c.sells.Load() != 1 {
		t.Fatalf("after the sale: %d in flight, %d sent", gate.InFlight(), c.sells.Load())
	}
}

func TestSessionLanguage(t *testing.T) {
	for _, c := range []struct {
		op      Operator
		env     []string
		service string
		want    string
	}{
		{Operator{Lang: "en"}, []string{"LANG=ru_RU.UTF-8"}, "ru", "en"},
		{Operator{}, []string{"LANG=ru_RU.UTF-8"}, "en", "ru"},
		{Operator{}, []string{"LANG=C.UTF-8"}, "ru", "en"},
		{Operator{}, nil, "ru", "ru"},
	} {
		if got := sessionLang(c.op, c.env, c.service); got != c.want {
			t.Errorf("%+v %v %s: %s, want %s", c.op, c.env, c.service, got, c.want)
		}
	}
}

func TestDoctorOnTheServiceSetUp(t *testing.T) {
	dir := t.TempDir()
	in := DoctorInput{Lang: "en", Provider: "luckyfit", OperatorsPath: filepath.Join(dir, "operators"),
		HostKeyPath: filepath.Join(dir, "host"), Listen: "127.0.0.1:2222"}
	if out, ok := Doctor(in); out != "" || !ok {
		t.Fatalf("a desk that is no service: %q %v", out, ok)
	}
	os.WriteFile(in.OperatorsPath, []byte(authorized(newKey(t))+" Анна\n"), 0o600)
	out, ok := Doctor(in)
	for _, want := range []string{"1 may connect: Анна (-)", "made at the first start", "from the keyring", "this computer only"} {
		if !strings.Contains(out, want) {
			t.Errorf("doctor lacks %q:\n%s", want, out)
		}
	}
	if !ok {
		t.Fatalf("a good set-up failed:\n%s", out)
	}
	creds := t.TempDir()
	in.CredDir, in.Listen = creds, "0.0.0.0:2222"
	os.Chmod(in.OperatorsPath, 0o666)
	HostKey(in.HostKeyPath)
	out, ok = Doctor(in)
	for _, want := range []string{"anyone could add a key", "missing in CREDENTIALS_DIRECTORY: api_key", "open to the network", "SHA256:", "will not work"} {
		if !strings.Contains(out, want) {
			t.Errorf("doctor lacks %q:\n%s", want, out)
		}
	}
	if ok {
		t.Fatalf("a bad set-up passed:\n%s", out)
	}
}

func TestHeldReadsTheCredentialsOnce(t *testing.T) {
	creds := t.TempDir()
	os.WriteFile(filepath.Join(creds, "api_key"), []byte("lf-secret-1\n"), 0o600)
	h, err := keys.Hold(keys.New("club", "luckyfit", keys.WithEnv(func(string) string { return "" })), creds)
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(creds, "api_key"), []byte("changed"), 0o600)
	if v, err := h.Secret("api_key"); err != nil || v != "lf-secret-1" {
		t.Fatalf("held: %q %v", v, err)
	}
	if src := h.Sources()["api_key"]; src != keys.FromCredentials {
		t.Fatalf("source: %v", src)
	}
	if _, err := keys.Hold(keys.New("club", "luckyfit", keys.WithEnv(func(string) string { return "" }),
		keys.WithBackend(noKeyring{})), t.TempDir()); err == nil {
		t.Fatal("a service without its key started")
	}
}

// noKeyring holds nothing.
type noKeyring struct{}

func (noKeyring) Get(string, string) (string, error) { return "", keyring.ErrNotFound }
func (noKeyring) Set(string, string, string) error   { return nil }
func (noKeyring) Delete(string, string) error        { return nil }
