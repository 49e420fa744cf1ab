package gocrm

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"
	"unicode"

	"github.com/clubdesk/clubdesk/models"
	"github.com/clubdesk/clubdesk/providers"
	"github.com/clubdesk/clubdesk/providers/search"
	"golang.org/x/sync/errgroup"
)

// cache is what the adapter remembers for the session.
type cache struct {
	list    clientList
	leads   map[string]models.Client
	hours   map[string]wireHour
	staff   map[string]string
	staffAt time.Time
	// staffErr is how /users failed, kept for the session (assumption
	// 14): the timetable names instructors by what the hours carry, and
	// only an explicit refresh (Refresh) asks again.
	staffErr error
	plans    []wirePlan
	plansAt  time.Time
	center   *wireCenter
}

// clientList is GET /clients as the session keeps it (assumption 16).
type clientList struct {
	index   *clientIndex
	next    time.Time     // when to read it again: in the background while index serves
	loading chan struct{} // closed when the read in flight is over
	err     error         // how the last read failed; kept until next
}

func (ca *cache) init() {
	ca.leads = map[string]models.Client{}
	ca.hours = map[string]wireHour{}
}

// How the clients' list is kept (assumption 16): Go-CRM offers no search,
// so the list is read once and searched here. It serves searches for
// clientsTTL, then is read again in the background while the old one still
// answers, so that clients added in the CRM meanwhile show up and no
// keystroke waits for it. A read that failed is not tried again for
// clientsRetry: the keystrokes meanwhile get its error (or the previous
// list), not a download each.
const (
	clientsTTL   = 10 * time.Minute
	clientsRetry = 30 * time.Second
	// clientsTimeout bounds the whole read of the list: at 200,000 clients
	// it is ~27 MB, which a slow line takes a while to bring.
	clientsTimeout = 2 * time.Minute
)

// leadPrefix marks a walk-in registered as a lead this session: Go-CRM
// makes it a client later, with an id of its own (assumption 9).
const leadPrefix = "lead:"

// clients is GET /clients, read once for every search that follows and
// refreshed in the background.
func (c *Client) clients(ctx context.Context) (*clientIndex, error) {
	for {
		c.mu.Lock()
		l := &c.cache.list
		now := c.now()
		due := !now.Before(l.next)
		if l.index != nil {
			ix := l.index
			if due && l.loading == nil {
				c.loadClients(ctx)
			}
			c.mu.Unlock()
			return ix, nil
		}
		if l.err != nil && !due {
			err := l.err
			c.mu.Unlock()
			return nil, err
		}
		ch := l.loading
		if ch == nil {
			ch = c.loadClients(ctx)
		}
		c.mu.Unlock()
		select {
		case <-ch:
			c.mu.Lock()
			ix, err := c.cache.list.index, c.cache.list.err
			c.mu.Unlock()
			if ix != nil || err != nil {
				if ix != nil {
					return ix, nil
				}
				return nil, err
			}
		case <-ctx.Done():
			return nil, fmt.Errorf("clients: %w", ctx.Err())
		}
	}
}

// loadClients starts reading the list, c.mu held. The read serves every
// search that follows: it is not abandoned when the keystroke that
// started it is superseded.
func (c *Client) loadClients(ctx context.Context) chan struct{} {
	ch := make(chan struct{})
	c.cache.list.loading = ch
	go func() {
		lctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), clientsTimeout)
		ix, err := c.readClients(lctx)
		cancel()
		c.mu.Lock()
		l := &c.cache.list
		l.loading = nil
		now := c.now()
		switch {
		case err == nil:
			l.index, l.err, l.next = ix, nil, now.Add(clientsTTL)
		case l.index != nil && !isAuth(err):
			c.log.Warn("clients list not refreshed; searching the previous one", "err", err)
			l.next = now.Add(clientsRetry)
		default:
			l.index, l.err, l.next = nil, err, now.Add(clientsRetry)
		}
		c.mu.Unlock()
		close(ch)
	}()
	return ch
}

func isAuth(err error) bool {
	return errors.Is(err, providers.ErrUnauthorized)
}

