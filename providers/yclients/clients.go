package yclients

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode"

	"github.com/clubdesk/clubdesk/models"
	"github.com/clubdesk/clubdesk/providers"
)

// wireClient is a client as GET /api/v1/client/{company_id}/{id} shows it
// (L8538); the deprecated list answers the same objects (assumption 4).
type wireClient struct {
	ID         id     `json:"id"`
	Name       text   `json:"name"`
	Surname    text   `json:"surname"`
	Patronymic text   `json:"patronymic"`
	Phone      text   `json:"phone"` // a number in answers, a string in requests
	Email      text   `json:"email"`
	Card       text   `json:"card"`
	BirthDate  stamp  `json:"birth_date"` // "yyyy-mm-dd", or 0
	Comment    text   `json:"comment"`
	Discount   number `json:"discount"`
	Balance    amount `json:"balance"`
	SexID      count  `json:"sex_id"`
	Importance count  `json:"importance_id"`
}

func (w wireClient) model() models.Client {
	c := models.Client{
		ID: string(w.ID), FirstName: strings.TrimSpace(string(w.Name)), LastName: strings.TrimSpace(string(w.Surname)),
		MiddleName: strings.TrimSpace(string(w.Patronymic)), Phone: strings.TrimSpace(string(w.Phone)),
		Email: strings.TrimSpace(string(w.Email)), Note: strings.TrimSpace(string(w.Comment)),
		Deposit: models.Money{Currency: currency}, Debt: models.Money{Currency: currency},
		Discount: max(int(w.Discount), 0),
	}
	if card := strings.TrimSpace(string(w.Card)); card != "" {
		c.Cards = []string{card}
	}
	if d, ok := w.BirthDate.Date(); ok {
		c.Birthday = d
	}
	// The client's balance is their account with the company: money on it
	// is a deposit, below zero a debt (assumption 4).
	switch b := money(w.Balance); {
	case b.Unknown:
		// A balance sent and unreadable: the deposit and the debt are
		// both unknown, never zero.
		c.Deposit, c.Debt = b, b
	case b.Minor > 0:
		c.Deposit = b
	case b.Minor < 0:
		c.Debt = models.Money{Minor: -b.Minor, Currency: currency}
	}
	return c
}

func (c *Client) models(ws []wireClient) []models.Client {
	out := make([]models.Client, 0, len(ws))
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, w := range ws {
		if w.ID == "" {
			continue
		}
		if w.Phone != "" {
			c.phones[string(w.ID)] = string(w.Phone)
		}
		out = append(out, w.model())
	}
	return out
}

// The search goes through the deprecated GET /api/v1/clients/{company_id}:
// it is the only call whose filters are documented (fullname, phone, email
// and card), while the current POST .../clients/search leaves its filter
// grammar out. The choice is made here and nowhere else.
const clientsPath = "/api/v1/clients/"

// searchFilters turns what the receptionist typed into the filters of one
// or two list calls: an e-mail; a name; phone digits, and the card filter
// too when the digits can be a card number; a card number with letters.
func searchFilters(query string) []url.Values {
	q := strings.TrimSpace(query)
	digits := strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, q)
	letters := strings.ContainsFunc(q, unicode.IsLetter)
	switch {
	case q == "":
		return nil
	case strings.Contains(q, "@"):
		return []url.Values{{"email": {q}}}
	case letters && digits != "" && !strings.ContainsFunc(q, unicode.IsSpace):
		// Letters and digits in one word: a card number ("5663rt", L7848).
		return []url.Values{{"card": {q}}}
	case letters:
		return []url.Values{{"fullname": {strings.Join(strings.Fields(q), " ")}}}
	case len(digits) >= 3:
		fs := []url.Values{{"phone": {phoneFilter(q, digits)}}}
		if len(digits) >= 6 && digits == q {
			fs = append(fs, url.Values{"card": {q}}) // digits alone can be a card too
		}
		return fs
	}
	return nil
}

// phoneFilter is the part of a number to look for: a full Russian number is
// sent as YCLIENTS stores it (7XXXXXXXXXX), a part as typed.
func phoneFilter(q, digits string) string {
	if len(digits) >= 10 {
		return models.PhoneDigits(q)
	}
	return digits
}

// listClients reads one page of the client list with the filters.
func (c *Client) listClients(ctx context.Context, op string, f url.Values, n int) ([]wireClient, error) {
	q := url.Values{}
	for k, v := range f {
		q[k] = v
	}
	q.Set("page", "1")
	q.Set("count", strconv.Itoa(n))
	var ws list[wireClient]
	if _, err := c.get(ctx, op, clientsPath+c.companyID, q, &ws); err != nil {
		return nil, err
	}
	return ws, nil
}

