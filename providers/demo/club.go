package demo

import (
	"context"
	"fmt"
	"strconv"
	"sync"
	"time"

	"github.com/clubdesk/clubdesk/models"
	"github.com/clubdesk/clubdesk/providers"
)

// DefaultClients is how many clients the club generates when Settings.Extra
// does not say ("clients").
const DefaultClients = 5000

// maxClients bounds the "clients" setting: beyond it New stops being instant.
const maxClients = 1_000_000

// The demo club is a full provider.
var _ providers.Provider = (*Club)(nil)

func init() {
	providers.Register("demo", func(s providers.Settings) (providers.Provider, error) { return New(s) })
	providers.Register("demo-secure", func(s providers.Settings) (providers.Provider, error) { return NewSecure(s) })
}

// Club is the demo club: a CRM held in memory. It is safe for concurrent
// use; every result is a copy, so callers may keep and change what they get.
type Club struct {
	// caps is built once: the console asks for it at every frame.
	caps    providers.Capabilities
	mu      sync.Mutex // guards everything below; reads generate lazily, so one mutex suffices
	now     func() time.Time
	loc     *time.Location
	latency time.Duration
	// secrets is set for "demo-secure": every call then needs an API key.
	secrets providers.Secrets
	info    providers.Info
	// base is the club's day when New ran. Generated memberships and visits
	// are placed relative to it, so a desk left running past midnight sees
	// the same club a day older rather than a club that reshuffles itself.
	base models.Date

	plans []models.Plan

	clients []*client   // by index: showcase, then generated, then created at the desk; nil for a generated client not read yet (client)
	gen     []genClient // the generated clients, compact
	nGen    int         // generated clients
	kids    []int32     // indices of generated children (the swimming school's bookings)
	adults  []int32     // indices of generated adults
	search  searchIndex
	warmed  chan struct{} // closed once the search indexes are made in the background (at once for a small club)

	days    map[models.Date]*day
	ledger  map[models.Date]*dayTotals
	receipt int // last receipt number printed on a payment
	// admitted is what each check-in made at the desk changed, by its
	// visit's id: what UndoCheckIn gives back.
	admitted map[string]admission
}

// client is a client with what the club keeps about them beyond the
// models.Client the desk sees.
type client struct {
	models.Client
	idx     int32
	gen     int  // index among generated clients (seeds their history); -1 otherwise
	kid     bool // a child of the swimming school
	hasHist bool // memberships and visits are in place (generated lazily)
	ms      []models.Membership
	visits  []models.Visit // oldest first
	undone  int            // visits taken back (UndoCheckIn): the next visit's number counts them, so no id is given twice
}

// New builds the demo club from s. Settings.Extra may hold "latency" (a
// time.Duration or a string such as "300ms") added to every call, and
// "clients", the number of generated clients (default DefaultClients).
func New(s providers.Settings) (*Club, error) {
	loc, err := location(s.Timezone)
	if err != nil {
		return nil, err
	}
	latency, err := durationSetting(s.Extra["latency"])
	if err != nil {
		return nil, err
	}
	n, err := intSetting(s.Extra["clients"], DefaultClients)
	if err != nil {
		return nil, err
	}
	branch := s.Branch
	if branch == "" {
		branch = "Центральный"
	}
	c := &Club{
		caps:    providers.Supports(providers.AllCapabilities...),
		now:     s.Clock(),
		loc:     loc,
		latency: latency,
		info: providers.Info{Name: "demo", Title: "Demo", Branch: branch, Location: loc,
			Currency: currency, Demo: true},
		plans:  catalogue(),
		days:   map[models.Date]*day{},
		ledger: map[models.Date]*dayTotals{},
	}
	start := time.Now()
	now := c.now()
	c.base = models.DateOf(now, loc)
	c.generate(n)
	c.placeShowcase(now)
	c.openDay(now)
	c.warmed = make(chan struct{})
	if n >= warmFrom {
		go c.warm(c.warmed)
	} else {
		close(c.warmed)
	}
	s.Log().Debug("demo club open", "clients", len(c.clients), "day", c.base.String(), "took", time.Since(start))
	return c, nil
}

func location(name string) (*time.Location, error) {
	if name == "" {
		name = "Europe/Moscow"
	}
	loc, err := time.LoadLocation(name)
	if err != nil && name == "Europe/Moscow" {
		// A desk PC without the zone database still gets the club's day right:
		// Moscow has kept UTC+3 all year since 2014.
		return time.FixedZone("MSK", 3*60*60), nil
	}
	if err != nil {
		return nil, fmt.Errorf("demo: time zone %q: %w", name, err)
	}
	return loc, nil
}

