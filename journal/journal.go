// Package journal is the desk's durable record of every write it sends to a
// CRM: a sale, a payment, a deposit top-up, a booking, an attendance mark, a
// check-in, a card binding, a new client.
//
// Each write is recorded twice. The intent goes to disk, fsync'd, before
// the request leaves; the outcome (done, refused with the CRM's words, done
// in part, unknown) after the answer. A write whose intent cannot be
// recorded is not sent. So when the Wi-Fi drops in the middle of a sale, or
// the terminal is closed, or the process is killed, the next start finds an
// intent without an outcome, or an outcome "unknown", and the desk asks the
// receptionist to check it in the CRM before anything is repeated: nothing
// is lost and nothing is charged twice.
//
// The journal is also the shift's audit trail: who did what, when, at which
// desk, and every red verdict the receptionist chose to override, with the
// reason they typed.
//
// The store is an append-only file of JSON lines, one file per profile and
// month (STATE_DIR/journal/PROFILE/2026-12.jsonl), mode 0600 (a file found
// wider is tightened): readable with any text tool. A line that cannot be
// read — torn by a power cut, broken, or of any length — is skipped and
// counted, never fatal, and the lines after it are read. Appends are
// O_APPEND writes of one line each, so two consoles of one profile on one
// machine do not interleave lines; a month's new file is made durable in
// its folder (the folder is fsync'd).
//
// Every text in an entry is cleaned (package text), redacted of every
// secret the process holds (package redact) and capped (MaxText) before it
// is written: a CRM's 2 MB surname or 1.3 MB stack trace cannot make a line
// that a desk must hold, nor put a key on disk.
//
// What start holds in memory is what the desk needs now: every operation
// still unsettled (an unknown outcome from September still needs checking
// in December, a mark kept yesterday still waits) and every operation of
// the club's day and the day before (the shift's trail, the report); a
// console left open for days lets the older ones go as it writes. Older
// history is read from the files when it is asked for (Since), never on
// start. Start reads it through the start index (checkpoint.json beside
// the month files): what the files held up to the sizes it names, made as
// the journal is written (every ckptEvery bytes, and at Close) and checked
// against the files when read (their sizes and the bytes at the start and
// before the end of what it covers), so start reads the index and the
// lines written after it. Without a valid index — the first start after an
// upgrade, a file replaced — start reads the files as before the index
// existed: this month's and last month's whole,
// every older month through its summary, a small file beside it
// (2026-09.jsonl.open) holding only what that month leaves unsettled, made
// once from the month's file and made again only when that file changes.
//
// A Journal is safe for use by several goroutines (several sessions of one
// desk service); PendingCount and InFlight never wait for a write.
package journal

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"time"

	"github.com/clubdesk/clubdesk/config"
	"github.com/clubdesk/clubdesk/models"
	"github.com/clubdesk/clubdesk/providers"
)

// Phase is where an operation stands.
type Phase string

// Phases. Intent, Unknown need checking; the rest are settled.
const (
	Intent  Phase = "intent"  // recorded, being sent; no answer yet
	Done    Phase = "done"    // the CRM confirmed it
	Partial Phase = "partial" // the CRM did part of it (a split payment with a refused part)
	Refused Phase = "refused" // the CRM refused it: nothing happened
	Unknown Phase = "unknown" // sent, no usable answer: it may or may not have happened
	// Confirmed and Dismissed are the receptionist's verdict on an
	// operation that needed checking: it did, or did not, go through.
	Confirmed Phase = "confirmed"
	Dismissed Phase = "dismissed"
	// ConfirmedPart is the receptionist's verdict that part of it went
	// through (the CRM shows the membership and the first payment, not the
	// second): its parts say which (ResolvePart), and what did not go is
	// left to take again.
	ConfirmedPart Phase = "confirmed-part"
	// Audit is a line that records a decision, not a write (an override).
	Audit Phase = "audit"
	// Queued is a write kept at the desk while the CRM was unreachable (an
	// attendance mark, a check-in), to be checked and sent when it is back.
	Queued Phase = "queued"
)