// SearchClients finds clients by part of a name, phone, e-mail or card
// (searchFilters), card matches first.
func (c *Client) SearchClients(ctx context.Context, query string, limit int) ([]models.Client, error) {
	if err := c.prepare(ctx, "search clients"); err != nil {
		return nil, err
	}
	if err := c.allowed(providers.CapSearch); err != nil {
		return nil, err
	}
	filters := searchFilters(query)
	if len(filters) == 0 {
		return nil, nil
	}
	n := limit
	if n <= 0 || n > 100 {
		n = 100
	}
	results := make([][]wireClient, len(filters))
	errs := make([]error, len(filters))
	var wg sync.WaitGroup
	for i, f := range filters {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results[i], errs[i] = c.listClients(ctx, "search clients", f, n)
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	seen := map[string]bool{}
	var out []models.Client
	for i := len(results) - 1; i >= 0; i-- { // the card filter comes last and matters most
		for _, cl := range c.models(results[i]) {
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

// holders are the clients whose card is the tag: the card filter matches a
// part, so the card itself is compared.
func (c *Client) holders(ctx context.Context, op, tag string) ([]models.Client, error) {
	ws, err := c.listClients(ctx, op, url.Values{"card": {tag}}, 20)
	if err != nil {
		return nil, err
	}
	var out []models.Client
	for _, cl := range c.models(ws) {
		for _, card := range cl.Cards {
			if strings.EqualFold(card, strings.TrimSpace(tag)) {
				out = append(out, cl)
				break
			}
		}
	}
	return out, nil
}

// ClientByCard finds the client whose card is the tag.
func (c *Client) ClientByCard(ctx context.Context, tag string) (models.Client, error) {
	const op = "card lookup"
	if err := c.prepare(ctx, op); err != nil {
		return models.Client{}, err
	}
	if err := c.allowed(providers.CapCardLookup); err != nil {
		return models.Client{}, err
	}
	hs, err := c.holders(ctx, op, tag)
	if err != nil {
		return models.Client{}, err
	}
	if len(hs) == 0 {
		return models.Client{}, providers.Refusal(providers.ErrNotFound, op, providers.CardNotFound, tag)
	}
	return hs[0], nil
}

// wireClient reads one client as YCLIENTS has it.
func (c *Client) wireClient(ctx context.Context, op, clientID string) (wireClient, error) {
	var w wireClient
	if _, err := c.get(ctx, op, "/api/v1/client/"+c.companyID+"/"+pathID(clientID), nil, &w); err != nil {
		return wireClient{}, err
	}
	if w.ID == "" {
		return wireClient{}, providers.Refusal(providers.ErrNotFound, op, providers.ClientNotFound, clientID)
	}
	c.models([]wireClient{w})
	return w, nil
}

// Client reads one client: name, phone, card, comment, balance, discount.
func (c *Client) Client(ctx context.Context, clientID string) (models.Client, error) {
	if err := c.prepare(ctx, "client"); err != nil {
		return models.Client{}, err
	}
	w, err := c.wireClient(ctx, "client", clientID)
	if err != nil {
		return models.Client{}, err
	}
	return w.model(), nil
}

// BindCard writes the card into the client with PUT
// /api/v1/client/{company_id}/{id}, which requires name and phone: they are
// read first and sent back as they are, with the client's other identity
// fields. Money fields (balance, spent) are never sent.
func (c *Client) BindCard(ctx context.Context, clientID, tag string) error {
	const op = "bind card"
	if err := c.prepare(ctx, op); err != nil {
		return err
	}
	if err := c.allowed(providers.CapBindCard); err != nil {
		return err
	}
	hs, err := c.holders(ctx, op, tag)
	if err != nil {
		return err
	}
	for _, h := range hs {
		if h.ID != clientID {
			return providers.Refusal(providers.ErrCardInUse, op, providers.CardHeld, tag, h.ShortName())
		}
	}
	if len(hs) > 0 {
		return nil // already this client's card
	}
	w, err := c.wireClient(ctx, op, clientID)
	if err != nil {
		return err
	}
	body := map[string]any{"name": string(w.Name), "phone": string(w.Phone), "card": strings.TrimSpace(tag)}
	for k, v := range map[string]text{"surname": w.Surname, "patronymic": w.Patronymic, "email": w.Email, "comment": w.Comment} {
		if v != "" {
			body[k] = string(v)
		}
	}
	if d, ok := w.BirthDate.Date(); ok {
		body["birth_date"] = wireDate(d)
	}
	if w.SexID.OK {
		body["sex_id"] = w.SexID.Value
	}
	if w.Importance.OK {
		body["importance_id"] = w.Importance.Value
	}
	if w.Discount != 0 {
		body["discount"] = int64(w.Discount)
	}
	_, err = c.send(ctx, op, http.MethodPut, "/api/v1/client/"+c.companyID+"/"+pathID(clientID), body, nil)
	return err
}

// CreateClient registers someone at the desk with POST
// /api/v1/clients/{company_id}; a card another client holds is refused
// first.
func (c *Client) CreateClient(ctx context.Context, n models.NewClient) (models.Client, error) {
	const op = "create client"
	if err := c.prepare(ctx, op); err != nil {
		return models.Client{}, err
	}
	if err := c.allowed(providers.CapCreateClient); err != nil {
		return models.Client{}, err
	}
	if n.Card != "" {
		hs, err := c.holders(ctx, op, n.Card)
		if err != nil {
			return models.Client{}, err
		}
		if len(hs) > 0 {
			return models.Client{}, providers.Refusal(providers.ErrCardInUse, op, providers.CardHeld, n.Card, hs[0].ShortName())
		}
	}
	body := map[string]any{"name": strings.TrimSpace(n.FirstName), "phone": models.PhoneDigits(n.Phone)}
	for k, v := range map[string]string{"surname": n.LastName, "patronymic": n.MiddleName, "email": n.Email,
		"card": n.Card, "comment": n.Comment} {
		if v = strings.TrimSpace(v); v != "" {
			body[k] = v
		}
	}
	if !n.Birthday.IsZero() {
		body["birth_date"] = wireDate(n.Birthday)
	}
	var w wireClient
	if _, err := c.send(ctx, op, http.MethodPost, clientsPath+c.companyID, body, &w); err != nil {
		return models.Client{}, err
	}
	if w.ID == "" {
		return models.Client{}, c.http.Garbled(op, true, http.StatusCreated, errNoID)
	}
	return c.models([]wireClient{w})[0], nil
}
