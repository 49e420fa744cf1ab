package luckyfit

import (
	"encoding/json"
	"time"

	"github.com/clubdesk/clubdesk/models"
	"github.com/clubdesk/clubdesk/providers/wire"
)

// LuckyFit's answers are not strict about types (assumption 4 in the
// package doc): the shared tolerant types of package wire read them.
type (
	text   = wire.Text
	id     = wire.ID
	number = wire.Number
	flag   = wire.Flag
	amount = wire.Amount
	stamp  = wire.Stamp
	count  = wire.OptNumber
)

// currency is what LuckyFit counts in until /branches says otherwise.
const currency = "RUB"

// wireTime is the form LuckyFit's filters take: YYYY-MM-DDTHH:MM:SS in the
// branch's zone.
func wireTime(t time.Time, loc *time.Location) string { return t.In(loc).Format("2006-01-02T15:04:05") }

// wireDate is a calendar day for create/update bodies.
func wireDate(d models.Date) string { return d.String() }

// wireMoney is an amount as LuckyFit takes it: a JSON number of rubles with
// kopecks ("1500.50" becomes 1500.50 in the body, never a float in Go).
func wireMoney(m models.Money) json.Number { return wire.MoneyOut(m) }

// first returns the first non-empty of several aliased fields.
func first[T comparable](vals ...T) T { return wire.First(vals...) }