// NeedsCheck reports whether an operation in this phase may have happened
// without the desk knowing.
func (p Phase) NeedsCheck() bool { return p == Intent || p == Unknown }

// opens reports whether a line in this phase is an operation's first: an
// intent, or an audit line (which is all there is of its operation).
func (p Phase) opens() bool { return p == Intent || p == Audit }

// Kind is what an operation does (models.WriteKind: the CRM adapters that
// reconcile lost writes speak the same names).
type Kind = models.WriteKind

// Kinds of operation.
const (
	Sell    = models.WriteSell
	Pay     = models.WritePay
	TopUp   = models.WriteTopUp
	Book    = models.WriteBook
	Cancel  = models.WriteCancel
	Attend  = models.WriteAttend
	CheckIn = models.WriteCheckIn
	// UndoCheckIn takes back a check-in: SubjectID is the visit undone.
	UndoCheckIn = models.WriteUndoCheckIn
	BindCard    = models.WriteBindCard
	NewClient   = models.WriteNewClient
	Override    = models.WriteOverride

	PaymentPage = models.WritePaymentPage
)

// Part is one part of a payment and what became of it.
type Part struct {
	Method   string `json:"method"`
	Amount   int64  `json:"amount"` // minor units
	Currency string `json:"currency,omitempty"`
	Outcome  string `json:"outcome,omitempty"`
	Detail   string `json:"detail,omitempty"`
}

// Entry is one line of the journal. An intent carries the whole
// description; the lines after it carry the op id, the phase and what the
// answer said.
type Entry struct {
	Op    string    `json:"op"`
	Phase Phase     `json:"phase"`
	At    time.Time `json:"at"`
	Kind  Kind      `json:"kind,omitempty"`

	Profile  string `json:"profile,omitempty"`
	Provider string `json:"provider,omitempty"`
	Desk     string `json:"desk,omitempty"`
	Operator string `json:"operator,omitempty"`

	ClientID   string `json:"client_id,omitempty"`
	ClientName string `json:"client_name,omitempty"`
	// Subject is what the write was about: a plan, a lesson, a card, a
	// membership, a booking.
	Subject   string `json:"subject,omitempty"`
	SubjectID string `json:"subject_id,omitempty"`
	// LessonID and BookingID say where an attendance mark or a check-in
	// belongs, so a queued one can be checked and sent later.
	LessonID  string `json:"lesson_id,omitempty"`
	BookingID string `json:"booking_id,omitempty"`
	// WholeVisit says the mark or the payment was for every booking of the
	// visit BookingID belongs to, as the receptionist confirmed
	// (providers.VisitMarker, models.PaymentRequest.WholeVisit).
	WholeVisit bool   `json:"whole_visit,omitempty"`
	Amount     int64  `json:"amount,omitempty"` // minor units
	Currency   string `json:"currency,omitempty"`
	// Fee is the membership fee a sale's Amount holds (minor units), which
	// a CRM may take as a request of its own; Start the first day the sale
	// named (YYYY-MM-DD). Both let the CRM be asked for exactly what was
	// sent.
	Fee   int64  `json:"fee,omitempty"`
	Start string `json:"start,omitempty"`
	Parts []Part `json:"parts,omitempty"`
	// Reason is what the receptionist typed: an override's or a discount's.
	Reason string `json:"reason,omitempty"`
	// Message is the CRM's words, or what the receptionist found.
	Message string `json:"message,omitempty"`
	// Why is the desk's own word on the outcome, in both languages (a
	// refusal the adapter made, a kept mark found already in the CRM).
	Why models.Words `json:"why,omitzero"`
	// Error is the failure as the log has it (English, for support), when
	// neither the CRM nor the desk said more.
	Error string `json:"error,omitempty"`
	// Ref is the CRM's reference for what was created (a receipt, an id).
	Ref string `json:"ref,omitempty"`
}

