package yclients

import (
	"encoding/json"
	"errors"
	"fmt"
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

// What each answer shows of the numbered assumptions. Seen is written in
// keys, counts and shapes only: it goes into the report.

// shown is a value the report may show as itself (a zone, a code), else
// its shape.
func shown(o deep.Object, key string) string {
	if v := o.Text(key); deep.Enumerable(v) {
		return `"` + v + `"`
	}
	return deep.ValueShape(o[key])
}

func (c *Client) deepCompany(b *deep.Book, a deepAnswer) *time.Location {
	if a.err != nil {
		b.Cannot(15, deep.Failed("GET /company/{id}", a.err))
		return c.zone()
	}
	items := a.items()
	if len(items) == 0 {
		b.Broken(15, deep.Say("GET /company/{id} answers no company object", "GET /company/{id} не отвечает объектом компании"))
		return c.zone()
	}
	co := items[0]
	var w wireCompany
	c.deepTypes(b, "GET /company/{id}", a, &w)
	tz := co.Text("timezone_name")
	if tz == "" {
		b.Broken(15, deep.Say("the company carries no timezone_name (keys: %s)", "у компании нет timezone_name (ключи: %s)", deep.List(deep.KeysOf(items))))
		return c.zone()
	}
	loc, err := time.LoadLocation(tz)
	if err != nil {
		b.Broken(15, deep.Say("the company's timezone_name is %s, not a time zone", "timezone_name компании — %s, это не часовой пояс", shown(co, "timezone_name")))
		return c.zone()
	}
	b.Held(15, deep.Say("the company's timezone_name is %s", "timezone_name компании — %s", tz))
	return loc
}

// deepRights reads the user's rights as fetchPermissions does and says
// which the desk's actions lack (the keys' kind: what to ask the
// company's administrator for).
func (c *Client) deepRights(b *deep.Book, a deepAnswer) {
	if a.err != nil {
		b.Cannot(16, deep.Failed("GET /user/permissions/{id}", a.err))
		return
	}
	var groups map[string]object[map[string]any]
	if json.Unmarshal(a.data, &groups) != nil {
		b.Broken(16, deep.Say("the rights are not an object of groups (%s)", "права — не объект групп (%s)", deep.Kind(a.data)))
		return
	}
	p := permissions{}
	for _, g := range groups {
		for k, v := range g.V {
			if t, ok := truth(v); ok {
				p[strings.TrimSpace(k)] = t
			}
		}
	}
	var keys, absent []string
	for _, r := range permissionRules {
		if !slices.Contains(keys, r.key) {
			keys = append(keys, r.key)
		}
	}
	for _, k := range keys {
		if _, ok := p[k]; !ok {
			absent = append(absent, k)
		}
	}
	if len(absent) == len(keys) {
		names := make([]string, 0, len(p))
		for k := range p {
			names = append(names, deep.SafeKey(k))
		}
		sort.Strings(names)
		b.Broken(16, deep.Say("none of the rights the desk reads is in the answer (%s; keys: %s)", "в ответе нет ни одного права, которое читает касса (%s; ключи: %s)", deep.List(keys), deep.List(names)))
		return
	}
	held := deep.Say("%d of the %d rights the desk reads are there", "есть %d из %d прав, которые читает касса", len(keys)-len(absent), len(keys))
	if len(absent) > 0 {
		held = models.Join([]models.Words{held, deep.Say("absent: %s (nothing taken away)", "нет: %s (ничего не отнимается)", deep.List(absent))}, "; ")
	}
	b.Held(16, held)
	var lackEN, lackRU []string
	for _, r := range permissionRules {
		if p.denies(r.key) && !slices.Contains(lackEN, r.title+" ("+r.key+")") {
			lackEN = append(lackEN, r.title+" ("+r.key+")")
			lackRU = append(lackRU, "«"+r.titleRU+"» ("+r.key+")")
		}
	}
	if len(lackEN) > 0 {
		b.Key(providers.Diagnosis{Level: models.Yellow, Label: models.Words{EN: "the user's rights", RU: "права пользователя"}, Text: models.Words{
			EN: "the YCLIENTS user the desk logged in as may not " + strings.Join(lackEN, ", ") + ": the desk hides those actions; ask the company's administrator in YCLIENTS (Settings → Employees → the user's rights) to allow them, or log in as a user who has them",
			RU: "у пользователя YCLIENTS, под которым вошла касса, нет прав " + strings.Join(lackRU, ", ") + ": касса скрывает эти действия; попросите администратора компании в YCLIENTS (Настройки → Сотрудники → права пользователя) их выдать или войдите пользователем, у которого они есть"}})
	}
}

// deepTypes checks the type half of assumption 3: the tolerant types read
// what came.
func (c *Client) deepTypes(b *deep.Book, where string, a deepAnswer, out any) {
	if a.err != nil || len(a.data) == 0 {
		return
	}
	if err := wire.Decode(a.data, out); err != nil {
		var te *json.UnmarshalTypeError
		what := "a value of another type"
		if errors.As(err, &te) {
			what = te.Field + " as " + te.Value
		}
		b.Broken(3, deep.Say("%s does not read into the desk's types: %s", "%s не читается в типы кассы: %s", where, what))
		return
	}
	b.Held(3, deep.Say("%s reads into the desk's types", "%s читается в типы кассы", where))
}

// deepDates checks the date half of assumption 3: every date the desk
// reads is one wire.ParseTime reads.
func deepDates(b *deep.Book, where string, items []deep.Object, keys ...string) {
	var odd, seen []string
	for _, k := range keys {
		for _, o := range items {
			v := o.Text(k)
			if !o.Has(k) || v == "" || v == "0" {
				continue
			}
			shape := deep.ValueShape(o[k])
			if _, ok := wire.ParseTime(v, time.UTC); !ok {
				if s := k + ": " + shape; !slices.Contains(odd, s) {
					odd = append(odd, s)
				}
			} else if !slices.Contains(seen, shape) {
				seen = append(seen, shape)
			}
		}
	}
	if len(odd) > 0 {
		sort.Strings(odd)
		b.Broken(3, deep.Say("%s: dates the desk cannot read: %s", "%s: даты, которые касса не читает: %s", where, strings.Join(odd, "; ")))
		return
	}
	if len(seen) > 0 {
		sort.Strings(seen)
		b.Held(3, deep.Say("%s: dates %s", "%s: даты %s", where, deep.List(seen)))
	}
}

func httpStatus(err error) int {
	var pe *providers.Error
	if errors.As(err, &pe) {
		return pe.Status
	}
	return 0
}

// acceptRefused is a refusal of the request's Accept or credentials, what
// assumption 18 would see if the alteg.io calls wanted theirs.
func acceptRefused(err error) bool {
	switch httpStatus(err) {
	case http.StatusUnauthorized, http.StatusNotAcceptable, http.StatusUnsupportedMediaType:
		return true
	}
	return false
}

func (c *Client) deepEvents(b *deep.Book, a deepAnswer) {
	switch {
	case a.err != nil && acceptRefused(a.err):
		b.Broken(18, deep.Say("the events search refused YCLIENTS' Accept or both tokens (%s)", "поиск событий не принял Accept YCLIENTS или оба токена (%s)", deep.FailedShape(a.err)))
		b.Cannot(7, deep.Failed("GET /activity/{id}/search", a.err))
		return
	case a.err != nil && refused(a.err):
		b.Held(7, deep.Say("the events search is refused (%s): the desk groups the day's records by activity_id, without capacity", "поиск событий отказан (%s): касса группирует записи дня по activity_id, без вместимости", deep.FailedShape(a.err)))
		b.Cannot(18, deep.Failed("GET /activity/{id}/search", a.err))
		return
	case a.err != nil:
		b.Cannot(7, deep.Failed("GET /activity/{id}/search", a.err))
		return
	}
	b.Held(18, deep.Say("the events search answered YCLIENTS' Accept and both tokens", "поиск событий ответил на Accept YCLIENTS и оба токена"))
	var ws []wireEvent
	c.deepTypes(b, "GET /activity/{id}/search", a, &ws)
	items := a.items()
	if len(items) == 0 {
		b.Cannot(7, deep.Say("there are no group events today", "сегодня нет групповых событий"))
		return
	}
	missing := deep.Missing(items, "id", "date", "length", "capacity", "records_count")
	if !slices.ContainsFunc(items, func(o deep.Object) bool { return o.Obj("service").Text("title") != "" }) {
		missing = append(missing, "service.title")
	}
	if !slices.ContainsFunc(items, func(o deep.Object) bool { return o.Obj("staff").Text("name") != "" }) {
		missing = append(missing, "staff.name")
	}
	if len(missing) > 0 {
		b.Broken(7, deep.Say("the group events carry no %s (keys: %s)", "у групповых событий нет %s (ключи: %s)", deep.List(missing), deep.List(deep.KeysOf(items))))
	} else {
		rooms := slices.ContainsFunc(items, func(o deep.Object) bool {
			return slices.ContainsFunc(o.List("resource_instances"), func(r deep.Object) bool { return r.Text("title") != "" })
		})
		held := deep.Say("%d events with id, date, length, capacity, records_count, service.title, staff.name", "%d событий с id, date, length, capacity, records_count, service.title, staff.name", len(items))
		if !rooms {
			held = models.Join([]models.Words{held, deep.Say("no resource_instances[].title: no room shown", "нет resource_instances[].title: зал не показывается")}, "; ")
		}
		b.Held(7, held)
	}
	deepDates(b, "GET /activity/{id}/search", items, "date")
}

// attendanceValues are the attendance codes assumption 12 reads.
var attendanceValues = []string{"-1", "0", "1", "2"}

func (c *Client) deepRecords(b *deep.Book, a deepAnswer, loc *time.Location) (recordID, clientID string) {
	if a.err != nil {
		for _, n := range []int{5, 6, 12} {
			b.Cannot(n, deep.Failed("GET /records/{id}", a.err))
		}
		return "", ""
	}
	var ws []wireRecord
	c.deepTypes(b, "GET /records/{id}", a, &ws)
	items := a.items()
	if len(items) == 0 {
		for _, n := range []int{5, 6, 12} {
			b.Cannot(n, deep.Say("there are no records today", "сегодня нет записей"))
		}
		return "", ""
	}
	recordID = items[0].Text("id")
	for _, o := range items {
		if id := o.Obj("client").Text("id"); id != "" && id != "0" {
			clientID = id
			break
		}
	}
	// 5: the nested objects.
	var missing []string
	services := 0
	for _, o := range items {
		for _, s := range o.List("services") {
			services++
			for _, k := range deep.Missing([]deep.Object{s}, "id", "title", "cost") {
				missing = appendOnce(missing, "services[]."+k)
			}
		}
		if st := o.Obj("staff"); st != nil {
			for _, k := range deep.Missing([]deep.Object{st}, "id", "name") {
				missing = appendOnce(missing, "staff."+k)
			}
		} else {
			missing = appendOnce(missing, "staff")
		}
		if cl := o.Obj("client"); cl != nil {
			for _, k := range deep.Missing([]deep.Object{cl}, "id", "name", "phone") {
				missing = appendOnce(missing, "client."+k)
			}
		}
	}
	if services == 0 {
		missing = appendOnce(missing, "services[]")
	}
	if len(missing) > 0 {
		b.Broken(5, deep.Say("records carry no %s (keys: %s)", "в записях нет %s (ключи: %s)", deep.List(missing), deep.List(deep.KeysOf(items))))
	} else {
		b.Held(5, deep.Say("%d records with services, staff and client as assumed", "%d записей с services, staff и client, как предполагалось", len(items)))
	}
	// 6: the price and payments.
	var odd []string
	if m := deep.Missing(items, "finance_transactions"); len(m) > 0 {
		odd = append(odd, "no finance_transactions though include_finance_transactions=1 was asked")
	}
	for _, o := range items {
		if v := o.Text("paid_full"); o.Has("paid_full") && !slices.Contains([]string{"0", "1", "true", "false"}, v) {
			odd = appendOnce(odd, "paid_full "+shown(o, "paid_full"))
		}
		if v := o.Text("payment_status"); o.Has("payment_status") && !slices.Contains([]string{"0", "1", "2", "3"}, v) {
			odd = appendOnce(odd, "payment_status "+shown(o, "payment_status"))
		}
	}
	if len(odd) > 0 {
		b.Broken(6, deep.Say("records: %s", "записи: %s", strings.Join(odd, "; ")))
	} else {
		b.Held(6, deep.Say("records carry cost, finance_transactions, paid_full and payment_status as read", "в записях cost, finance_transactions, paid_full и payment_status, как читаются"))
	}
	// 7: the rosters' key.
	if deep.NoneOf(items, "activity_id") {
		b.Broken(7, deep.Say("records carry no activity_id: no roster can be made of them", "в записях нет activity_id: списки групп из них не собрать"))
	}
	// 12: the attendance codes.
	var codes []string
	for _, o := range items {
		for _, k := range []string{"attendance", "visit_attendance"} {
			if v := o.Text(k); o.Has(k) && !slices.Contains(attendanceValues, v) {
				codes = appendOnce(codes, k+" "+shown(o, k))
			}
		}
	}
	if len(codes) > 0 {
		b.Broken(12, deep.Say("attendance codes the desk does not know: %s", "незнакомые кассе коды attendance: %s", deep.List(codes)))
	} else if !deep.NoneOf(items, "attendance", "visit_attendance") {
		b.Held(12, deep.Say("the attendance codes read are among -1, 0, 1, 2 (the mark itself is a write)", "прочитанные коды attendance — среди -1, 0, 1, 2 (сама отметка — запись)"))
	}
	deepDates(b, "GET /records/{id}", items, "date", "datetime", "create_date")
	c.deepZone(b, items, loc)
	return recordID, clientID
}

// deepZone checks assumption 15 on the records: a naive date read in the
// company's zone is the instant its datetime states with an offset.
func (c *Client) deepZone(b *deep.Book, items []deep.Object, loc *time.Location) {
	for _, o := range items {
		naive, full := o.Text("date"), o.Text("datetime")
		if naive == "" || full == "" || deep.DateShape(naive) != "YYYY-MM-DD hh:mm:ss" {
			continue
		}
		t1, ok1 := wire.ParseTime(naive, loc)
		t2, ok2 := wire.ParseTime(full, loc)
		if !ok1 || !ok2 {
			continue
		}
		if !t1.Equal(t2) {
			_, off := t2.Zone()
			_, want := t1.Zone()
			b.Broken(15, deep.Say("a record's naive date is not its datetime in the company's zone: datetime says UTC%s, timezone_name gives UTC%s", "дата записи без пояса не совпадает с её datetime в поясе компании: datetime — UTC%s, timezone_name даёт UTC%s", offset(off), offset(want)))
			return
		}
		b.Held(15, deep.Say("records' naive dates are their datetimes in that zone", "даты записей без пояса совпадают с datetime в этом поясе"))
		return
	}
}

func offset(sec int) string {
	sign := '+'
	if sec < 0 {
		sign, sec = '-', -sec
	}
	h, m := sec/3600, sec%3600/60
	if m != 0 {
		return fmt.Sprintf("%c%d:%02d", sign, h, m)
	}
	return fmt.Sprintf("%c%d", sign, h)
}

func appendOnce(list []string, s string) []string {
	if slices.Contains(list, s) {
		return list
	}
	return append(list, s)
}

func (c *Client) deepRecord(b *deep.Book, a deepAnswer) {
	if a.err != nil {
		return
	}
	var w wireRecord
	c.deepTypes(b, "GET /record/{id}/{id}", a, &w)
	items := a.items()
	if len(items) == 0 {
		return
	}
	if !items[0].Has("finance_transactions") {
		b.Broken(6, deep.Say("one record carries no finance_transactions though include_finance_transactions=1 was asked", "в записи нет finance_transactions, хотя запрошено include_finance_transactions=1"))
	}
}

// deepPaging checks assumption 17 on a list asked deepPage a page.
func (c *Client) deepPaging(b *deep.Book, where string, a deepAnswer) {
	if a.err != nil {
		b.Cannot(17, deep.Failed(where, a.err))
		return
	}
	n := len(a.items())
	switch {
	case n > deepPage:
		b.Broken(17, deep.Say("%s: %d a page asked, %d came: count is ignored", "%s: запрошено %d на страницу, пришло %d: count не соблюдается", where, deepPage, n))
	case a.meta.TotalCount.OK:
		b.Held(17, deep.Say("%s: %d a page asked, %d came, total_count %d", "%s: запрошено %d на страницу, пришло %d, total_count %d", where, deepPage, n, a.meta.TotalCount.Value))
	default:
		b.Held(17, deep.Say("%s: %d a page asked, %d came, no total_count: read until a short page", "%s: запрошено %d на страницу, пришло %d, total_count нет: чтение до неполной страницы", where, deepPage, n))
	}
}

// clientFields are the client's fields the desk reads.
var clientFields = []string{"id", "name", "phone", "email", "card", "comment", "discount", "balance", "birth_date"}

// deepSameObjects checks assumption 4: the list's clients carry what GET
// /client carries of the fields the desk reads.
func (c *Client) deepSameObjects(b *deep.Book, page deepAnswer, client deep.Object) {
	one := []deep.Object{client}
	if m := deep.Missing(one, "id", "name", "phone", "balance"); len(m) > 0 {
		b.Broken(4, deep.Say("GET /client/{id} carries no %s (keys: %s)", "в GET /client/{id} нет %s (ключи: %s)", deep.List(m), deep.List(deep.KeysOf(one))))
		return
	}
	list := page.items()
	if page.err != nil || len(list) == 0 {
		b.Held(4, deep.Say("GET /client/{id} carries the fields the desk reads; the list gave no client to compare", "GET /client/{id} несёт поля, которые читает касса; в списке не с чем сравнить"))
		return
	}
	var short []string
	for _, k := range clientFields {
		if _, inOne := client[k]; inOne && !slices.ContainsFunc(list, func(o deep.Object) bool { _, ok := o[k]; return ok }) {
			short = append(short, k)
		}
	}
	if len(short) > 0 {
		b.Broken(4, deep.Say("the client list carries no %s, which GET /client/{id} does", "в списке клиентов нет %s, которые есть в GET /client/{id}", deep.List(short)))
		return
	}
	b.Held(4, deep.Say("the list's clients carry what GET /client/{id} does of %s", "клиенты списка несут то же, что GET /client/{id}, из %s", deep.List(clientFields)))
}

func (c *Client) deepAbonements(b *deep.Book, a deepAnswer) {
	switch {
	case a.err != nil && acceptRefused(a.err):
		b.Broken(18, deep.Say("the abonements refused YCLIENTS' Accept or both tokens (%s)", "абонементы не приняли Accept YCLIENTS или оба токена (%s)", deep.FailedShape(a.err)))
		b.Cannot(8, deep.Failed("GET /loyalty/abonements", a.err))
		return
	case a.err != nil:
		b.Cannot(8, deep.Failed("GET /loyalty/abonements", a.err))
		return
	}
	b.Held(18, deep.Say("the abonements answered YCLIENTS' Accept and both tokens", "абонементы ответили на Accept YCLIENTS и оба токена"))
	var ws []wireAbonement
	c.deepTypes(b, "GET /loyalty/abonements", a, &ws)
	items := a.items()
	if len(items) == 0 {
		b.Cannot(8, deep.Say("the client read has no abonement", "у прочитанного клиента нет абонементов"))
		return
	}
	var missing []string
	for _, o := range items {
		if o.Obj("type").Text("title") == "" && o.Text("balance_string") == "" {
			missing = appendOnce(missing, "type.title (or balance_string)")
		}
		if o.Obj("balance_container") == nil && o.Obj("type").Obj("balance_container") == nil && !o.Has("united_balance_services_count") {
			missing = appendOnce(missing, "balance_container (or united_balance_services_count)")
		}
	}
	missing = append(missing, deep.Missing(items, "expiration_date", "is_frozen")...)
	if len(missing) > 0 {
		b.Broken(8, deep.Say("abonements carry no %s (keys: %s)", "в абонементах нет %s (ключи: %s)", deep.List(missing), deep.List(deep.KeysOf(items))))
	} else {
		b.Held(8, deep.Say("%d abonements found by the phone, with a title, a balance, expiration_date and is_frozen", "найдено по телефону абонементов: %d, с названием, остатком, expiration_date и is_frozen", len(items)))
	}
	deepDates(b, "GET /loyalty/abonements", items, "expiration_date", "activated_date", "created_date", "freeze_till")
}

func (c *Client) deepHistory(b *deep.Book, a deepAnswer) {
	if a.err != nil {
		b.Cannot(10, deep.Failed("POST /company/{id}/clients/visits/search", a.err))
		return
	}
	var h wireVisitHistory
	c.deepTypes(b, "POST /company/{id}/clients/visits/search", a, &h)
	data := deep.Items(a.data)
	if len(data) != 1 || !data[0].Has("records") && deep.Kind(data[0]["records"]) != "array" {
		b.Broken(10, deep.Say("the history's data holds no records list (keys: %s)", "в данных истории нет списка records (ключи: %s)", deep.List(deep.KeysOf(data))))
		return
	}
	var metaKeys []string
	if env := deep.Items(a.body); len(env) == 1 {
		if m := env[0].Obj("meta"); m != nil {
			metaKeys = deep.KeysOf([]deep.Object{m})
		}
	}
	if !slices.Contains(metaKeys, "dateCursor") && !(slices.Contains(metaKeys, "from") && slices.Contains(metaKeys, "to")) {
		b.Broken(10, deep.Say("the history's meta carries neither dateCursor nor from/to (keys: %s): the desk reads one page only", "в meta истории нет ни dateCursor, ни from/to (ключи: %s): касса прочитает одну страницу", deep.List(metaKeys)))
		return
	}
	b.Held(10, deep.Say("the history answers records with a date cursor in meta (%s)", "история отвечает records и курсором дат в meta (%s)", deep.List(metaKeys)))
	deepDates(b, "POST /company/{id}/clients/visits/search", data[0].List("records"), "date", "datetime")
}

// deepCurrency checks assumption 19: the company says its currency, as a
// sign or code the desk reads.
func (c *Client) deepCurrency(b *deep.Book, a deepAnswer) {
	items := a.items()
	if a.err != nil || len(items) == 0 {
		b.Cannot(19, deep.Failed("GET /company/{id}", a.err))
		return
	}
	sign := items[0].Text("currency_short_title")
	switch code, ok := models.CurrencyCode(sign); {
	case sign == "":
		// The document's own samples say nothing either: roubles, as written.
		b.Held(19, deep.Say("the company says no currency_short_title: amounts are taken for roubles",
			"компания не называет currency_short_title: суммы считаются рублями"))
	case !ok:
		b.Broken(19, deep.Say("the company's currency_short_title is %s, which the desk does not know",
			"currency_short_title компании — %s, такой валюты касса не знает", shown(items[0], "currency_short_title")))
	default:
		b.Held(19, deep.Say("the company's currency_short_title reads as %s", "currency_short_title компании читается как %s", code))
	}
}

// deepClientShapes checks assumption 20 on a page of clients: the name's
// third part, the birth dates' shapes, the categories.
func (c *Client) deepClientShapes(b *deep.Book, page deepAnswer) {
	items := page.items()
	if page.err != nil || len(items) == 0 {
		b.Cannot(20, deep.Failed("GET /clients/{id}", page.err))
		return
	}
	var bad []string
	for _, o := range items {
		if raw, ok := o["birth_date"]; ok {
			var w wireClient
			if err := json.Unmarshal([]byte(`{"birth_date":`+string(raw)+`}`), &w); err != nil {
				bad = append(bad, deep.ValueShape(raw))
			}
		}
	}
	if len(bad) > 0 {
		b.Broken(20, deep.Say("birth dates of shapes the desk does not read: %s", "даты рождения в виде, которого касса не читает: %s", deep.List(bad)))
		return
	}
	keys := deep.KeysOf(items)
	b.Held(20, deep.Say("clients carry %s; their birth dates are read", "у клиентов есть %s; даты рождения читаются",
		deep.List(slices.DeleteFunc(slices.Clone(keys), func(k string) bool {
			return k != "middle_name" && k != "patronymic" && k != "categories" && k != "birth_date"
		}))))
}
