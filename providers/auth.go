package providers

import (
	"context"
	"time"

	"github.com/clubdesk/clubdesk/models"
)

// Checker is a provider that can make one harmless read to prove the line
// and the credentials work: `clubdesk login` verifies with it before saying
// "saved", and `clubdesk doctor` reports it. It returns the provider's clock
// (zero when the provider does not tell) so the doctor can measure skew.
type Checker interface {
	Check(ctx context.Context) (serverTime time.Time, err error)
}

// Prompt is one thing a login asks: a secret name ("api_key") or a step of
// the provider's own sign-in ("login", "password", "code", "phone").
type Prompt struct {
	Name   string
	Hidden bool
}

// LoginStep is one round of a provider's own sign-in (YCLIENTS' user login
// with its two-factor code, Go-CRM's phone and SMS code).
type LoginStep struct {
	Ask     []Prompt          // what to ask next; empty when the flow is done
	Answers map[string]string // what the user answered to the previous Ask
	// State is the flow's memory between rounds (a 2FA request id). It is
	// never stored.
	State map[string]string
	// Message is what the adapter tells the user: "a code was sent".
	Message Words
	// Secrets, when the flow is done, is what to store in the keyring.
	Secrets map[string]string
}

// Authenticator is a provider with a sign-in flow of its own. Providers
// without one are given their secrets as typed.
type Authenticator interface {
	// LoginStart is the first round's questions.
	LoginStart() LoginStep
	// Login answers a round and returns the next one.
	Login(ctx context.Context, step LoginStep) (LoginStep, error)
}

// OnlinePurpose says what a payment page is for.
type OnlinePurpose int

// Online payment purposes.
const (
	// OnlineBuyPlan buys OnlinePayment.Plan (LuckyFit's order page, Go-CRM's
	// season ticket).
	OnlineBuyPlan OnlinePurpose = iota
	// OnlineDebt settles the client's debt outside memberships (Client.Debt,
	// Go-CRM's /debts).
	OnlineDebt
)

// OnlinePayment is what a payment page is asked for.
type OnlinePayment struct {
	ClientID string
	Purpose  OnlinePurpose
	Plan     models.Plan // for OnlineBuyPlan
	// Amount is what the client pays: the plan's total with any discount
	// the desk agreed, or the debt.
	Amount models.Money
}

// PaymentPage is where the client pays.
type PaymentPage struct {
	URL string
	// ID is the provider's payment id when it gives one, for the log and a
	// look-up in the CRM.
	ID string
}

// OnlinePayer is a provider with a payment page of its own, where a client
// pays from a phone (CapOnlinePay): the desk shows the link as a QR code,
// and the provider records the payment (issues the membership, clears the
// debt) once it succeeds.
//
// OpenPaymentPage may call the provider (Go-CRM creates the payment with
// PUT /payments/): it is then a write, sent once and never retried, and an
// answer that never came is ErrOutcomeUnknown. A refusal carries the
// provider's or the bank's words ("Нет связи с банком"). A purpose the
// provider's page does not take is an *UnsupportedError.
type OnlinePayer interface {
	OpenPaymentPage(ctx context.Context, p OnlinePayment) (PaymentPage, error)
}

// Logouter is a provider that can end its session on the server side
// (`clubdesk logout` calls it before deleting the local secrets).
type Logouter interface {
	Logout(ctx context.Context) error
}

// ZoneReporter is a provider whose API says which time zone its branch
// keeps. The desk takes it when the profile names none, asked before the
// first screen and kept for an offline start (ClubZone, OpenInClubZone),
// and `clubdesk doctor` compares it with the profile's.
type ZoneReporter interface {
	BranchZone(ctx context.Context) (string, error)
}

// Reconciler is a provider that can look in its records for a write whose
// answer was lost (LuckyFit: its transactions by client, amount and time),
// so the receptionist can settle an "unknown" operation from the desk.
type Reconciler interface {
	Reconcile(ctx context.Context, w models.LostWrite) (models.Finding, error)
}

// Connectivity is a provider that keeps the desk usable when the CRM is
// unreachable (package offline): reads answer from what it last saw,
// attendance marks and check-ins are kept to be sent later, money is
// refused. The console asks it what to say on the status bar.
type Connectivity interface {
	// Offline reports since when the CRM has not answered, and when the
	// newest answer the desk still shows arrived.
	Offline() (since, seen time.Time, offline bool)
	// Queued is how many writes wait to be sent.
	Queued() int
	// Probe asks the CRM one harmless question; it ends the offline state
	// when the CRM answers.
	Probe(ctx context.Context) error
	// SendQueued checks and sends the kept writes in order and says how
	// many went; it stops at the first the CRM does not take.
	SendQueued(ctx context.Context) (sent int, err error)
}
