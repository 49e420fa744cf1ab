package luckyfit

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"
	"unicode"

	"github.com/clubdesk/clubdesk/models"
	"github.com/clubdesk/clubdesk/providers"
	"golang.org/x/sync/errgroup"
)

// wireBranch is one of /branches (assumption 11).
type wireBranch struct {
	ID       id   `json:"id"`
	Name     text `json:"name"`
	Timezone text `json:"timezone"`
	Currency text `json:"currency"`
}

// wireClient is a client as /clients answers it (assumption 1).
type wireClient struct {
	ID         id     `json:"id"`
	Surname    text   `json:"surname"`
	Name       text   `json:"name"`
	Patronymic text   `json:"patronymic"`
	Birthday   stamp  `json:"birthday"`
	Phone1     text   `json:"phone1"`
	Phone2     text   `json:"phone2"`
	Email1     text   `json:"email1"`
	Tag        text   `json:"tag"`
	Cardnum    text   `json:"cardnum"`
	Locked     text   `json:"locked"`
	Message    text   `json:"message"`
	Sex        number `json:"sex"`
}

func (w wireClient) model() models.Client {
	c := models.Client{
		ID: string(w.ID), LastName: string(w.Surname), FirstName: string(w.Name), MiddleName: string(w.Patronymic),
		Phone: first(string(w.Phone1), string(w.Phone2)), Email: string(w.Email1),
		Blocked: strings.TrimSpace(string(w.Locked)) != "", BlockReason: strings.TrimSpace(string(w.Locked)),
		Note:    strings.TrimSpace(string(w.Message)),
		Deposit: models.Money{Currency: currency}, Debt: models.Money{Currency: currency},
	}
	if d, ok := w.Birthday.Date(); ok {
		c.Birthday = d
	}
	for _, card := range []text{w.Tag, w.Cardnum} {
		if s := strings.TrimSpace(string(card)); s != "" && !slices.Contains(c.Cards, s) {
			c.Cards = append(c.Cards, s)
		}
	}
	return c
}

func toModels(ws []wireClient) []models.Client {
	out := make([]models.Client, 0, len(ws))
	for _, w := range ws {
		if w.ID != "" {
			out = append(out, w.model())
		}
	}
	return out
}