// SearchClients searches the clients' list here (Go-CRM's API has no
// search): every word of the query must begin a word of the child's name
// or the parent's full name, and digits are found in the phone. Walk-ins
// registered as leads this session are found too.
func (c *Client) SearchClients(ctx context.Context, query string, limit int) ([]models.Client, error) {
	q := strings.TrimSpace(query)
	if q == "" {
		return nil, nil
	}
	ix, err := c.clients(ctx)
	if err != nil {
		return nil, err
	}
	words, digits := splitQuery(q)
	docs, scores := ix.search(words, digits, limit)
	out := make([]models.Client, len(docs), len(docs)+1)
	for i, doc := range docs {
		out[i] = ix.client(doc)
	}
	// Leads (a few a session) are matched one by one and placed among the
	// list's results as if they ended the list.
	type hit struct {
		c     models.Client
		score int
		key   string
	}
	var leads []hit
	c.mu.Lock()
	for _, l := range c.cache.leads {
		if score, ok := match(l, words, digits); ok {
			leads = append(leads, hit{l, score, fold(l.FirstName + " " + l.Guardian)})
		}
	}
	c.mu.Unlock()
	if len(leads) == 0 {
		return out, nil
	}
	slices.SortStableFunc(leads, func(a, b hit) int {
		if a.score != b.score {
			return a.score - b.score
		}
		return strings.Compare(a.key, b.key)
	})
	merged := make([]models.Client, 0, len(out)+len(leads))
	i := 0
	for _, l := range leads {
		for i < len(out) && (scores[i] < l.score || scores[i] == l.score && fold(out[i].FirstName+" "+out[i].Guardian) <= l.key) {
			merged = append(merged, out[i])
			i++
		}
		merged = append(merged, l.c)
	}
	merged = append(merged, out[i:]...)
	if limit > 0 && len(merged) > limit {
		merged = merged[:limit]
	}
	return merged, nil
}

// splitQuery separates a query's words from its phone digits: "Ваня 6543"
// is a name and a part of a number.
func splitQuery(q string) (words []string, digits []string) {
	for _, f := range strings.FieldsFunc(q, func(r rune) bool { return unicode.IsSpace(r) || r == ',' }) {
		if strings.IndexFunc(f, unicode.IsLetter) >= 0 {
			words = append(words, fold(f))
			continue
		}
		if d := models.Digits(f); d != "" {
			digits = append(digits, d)
		}
	}
	// A number typed in groups ("+7 987 654 32 10") is one number.
	if len(digits) > 1 && len(words) == 0 {
		digits = []string{strings.Join(digits, "")}
	}
	return words, digits
}

// match scores a client for a query (lower is better): the child's name
// first, then the parent's; ok is false when a word or the digits miss.
func match(c models.Client, words, digits []string) (int, bool) {
	if len(words) == 0 && len(digits) == 0 {
		return 0, false
	}
	score := 0
	child := strings.Fields(fold(c.FirstName + " " + c.LastName + " " + c.MiddleName))
	parent := strings.Fields(fold(c.Guardian))
	for _, w := range words {
		switch {
		case hasPrefix(child, w):
		case hasPrefix(parent, w):
			score += 2
		default:
			return 0, false
		}
	}
	phone := []byte(models.PhoneDigits(c.Phone))
	for _, d := range digits {
		if len(d) < 3 {
			return 0, false
		}
		if !phoneHas(phone, []byte(d), []byte(significant(d))) {
			return 0, false
		}
		score++
	}
	return score, true
}

func hasPrefix(fields []string, w string) bool {
	for _, f := range fields {
		if strings.HasPrefix(f, w) {
			return true
		}
	}
	return false
}

// significant drops the country or trunk code of a full Russian number, so
// 8 987…, +7 987… and 987… are one number.
func significant(d string) string {
	if len(d) == 11 && (d[0] == '7' || d[0] == '8') {
		return d[1:]
	}
	return d
}

// fold is the form names are compared in: lower case, ё as е.
func fold(s string) string { return search.Fold(strings.TrimSpace(s)) }

