package luckyfit

import (
	"encoding/json"
	"errors"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/clubdesk/clubdesk/models"
	"github.com/clubdesk/clubdesk/providers/deep"
)

// What each answer shows of the numbered assumptions. Seen is written in
// keys, counts and shapes only: it goes into the report.

func (c *Client) deepBranches(b *deep.Book, a deepAnswer) {
	if a.err != nil {
		b.Cannot(11, deep.Failed("GET /branches", a.err))
		if a.env.Data != nil || a.env.Error != "" || bool(a.env.SessionExpired) {
			b.Held(14, deep.Say("GET /branches at the base answers LuckyFit's envelope (refusing: %s)", "GET /branches по base_url отвечает конвертом LuckyFit (с отказом: %s)", deep.FailedShape(a.err)))
		} else {
			b.Cannot(14, deep.Failed("GET /branches", a.err))
		}
		return
	}
	b.Held(14, deep.Say("GET /branches at the base answers LuckyFit's envelope", "GET /branches по base_url отвечает конвертом LuckyFit"))
	items := a.items()
	if len(items) == 0 {
		b.Broken(11, deep.Say("/branches lists no branch", "/branches не перечисляет ни одного филиала"))
		return
	}
	var branch deep.Object
	for _, o := range items {
		if c.branchID == "" || o.Text("id") == c.branchID {
			branch = o
			break
		}
	}
	if missing := deep.Missing(items, "id", "name", "timezone", "currency"); len(missing) > 0 {
		b.Broken(11, deep.Say("/branches carries no %s (keys: %s)", "в /branches нет %s (ключи: %s)", deep.List(missing), deep.List(deep.KeysOf(items))))
		return
	}
	if branch == nil {
		b.Broken(11, deep.Say("the profile's branch is not among the %d of /branches", "филиала из профиля нет среди %d в /branches", len(items)))
		return
	}
	tz, cur := branch.Text("timezone"), branch.Text("currency")
	if _, err := time.LoadLocation(tz); err != nil || tz == "" {
		b.Broken(11, deep.Say("the branch's timezone is %s, not a time zone", "timezone филиала — %s, это не часовой пояс", shown(branch, "timezone")))
		return
	}
	if cur != "" && !strings.EqualFold(cur, currency) {
		b.Broken(11, deep.Say("the branch counts in %s, and the desk in %s", "филиал считает в %s, а касса — в %s", shown(branch, "currency"), currency))
		return
	}
	b.Held(11, deep.Say("the branch is there; timezone %s; currency %s", "филиал найден; timezone %s; currency %s", tz, shown(branch, "currency")))
}

// shown is a value the report may show as itself (a zone, a currency
// code), else its shape.
func shown(o deep.Object, key string) string {
	if v := o.Text(key); deep.Enumerable(v) {
		return `"` + v + `"`
	}
	return deep.ValueShape(o[key])
}

func (c *Client) deepPlans(b *deep.Book, a deepAnswer) {
	if a.err != nil {
		b.Cannot(1, deep.Failed("GET /tickets", a.err))
		b.Cannot(3, deep.Failed("GET /tickets", a.err))
		return
	}
	items := a.items()
	if len(items) == 0 {
		b.Cannot(3, deep.Say("the club sells no plan", "в клубе нет тарифов"))
		return
	}
	if missing := deep.Missing(items, "id", "name", "price"); len(missing) > 0 {
		b.Broken(1, deep.Say("a plan (/tickets) has no %s (keys: %s)", "у тарифа (/tickets) нет %s (ключи: %s)", deep.List(missing), deep.List(deep.KeysOf(items))))
	} else {
		b.Held(1, withAbsent(deep.Say("%d plans carry id, name, price", "%d тарифов с id, name, price", len(items)),
			deep.Missing(items, "membership_summ", "passes", "duration", "time_kind_id", "ticket_kind", "ticket_class_id", "start_kind")))
	}
	deepMoney(b, "/tickets", items, "price", "membership_summ")
	var ws []wireTicket
	deepDecodes(b, "/tickets", a.env.Data, &ws)
}

// withAbsent adds the documented keys no item carried.
func withAbsent(w models.Words, absent []string) models.Words {
	if len(absent) == 0 {
		return w
	}
	return models.Join([]models.Words{w, deep.Say("absent: %s", "нет: %s", deep.List(absent))}, "; ")
}

