package luckyfit

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/clubdesk/clubdesk/models"
	"github.com/clubdesk/clubdesk/providers"
	"github.com/clubdesk/clubdesk/providers/deep"
	"github.com/clubdesk/clubdesk/providers/wire"
)

// deepAssumptions are the package doc's numbered assumptions in a few
// words, for `clubdesk doctor --deep`. A test keeps them in step with the
// doc.
var deepAssumptions = []deep.Assumption{
	{Number: 1, About: models.Words{EN: "an entity carries its documented fields (client, plan)", RU: "запись несёт документированные поля (клиент, абонемент)"}},
	{Number: 2, About: models.Words{EN: "a client ticket's fields: plan, start, end or duration, visits left", RU: "поля абонемента клиента: тариф, начало, конец или срок, остаток"}},
	{Number: 3, About: models.Words{EN: "money is a decimal of rubles, a number or a string", RU: "деньги — десятичное число рублей, числом или строкой"}},
	{Number: 4, About: models.Words{EN: "types drift; dates are YYYY-MM-DD[Thh:mm:ss]", RU: "типы плавают; даты — YYYY-MM-DD[Thh:mm:ss]"}},
	{Number: 5, About: models.Words{EN: "POST /client_tickets answers the created ticket", RU: "POST /client_tickets отвечает созданным абонементом"}},
	{Number: 6, About: models.Words{EN: "the ticket payment carries point_name", RU: "оплата абонемента с point_name"}},
	{Number: 7, About: models.Words{EN: "the timetable feed: id, title, start, end", RU: "лента расписания: id, title, start, end"}},
	{Number: 8, About: models.Words{EN: "a lesson's bookings: id, client_id, lesson_calendar_id", RU: "записи на занятие: id, client_id, lesson_calendar_id"}},
	{Number: 9, About: models.Words{EN: "deposit accounts: id and balance", RU: "депозитные счета: id и balance"}},
	{Number: 10, About: models.Words{EN: "access log entries: id, client_id, created_at, read by day", RU: "проходы: id, client_id, created_at, за день"}},
	{Number: 11, About: models.Words{EN: "/branches: id, name, timezone, currency; the profile's branch", RU: "/branches: id, name, timezone, currency; филиал профиля"}},
	{Number: 12, About: models.Words{EN: "phone#phone1 matches part of the number", RU: "phone#phone1 находит по части номера"}},
	{Number: 13, About: models.Words{EN: "a lost write is looked for in /transactions and the bookings", RU: "потерянная запись ищется в /transactions и записях"}},
	{Number: 14, About: models.Words{EN: "the API lives under /api", RU: "API находится под /api"}},
	{Number: 15, About: models.Words{EN: "a sparse POST /client_tickets answer is filled from the plan", RU: "скупой ответ POST /client_tickets дополняется из тарифа"}},
	{Number: 16, About: models.Words{EN: "what a ticket owes: its debt, or price less its payments", RU: "долг абонемента: его debt или цена минус оплаты"}},
	{Number: 17, About: models.Words{EN: "/lesson_calendar_bookings filters by client_id", RU: "/lesson_calendar_bookings фильтрует по client_id"}},
	{Number: 18, About: models.Words{EN: "the feed's booked count is the roster's length", RU: "число записанных в ленте — длина списка"}},
}

// deepEnums are the keys whose values the report keeps: codes, not data.
var deepEnums = []string{
	"success", "session_expired", "ticket_state", "ticket_kind", "time_kind_id", "start_kind", "direction", "finoperation_id",
	"paykind_id", "discount_kind", "signed", "visited", "attended", "timezone", "currency",
}

// Date shapes assumption 4 names.
var deepDates = []string{"YYYY-MM-DD", "YYYY-MM-DDThh:mm:ss", "YYYY-MM-DD hh:mm:ss"}

// deepAnswer is one read kept whole: the envelope, and the data raw.
type deepAnswer struct {
	status int
	body   []byte
	env    envelope
	err    error
}

func (a deepAnswer) items() []deep.Object { return deep.Items(a.env.Data) }