// Client reads one client with GET /clients/(:num) and what the client owes
// from GET /debts, in one parallel round. A lead registered this session is
// answered from memory: Go-CRM has no client of that id yet.
func (c *Client) Client(ctx context.Context, clientID string) (models.Client, error) {
	if l, ok := c.lead(clientID); ok {
		return l, nil
	}
	var w wireClient
	var debt models.Money
	var note string
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error {
		_, err := c.get(gctx, "client", "/clients/"+pathID(clientID), nil, &w)
		return err
	})
	g.Go(func() error {
		var err error
		debt, note, err = c.debts(gctx, clientID)
		return err
	})
	if err := g.Wait(); err != nil {
		return models.Client{}, err
	}
	if w.ID == "" {
		return models.Client{}, providers.Refusal(providers.ErrNotFound, "client", providers.ClientNotFound, clientID)
	}
	cl := w.model()
	cl.Debt, cl.Note = debt, note
	return cl, nil
}

// debts is GET /debts for a client (assumption 5): the debt at this desk's
// center, and a word for reception about debts at other centers.
func (c *Client) debts(ctx context.Context, clientID string) (models.Money, string, error) {
	center, err := c.centerID(ctx)
	if err != nil {
		return models.Money{}, "", err
	}
	var ds []wireDebt
	if _, err := c.get(ctx, "debts", "/debts", map[string]any{"clientId": clientID}, &ds); err != nil {
		return models.Money{}, "", err
	}
	here := models.Money{Currency: rub}
	var elsewhere []string
	for _, d := range ds {
		m := money(d.Money, d.Currency)
		if m.Unknown && (d.CenterID == "" || string(d.CenterID) == center) {
			here = here.Add(m) // a debt here that cannot be read: unknown, never zero
			continue
		}
		if !m.IsPositive() {
			continue
		}
		if d.CenterID == "" || string(d.CenterID) == center {
			here = here.Add(m)
			continue
		}
		where := strings.TrimSpace(string(d.Address))
		if where == "" {
			where = "центр " + string(d.CenterID)
		}
		elsewhere = append(elsewhere, fmt.Sprintf("%s — %s", where, m))
	}
	note := ""
	if len(elsewhere) > 0 {
		note = "Долг в другом центре: " + strings.Join(elsewhere, "; ")
	}
	return here, note, nil
}

