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
	// Message is the provider's words for the user: "a code was sent".
	Message string
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

// OnlinePayer is a provider with a payment page of its own, where a client
// pays for a plan from a phone (CapOnlinePay): the desk shows the link as a
// QR code. The provider issues the membership once the payment succeeds.
type OnlinePayer interface {
	OnlinePaymentURL(clientID string, plan models.Plan, amount models.Money) (string, error)
}

// Logouter is a provider that can end its session on the server side
// (`clubdesk logout` calls it before deleting the local secrets).
type Logouter interface {
	Logout(ctx context.Context) error
}

// ZoneReporter is a provider whose API says which time zone its branch
// keeps. The desk's "today" is fixed when it starts, from the profile's
// timezone or the adapter's default, without waiting for the network; so
// `clubdesk doctor` asks the CRM and says what to set when the two differ.
type ZoneReporter interface {
	BranchZone(ctx context.Context) (string, error)
}