// deepGet is one read for doctor --deep. It asks as get does (the key,
// the filters in params) and types a failure as do does, but keeps the
// whole answer: do keeps only data, and the report wants the envelope's
// shape too.
func (c *Client) deepGet(ctx context.Context, b *deep.Book, read, op, path string, filters map[string]any) deepAnswer {
	var a deepAnswer
	call := deep.Call{Read: read, Request: "GET " + deepPath(path)}
	defer func() {
		call.Status = a.status
		if a.err != nil {
			call.Failed = deep.FailedShape(a.err)
		}
		if len(a.body) > 0 {
			call.Answer = deep.Of(a.body, deepEnums...)
		}
		b.Call(call)
	}()
	key, err := c.apiKey()
	if err != nil {
		a.err = err
		return a
	}
	req := c.http.Read.R().SetContext(ctx).SetHeader("Api-Key", key)
	if filters != nil {
		raw, err := json.Marshal(filters)
		if err != nil {
			a.err = err
			return a
		}
		req.SetQueryParam("params", string(raw))
		call.Params = append([]string{"params"}, sortedKeys(filters)...)
	}
	resp, err := req.Get(path)
	if err != nil {
		a.err = c.http.TransportError(op, false, err)
		return a
	}
	h := resp.Header()
	a.status, a.body = resp.StatusCode(), bytes.TrimSpace(resp.Body())
	if len(a.body) == 0 || a.body[0] != '{' || json.Unmarshal(a.body, &a.env) != nil {
		switch page := webPage(resp); {
		case page.is:
			a.err = c.notAPI(op, false, a.status, page)
			a.body = nil // a web page is no shape of the API's
		case a.status >= 400:
			a.err = c.http.StatusError(op, false, a.status, h, "")
		default:
			a.err = c.http.Garbled(op, false, a.status, errors.New("not a LuckyFit envelope"))
		}
		return a
	}
	switch {
	case bool(a.env.SessionExpired):
		c.forgetKey()
		a.err = &providers.Error{Kind: providers.ErrUnauthorized, Op: op, Status: a.status, Message: string(a.env.Error)}
	case !bool(a.env.Success):
		a.err = c.refusal(op, false, a.status, h, string(a.env.Error))
	case a.status >= 400:
		a.err = c.http.StatusError(op, false, a.status, h, string(a.env.Error))
	}
	return a
}

// deepPath is a path with its ids as {id}.
func deepPath(p string) string {
	parts := strings.Split(p, "/")
	for i, s := range parts {
		if s != "" && strings.Trim(s, "0123456789") == "" {
			parts[i] = "{id}"
		}
	}
	return strings.Join(parts, "/")
}

func sortedKeys(m map[string]any) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// DeepCheck implements deep.Checker: one read of each kind the desk makes
// (the branches, the plans and their classes, today's timetable, one
// lesson's bookings, today's entries, one client, a search by name, by
// part of a phone and by card, the client's tickets, accounts and
// transactions), and each numbered assumption as they show it. Nothing is
// written. The client is one who came today or is booked today, so their
// tickets are likely there to be seen.
func (c *Client) DeepCheck(ctx context.Context) deep.Report {
	b := deep.NewBook("luckyfit", deepAssumptions)
	for _, n := range []int{5, 6} {
		b.Cannot(n, deep.Write)
	}
	b.Cannot(15, deep.Write)
	b.Cannot(13, models.Words{EN: "the look-up itself follows a lost write, and doctor --deep loses none", RU: "сам поиск идёт после потерянной записи, а doctor --deep ничего не теряет"})

	branches := c.deepGet(ctx, b, "the branches", "branches", "/branches", nil)
	if errors.Is(branches.err, providers.ErrNotAPI) {
		probe, _ := c.ProbeBase(ctx)
		b.Broken(14, models.Join([]models.Words{deep.Say("GET /branches at the base answered LuckyFit's web application", "GET /branches по base_url ответило веб-приложение LuckyFit"), probe.Words()}, ": "))
		why := deep.Say("the base answers LuckyFit's web application, not the API (assumption 14)", "по base_url отвечает веб-приложение LuckyFit, а не API (допущение 14)")
		for _, a := range deepAssumptions {
			b.Cannot(a.Number, why)
		}
		return b.Report()
	}
	c.deepBranches(b, branches)
	c.deepKeys(b, "GET /branches", branches.err)

	plans := c.deepGet(ctx, b, "the plans", "plans", "/tickets", map[string]any{"ticket_id": nil})
	c.deepKeys(b, "GET /tickets", plans.err)
	c.deepPlans(b, plans)
	classes := c.deepGet(ctx, b, "the plans' groups", "plans", "/ticket_classes", nil)
	c.deepKeys(b, "GET /ticket_classes", classes.err)

	now := c.now()
	from, to := c.dayRange(models.DateOf(now, c.loc))
	feed := c.deepGet(ctx, b, "today's timetable", "lessons", "/lesson_calendars/feed", map[string]any{"start": from, "end": to})
	c.deepKeys(b, "GET /lesson_calendars/feed", feed.err)
	lessonID := c.deepFeed(b, feed)

	var clientIDs []string
	if lessonID != "" {
		roster := c.deepGet(ctx, b, "a lesson's bookings", "roster", "/lesson_calendar_bookings", map[string]any{"lesson_calendar_id": lessonID})
		c.deepKeys(b, "GET /lesson_calendar_bookings", roster.err)
		booked := c.deepRoster(b, roster, lessonID)
		clientIDs = append(clientIDs, booked...)
		own, other := 0, 0
		for _, o := range roster.items() {
			if o.Text("lesson_calendar_id") == lessonID {
				own++
			} else {
				other++
			}
		}
		switch {
		case roster.err != nil:
			b.Cannot(17, deep.Failed("GET /lesson_calendar_bookings", roster.err))
			b.Cannot(18, deep.Failed("GET /lesson_calendar_bookings", roster.err))
		case other > 0:
			why := deep.Say("the roster's lesson filter is not applied (assumption 8)", "фильтр списка по занятию не применяется (допущение 8)")
			b.Cannot(17, why)
			b.Cannot(18, why)
		default:
			deepCounts(b, feed, lessonID, own)
			var first string
			if len(booked) > 0 {
				first = booked[0]
			}
			c.deepByClient(ctx, b, first, lessonID)
		}
	} else {
		why := deep.Say("there are no lessons today to read the bookings of", "сегодня нет занятий, чьи записи можно прочитать")
		for _, n := range []int{8, 17, 18} {
			b.Cannot(n, why)
		}
	}
	entries := c.deepGet(ctx, b, "today's entries", "visits", "/access_logs", map[string]any{"lo#created_at": from, "hi#created_at": to})
	c.deepKeys(b, "GET /access_logs", entries.err)
	clientIDs = append(c.deepEntries(b, entries, from, to), clientIDs...)

	c.deepClient(ctx, b, clientIDs)
	return b.Report()
}