func (c *Client) lead(clientID string) (models.Client, bool) {
	if !strings.HasPrefix(clientID, leadPrefix) {
		return models.Client{}, false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	l, ok := c.cache.leads[clientID]
	if !ok {
		n := strings.TrimPrefix(clientID, leadPrefix)
		l = models.Client{ID: clientID, FirstName: "заявка " + n,
			Deposit: models.Money{Currency: rub}, Debt: models.Money{Currency: rub},
			Lead: &models.Lead{ID: n, Next: leadNext.Fill(n), Roster: leadRoster.Fill(n)}}
	}
	return l, true
}

// errLead refuses what a lead cannot do until Go-CRM makes it a client;
// errors.Is finds providers.ErrLead.
func errLead(op string) error {
	e := providers.Refusal(providers.ErrValidation, op, providers.Words{EN: "this is a lead: booking and paying wait until Go-CRM makes it a client", RU: "это заявка: записать и оплатить можно, когда Go-CRM сделает её клиентом"})
	e.Err = providers.ErrLead
	return e
}

// Words of a saved lead (assumption 9).
var (
	leadNext = providers.Words{
		EN: "Lead № %s saved in Go-CRM: the child appears in the client list once Go-CRM's administrator registers them",
		RU: "Заявка № %s сохранена в Go-CRM: ребёнок появится в списке клиентов, когда администратор Go-CRM оформит его"}
	leadRoster = providers.Words{
		EN: "lead № %s — not marked: booked and marked once Go-CRM's administrator registers the child",
		RU: "заявка № %s — не отмечен: запись и отметка — после оформления администратором Go-CRM"}
)

// CreateClient registers a walk-in as a lead with the public API's POST
// /leads (assumption 9): Go-CRM's staff make it a client. The Lead's name
// is the child's first name, its fio the parent's full name ("ФИО
// Родителя") and its phone the parent's, from the form's guardian fields;
// without them fio is left out rather than filled with the child's name,
// and the child's full name goes to the comment. The birthday, which the
// Lead requires, goes in the document's DD.MM.YYYY. A saved lead is a
// success: the client it returns carries Lead, saying what happens next.
func (c *Client) CreateClient(ctx context.Context, n models.NewClient) (models.Client, error) {
	center, err := c.centerID(ctx)
	if err != nil {
		return models.Client{}, err
	}
	child := strings.Join(strings.Fields(n.LastName+" "+n.FirstName+" "+n.MiddleName), " ")
	parent := strings.Join(strings.Fields(n.Guardian), " ")
	phone := first(strings.TrimSpace(n.GuardianPhone), strings.TrimSpace(n.Phone))
	comment := c.leadComment(n.Comment)
	if child != "" && child != strings.TrimSpace(n.FirstName) {
		comment = "Ребёнок: " + child + ". " + comment
	}
	body := map[string]any{
		"name": strings.TrimSpace(n.FirstName), "phone": leadPhone(phone), "center_id": center, "comment": comment,
	}
	if parent != "" {
		body["fio"] = parent
	}
	fio := parent
	if !n.Birthday.IsZero() {
		body["birthday"] = fmt.Sprintf("%02d.%02d.%04d", n.Birthday.Day, int(n.Birthday.Month), n.Birthday.Year)
	}
	if e := strings.TrimSpace(n.Email); e != "" {
		body["mail"] = e
	}
	var l wireLead
	if err := c.publicCall(ctx, "new lead", http.MethodPost, "/leads", nil, body, &l); err != nil {
		return models.Client{}, err
	}
	if l.ID == "" {
		return models.Client{}, providers.Refusal(providers.ErrOutcomeUnknown, "new lead", providers.Words{EN: "Go-CRM took the lead but gave no number for it: look in the CRM before trying again", RU: "Go-CRM принял заявку, но не вернул её номер: проверьте в CRM, прежде чем повторять"})
	}
	// The lead as Go-CRM stored it; when it kept the child's name as typed,
	// the card shows the child typed (with the surname), the parent as the
	// guardian.
	cl := wireClient{ID: id(leadPrefix + string(l.ID)), Fio: l.Fio, Name: l.Name, Phone: l.Phone, Mail: l.Mail}.model()
	if l.Name == "" || fold(string(l.Name)) == fold(n.FirstName) {
		cl.LastName, cl.FirstName, cl.MiddleName = strings.TrimSpace(n.LastName), strings.TrimSpace(n.FirstName), strings.TrimSpace(n.MiddleName)
		cl.Guardian = first(fio, strings.TrimSpace(string(l.Fio)))
	}
	cl.Phone = first(cl.Phone, phone)
	cl.Email = first(cl.Email, strings.TrimSpace(n.Email))
	status := first(string(l.Status), "bid")
	cl.Note = fmt.Sprintf("Заявка №%s в Go-CRM (статус %s): клиентом станет после обработки в CRM", l.ID, status)
	cl.Lead = &models.Lead{ID: string(l.ID), Status: status, Next: leadNext.Fill(l.ID), Roster: leadRoster.Fill(l.ID)}
	if d, ok := l.Birthday.Date(); ok {
		cl.Birthday = d
	} else {
		cl.Birthday = n.Birthday
	}
	c.mu.Lock()
	c.cache.leads[cl.ID] = cl
	c.mu.Unlock()
	return cl, nil
}

// leadPhone writes a number as the Lead's example does: +79876543210.
func leadPhone(s string) string {
	d := models.PhoneDigits(s)
	if len(d) == 11 && d[0] == '7' {
		return "+" + d
	}
	return strings.TrimSpace(s)
}

func (c *Client) leadComment(comment string) string {
	if s := strings.TrimSpace(comment); s != "" {
		return s
	}
	if c.point != "" {
		return "Пришёл на ресепшен (" + c.point + "), записан в clubdesk"
	}
	return "Пришёл на ресепшен, записан в clubdesk"
}