// deepMoney checks assumption 3 on amounts: a number or a string of a
// decimal.
func deepMoney(b *deep.Book, where string, items []deep.Object, keys ...string) {
	var odd []string
	n := 0
	for _, o := range items {
		for _, k := range keys {
			if !o.Has(k) {
				continue
			}
			n++
			if kind := deep.Kind(o[k]); kind == "number" || kind == "string" && decimal.MatchString(o.Text(k)) {
				continue
			}
			odd = append(odd, k+" "+deep.ValueShape(o[k]))
		}
	}
	switch {
	case len(odd) > 0:
		slices.Sort(odd)
		b.Broken(3, deep.Say("%s: amounts that are no decimal of rubles: %s", "%s: суммы, которые не число рублей: %s", where, deep.List(slices.Compact(odd))))
	case n > 0:
		b.Held(3, deep.Say("%s: %d amounts read", "%s: прочитано сумм: %d", where, n))
	}
}

// decimal is an amount written as assumption 3 says: rubles, with
// kopecks after a point.
var decimal = regexp.MustCompile(`^-?[0-9]+(\.[0-9]+)?$`)

// deepDecodes checks the type half of assumption 4: the desk's tolerant
// types read what came.
func deepDecodes(b *deep.Book, where string, data json.RawMessage, out any) {
	if err := deepJSON(data, out); err != nil {
		var te *json.UnmarshalTypeError
		what := "a value of another type"
		if errors.As(err, &te) {
			what = te.Field + " as " + te.Value
		}
		b.Broken(4, deep.Say("%s does not read into the desk's types: %s", "%s не читается в типы кассы: %s", where, what))
		return
	}
	b.Held(4, deep.Say("%s reads into the desk's types", "%s читается в типы кассы", where))
}

// deepDateShapes checks the date half of assumption 4.
func deepDateShapes(b *deep.Book, where string, items []deep.Object, keys ...string) {
	if odd := deep.OddDates(items, deepDates, keys...); len(odd) > 0 {
		b.Broken(4, deep.Say("%s: dates in another shape: %s", "%s: даты другого вида: %s", where, strings.Join(odd, "; ")))
		return
	}
	var seen []string
	for _, k := range keys {
		for _, s := range deep.Shapes(items, k) {
			if !slices.Contains(seen, s) {
				seen = append(seen, s)
			}
		}
	}
	if len(seen) > 0 {
		slices.Sort(seen)
		b.Held(4, deep.Say("%s: dates %s", "%s: даты %s", where, deep.List(seen)))
	}
}

func (c *Client) deepFeed(b *deep.Book, a deepAnswer) string {
	if a.err != nil {
		b.Cannot(7, deep.Failed("GET /lesson_calendars/feed", a.err))
		return ""
	}
	items := a.items()
	if len(items) == 0 {
		b.Cannot(7, deep.Say("there are no lessons today", "сегодня нет занятий"))
		return ""
	}
	missing := deep.Missing(items, "id", "start", "end")
	if deep.NoneOf(items, "title", "name") {
		missing = append(missing, "title (or name)")
	}
	if len(missing) > 0 {
		b.Broken(7, deep.Say("the feed's events have no %s (keys: %s)", "у событий ленты нет %s (ключи: %s)", deep.List(missing), deep.List(deep.KeysOf(items))))
	} else {
		var extra []string
		for _, alias := range [][]string{{"room", "hall"}, {"trainer", "instructor", "staff_name"}, {"capacity", "max_clients", "places"}, {"booked", "clients_count", "bookings_count"}} {
			if deep.NoneOf(items, alias...) {
				extra = append(extra, strings.Join(alias, "/"))
			}
		}
		b.Held(7, withAbsent(deep.Say("%d lessons with id, title, start, end", "%d занятий с id, title, start, end", len(items)), extra))
	}
	deepDateShapes(b, "/lesson_calendars/feed", items, "start", "end")
	var ws []wireLesson
	deepDecodes(b, "/lesson_calendars/feed", a.env.Data, &ws)
	return items[0].Text("id")
}

func (c *Client) deepRoster(b *deep.Book, a deepAnswer, lessonID string) []string {
	if a.err != nil {
		b.Cannot(8, deep.Failed("GET /lesson_calendar_bookings", a.err))
		return nil
	}
	items := a.items()
	if len(items) == 0 {
		b.Cannot(8, deep.Say("the lesson read has no bookings", "на прочитанное занятие никто не записан"))
		return nil
	}
	if missing := deep.Missing(items, "id", "client_id", "lesson_calendar_id"); len(missing) > 0 {
		b.Broken(8, deep.Say("a booking has no %s (keys: %s)", "у записи нет %s (ключи: %s)", deep.List(missing), deep.List(deep.KeysOf(items))))
		return nil
	}
	other := 0
	var ids []string
	for _, o := range items {
		if o.Text("lesson_calendar_id") != lessonID {
			other++
		}
		ids = append(ids, o.Text("client_id"))
	}
	if other > 0 {
		b.Broken(8, deep.Say("%d of %d bookings are of other lessons: the lesson_calendar_id filter is not applied", "%d из %d записей — на другие занятия: фильтр lesson_calendar_id не применяется", other, len(items)))
		return ids
	}
	held := deep.Say("%d bookings of the lesson with id, client_id, lesson_calendar_id, and the clients' names", "%d записей на занятие с id, client_id, lesson_calendar_id и именами клиентов", len(items))
	if deep.NoneOf(items, "client_surname", "client_name") {
		held = deep.Say("%d bookings of the lesson with id, client_id, lesson_calendar_id; no names: the roster shows the clients' ids", "%d записей на занятие с id, client_id, lesson_calendar_id; без имён: список покажет номера клиентов", len(items))
	}
	b.Held(8, held)
	return ids
}