// deepKeys says, for a read the key may not make, what to ask LuckyFit's
// administrator for.
func (c *Client) deepKeys(b *deep.Book, request string, err error) {
	var pe *providers.Error
	if !errors.As(err, &pe) || pe.Status != http.StatusForbidden && !errors.Is(err, providers.ErrUnauthorized) {
		return
	}
	b.Key(providers.Diagnosis{Level: models.Red, Label: models.Words{EN: "the key's rights", RU: "права ключа"}, Text: deep.Say(
		"LuckyFit refuses %s with this API key ("+deep.FailedShape(err)+"): ask LuckyFit's administrator for an integration key that may read clients, tickets, transactions, the timetable and the access log",
		"LuckyFit не даёт %s по этому API-ключу ("+deep.FailedShape(err)+"): попросите администратора LuckyFit выдать ключ интеграции с правом читать клиентов, абонементы, транзакции, расписание и проходы", request)})
}

// pick is the first non-empty id of a list.
func pick(ids []string) string {
	for _, id := range ids {
		if id != "" {
			return id
		}
	}
	return ""
}

// deepClient reads one client and what the card shows of them, and
// searches for them as the desk does.
func (c *Client) deepClient(ctx context.Context, b *deep.Book, ids []string) {
	noClient := deep.Say("no client came or is booked today, and a search found none to read", "сегодня никто не приходил и не записан, и поиск никого не нашёл")
	id := pick(ids)
	var client deep.Object
	if id != "" {
		one := c.deepGet(ctx, b, "one client", "client", "/clients/id/"+id, nil)
		if items := one.items(); one.err == nil && len(items) > 0 {
			client = items[0]
			c.deepClients(b, "GET /clients/id/{id}", items)
		} else if one.err != nil {
			b.Cannot(1, deep.Failed("GET /clients/id/{id}", one.err))
		}
	}
	// A search by name, as the desk sends a typed surname: the client's
	// first letters when there is one, else a common ending.
	prefix := "ов"
	if client != nil {
		if r := []rune(client.Text("surname")); len(r) >= 3 {
			prefix = string(r[:3])
		}
	}
	search := c.deepGet(ctx, b, "a search by name", "search clients", "/clients", map[string]any{"match#surname": prefix})
	c.deepKeys(b, "GET /clients", search.err)
	if items := search.items(); search.err == nil {
		c.deepClients(b, "GET /clients", items)
		if client == nil && len(items) > 0 {
			client, id = items[0], items[0].Text("id")
		}
	} else {
		b.Cannot(1, deep.Failed("GET /clients", search.err))
	}
	if client == nil {
		for _, n := range []int{2, 9, 12, 16} {
			b.Cannot(n, noClient)
		}
		return
	}
	c.deepPhone(ctx, b, client, id)
	c.deepCard(ctx, b, client, id)
	c.deepTickets(ctx, b, id)
	accounts := c.deepGet(ctx, b, "the client's deposit", "deposit", "/client_accounts", map[string]any{"client_id": id})
	c.deepAccounts(b, accounts, id)
	since := wireTime(c.now().Add(-owedWindow), c.loc)
	txs := c.deepGet(ctx, b, "the client's transactions", "transactions", "/transactions", map[string]any{"client_id": id, "lo#created_at": since})
	c.deepKeys(b, "GET /transactions", txs.err)
	c.deepTransactions(b, txs, id)
}