// Operation is an intent with the latest line about it.
type Operation struct {
	Intent Entry
	Last   Entry
}

// Phase is the operation's current phase.
func (o Operation) Phase() Phase { return o.Last.Phase }

// Who is written on every line: which desk, which profile, who is at it.
type Who struct {
	Profile  string
	Provider string
	Desk     string
	Operator string
}

// ErrNotRecorded means the journal could not write, so the operation it was
// asked to record must not be sent.
var ErrNotRecorded = errors.New("the operation journal cannot be written")

// Journal is one profile's journal.
type Journal struct {
	dir string
	who Who
	now func() time.Time
	loc *time.Location // the club's: "today" starts at its midnight

	mu  sync.Mutex
	ops map[string]*Operation
	// order keeps intents in the order they were recorded.
	order []string
	// skipped counts lines that could not be read (torn, broken, too
	// long) in the months read whole.
	skipped int
	// needs counts the operations whose phase needs checking, kept as
	// lines are applied (the status bar asks every frame).
	needs int
	// inflight are the intents this process recorded and has not had an
	// answer for yet: being sent, not lost.
	inflight map[string]bool
	// read is how far each file read whole has been read (Refresh).
	read map[string]int64
	// covered are the older months' files read through their summaries,
	// with the sizes they had (the start index names them).
	covered map[string]int64
	// from is the oldest intent held in memory beside the unsettled ones:
	// the start of the club's yesterday when the journal was opened. Since reads
	// anything older from the files.
	from time.Time
	// unindexed is how many bytes were written or read since the start
	// index was last made.
	unindexed int64
	// history is the last answer read from the files for Since.
	history historyCache

	// pending and inflightN mirror needs-len(inflight) and len(inflight)
	// for the frame, which never waits on the lock.
	pending, inflightN atomic.Int64
}

// Option adjusts a Journal (tests pin the clock).
type Option func(*Journal)

// WithClock sets the journal's clock.
func WithClock(now func() time.Time) Option { return func(j *Journal) { j.now = now } }

// WithLocation sets the club's time zone: the days whose operations start
// holds begin at its midnight (time.Local without it).
func WithLocation(loc *time.Location) Option {
	return func(j *Journal) {
		if loc != nil {
			j.loc = loc
		}
	}
}

// Open reads what the desk needs of the profile's journal in dir — every
// operation still unsettled and every one of the club's day and the day
// before, through the
// start index and the lines written after it — and makes it ready to
// append.
func Open(dir string, who Who, opts ...Option) (*Journal, error) {
	j := &Journal{dir: filepath.Join(dir, "journal", config.SafeName(who.Profile)), who: who, now: time.Now, loc: time.Local,
		ops: map[string]*Operation{}, inflight: map[string]bool{}, read: map[string]int64{}, covered: map[string]int64{}}
	for _, o := range opts {
		o(j)
	}
	if err := os.MkdirAll(j.dir, 0o700); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrNotRecorded, err)
	}
	tighten(j.dir, 0o700)
	if err := j.load(); err != nil {
		return nil, err
	}
	return j, nil
}

// dayStart is where what start holds begins: the start of the club's
// yesterday — a shift that runs past midnight, and a club whose zone is not
// the one the journal was given, still find their day in memory.
func (j *Journal) dayStart() time.Time {
	t := j.now().In(j.loc)
	return time.Date(t.Year(), t.Month(), t.Day()-1, 0, 0, 0, 0, j.loc)
}

// roll lets go of the days start would no longer hold, in a console left
// open for days. Locked.
func (j *Journal) roll() {
	if ds := j.dayStart(); ds.After(j.from) {
		j.from = ds
		j.prune()
	}
}

