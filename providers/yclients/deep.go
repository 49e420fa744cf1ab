package yclients

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/clubdesk/clubdesk/models"
	"github.com/clubdesk/clubdesk/providers"
	"github.com/clubdesk/clubdesk/providers/deep"
)

// deepAssumptions are the package doc's numbered assumptions in a few
// words, for `clubdesk doctor --deep`. A test keeps them in step with the
// doc.
var deepAssumptions = []deep.Assumption{
	{Number: 1, About: models.Words{EN: "search by fullname, phone, e-mail, card filters of GET /clients", RU: "поиск фильтрами fullname, phone, email, card в GET /clients"}},
	{Number: 2, About: models.Words{EN: "the 2FA round sends {uuid, code}", RU: "шаг 2FA отправляет {uuid, code}"}},
	{Number: 3, About: models.Words{EN: "types drift and dates come in many shapes: the tolerant types read them", RU: "типы и даты плавают: терпимые типы их читают"}},
	{Number: 4, About: models.Words{EN: "the client list answers GET /client's objects: balance, discount, comment", RU: "список клиентов — те же объекты, что GET /client: balance, discount, comment"}},
	{Number: 5, About: models.Words{EN: "a record's services, staff and client objects", RU: "вложенные services, staff и client записи"}},
	{Number: 6, About: models.Words{EN: "a record's price and payments: cost, finance_transactions, paid_full, payment_status", RU: "цена и оплаты записи: cost, finance_transactions, paid_full, payment_status"}},
	{Number: 7, About: models.Words{EN: "group events from /activity/{id}/search, rosters by activity_id", RU: "групповые события из /activity/{id}/search, списки по activity_id"}},
	{Number: 8, About: models.Words{EN: "a client's abonements by phone: title, visits left, expiration, freeze", RU: "абонементы клиента по телефону: название, остаток, срок, заморозка"}},
	{Number: 9, About: models.Words{EN: "a 403 is the user's rights, a 401 the token", RU: "403 — права пользователя, 401 — токен"}},
	{Number: 10, About: models.Words{EN: "the visit history pages by meta's date cursor", RU: "история визитов листается по курсору дат в meta"}},
	{Number: 11, About: models.Words{EN: "payment is fast_payment on PUT /visits", RU: "оплата — fast_payment в PUT /visits"}},
	{Number: 12, About: models.Words{EN: "attendance is 1 came, -1 no-show, 0 waiting, 2 confirmed", RU: "attendance: 1 пришёл, -1 не пришёл, 0 ожидание, 2 подтвердил"}},
	{Number: 13, About: models.Words{EN: "booking sends activity_id and the client by phone", RU: "запись отправляет activity_id и клиента по телефону"}},
	{Number: 14, About: models.Words{EN: "binding a card sends the client's identity as read", RU: "привязка карты отправляет данные клиента как прочитаны"}},
	{Number: 15, About: models.Words{EN: "naive date-times are in the company's timezone_name", RU: "даты без пояса — в timezone_name компании"}},
	{Number: 16, About: models.Words{EN: "the user's rights: the permission keys the desk reads", RU: "права пользователя: ключи прав, которые читает касса"}},
	{Number: 17, About: models.Words{EN: "lists page by page and count, until total_count", RU: "списки постранично по page и count, до total_count"}},
	{Number: 18, About: models.Words{EN: "the alteg.io calls take YCLIENTS' Accept and both tokens", RU: "вызовы из alteg.io принимают Accept YCLIENTS и оба токена"}},
	{Number: 19, About: models.Words{EN: "the company's currency_short_title names its currency", RU: "currency_short_title компании называет её валюту"}},
	{Number: 20, About: models.Words{EN: "clients: middle_name, birth dates of every shape, categories", RU: "клиенты: middle_name, даты рождения всех видов, категории"}},
	{Number: 21, About: models.Words{EN: "a visit groups a client's records of a day; payment and marks act on it", RU: "визит собирает записи клиента за день; оплата и отметка — на весь визит"}},
	{Number: 22, About: models.Words{EN: "the rate limit is counted on YCLIENTS' clock, with a margin", RU: "лимит запросов считается по часам YCLIENTS, с запасом"}},
	{Number: 23, About: models.Words{EN: "a day's records are read once, then what changed: changed_after, with_deleted", RU: "записи дня читаются один раз, затем изменения: changed_after, with_deleted"}},
}