func (c *Client) deepEntries(b *deep.Book, a deepAnswer, from, to string) []string {
	if a.err != nil {
		b.Cannot(10, deep.Failed("GET /access_logs", a.err))
		return nil
	}
	items := a.items()
	if len(items) == 0 {
		b.Cannot(10, deep.Say("nobody has come in today yet", "сегодня ещё никто не проходил"))
		return nil
	}
	if missing := deep.Missing(items, "id", "client_id", "created_at"); len(missing) > 0 {
		b.Broken(10, deep.Say("an entry has no %s (keys: %s)", "у прохода нет %s (ключи: %s)", deep.List(missing), deep.List(deep.KeysOf(items))))
		return nil
	}
	deepDateShapes(b, "/access_logs", items, "created_at")
	lo, _ := c.dayOf(from)
	hi, _ := c.dayOf(to)
	outside := 0
	var ids []string
	for _, o := range items {
		if at, ok := c.dayOf(o.Text("created_at")); ok && (at.Before(lo) || at.After(hi)) {
			outside++
		}
		ids = append(ids, o.Text("client_id"))
	}
	if outside > 0 {
		b.Broken(10, deep.Say("%d of %d entries are outside the day asked: the lo#/hi#created_at filter is not applied", "%d из %d проходов — вне запрошенного дня: фильтр lo#/hi#created_at не применяется", outside, len(items)))
		return ids
	}
	b.Held(10, deep.Say("%d entries of today with id, client_id, created_at", "%d проходов за сегодня с id, client_id, created_at", len(items)))
	return ids
}

func (c *Client) deepClients(b *deep.Book, where string, items []deep.Object) {
	if len(items) == 0 {
		return
	}
	if missing := deep.Missing(items, "id", "surname", "name"); len(missing) > 0 {
		b.Broken(1, deep.Say("a client (%s) has no %s (keys: %s)", "у клиента (%s) нет %s (ключи: %s)", where, deep.List(missing), deep.List(deep.KeysOf(items))))
		return
	}
	b.Held(1, withAbsent(deep.Say("a client (%s) carries id, surname, name", "клиент (%s) несёт id, surname, name", where),
		deep.Missing(items, "patronymic", "birthday", "phone1", "email1", "tag", "locked", "message")))
	deepDateShapes(b, where, items, "birthday")
	var ws []wireClient
	raw, _ := json.Marshal(items)
	deepDecodes(b, where, raw, &ws)
}