// counted publishes the counts the frame reads. Locked.
func (j *Journal) counted() {
	j.pending.Store(int64(j.needs - len(j.inflight)))
	j.inflightN.Store(int64(len(j.inflight)))
}

// Dir is where the journal's files are.
func (j *Journal) Dir() string { return j.dir }

func (j *Journal) file(t time.Time) string {
	return filepath.Join(j.dir, t.UTC().Format("2006-01")+".jsonl")
}

// apply folds a line into the operations. Locked (or not yet shared).
func (j *Journal) apply(e Entry) {
	op, ok := j.ops[e.Op]
	if !ok {
		op = &Operation{Intent: e}
		j.ops[e.Op] = op
		j.order = append(j.order, e.Op)
	} else if op.Last.Phase.NeedsCheck() {
		j.needs--
	}
	op.Last = e
	if e.Phase.NeedsCheck() {
		j.needs++
	}
	if e.Phase != Intent {
		delete(j.inflight, e.Op)
	}
	j.counted()
}

// applyKnown folds a line of an older month's summary: a line about an
// operation not loaded is about one settled long ago, and is dropped.
func (j *Journal) applyKnown(e Entry) {
	if _, ok := j.ops[e.Op]; ok || e.Phase == Intent {
		j.apply(e)
	}
}

// Skipped is how many unreadable lines (torn, broken, of any length) the
// journal passed over in the months it reads whole.
func (j *Journal) Skipped() int {
	j.mu.Lock()
	defer j.mu.Unlock()
	return j.skipped
}

// Begin records an operation's intent and returns its id. When it returns
// an error the operation must not be sent.
func (j *Journal) Begin(e Entry) (string, error) {
	e.Op = newID(j.now())
	e.Phase = Intent
	if err := j.appendAs(e, true); err != nil {
		return "", err
	}
	return e.Op, nil
}

// Answer is what an operation's outcome said, each part in the words it
// came in.
type Answer struct {
	Message string       // the CRM's own words
	Why     models.Words // the desk's own
	Error   string       // the error as logged, when neither said more
}

// AnswerOf sorts an error's words: the CRM's, the desk's (in both
// languages), or else the log's English.
func AnswerOf(err error) Answer {
	if err == nil {
		return Answer{}
	}
	var pe *providers.Error
	if errors.As(err, &pe) {
		switch {
		case pe.Desk.EN != "":
			return Answer{Message: pe.Message, Why: pe.Desk}
		case pe.Synthetic:
			return Answer{Error: pe.Message} // the desk's English about the line
		case pe.Message != "":
			return Answer{Message: pe.Message}
		}
	}
	var ue *providers.UnsupportedError
	if errors.As(err, &ue) && ue.Why.EN != "" {
		return Answer{Why: ue.Why}
	}
	return Answer{Error: err.Error()}
}

// Finish records an operation's outcome. When it cannot be written the
// operation is no longer in flight: it needs checking, as after a crash.
func (j *Journal) Finish(op string, phase Phase, ans Answer, ref string, parts []Part) error {
	err := j.append(Entry{Op: op, Phase: phase, Message: ans.Message, Why: ans.Why, Error: ans.Error, Ref: ref, Parts: parts})
	if err != nil {
		j.mu.Lock()
		delete(j.inflight, op)
		j.counted()
		j.mu.Unlock()
	}
	return err
}

// Resolve records the receptionist's verdict on an operation that needed
// checking: Confirmed (it went through) or Dismissed (it did not), with
// what they found. The line says the journal's own desk and operator as
// the ones who settled it.
func (j *Journal) Resolve(op string, phase Phase, note string) error {
	return j.ResolveBy(Who{}, op, phase, note)
}

