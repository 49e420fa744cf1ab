package yclients

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
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
	MiddleName text   `json:"middle_name"` // Altegio's name for the patronymic (assumption 20)
	Phone      text   `json:"phone"`       // a number in answers, a string in requests
	Email      text   `json:"email"`
	Card       text   `json:"card"`
	BirthDate  stamp  `json:"birth_date"` // "yyyy-mm-dd", 0, "1900-mm-dd" or unix seconds
	Comment    text   `json:"comment"`
	Discount   number `json:"discount"`
	Balance    amount `json:"balance"`
	SexID      count  `json:"sex_id"`
	Importance count  `json:"importance_id"`
	// Categories are the client's labels (id, title, color...).
	Categories list[wireCategory] `json:"categories"`
}

// wireCategory is a client category ("VIP", "Black list").
type wireCategory struct {
	ID    id   `json:"id"`
	Title text `json:"title"`
}

// patronymic is the client's patronymic under either name.
func (w wireClient) patronymic() text { return first(w.Patronymic, w.MiddleName) }

// noYear is the year YCLIENTS files a birthday under when it keeps the day
// without the year; 1900-01-01 is its empty birth date (assumption 20).
const noYear = 1900

// birthday reads birth_date: "yyyy-mm-dd" (1900 meaning the year is not
// known, 1900-01-01 that nothing is), unix seconds in a string or a
// number, 0 or empty for none. A unix time names an instant: at midnight
// UTC it is that UTC day, otherwise the day in the company's zone.
func (w wireClient) birthday(loc *time.Location) (models.Date, bool) {
	v := strings.TrimSpace(string(w.BirthDate))
	var d models.Date
	n, err := strconv.ParseInt(v, 10, 64)
	switch ymd, isYMD := parseYMD(v); {
	case isYMD:
		d = ymd
	case err == nil && n == 0:
		return models.Date{}, false
	case err == nil:
		t := time.Unix(n, 0)
		if u := t.UTC(); u.Hour() == 0 && u.Minute() == 0 && u.Second() == 0 {
			d = models.DateOf(t, time.UTC)
		} else {
			d = models.DateOf(t, loc)
		}
	default:
		dd, ok := w.BirthDate.Date()
		if !ok {
			return models.Date{}, false
		}
		d = dd
	}
	switch {
	case d.Year == noYear && d.Month == time.January && d.Day == 1:
		return models.Date{}, false
	case d.Year == noYear:
		return models.NoYear(d.Month, d.Day), true
	}
	return d, true
}

// parseYMD reads an 8-digit YYYYMMDD of a plausible birth year (a unix
// time of 1970–1973 has 8 digits too, but never reads as such a date).
func parseYMD(v string) (models.Date, bool) {
	if len(v) != 8 {
		return models.Date{}, false
	}
	t, err := time.Parse("20060102", v)
	if err != nil || t.Year() < noYear || t.Year() > 2100 {
		return models.Date{}, false
	}
	return models.DateOf(t, time.UTC), true
}

// birthWire is a birthday as YCLIENTS takes it back: a day without its
// year is filed under 1900, as YCLIENTS keeps it.
func birthWire(d models.Date) string {
	if !d.HasYear() {
		d = models.Date{Year: noYear, Month: d.Month, Day: d.Day}
	}
	return wireDate(d)
}