// deepPhone searches by part of the client's phone (assumption 12).
func (c *Client) deepPhone(ctx context.Context, b *deep.Book, client deep.Object, id string) {
	digits := models.Digits(client.Text("phone1"))
	if len(digits) < 7 {
		b.Cannot(12, deep.Say("the client read has no phone1 of 7 digits or more", "у прочитанного клиента нет phone1 из 7 цифр и больше"))
		return
	}
	part := digits[len(digits)-7:]
	a := c.deepGet(ctx, b, "a search by part of a phone", "search clients", "/clients", map[string]any{"phone#phone1": part})
	switch {
	case a.err != nil:
		b.Cannot(12, deep.Failed("GET /clients (phone#phone1)", a.err))
	case slices.ContainsFunc(a.items(), func(o deep.Object) bool { return o.Text("id") == id }):
		b.Held(12, deep.Say("the last 7 digits of a client's phone1 found them (%d found)", "последние 7 цифр phone1 клиента нашли его (найдено %d)", len(a.items())))
	default:
		b.Broken(12, deep.Say("the last 7 digits of a client's phone1 did not find them (%d found): phone# may match whole numbers only", "последние 7 цифр phone1 клиента его не нашли (найдено %d): phone#, возможно, ищет только весь номер", len(a.items())))
	}
}

// deepCard looks the client's card up as a scan does: the tag filter.
func (c *Client) deepCard(ctx context.Context, b *deep.Book, client deep.Object, id string) {
	tag := client.Text("tag")
	if tag == "" {
		return // the card lookup is shown by no numbered assumption beyond 1
	}
	a := c.deepGet(ctx, b, "a card lookup", "card", "/clients", map[string]any{"tag": tag})
	if a.err != nil {
		return
	}
	if !slices.ContainsFunc(a.items(), func(o deep.Object) bool { return o.Text("id") == id }) {
		b.Broken(1, deep.Say("the client's tag did not find them through the tag filter (%d found)", "tag клиента не нашёл его через фильтр tag (найдено %d)", len(a.items())))
	}
}

// deepTickets reads the client's tickets, current and finished.
func (c *Client) deepTickets(ctx context.Context, b *deep.Book, id string) {
	current := c.deepGet(ctx, b, "the client's current tickets", "memberships", "/client_tickets", map[string]any{"client_id": id, "ticket_state": stateActiveNotStarted})
	c.deepKeys(b, "GET /client_tickets", current.err)
	ended := c.deepGet(ctx, b, "the client's finished tickets", "memberships", "/client_tickets", map[string]any{"client_id": id, "ticket_state": stateFinished})
	var all []deep.Object
	for _, a := range []deepAnswer{current, ended} {
		if a.err != nil {
			b.Cannot(2, deep.Failed("GET /client_tickets", a.err))
			b.Cannot(16, deep.Failed("GET /client_tickets", a.err))
			continue
		}
		all = append(all, a.items()...)
	}
	c.deepClientTickets(b, all, current.items(), id)
}

// deepJSON reads raw data into a wire type, for assumption 4: the
// tolerant types must read what came.
func deepJSON(raw json.RawMessage, out any) error { return wire.Decode(raw, out) }

// dayOf reads a date-time of the branch's day for the filter checks.
func (c *Client) dayOf(s string) (time.Time, bool) { return wire.ParseTime(s, c.loc) }