// ResolveBy is Resolve by another desk and operator than the journal's
// (a session of clubdesk serve: by's Desk and Operator, each the
// journal's own when empty).
func (j *Journal) ResolveBy(by Who, op string, phase Phase, note string) error {
	if phase != Confirmed && phase != Dismissed {
		return fmt.Errorf("resolve %s: %q is not a verdict", op, phase)
	}
	j.mu.Lock()
	_, ok := j.ops[op]
	j.mu.Unlock()
	if !ok {
		return fmt.Errorf("resolve: no operation %s in the journal", op)
	}
	return j.append(Entry{Op: op, Phase: phase, Message: note, Desk: by.Desk, Operator: by.Operator})
}

// Part outcomes the journal writes (Part.Outcome).
const (
	PartDone    = "done"
	PartRefused = "refused"
	PartUnknown = "unknown"
	PartNotSent = "not sent"
	// PartNotDone is the receptionist's word on a part the CRM did not
	// show when they settled the operation in part.
	PartNotDone = "not done"
)

// ErrNotInPart refuses a settlement in part whose parts all went, or none
// did: that is Resolve's Confirmed or Dismissed.
var ErrNotInPart = errors.New("an operation settled in part has parts that went through and parts that did not")

// ResolvePart records the receptionist's verdict that an operation that
// needed checking went through in part: parts are every request sent for
// it, each PartDone or PartNotDone (PartsFound builds them from what the
// CRM showed), ref the CRM's id of what was created (a membership, which
// counts as a part that went), note what they found. What did not go stays to be taken again (Rest).
func (j *Journal) ResolvePart(op string, parts []Part, ref, note string) error {
	return j.ResolvePartBy(Who{}, op, parts, ref, note)
}

// ResolvePartBy is ResolvePart by another desk and operator than the
// journal's, as ResolveBy.
func (j *Journal) ResolvePartBy(by Who, op string, parts []Part, ref, note string) error {
	done, notDone := 0, 0
	for _, p := range parts {
		switch p.Outcome {
		case PartDone:
			done++
		case PartNotDone, PartRefused, PartNotSent:
			notDone++
		default:
			return fmt.Errorf("resolve %s in part: part %s %d has no verdict (%q)", op, p.Method, p.Amount, p.Outcome)
		}
	}
	if ref != "" {
		done++ // the membership it created is there
	}
	if done == 0 || notDone == 0 {
		return fmt.Errorf("resolve %s: %w", op, ErrNotInPart)
	}
	j.mu.Lock()
	_, ok := j.ops[op]
	j.mu.Unlock()
	if !ok {
		return fmt.Errorf("resolve: no operation %s in the journal", op)
	}
	return j.append(Entry{Op: op, Phase: ConfirmedPart, Message: note, Ref: ref, Parts: parts, Desk: by.Desk, Operator: by.Operator})
}

// Record writes an audit line (an override and its reason).
func (j *Journal) Record(e Entry) error {
	e.Op = newID(j.now())
	e.Phase = Audit
	return j.append(e)
}

// append stamps a line with the desk and the time, cleans, redacts and
// caps its texts, and writes it durably.
func (j *Journal) append(e Entry) error { return j.appendAs(e, false) }

// appendAs is append; an intent sent by this process is in flight until
// its outcome.
func (j *Journal) appendAs(e Entry, sending bool) error {
	e.At = j.now().UTC().Truncate(time.Millisecond)
	switch e.Phase {
	case Intent, Audit:
		e.Profile, e.Provider = j.who.Profile, j.who.Provider
		fallthrough
	case Confirmed, Dismissed, ConfirmedPart:
		// A desk served over SSH says which desk and operator the write
		// is from (WrapFor), or who settled it (ResolveBy); a console of
		// its own is the journal's.
		if e.Desk == "" {
			e.Desk = j.who.Desk
		}
		if e.Operator == "" {
			e.Operator = j.who.Operator
		}
	}
	e = sanitize(e)
	line, err := json.Marshal(e)
	if err != nil {
		return fmt.Errorf("%w: %v", ErrNotRecorded, err)
	}
	j.mu.Lock()
	defer j.mu.Unlock()
	path := j.file(e.At)
	at, n, err := appendLine(path, line)
	if err != nil {
		return fmt.Errorf("%w: %v", ErrNotRecorded, err)
	}
	if sending {
		j.inflight[e.Op] = true
	}
	j.apply(e)
	// The line is where this journal had read up to: nothing else to read
	// before it. (Another console's lines before it are read by Refresh.)
	if r, ok := j.read[path]; ok && r == at || !ok && at == 0 {
		j.read[path] = at + n
	}
	j.unindexed += n
	j.roll()
	if j.unindexed >= ckptEvery && j.index() != nil {
		j.unindexed = 0 // tried again after as many bytes; the next start reads more lines
	}
	return nil
}