// SearchClients reads /clients with the filter the query calls for: an
// e-mail, a phone (and a card, for digits that can be one), or a surname
// and a name.
func (c *Client) SearchClients(ctx context.Context, query string, limit int) ([]models.Client, error) {
	q := strings.TrimSpace(query)
	var filters []map[string]any
	digits := models.Digits(q)
	switch {
	case strings.Contains(q, "@"):
		filters = append(filters, map[string]any{"email1": q})
	case strings.IndexFunc(q, unicode.IsLetter) >= 0 && !models.LooksLikeCard(q):
		words := strings.Fields(q)
		f := map[string]any{"match#surname": words[0]}
		if len(words) > 1 {
			f["match#name"] = words[1]
		}
		filters = append(filters, f)
	case len(digits) >= 3:
		filters = append(filters, map[string]any{"phone#phone1": phoneFilter(digits)})
		if models.LooksLikeCard(q) && len(q) >= 6 {
			filters = append(filters, map[string]any{"tag": q})
		}
	default:
		return nil, nil
	}
	results := make([][]wireClient, len(filters))
	g, gctx := errgroup.WithContext(ctx)
	for i, f := range filters {
		g.Go(func() error { return c.get(gctx, "search clients", "/clients", f, &results[i]) })
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	for _, r := range results {
		c.remember(r)
	}
	seen := map[string]bool{}
	var out []models.Client
	// Card matches first: a number that is a card is what was meant.
	for i := len(results) - 1; i >= 0; i-- {
		for _, cl := range toModels(results[i]) {
			if !seen[cl.ID] {
				seen[cl.ID] = true
				out = append(out, cl)
			}
		}
	}
	if len(filters) == 1 {
		slices.SortStableFunc(out, func(a, b models.Client) int { return strings.Compare(a.FullName(), b.FullName()) })
	}
	if limit > 0 && len(out) > limit {
		out = out[:limit]
	}
	return out, nil
}

// phoneFilter sends the significant digits: a leading 7 or 8 (the country
// or trunk code) is dropped from a full Russian number so that the match
// works however LuckyFit stored it (assumption 12).
func phoneFilter(digits string) string {
	if len(digits) == 11 && (digits[0] == '7' || digits[0] == '8') {
		return digits[1:]
	}
	return digits
}

// ClientByCard finds the client whose tag is the card. The card it opens
// will want today's bookings, which need neither the client nor this
// answer, so today's timetable is read meanwhile (prefetchToday).
func (c *Client) ClientByCard(ctx context.Context, tag string) (models.Client, error) {
	c.prefetchToday()
	var found []wireClient
	if err := c.get(ctx, "card lookup", "/clients", map[string]any{"tag": tag}, &found); err != nil {
		return models.Client{}, err
	}
	c.remember(found)
	cs := toModels(found)
	if len(cs) == 0 {
		return models.Client{}, providers.Refusal(providers.ErrNotFound, "card lookup", providers.CardNotFound, tag)
	}
	return cs[0], nil
}

// Client reads one client with the deposit from /client_accounts, both in
// one parallel round. A record a lookup or a search read moments ago
// (clientTTL) stands in for /clients/id: the card opened from it reads the
// client again only for the deposit.
func (c *Client) Client(ctx context.Context, id string) (models.Client, error) {
	w, fresh := c.recent(id)
	var deposit models.Money
	g, gctx := errgroup.WithContext(ctx)
	if !fresh {
		g.Go(func() error { return c.get(gctx, "client", "/clients/id/"+pathID(id), nil, &w) })
	}
	g.Go(func() error {
		accounts, err := c.accounts(gctx, id)
		for _, a := range accounts {
			deposit = deposit.Add(a.balance())
		}
		return err
	})
	if err := g.Wait(); err != nil {
		return models.Client{}, err
	}
	if w.ID == "" {
		return models.Client{}, providers.Refusal(providers.ErrNotFound, "client", providers.ClientNotFound, id)
	}
	cl := w.model()
	cl.Deposit = models.Money{Currency: currency}.Add(deposit)
	return cl, nil
}

// BindCard writes the card into the client's tag, refusing a card another
// client already holds.
func (c *Client) BindCard(ctx context.Context, clientID, tag string) error {
	var holders []wireClient
	if err := c.get(ctx, "bind card", "/clients", map[string]any{"tag": tag}, &holders); err != nil {
		return err
	}
	held := toModels(holders)
	for _, h := range held {
		if h.ID != clientID {
			return providers.Refusal(providers.ErrCardInUse, "bind card", providers.CardHeld, tag, h.ShortName())
		}
	}
	if len(held) > 0 {
		return nil // already this client's card
	}
	c.forget(clientID)
	return c.send(ctx, "bind card", http.MethodPut, "/clients/"+pathID(clientID), map[string]any{"tag": tag}, nil)
}

// clientTTL is how long a client record that a card lookup or a search
// read is used in place of /clients/id.
const clientTTL = 10 * time.Second

// seenClient is a client record as read at at.
type seenClient struct {
	at time.Time
	w  wireClient
}

// remember keeps records just read, and drops the ones past clientTTL.
func (c *Client) remember(ws []wireClient) {
	now := c.now()
	c.mu.Lock()
	defer c.mu.Unlock()
	for id, e := range c.seen {
		if now.Sub(e.at) > clientTTL {
			delete(c.seen, id)
		}
	}
	for _, w := range ws {
		if w.ID != "" {
			c.seen[string(w.ID)] = seenClient{at: now, w: w}
		}
	}
}

// recent is the client's record if it was read within clientTTL.
func (c *Client) recent(id string) (wireClient, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.seen[id]
	if !ok || c.now().Sub(e.at) > clientTTL {
		return wireClient{}, false
	}
	return e.w, true
}

// forget drops a record about to change.
func (c *Client) forget(id string) {
	c.mu.Lock()
	delete(c.seen, id)
	c.mu.Unlock()
}

// CreateClient registers someone at the desk with POST /clients.
func (c *Client) CreateClient(ctx context.Context, n models.NewClient) (models.Client, error) {
	if n.Card != "" {
		var holders []wireClient
		if err := c.get(ctx, "create client", "/clients", map[string]any{"tag": n.Card}, &holders); err != nil {
			return models.Client{}, err
		}
		if hs := toModels(holders); len(hs) > 0 {
			return models.Client{}, providers.Refusal(providers.ErrCardInUse, "create client", providers.CardHeld, n.Card, hs[0].ShortName())
		}
	}
	body := map[string]any{"surname": n.LastName, "name": n.FirstName, "phone1": models.PhoneDigits(n.Phone)}
	if n.MiddleName != "" {
		body["patronymic"] = n.MiddleName
	}
	if n.Email != "" {
		body["email1"] = n.Email
	}
	if !n.Birthday.IsZero() {
		body["birthday"] = wireDate(n.Birthday)
	}
	if n.Card != "" {
		body["tag"] = n.Card
	}
	var w wireClient
	if err := c.send(ctx, "create client", http.MethodPost, "/clients", body, &w); err != nil {
		return models.Client{}, err
	}
	if w.ID == "" {
		return models.Client{}, fmt.Errorf("create client: LuckyFit answered without the new client's id")
	}
	cl := w.model()
	cl.Deposit = models.Money{Currency: currency}
	return cl, nil
}

// pathID keeps an id from changing the path it is put into.
func pathID(id string) string {
	return strings.Map(func(r rune) rune {
		if r == '/' || r == '?' || r == '#' || r < ' ' {
			return -1
		}
		return r
	}, id)
}
