package demo

import (
	"context"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/clubdesk/clubdesk/models"
	"github.com/clubdesk/clubdesk/providers"
)

// Client reads one client.
func (c *Club) Client(ctx context.Context, id string) (models.Client, error) {
	const op = "client"
	if err := c.begin(ctx, op); err != nil {
		return models.Client{}, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	cl, err := c.lookup(op, id)
	if err != nil {
		return models.Client{}, err
	}
	return cl.public(), nil
}

// Memberships lists a client's memberships, newest first.
func (c *Club) Memberships(ctx context.Context, clientID string) ([]models.Membership, error) {
	const op = "memberships"
	if err := c.begin(ctx, op); err != nil {
		return nil, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	cl, err := c.lookup(op, clientID)
	if err != nil {
		return nil, err
	}
	c.ensureHistory(cl)
	out := make([]models.Membership, 0, len(cl.ms))
	for i := len(cl.ms) - 1; i >= 0; i-- {
		out = append(out, cl.ms[i])
	}
	return out, nil
}

// Visits lists a client's visits at or after since, newest first.
func (c *Club) Visits(ctx context.Context, clientID string, since time.Time) ([]models.Visit, error) {
	const op = "visits"
	if err := c.begin(ctx, op); err != nil {
		return nil, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	cl, err := c.lookup(op, clientID)
	if err != nil {
		return nil, err
	}
	c.ensureHistory(cl)
	out := []models.Visit{}
	for i := len(cl.visits) - 1; i >= 0 && !cl.visits[i].At.Before(since); i-- {
		out = append(out, cl.visits[i])
	}
	return out, nil
}

// ClientBookings lists a client's bookings, cancelled ones included, for
// lessons starting in [from, to), by lesson start.
func (c *Club) ClientBookings(ctx context.Context, clientID string, from, to time.Time) ([]models.Booking, error) {
	const op = "client bookings"
	if err := c.begin(ctx, op); err != nil {
		return nil, err
	}
	if to.Sub(from) > maxSpan {
		return nil, fail(providers.ErrValidation, op, "Слишком длинный период: не больше 400 дней")
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	cl, err := c.lookup(op, clientID)
	if err != nil {
		return nil, err
	}
	out := []models.Booking{}
	if !to.After(from) {
		return out, nil
	}
	last := models.DateOf(to.Add(-time.Nanosecond), c.loc)
	for d := models.DateOf(from, c.loc); !d.After(last); d = d.AddDays(1) {
		for _, l := range c.day(d).lessons {
			if l.Start.Before(from) || !l.Start.Before(to) {
				continue
			}
			for _, b := range l.bookings {
				if b.ci == cl.idx {
					out = append(out, c.public(l, b))
				}
			}
		}
	}
	return out, nil
}

// BindCard binds a card to a client. A card another client holds, in any
// format, is refused; one the client already holds is left as it is.
func (c *Club) BindCard(ctx context.Context, clientID, tag string) error {
	const op = "bind card"
	if err := c.begin(ctx, op); err != nil {
		return err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	cl, err := c.lookup(op, clientID)
	if err != nil {
		return err
	}
	clean, err := models.CleanTag(tag)
	if err != nil {
		return &providers.Error{Kind: providers.ErrValidation, Op: op, Message: "Неверный номер карты",
			Fields: map[string]string{"Card": "Неверный номер карты"}, Err: err}
	}
	if other := c.cardHolder(clean, cl.idx); other != nil {
		return fail(providers.ErrCardInUse, op, "Карта %s уже привязана к клиенту %s", clean, other.ShortName())
	}
	for _, have := range cl.Cards {
		if have == clean || models.SameCard(have, clean) {
			return nil
		}
	}
	cl.Cards = append(cl.Cards[:len(cl.Cards):len(cl.Cards)], clean)
	c.search.addCard(cl.idx, clean)
	return nil
}

// CreateClient registers someone at the desk. Surname, first name and an
// 11-digit phone number are required; a phone or card another client
// already has is refused, as CRMs do to keep one card per person. The
// comment becomes the client's note for reception.
func (c *Club) CreateClient(ctx context.Context, nc models.NewClient) (models.Client, error) {
	const op = "create client"
	if err := c.begin(ctx, op); err != nil {
		return models.Client{}, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()

	last, first, middle := capitalize(nc.LastName), capitalize(nc.FirstName), capitalize(nc.MiddleName)
	email := strings.TrimSpace(nc.Email)
	digits := models.PhoneDigits(nc.Phone)
	var order []string
	fields := map[string]string{}
	bad := func(field, msg string) {
		order = append(order, msg)
		fields[field] = msg
	}
	if last == "" {
		bad("LastName", "Укажите фамилию")
	}
	if first == "" {
		bad("FirstName", "Укажите имя")
	}
	switch {
	case strings.TrimSpace(nc.Phone) == "":
		bad("Phone", "Укажите телефон")
	case len(digits) != 11:
		bad("Phone", "Телефон должен содержать 11 цифр: +7 XXX XXX-XX-XX")
	}
	if email != "" && (!strings.Contains(email, "@") || strings.ContainsAny(email, " ,;")) {
		bad("Email", "Неверный адрес e-mail")
	}
	if !nc.Birthday.IsZero() && nc.Birthday.After(c.today()) {
		bad("Birthday", "Дата рождения не может быть в будущем")
	}
	var card string
	if strings.TrimSpace(nc.Card) != "" {
		var err error
		if card, err = models.CleanTag(nc.Card); err != nil {
			bad("Card", "Неверный номер карты")
		}
	}
	if len(order) > 0 {
		return models.Client{}, &providers.Error{Kind: providers.ErrValidation, Op: op,
			Message: strings.Join(order, "; "), Fields: fields}
	}
	if other := c.phoneHolder(digits); other != nil {
		msg := "Клиент с телефоном " + other.Phone + " уже есть: " + other.ShortName()
		return models.Client{}, &providers.Error{Kind: providers.ErrValidation, Op: op, Message: msg,
			Fields: map[string]string{"Phone": msg}}
	}
	if card != "" {
		if other := c.cardHolder(card, -1); other != nil {
			return models.Client{}, fail(providers.ErrCardInUse, op, "Карта %s уже привязана к клиенту %s",
				card, other.ShortName())
		}
	}

	idx := int32(len(c.clients))
	cl := &client{idx: idx, gen: -1, hasHist: true, Client: models.Client{
		ID: itoa(c.idOf(int(idx))), LastName: last, FirstName: first, MiddleName: middle,
		Phone: formatPhone(digits), Email: email, Birthday: nc.Birthday,
		Note: strings.TrimSpace(nc.Comment), Deposit: rub(0), Debt: rub(0),
	}}
	if card != "" {
		cl.Cards = []string{card}
		c.search.addCard(idx, card)
	}
	c.clients = append(c.clients, cl)
	c.search.addClient(idx, cl.Client)
	c.search.addPhoneDigits(digits)
	c.search.addEmail(email)
	return cl.public(), nil
}

// phoneHolder is the client whose phone has these 11 digits, or nil.
func (c *Club) phoneHolder(digits string) *client {
	var hit *client
	c.search.phones.Prefix([]byte(digits), func(ci int32) {
		if hit == nil || ci < hit.idx {
			hit = c.client(ci)
		}
	})
	return hit
}

// formatPhone writes 11 digits as +7 916 123-45-67.
func formatPhone(d string) string {
	return "+" + d[:1] + " " + d[1:4] + " " + d[4:7] + "-" + d[7:9] + "-" + d[9:11]
}

// capitalize trims a name and, when it was typed all in lower case, gives
// it a capital, as the CRM's card shows names.
func capitalize(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if s == "" || strings.ToLower(s) != s {
		return s
	}
	r, n := utf8.DecodeRuneInString(s)
	return string(unicode.ToUpper(r)) + s[n:]
}