// deepEnums are the keys whose values the report keeps.
var deepEnums = []string{
	"success", "attendance", "visit_attendance", "paid_full", "payment_status", "confirmed", "deleted", "prepaid",
	"is_frozen", "is_united_balance", "is_united_balance_unlimited", "period_unit_id", "timezone_name", "sex",
	"importance", "notified", "flow",
}

// deepAnswer is one read kept whole.
type deepAnswer struct {
	status int
	body   []byte
	data   json.RawMessage
	meta   meta
	err    error
}

func (a deepAnswer) items() []deep.Object { return deep.Items(a.data) }

// deepGet is one read for doctor --deep: the request doHeader sends (the
// tokens, the Accept, the rate limits of the read client), the answer
// read by read, and the whole body kept for its shape.
func (c *Client) deepGet(ctx context.Context, b *deep.Book, read, op, method, path string, q url.Values, body any) deepAnswer {
	var a deepAnswer
	call := deep.Call{Read: read, Request: method + " " + deepPath(path)}
	for k := range q {
		call.Params = append(call.Params, k)
	}
	if m, ok := body.(map[string]any); ok {
		for k := range m {
			call.Params = append(call.Params, k)
		}
	}
	sort.Strings(call.Params)
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
	partner, user, err := c.tokens(op, true)
	if err != nil {
		a.err = err
		return a
	}
	req := c.http.Read.R().SetContext(ctx).
		SetHeader("Accept", acceptV2).
		SetHeader("Content-Type", "application/json").
		SetHeader("Authorization", authorization(partner, user))
	if len(q) > 0 {
		req.SetQueryParamsFromValues(q)
	}
	if body != nil {
		req.SetBody(body)
	}
	resp, err := req.Execute(method, path)
	if err != nil {
		a.err = c.http.TransportError(op, false, err)
		return a
	}
	a.status, a.body = resp.StatusCode(), bytes.TrimSpace(resp.Body())
	a.meta, a.err = c.read(op, false, a.status, resp.Header(), a.body, &a.data)
	if errors.Is(a.err, providers.ErrUnauthorized) {
		c.forgetTokens()
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

// deepPage is the page size the deep check asks lists for: small, so
// that a server which ignores it shows it (assumption 17).
const deepPage = 3

// DeepCheck implements deep.Checker: the company, the user's rights, a
// page of clients, one client, searches by part of a name and a phone and
// by card, the client's abonements and visit history, today's group events
// and records, one record — once each, read-only, within YCLIENTS' rate
// limits (the read client's windows) — and each numbered assumption as
// they show it.
func (c *Client) DeepCheck(ctx context.Context) deep.Report {
	b := deep.NewBook("yclients", deepAssumptions)
	b.Cannot(2, models.Words{EN: "it is about the login's second round, which doctor does not make", RU: "это о втором шаге входа, которого doctor не делает"})
	for _, n := range []int{11, 13, 14} {
		b.Cannot(n, deep.Write)
	}

	company := c.deepGet(ctx, b, "the company", "company", http.MethodGet, c.companyPath(), nil, nil)
	loc := c.deepCompany(b, company)
	c.deepCurrency(b, company)
	b.Cannot(21, deep.Say("a visit is read when a booking of it is paid or marked; doctor pays and marks nothing",
		"визит читается при оплате или отметке записи; doctor ничего не оплачивает и не отмечает"))
	b.Cannot(22, deep.Say("it is about YCLIENTS' clock under load, which one read of each kind does not show",
		"это о часах YCLIENTS под нагрузкой; по одному чтению каждого вида этого не видно"))
	perms := c.deepGet(ctx, b, "the user's rights", "rights", http.MethodGet, "/api/v1/user/permissions/"+c.companyID, nil, nil)
	c.deepRights(b, perms)

	page := c.deepGet(ctx, b, "a page of clients", "search clients", http.MethodGet, clientsPath+c.companyID, url.Values{"page": {"1"}, "count": {strconv.Itoa(deepPage)}}, nil)
	c.deepTypes(b, "GET /clients/{id}", page, &[]wireClient{})
	c.deepClientShapes(b, page)

	today := models.DateOf(c.now(), loc)
	events := c.deepGet(ctx, b, "today's group events", "lessons", http.MethodGet, "/api/v1/activity/"+c.companyID+"/search",
		url.Values{"from": {wireDate(today)}, "till": {wireDate(today)}, "page": {"1"}, "count": {strconv.Itoa(deepPage)}}, nil)
	c.deepEvents(b, events)
	q := recordsQuery(today, today)
	q.Set("page", "1")
	q.Set("count", strconv.Itoa(deepPage))
	records := c.deepGet(ctx, b, "today's records", "records", http.MethodGet, "/api/v1/records/"+c.companyID, q, nil)
	recordID, clientID := c.deepRecords(b, records, loc)
	if recordID != "" {
		one := c.deepGet(ctx, b, "one record", "record", http.MethodGet, "/api/v1/record/"+c.companyID+"/"+pathID(recordID),
			url.Values{"include_finance_transactions": {"1"}}, nil)
		c.deepRecord(b, one)
	}
	c.deepChanges(ctx, b, records, today, loc)
	c.deepPaging(b, "GET /records", records)
	c.deepPaging(b, "GET /activity/{id}/search", events)

	if clientID == "" {
		if items := page.items(); len(items) > 0 {
			clientID = items[0].Text("id")
		}
	}
	if clientID == "" {
		why := deep.Say("no client is booked today and the client list gave none", "сегодня никто не записан, и список клиентов никого не дал")
		for _, n := range []int{1, 4, 8, 10} {
			b.Cannot(n, why)
		}
	} else {
		c.deepClient(ctx, b, page, clientID, today)
	}
	c.deepRefusals(b)
	return b.Report()
}

// deepClient reads one client and what the card shows of them, and looks
// for them as the desk's search does.
func (c *Client) deepClient(ctx context.Context, b *deep.Book, page deepAnswer, id string, today models.Date) {
	one := c.deepGet(ctx, b, "one client", "client", http.MethodGet, "/api/v1/client/"+c.companyID+"/"+pathID(id), nil, nil)
	var w wireClient
	c.deepTypes(b, "GET /client/{id}", one, &w)
	var client deep.Object
	if items := one.items(); one.err == nil && len(items) > 0 {
		client = items[0]
	} else {
		why := deep.Failed("GET /client/{id}", one.err)
		for _, n := range []int{1, 4, 8, 10} {
			b.Cannot(n, why)
		}
		return
	}
	c.deepSameObjects(b, page, client)
	c.deepSearches(ctx, b, client, id)
	phone := models.PhoneDigits(client.Text("phone"))
	if len(phone) < 11 {
		b.Cannot(8, deep.Say("the client read has no full phone to find abonements by", "у прочитанного клиента нет полного телефона для поиска абонементов"))
	} else {
		ab := c.deepGet(ctx, b, "the client's abonements", "memberships", http.MethodGet, "/api/v1/loyalty/abonements",
			url.Values{"company_id": {c.companyID}, "phone": {phone}}, nil)
		c.deepAbonements(b, ab)
	}
	from := today.AddDays(-30)
	hist := c.deepGet(ctx, b, "the client's visit history", "visits", http.MethodPost, "/api/v1/company/"+c.companyID+"/clients/visits/search", nil,
		map[string]any{"client_id": numID(id), "client_phone": nil, "from": wireDate(from), "to": wireDate(today), "payment_statuses": []string{}, "attendance": 1})
	c.deepHistory(b, hist)
}

// deepSearches looks the client up by part of the surname, part of the
// phone and the card, as the desk's search does (assumption 1).
func (c *Client) deepSearches(ctx context.Context, b *deep.Book, client deep.Object, id string) {
	type search struct {
		filter, value, what string
	}
	var ss []search
	if r := []rune(client.Text("surname")); len(r) >= 3 {
		ss = append(ss, search{"fullname", string(r[:3]), "the first letters of the surname"})
	} else if r := []rune(client.Text("name")); len(r) >= 3 {
		ss = append(ss, search{"fullname", string(r[:3]), "the first letters of the name"})
	}
	if d := models.Digits(client.Text("phone")); len(d) >= 7 {
		ss = append(ss, search{"phone", d[len(d)-7:], "the last 7 digits of the phone"})
	}
	if card := client.Text("card"); card != "" {
		ss = append(ss, search{"card", card, "the card"})
	}
	if len(ss) == 0 {
		b.Cannot(1, deep.Say("the client read has no name, phone or card to search by", "у прочитанного клиента нет имени, телефона или карты для поиска"))
		return
	}
	for _, s := range ss {
		a := c.deepGet(ctx, b, "a search by "+s.filter, "search clients", http.MethodGet, clientsPath+c.companyID,
			url.Values{s.filter: {s.value}, "page": {"1"}, "count": {"50"}}, nil)
		if a.err != nil {
			b.Cannot(1, deep.Failed("GET /clients/{id} ("+s.filter+")", a.err))
			continue
		}
		found := false
		for _, o := range a.items() {
			found = found || o.Text("id") == id
		}
		if found {
			b.Held(1, deep.Say("the filter %s with %s found the client", "фильтр %s по %s нашёл клиента", s.filter, s.what))
		} else {
			b.Broken(1, deep.Say("the filter %s with %s did not find the client (%d found)", "фильтр %s по %s не нашёл клиента (найдено %d)", s.filter, s.what, len(a.items())))
		}
	}
}

// deepRefusals: whether a 403 came to show assumption 9.
func (c *Client) deepRefusals(b *deep.Book) {
	r := b.Report()
	for _, call := range r.Calls {
		if call.Status == http.StatusForbidden {
			b.Held(9, deep.Say("%s was refused with 403: the desk words it as the user's rights, not the token", "%s отказан с 403: касса называет это правами пользователя, а не токеном", call.Request))
			return
		}
	}
	b.Cannot(9, deep.Say("no read was refused with 403", "ни одно чтение не получило 403"))
}

// deepChanges asks today's records changed after tomorrow: a server that
// honours changed_after answers none (assumption 23).
func (c *Client) deepChanges(ctx context.Context, b *deep.Book, day deepAnswer, today models.Date, loc *time.Location) {
	if day.err != nil || len(day.items()) == 0 {
		b.Cannot(23, deep.Say("no record today to compare a read of the changes with", "сегодня нет записей, с которыми сравнить чтение изменений"))
		return
	}
	q := recordsQuery(today, today)
	q.Set("changed_after", today.AddDays(1).In(loc).Format(changedLayout))
	q.Set("with_deleted", "1")
	q.Set("page", "1")
	q.Set("count", strconv.Itoa(deepPage))
	a := c.deepGet(ctx, b, "today's records changed after tomorrow", "records", http.MethodGet, "/api/v1/records/"+c.companyID, q, nil)
	switch n := len(a.items()); {
	case a.err != nil:
		b.Cannot(23, deep.Failed("GET /records (changed_after)", a.err))
	case n == 0:
		b.Held(23, deep.Say("changed_after is honoured: none of today's records changed after tomorrow", "changed_after учитывается: ни одна запись дня не изменена после завтра"))
	default:
		b.Broken(23, deep.Say("changed_after is ignored: %d of today's records \"changed after tomorrow\"; a roster's refresh then reads the whole day",
			"changed_after не учитывается: %d записей дня «изменены после завтра»; обновление списка тогда читает весь день", n))
	}
}

var _ deep.Checker = (*Client)(nil)