func (w wireClient) model(cur string, loc *time.Location) models.Client {
	c := models.Client{
		ID: string(w.ID), FirstName: strings.TrimSpace(string(w.Name)), LastName: strings.TrimSpace(string(w.Surname)),
		MiddleName: strings.TrimSpace(string(w.patronymic())), Phone: strings.TrimSpace(string(w.Phone)),
		Email: strings.TrimSpace(string(w.Email)), Note: strings.TrimSpace(string(w.Comment)),
		Deposit: models.Money{Currency: cur}, Debt: models.Money{Currency: cur},
		Discount: max(int(w.Discount), 0),
	}
	if card := strings.TrimSpace(string(w.Card)); card != "" {
		c.Cards = []string{card}
	}
	if d, ok := w.birthday(loc); ok {
		c.Birthday = d
	}
	for _, cat := range w.Categories {
		if t := strings.TrimSpace(string(cat.Title)); t != "" && !slices.Contains(c.Tags, t) {
			c.Tags = append(c.Tags, t)
		}
	}
	// The client's balance is their account with the company: money on it
	// is a deposit, below zero a debt (assumption 4).
	switch b := money(w.Balance, cur); {
	case b.Unknown:
		// A balance sent and unreadable: the deposit and the debt are
		// both unknown, never zero.
		c.Deposit, c.Debt = b, b
	case b.Minor > 0:
		c.Deposit = b
	case b.Minor < 0:
		c.Debt = models.Money{Minor: -b.Minor, Currency: cur}
	}
	return c
}

func (c *Client) models(ws []wireClient) []models.Client {
	out := make([]models.Client, 0, len(ws))
	loc := c.zone()
	c.mu.Lock()
	defer c.mu.Unlock()
	cur := c.currencyLocked()
	for _, w := range ws {
		if w.ID == "" {
			continue
		}
		if w.Phone != "" {
			c.phones[string(w.ID)] = string(w.Phone)
		}
		out = append(out, w.model(cur, loc))
	}
	return out
}

// The search goes through POST /api/v1/company/{company_id}/clients/search
// with the quick_search filter (the full reference: phone, extra phone,
// name, card; a part matches); the deprecated GET /api/v1/clients/
// {company_id} is the fallback when an account refuses it, the e-mail
// search (quick_search does not look at e-mails) and the card lookup (its
// card filter is the one that names the card field), and it reads the
// clients found in full (the search answers only the fields of its own
// short list: no surname, card, birth date or balance). Assumption 1.
const clientsPath = "/api/v1/clients/"

// quickRetry is how long a refused quick search leaves the desk on the
// deprecated list before it asks again: a search is typed key by key, and
// one refusal per key would double every search.
const quickRetry = 10 * time.Minute

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
// sent as YCLIENTS stores it (7XXXXXXXXXX); a part typed after the trunk
// prefix ("8 916 999", "+7 916") without it, since the stored number
// carries 7, not 8 ("8916999" is in no number); another part as typed.
func phoneFilter(q, digits string) string {
	t := strings.TrimSpace(q)
	switch {
	case len(digits) >= 10:
		return models.PhoneDigits(q)
	case strings.HasPrefix(t, "+7") && len(digits) > 1:
		return digits[1:]
	case strings.HasPrefix(t, "8") && len(digits) > 4:
		return digits[1:]
	}
	return digits
}

// quickValue is what the quick search is asked for: a name as typed
// (spaces folded), phone digits as phoneFilter words them, "" for a query
// too short to search (fewer than three digits and no letter).
func quickValue(query string) string {
	q := strings.Join(strings.Fields(query), " ")
	digits := models.Digits(q)
	switch {
	case q == "":
		return ""
	case strings.ContainsFunc(q, unicode.IsLetter):
		return q
	case len(digits) < 3:
		return ""
	case strings.Trim(q, "+0123456789 ()-.") == "":
		return phoneFilter(q, digits)
	}
	return q
}

// quickSearch is POST .../clients/search with the quick_search filter:
// the ids (and names, phones) of the clients whose phone, name or card
// holds value.
func (c *Client) quickSearch(ctx context.Context, op, value string, n int) ([]wireClient, error) {
	body := map[string]any{
		"page": 1, "page_size": n, "fields": []string{"id", "name", "phone", "email"},
		"order_by": "name", "order_by_direction": "ASC", "operation": "AND",
		"filters": []any{map[string]any{"type": "quick_search", "state": map[string]any{"value": value}}},
	}
	var ws list[wireClient]
	if _, err := c.do(ctx, call{op: op, method: http.MethodPost, path: "/api/v1/company/" + c.companyID + "/clients/search", body: body, search: true}, &ws); err != nil {
		return nil, err
	}
	return ws, nil
}