func durationSetting(v any) (time.Duration, error) {
	switch d := v.(type) {
	case nil:
		return 0, nil
	case time.Duration:
		if d < 0 {
			return 0, fmt.Errorf("demo: latency %v is negative", d)
		}
		return d, nil
	case string:
		if d == "" {
			return 0, nil
		}
		p, err := time.ParseDuration(d)
		if err != nil || p < 0 {
			return 0, fmt.Errorf("demo: latency %q is not a duration (e.g. 300ms)", d)
		}
		return p, nil
	case fmt.Stringer:
		// A config type wrapping time.Duration prints as one ("300ms").
		return durationSetting(d.String())
	}
	return 0, fmt.Errorf("demo: latency %v (%T) is not a duration", v, v)
}

func intSetting(v any, def int) (int, error) {
	var n int
	switch x := v.(type) {
	case nil:
		return def, nil
	case int:
		n = x
	case int64:
		n = int(x)
	case float64:
		n = int(x)
		if float64(n) != x {
			return 0, fmt.Errorf("demo: clients %v is not a whole number", x)
		}
	case string:
		var err error
		if n, err = strconv.Atoi(x); err != nil {
			return 0, fmt.Errorf("demo: clients %q is not a number", x)
		}
	default:
		return 0, fmt.Errorf("demo: clients %v (%T) is not a number", v, v)
	}
	switch {
	case n == 0:
		return def, nil
	case n < 0 || n > maxClients:
		return 0, fmt.Errorf("demo: clients %d is out of range (1..%d)", n, maxClients)
	}
	return n, nil
}

// Info describes the demo connection.
func (c *Club) Info() providers.Info { return c.info }

// Capabilities: the demo club can do everything the desk offers, so every
// screen can be tried without a CRM.
func (c *Club) Capabilities() providers.Capabilities { return c.caps }

// begin starts a call: it refuses a context that is already done, then
// waits out the configured latency so the desk's loading states show.
func (c *Club) begin(ctx context.Context, op string) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	if c.secrets != nil {
		if err := c.authorised(op); err != nil {
			return err
		}
	}
	if c.latency <= 0 {
		return nil
	}
	t := time.NewTimer(c.latency)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return fmt.Errorf("%s: %w", op, ctx.Err())
	case <-t.C:
		return nil
	}
}

// today is the club's calendar day now, whatever the desk machine's zone.
func (c *Club) today() models.Date { return models.DateOf(c.now(), c.loc) }

func fail(kind error, op, format string, args ...any) error {
	return providers.Errorf(kind, op, format, args...)
}

// IDs: showcase clients are 10001..., generated ones start at firstGenID,
// and clients registered at the desk continue after the generated ones, so
// an ID maps to an index without a map.
const (
	firstShowcaseID = 10001
	firstGenID      = 10101
)

func (c *Club) idOf(idx int) int {
	if idx < len(showcase) {
		return firstShowcaseID + idx
	}
	return firstGenID + idx - len(showcase)
}

// find returns the client with the given ID, or nil.
func (c *Club) find(id string) *client {
	n, err := strconv.Atoi(id)
	if err != nil || strconv.Itoa(n) != id {
		return nil
	}
	var idx int
	switch {
	case n >= firstShowcaseID && n < firstShowcaseID+len(showcase):
		idx = n - firstShowcaseID
	case n >= firstGenID:
		idx = n - firstGenID + len(showcase)
	default:
		return nil
	}
	if idx >= len(c.clients) {
		return nil
	}
	return c.client(int32(idx))
}

// lookup is find with the error the desk expects for an unknown ID.
func (c *Club) lookup(op, id string) (*client, error) {
	if cl := c.find(id); cl != nil {
		return cl, nil
	}
	return nil, fail(providers.ErrNotFound, op, "Клиент %s не найден", id)
}

// public is the copy of a client the desk receives.
func (cl *client) public() models.Client {
	out := cl.Client
	out.Cards = append([]string(nil), cl.Cards...)
	return out
}

func (c *Club) plan(id string) (models.Plan, bool) {
	for _, p := range c.plans {
		if p.ID == id {
			return p, true
		}
	}
	return models.Plan{}, false
}

// Plans lists what the club sells.
func (c *Club) Plans(ctx context.Context) ([]models.Plan, error) {
	if err := c.begin(ctx, "plans"); err != nil {
		return nil, err
	}
	return append([]models.Plan(nil), c.plans...), nil
}

func itoa(n int) string { return strconv.Itoa(n) }