func (c *Client) deepClientTickets(b *deep.Book, all, current []deep.Object, id string) {
	if len(all) == 0 {
		none := deep.Say("the client read has no tickets", "у прочитанного клиента нет абонементов")
		b.Cannot(2, none)
		b.Cannot(16, none)
		return
	}
	if missing := deep.Missing(all, "id", "client_id", "ticket_id"); len(missing) > 0 {
		b.Broken(2, deep.Say("a client ticket has no %s (keys: %s)", "у абонемента клиента нет %s (ключи: %s)", deep.List(missing), deep.List(deep.KeysOf(all))))
	} else {
		other, ended, counted, noLeft := 0, 0, 0, 0
		for _, o := range all {
			if o.Text("client_id") != id {
				other++
			}
			if !deep.NoneOf([]deep.Object{o}, "ended", "finished", "end_date", "expired_at") || o.Has("duration") && o.Has("time_kind_id") {
				ended++
			}
			var n number
			if json.Unmarshal(o["passes"], &n) == nil && n > 0 {
				counted++
				if deep.NoneOf([]deep.Object{o}, "passes_left", "rest_passes", "remaining_passes") {
					noLeft++
				}
			}
		}
		switch {
		case other > 0:
			b.Broken(2, deep.Say("%d of %d tickets are other clients': the client_id filter is not applied", "%d из %d абонементов — чужие: фильтр client_id не применяется", other, len(all)))
		case noLeft > 0:
			b.Broken(2, deep.Say("%d of %d tickets of counted visits give no passes_left, rest_passes or remaining_passes: the desk shows them all left", "%d из %d абонементов на число посещений не дают passes_left, rest_passes или remaining_passes: касса покажет все как оставшиеся", noLeft, counted))
		default:
			b.Held(2, deep.Say("%d tickets with id, client_id, ticket_id; %d state an end or a duration with its unit", "%d абонементов с id, client_id, ticket_id; конец или срок с единицей у %d", len(all), ended))
		}
	}
	deepDateShapes(b, "/client_tickets", all, "started", "ended", "finished", "end_date", "expired_at", "freeze_end", "frozen_until", "created_at")
	deepMoney(b, "/client_tickets", all, "price", "membership_summ", "debt", "summ_debt", "unpaid", "discount")
	raw, _ := json.Marshal(all)
	var ws []wireTicket
	deepDecodes(b, "/client_tickets", raw, &ws)
	if len(current) == 0 {
		b.Cannot(16, deep.Say("the client has no current ticket", "у клиента нет действующего абонемента"))
		return
	}
	stated, priced, unknown := 0, 0, 0
	for _, o := range current {
		switch {
		case !deep.NoneOf([]deep.Object{o}, "debt", "summ_debt", "unpaid"):
			stated++
		case o.Has("discount") && o.Has("account_summ_id"):
			priced++
		default:
			unknown++
		}
	}
	if unknown > 0 {
		b.Broken(16, deep.Say("%d of %d current tickets state no debt (debt, summ_debt, unpaid) and no discount: what they owe is unknown at the desk", "%d из %d действующих абонементов не указывают долг (debt, summ_debt, unpaid) и скидку: сколько по ним должны, касса не знает", unknown, len(current)))
		return
	}
	b.Held(16, deep.Say("%d current tickets: %d state their debt, %d owe their price less their payments", "действующих абонементов %d: долг указан у %d, у %d — цена минус оплаты", len(current), stated, priced))
}

func (c *Client) deepAccounts(b *deep.Book, a deepAnswer, id string) {
	if a.err != nil {
		b.Cannot(9, deep.Failed("GET /client_accounts", a.err))
		return
	}
	items := a.items()
	if len(items) == 0 {
		b.Cannot(9, deep.Say("the client has no deposit account", "у клиента нет депозитного счёта"))
		return
	}
	missing := deep.Missing(items, "id")
	if deep.NoneOf(items, "balance", "summ") {
		missing = append(missing, "balance (or summ)")
	}
	if len(missing) > 0 {
		b.Broken(9, deep.Say("a deposit account has no %s (keys: %s)", "у депозитного счёта нет %s (ключи: %s)", deep.List(missing), deep.List(deep.KeysOf(items))))
		return
	}
	other := 0
	for _, o := range items {
		if o.Has("client_id") && o.Text("client_id") != id {
			other++
		}
	}
	if other > 0 {
		b.Broken(9, deep.Say("%d of %d accounts are other clients': the client_id filter is not applied", "%d из %d счетов — чужие: фильтр client_id не применяется", other, len(items)))
		return
	}
	b.Held(9, deep.Say("%d accounts with id and a balance", "счетов с id и балансом: %d", len(items)))
	deepMoney(b, "/client_accounts", items, "balance", "summ")
}

func (c *Client) deepTransactions(b *deep.Book, a deepAnswer, id string) {
	if a.err != nil {
		b.Cannot(13, deep.Failed("GET /transactions", a.err))
		b.Cannot(16, deep.Failed("GET /transactions", a.err))
		return
	}
	items := a.items()
	if len(items) == 0 {
		b.Cannot(13, deep.Say("the client has no transactions in a year", "у клиента нет транзакций за год"))
		return
	}
	if missing := deep.Missing(items, "client_id", "summ", "account_dest_id", "finoperation_id", "paykind_id", "created_at"); len(missing) > 0 {
		b.Broken(13, deep.Say("a transaction has no %s (keys: %s)", "у транзакции нет %s (ключи: %s)", deep.List(missing), deep.List(deep.KeysOf(items))))
	} else {
		b.Held(13, withAbsent(deep.Say("the fields a look-up reads are there (%d transactions); the look-up itself follows a lost write", "поля, по которым ищется операция, есть (%d транзакций); сам поиск идёт после потерянной записи", len(items)),
			deep.Missing(items, "point_name")))
	}
	other := 0
	for _, o := range items {
		if o.Text("client_id") != id {
			other++
		}
	}
	if other > 0 {
		b.Broken(16, deep.Say("%d of %d transactions are other clients': the client_id filter is not applied (the desk keeps to the client, but reads the whole club)", "%d из %d транзакций — чужие: фильтр client_id не применяется (касса отберёт нужные, но читает весь клуб)", other, len(items)))
	}
	deepDateShapes(b, "/transactions", items, "created_at")
	deepMoney(b, "/transactions", items, "summ")
}

var _ deep.Checker = (*Client)(nil)