// Pending lists the operations that need checking, oldest first: an
// intent without an answer that this process is not sending (a crash,
// another console's), or an unknown outcome.
func (j *Journal) Pending() []Operation {
	j.mu.Lock()
	defer j.mu.Unlock()
	var out []Operation
	for _, id := range j.order {
		if op := j.ops[id]; op.Phase().NeedsCheck() && !j.inflight[id] {
			out = append(out, *op)
		}
	}
	return out
}

// PendingCount is len(Pending()), kept as lines are written (the status
// bar asks every frame): writes merely in flight in this process are not
// counted — InFlight says how many there are.
func (j *Journal) PendingCount() int { return int(j.pending.Load()) }

// InFlight is how many writes this process has recorded and is sending,
// with no answer yet: not lost, not to be checked (PendingCount and
// Pending leave them out).
func (j *Journal) InFlight() int { return int(j.inflightN.Load()) }

// Queue lists the operations kept at the desk to be sent, oldest first.
func (j *Journal) Queue() []Operation {
	j.mu.Lock()
	defer j.mu.Unlock()
	var out []Operation
	for _, id := range j.order {
		if op := j.ops[id]; op.Phase() == Queued {
			out = append(out, *op)
		}
	}
	return out
}

// Since lists the operations recorded from t on, oldest first: the shift's
// audit trail. From the start of the club's day it is in memory; before
// that it is read from the files (and kept until they change).
func (j *Journal) Since(t time.Time) []Operation {
	j.mu.Lock()
	from := j.from
	j.mu.Unlock()
	if t.Before(from) {
		if ops, err := j.historySince(t); err == nil {
			return ops
		}
		// Unreadable files: what is in memory is all there is to show.
	}
	j.mu.Lock()
	defer j.mu.Unlock()
	var out []Operation
	for _, id := range j.order {
		if op := j.ops[id]; !op.Intent.At.Before(t) {
			out = append(out, *op)
		}
	}
	return out
}

// Get returns one operation.
func (j *Journal) Get(op string) (Operation, bool) {
	j.mu.Lock()
	defer j.mu.Unlock()
	o, ok := j.ops[op]
	if !ok {
		return Operation{}, false
	}
	return *o, true
}

type opKey struct{}

// WithOp tells the provider a write goes to which journal operation, so a
// layer that keeps it for later (package offline) can settle that same
// operation when it sends it.
func WithOp(ctx context.Context, op string) context.Context {
	return context.WithValue(ctx, opKey{}, op)
}

// OpFrom is the journal operation a write belongs to ("" when none).
func OpFrom(ctx context.Context) string {
	op, _ := ctx.Value(opKey{}).(string)
	return op
}

// newID is sortable by time and unique across desks.
func newID(t time.Time) string {
	b := make([]byte, 4)
	_, _ = rand.Read(b)
	return t.UTC().Format("20060102T150405.000") + "-" + hex.EncodeToString(b)
}

// Kinds lists the kinds in a stable order (reports).
var Kinds = []Kind{Sell, Pay, TopUp, Book, Cancel, Attend, CheckIn, UndoCheckIn, BindCard, NewClient, PaymentPage, Override}