// inFull reads the clients of found in full with the list's id filter, in
// one request; when it cannot, the search's own short answers stand.
func (c *Client) inFull(ctx context.Context, op string, found []wireClient) []wireClient {
	var ids []string
	for _, w := range found {
		if w.ID != "" {
			ids = append(ids, string(w.ID))
		}
	}
	if len(ids) == 0 {
		return nil
	}
	full, err := c.listClients(ctx, op, url.Values{"id[]": ids}, len(ids))
	if err != nil {
		c.log.Warn("yclients: the clients found could not be read in full; showing the search's own fields", "err", err)
		return found
	}
	byID := map[string]wireClient{}
	for _, w := range full {
		byID[string(w.ID)] = w
	}
	out := make([]wireClient, 0, len(found))
	for _, w := range found {
		if f, ok := byID[string(w.ID)]; ok {
			w = f
		}
		out = append(out, w)
	}
	return out
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

// SearchClients finds clients by part of a name, phone, e-mail or card,
// card matches first: the quick search (the deprecated list's filters when
// the account refuses it, or for an e-mail), and the card filter when the
// query can be a card.
func (c *Client) SearchClients(ctx context.Context, query string, limit int) ([]models.Client, error) {
	const op = "search clients"
	if err := c.prepare(ctx, op); err != nil {
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
	var cards []url.Values
	quick := ""
	if filters[0].Get("email") == "" && c.quickAllowed() {
		quick = quickValue(query)
		for _, f := range filters {
			if f.Get("card") != "" {
				cards = append(cards, f)
			}
		}
	}
	var (
		results [][]wireClient
		errs    []error
	)
	if quick != "" {
		results, errs = c.searchEach(ctx, op, append([]url.Values{nil}, cards...), n, quick)
		switch {
		case refused(errs[0]):
			c.mu.Lock()
			c.quickOffUntil = c.now().Add(quickRetry)
			c.mu.Unlock()
			c.log.Warn("yclients: the clients search is refused; the deprecated list searches for a while", "err", errs[0])
			// The list's other filters instead; the card answers stand.
			var rest []url.Values
			for _, f := range filters {
				if f.Get("card") == "" {
					rest = append(rest, f)
				}
			}
			more, moreErrs := c.searchEach(ctx, op, rest, n, "")
			results, errs = append(more, results[1:]...), append(moreErrs, errs[1:]...)
		case errs[0] == nil:
			results[0] = c.inFull(ctx, op, results[0])
		}
	} else {
		results, errs = c.searchEach(ctx, op, filters, n, "")
	}
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
	if len(results) == 1 {
		slices.SortStableFunc(out, func(a, b models.Client) int { return strings.Compare(a.FullName(), b.FullName()) })
	}
	if limit > 0 && len(out) > limit {
		out = out[:limit]
	}
	return out, nil
}

// quickAllowed says whether the quick search may be asked now: not within
// quickRetry of its refusal.
func (c *Client) quickAllowed() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return !c.now().Before(c.quickOffUntil)
}

// searchEach runs the searches at once: a nil filter is the quick search
// for quick, the others the list's filters.
func (c *Client) searchEach(ctx context.Context, op string, filters []url.Values, n int, quick string) ([][]wireClient, []error) {
	results := make([][]wireClient, len(filters))
	errs := make([]error, len(filters))
	var wg sync.WaitGroup
	for i, f := range filters {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if f == nil {
				results[i], errs[i] = c.quickSearch(ctx, op, quick, n)
				return
			}
			results[i], errs[i] = c.listClients(ctx, op, f, n)
		}()
	}
	wg.Wait()
	return results, errs
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
	return w.model(c.currency(), c.zone()), nil
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
	for k, v := range map[string]text{"surname": w.Surname, "patronymic": w.patronymic(), "email": w.Email, "comment": w.Comment} {
		if v != "" {
			body[k] = string(v)
		}
	}
	if d, ok := w.birthday(c.zone()); ok {
		body["birth_date"] = birthWire(d)
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
		body["birth_date"] = birthWire(n.Birthday)
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
