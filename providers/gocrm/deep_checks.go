package gocrm

import (
	"context"
	"encoding/json"
	"errors"
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

// shown is a value the report may show as itself (a zone, a word of
// Go-CRM's), else its shape.
func shown(o deep.Object, key string) string {
	if v := o.Text(key); deep.Enumerable(v) {
		return `"` + v + `"`
	}
	return deep.ValueShape(o[key])
}

// deepWebPage marks assumption 2 broken for an address that answers a
// web page; it reports whether it did.
func deepWebPage(b *deep.Book, a deepAnswer, what string) bool {
	if !a.html {
		return false
	}
	b.Broken(2, deep.Say("%s answers a web page (HTML, HTTP %d), not Go-CRM's API", "%s отвечает веб-страницей (HTML, HTTP %d), а не API Go-CRM", what, a.status))
	return true
}

// deepCenter reads the profile's center (or the only one) and /users
// from the public API, and keeps the center as center() would.
func (c *Client) deepCenter(ctx context.Context, b *deep.Book) {
	var a deepAnswer
	var found deep.Object
	branch := c.branchID()
	if branch != "" {
		a = c.deepGet(ctx, b, "the center", "center", true, "/centers/"+pathID(branch), nil)
		if items := a.items(); a.err == nil && len(items) > 0 {
			found = items[0]
		}
	} else {
		a = c.deepGet(ctx, b, "the cities", "centers", true, "/cities", nil)
		if cities := a.items(); a.err == nil {
			var all []deep.Object
			for _, city := range cities {
				cs := c.deepGet(ctx, b, "a city's centers", "centers", true, "/cities/"+pathID(city.Text("id"))+"/centers", nil)
				if cs.err != nil {
					a = cs
					break
				}
				all = append(all, cs.items()...)
			}
			switch {
			case a.err != nil:
			case len(all) == 1:
				found = all[0]
			default:
				b.Broken(13, deep.Say("the profile names no center and Go-CRM lists %d: set branch", "в профиле нет центра, а Go-CRM перечисляет %d: укажите branch", len(all)))
			}
		}
	}
	if deepWebPage(b, a, "the public API (/api/v3)") {
		b.Cannot(12, deep.Say("the public API's address answers a web page (assumption 2)", "по адресу публичного API — веб-страница (допущение 2)"))
		b.Cannot(13, deep.Failed("GET /api/v3/centers", a.err))
		b.Cannot(14, deep.Failed("GET /api/v3/centers", a.err))
		return
	}
	if a.status > 0 && a.status < 500 {
		c.deepPublicEnvelope(b, a)
	}
	if a.err != nil {
		b.Cannot(13, deep.Failed("GET /api/v3/centers", a.err))
		b.Cannot(14, deep.Failed("GET /api/v3/centers", a.err))
		return
	}
	if found == nil {
		return
	}
	b.Held(2, deep.Say("the public API answers at /api/v3", "публичный API отвечает по /api/v3"))
	tz := found.Text("timezone")
	if _, err := time.LoadLocation(tz); err != nil || tz == "" {
		b.Broken(13, deep.Say("the center's timezone is %s, not a time zone", "timezone центра — %s, это не часовой пояс", shown(found, "timezone")))
	} else {
		b.Held(13, deep.Say("the center's timezone is %s", "timezone центра — %s", tz))
	}
	var w wireCenter
	if raw, err := json.Marshal(found); err == nil && json.Unmarshal(raw, &w) == nil && w.ID != "" {
		c.mu.Lock()
		if c.cache.center == nil {
			c.cache.center = &w
		}
		if c.branch == "" {
			c.branch = string(w.ID)
		}
		c.mu.Unlock()
	}
	center := found.Text("id")
	users := c.deepGet(ctx, b, "the instructors", "instructors", true, "/users", map[string]any{"centerId": center, "position": positionInstructor})
	c.deepUsers(b, users)
}

// deepPublicEnvelope checks assumption 12 on a public answer.
func (c *Client) deepPublicEnvelope(b *deep.Book, a deepAnswer) {
	env := deep.Items(a.body)
	if len(a.body) == 0 || deep.IsList(a.body) || len(env) != 1 {
		if a.err != nil && len(a.body) == 0 {
			b.Cannot(12, deep.Failed("the public API", a.err))
			return
		}
		b.Broken(12, deep.Say("a public answer is no object with status (%s)", "публичный ответ — не объект со status (%s)", deep.Kind(a.body)))
		return
	}
	if !env[0].Has("status") {
		b.Broken(12, deep.Say("a public answer carries no status (keys: %s)", "в публичном ответе нет status (ключи: %s)", deep.List(deep.KeysOf(env))))
		return
	}
	b.Held(12, deep.Say("the public answers carry status %s", "публичные ответы несут status %s", shown(env[0], "status")))
}

func (c *Client) deepUsers(b *deep.Book, a deepAnswer) {
	if a.err != nil {
		if !a.html {
			c.deepPublicEnvelopeOnError(b, a)
		}
		b.Held(14, deep.Say("/users fails here too (%s): the timetable names instructors by what the hours carry", "/users и здесь не отвечает (%s): расписание называет инструкторов тем, что есть в занятиях", deep.FailedShape(a.err)))
		return
	}
	items := a.items()
	if len(items) == 0 {
		b.Held(14, deep.Say("/users answers no instructor: the timetable names them by what the hours carry", "/users не называет ни одного инструктора: расписание называет их тем, что есть в занятиях"))
		return
	}
	missing := deep.Missing(items, "id")
	if deep.NoneOf(items, "displayName", "name", "login") {
		missing = append(missing, "displayName (or name, login)")
	}
	if len(missing) > 0 {
		b.Broken(14, deep.Say("/users' entries carry no %s (keys: %s)", "в записях /users нет %s (ключи: %s)", deep.List(missing), deep.List(deep.KeysOf(items))))
		return
	}
	b.Held(14, deep.Say("/users answers here: %d instructors named", "/users здесь отвечает: названо инструкторов: %d", len(items)))
}

// deepPublicEnvelopeOnError checks the envelope of a refusal (a 500 with
// {message} only is a server's error page, not a public answer).
func (c *Client) deepPublicEnvelopeOnError(b *deep.Book, a deepAnswer) {
	if a.status == 0 || a.status >= 500 {
		return
	}
	c.deepPublicEnvelope(b, a)
}

// parentTypes are /profile types of a person who is not staff.
var parentTypes = []string{"client", "parent", "клиент", "родитель"}

func (c *Client) deepProfile(b *deep.Book, a deepAnswer) {
	switch {
	case deepWebPage(b, a, "the client API (/api)"):
		b.Cannot(1, deep.Say("the client API's address answers a web page (assumption 2)", "по адресу клиентского API — веб-страница (допущение 2)"))
		return
	case errors.Is(a.err, providers.ErrUnauthorized):
		b.Broken(1, deep.Say("GET /api/profile refused the access token sent as Authorization: Bearer with APP_TOKEN (%s) — or the token expired: log in again, then run doctor --deep again", "GET /api/profile не принял токен доступа в Authorization: Bearer с APP_TOKEN (%s) — или токен истёк: войдите заново и повторите doctor --deep", deep.FailedShape(a.err)))
		b.Held(2, deep.Say("the client API answers at /api", "клиентский API отвечает по /api"))
		return
	case a.err != nil:
		b.Cannot(1, deep.Failed("GET /api/profile", a.err))
		return
	}
	b.Held(1, deep.Say("GET /api/profile took the access token as Bearer, with APP_TOKEN", "GET /api/profile принял токен доступа как Bearer вместе с APP_TOKEN"))
	b.Held(2, deep.Say("the client API answers at /api", "клиентский API отвечает по /api"))
	items := a.items()
	if len(items) == 1 && slices.Contains(parentTypes, strings.ToLower(items[0].Text("type"))) {
		b.Key(parentKey(deep.Say("Go-CRM says the signed-in person is of type %s", "Go-CRM сообщает, что вошедший — типа %s", shown(items[0], "type"))))
	}
}

// parentKey is the words for keys that are a parent's, not staff's.
func parentKey(seen models.Words) providers.Diagnosis {
	return providers.Diagnosis{Level: models.Red, Label: models.Words{EN: "the keys' kind", RU: "чьи ключи"}, Text: models.Join([]models.Words{seen, {
		EN: "these keys are a parent's (Go-CRM's client role), not staff's: the desk sees one family only. Ask Go-CRM's administrator for a staff login — an administrator's phone — and set person in the profile to that role (e.g. person = \"admin\"), then clubdesk login again",
		RU: "эти ключи — родителя (роль «клиент» Go-CRM), а не сотрудника: касса видит только одну семью. Попросите администратора Go-CRM о входе сотрудника — телефон администратора — и укажите его роль в профиле (например, person = \"admin\"), затем снова clubdesk login"}}, ": ")}
}

func (c *Client) deepClients(b *deep.Book, a deepAnswer) {
	if a.err != nil {
		b.Cannot(5, deep.Failed("GET /api/clients", a.err))
		b.Cannot(16, deep.Failed("GET /api/clients", a.err))
		return
	}
	items := a.items()
	c.deepPaging(b, a, len(items))
	if len(items) == 0 {
		b.Cannot(5, deep.Say("GET /api/clients lists no client", "GET /api/clients не перечисляет клиентов"))
		return
	}
	c.deepIDs(b, "GET /api/clients", items, "id")
	if missing := deep.Missing(items, "id", "name", "fio", "phone"); len(missing) > 0 {
		b.Broken(5, deep.Say("the clients carry no %s (keys: %s)", "у клиентов нет %s (ключи: %s)", deep.List(missing), deep.List(deep.KeysOf(items))))
		return
	}
	// A parent's keys list their own children: one phone, one parent's
	// name on every client.
	phones, fios := map[string]bool{}, map[string]bool{}
	phoned, named := 0, 0
	for _, o := range items {
		if p := models.Digits(o.Text("phone")); p != "" {
			phones[p] = true
			phoned++
		}
		if f := strings.ToLower(o.Text("fio")); f != "" {
			fios[f] = true
			named++
		}
	}
	oneFamily := len(phones) == 1 && phoned == len(items) || len(fios) == 1 && named == len(items)
	if oneFamily && len(items) <= 10 {
		seen := deep.Say("GET /api/clients holds %d children of one parent only", "GET /api/clients содержит %d детей одного родителя", len(items))
		b.Broken(5, models.Join([]models.Words{seen, deep.Say("a parent's keys, not staff's", "это ключи родителя, а не сотрудника")}, ": "))
		b.Key(parentKey(seen))
		return
	}
	b.Held(5, deep.Say("GET /api/clients lists %d clients of %d parents (by phone)", "GET /api/clients: %d клиентов, родителей (по телефону): %d", len(items), len(phones)))
}

// pagingKeys are what a paged answer carries beside data (Laravel's
// paginator, which Go-CRM's {data} answers resemble, and the usual others).
var pagingKeys = []string{"links", "meta", "next_page_url", "current_page", "last_page", "per_page", "total", "next", "page", "pages"}

// deepPaging checks assumption 16: the list comes whole, without paging.
func (c *Client) deepPaging(b *deep.Book, a deepAnswer, n int) {
	var env map[string]json.RawMessage
	if json.Unmarshal(a.body, &env) != nil {
		b.Held(16, deep.Say("GET /api/clients answers a bare list of %d clients", "GET /api/clients отдаёт просто список из %d клиентов", n))
		return
	}
	var paged []string
	for _, k := range pagingKeys {
		if _, ok := env[k]; ok {
			paged = append(paged, k)
		}
	}
	if len(paged) > 0 {
		b.Broken(16, deep.Say("GET /api/clients is paged (%s): the desk searches only the %d clients of its first page", "GET /api/clients разбит на страницы (%s): касса ищет только среди %d клиентов первой страницы", deep.List(paged), n))
		return
	}
	b.Held(16, deep.Say("GET /api/clients answers %d clients at once, no paging keys", "GET /api/clients отдаёт %d клиентов сразу, без признаков страниц", n))
}

// deepIDs checks assumption 4: ids come as numbers or strings.
func (c *Client) deepIDs(b *deep.Book, where string, items []deep.Object, keys ...string) {
	var odd []string
	for _, k := range keys {
		for _, kind := range deep.Kinds(items, k) {
			if kind != "number" && kind != "string" && !slices.Contains(odd, k+" as "+kind) {
				odd = append(odd, k+" as "+kind)
			}
		}
	}
	if len(odd) > 0 {
		b.Broken(4, deep.Say("%s: %s", "%s: %s", where, deep.List(odd)))
		return
	}
	var kinds []string
	for _, k := range keys {
		for _, kind := range deep.Kinds(items, k) {
			if !slices.Contains(kinds, kind) {
				kinds = append(kinds, kind)
			}
		}
	}
	if len(kinds) > 0 {
		sort.Strings(kinds)
		b.Held(4, deep.Say("%s: ids as %s", "%s: id как %s", where, strings.Join(kinds, " and ")))
	}
}

// knownPeriod reads periodType as period does: days, weeks, months, years.
func knownPeriod(w string) bool {
	w = strings.ToLower(strings.TrimSpace(w))
	for _, p := range []string{"дн", "ден", "нед", "мес", "год", "лет"} {
		if strings.HasPrefix(w, p) {
			return true
		}
	}
	return false
}

func (c *Client) deepPlans(b *deep.Book, a deepAnswer) {
	if a.err != nil {
		b.Cannot(6, deep.Failed("GET /api/season-tickets", a.err))
		return
	}
	items := a.items()
	if len(items) == 0 {
		b.Cannot(6, deep.Say("the center sells no season ticket", "в центре нет абонементов"))
		return
	}
	c.deepIDs(b, "GET /api/season-tickets", items, "id", "exerciseTypeId", "center")
	var odd []string
	if missing := deep.Missing(items, "id", "name", "price", "validity", "periodType", "numberExercise"); len(missing) > 0 {
		odd = append(odd, "no "+deep.List(missing))
	}
	for _, o := range items {
		if cur := o.Text("currency"); cur != "" && currency(text(cur)) != rub {
			odd = appendOnce(odd, "currency "+shown(o, "currency"))
		}
		if p := o.Text("periodType"); p != "" && !knownPeriod(p) {
			odd = appendOnce(odd, "periodType "+shown(o, "periodType")+" is no word of days, weeks, months, years (read as days)")
		}
		if o.Has("price") {
			var am amount
			if json.Unmarshal(o["price"], &am) != nil {
				odd = appendOnce(odd, "price "+deep.ValueShape(o["price"]))
			} else if _, ok := am.Money(rub); !ok {
				odd = appendOnce(odd, "price "+deep.ValueShape(o["price"]))
			}
		}
	}
	if len(odd) > 0 {
		b.Broken(6, deep.Say("season tickets: %s", "абонементы: %s", strings.Join(odd, "; ")))
		return
	}
	b.Held(6, deep.Say("%d season tickets in rubles, their validity in periodType's words", "абонементов: %d, в рублях, срок словами periodType", len(items)))
}

func appendOnce(list []string, s string) []string {
	if slices.Contains(list, s) {
		return list
	}
	return append(list, s)
}

// hourShape is the date-time shape the document gives an hour.
const hourShape = "YYYY-MM-DD hh:mm:ss"

func (c *Client) deepHours(b *deep.Book, a deepAnswer, plans deepAnswer) string {
	if a.err != nil {
		var pe *providers.Error
		if errors.As(a.err, &pe) && (pe.Status == 422 || pe.Status == 400) {
			b.Broken(3, deep.Say("GET /api/hours refused its parameters sent in the query (%s)", "GET /api/hours не принял параметры в строке запроса (%s)", deep.FailedShape(a.err)))
		} else {
			b.Cannot(3, deep.Failed("GET /api/hours", a.err))
		}
		b.Cannot(7, deep.Failed("GET /api/hours", a.err))
		return ""
	}
	b.Held(3, deep.Say("GET /api/hours took center, dateStart and dateEnd in the query", "GET /api/hours принял center, dateStart и dateEnd в строке запроса"))
	items := a.items()
	if len(items) == 0 {
		b.Cannot(7, deep.Say("there are no lessons today", "сегодня нет занятий"))
		return ""
	}
	c.deepIDs(b, "GET /api/hours", items, "id", "typesExercise", "center")
	var odd []string
	if missing := deep.Missing(items, "id", "datetime", "typesExercise", "instructors", "cnt"); len(missing) > 0 {
		odd = append(odd, "no "+deep.List(missing)+" (keys: "+deep.List(deep.KeysOf(items))+")")
	}
	for _, s := range deep.Shapes(items, "datetime") {
		if s != hourShape {
			odd = appendOnce(odd, "datetime as "+s)
		}
	}
	if len(odd) > 0 {
		b.Broken(7, deep.Say("the hours: %s", "занятия: %s", strings.Join(odd, "; ")))
		return items[0].Text("id")
	}
	var ws []wireHour
	if err := wire.Decode(a.data, &ws); err != nil {
		b.Broken(4, deep.Say("the hours do not read into the desk's types", "занятия не читаются в типы кассы"))
	}
	held := deep.Say("%d hours with id, datetime (%s), typesExercise, instructors, cnt", "занятий: %d, с id, datetime (%s), typesExercise, instructors, cnt", len(items), hourShape)
	types := map[string]bool{}
	for _, p := range plans.items() {
		types[p.Text("exerciseTypeId")] = true
	}
	unnamed := 0
	for _, o := range items {
		if !types[o.Text("typesExercise")] {
			unnamed++
		}
	}
	if unnamed > 0 {
		held = models.Join([]models.Words{held, deep.Say("%d of them of a kind no season ticket names (titled by the comment)", "у %d — вид, которого нет в абонементах (название по комментарию)", unnamed)}, "; ")
	}
	if deep.NoneOf(items, "duration") {
		held = models.Join([]models.Words{held, deep.Say("no duration: 60 minutes each", "нет duration: по 60 минут")}, "; ")
	}
	b.Held(7, held)
	return items[0].Text("id")
}

// deepRoster checks assumption 8 on the center-wide client-hours: its
// entries must name their client.
func (c *Client) deepRoster(b *deep.Book, a deepAnswer, hourID string) string {
	if a.err != nil {
		b.Cannot(8, deep.Failed("GET /api/client-hours", a.err))
		return ""
	}
	items := a.items()
	if len(items) == 0 {
		b.Cannot(8, deep.Say("nobody is booked from today on", "с сегодняшнего дня никто не записан"))
		return ""
	}
	c.deepIDs(b, "GET /api/client-hours", items, "id", "clientId")
	named, id := 0, ""
	for _, o := range items {
		if cid := first(o.Text("clientId"), o.Text("client_id"), o.Obj("client").Text("id")); cid != "" {
			named++
			if id == "" {
				id = cid
			}
		}
	}
	if missing := deep.Missing(items, "id", "hour"); len(missing) > 0 {
		b.Broken(8, deep.Say("the roster's entries carry no %s (keys: %s)", "в записях списка нет %s (ключи: %s)", deep.List(missing), deep.List(deep.KeysOf(items))))
		return id
	}
	if named == 0 {
		b.Broken(8, deep.Say("none of %d roster entries names its client (no clientId, client_id or client): the roster cannot say who is booked", "ни одна из %d записей списка не называет клиента (нет clientId, client_id или client): список не скажет, кто записан", len(items)))
		return ""
	}
	b.Held(8, deep.Say("%d of %d roster entries name their client", "клиента называют %d из %d записей списка", named, len(items)))
	return id
}

func (c *Client) deepOne(b *deep.Book, a deepAnswer) {
	if a.err != nil {
		return
	}
	items := a.items()
	if len(items) == 0 || deep.IsList(a.data) {
		b.Broken(5, deep.Say("GET /api/clients/{id} answers no bare object (%s)", "GET /api/clients/{id} отвечает не объектом (%s)", deep.Kind(a.data)))
		return
	}
	c.deepIDs(b, "GET /api/clients/{id}", items, "id")
}

func (c *Client) deepTickets(b *deep.Book, a deepAnswer, clientID string) {
	if a.err != nil {
		b.Cannot(6, deep.Failed("GET /api/client-season-tickets", a.err))
		return
	}
	items := a.items()
	if len(items) == 0 {
		return
	}
	c.deepIDs(b, "GET /api/client-season-tickets", items, "id", "clientId", "seasonTicketId")
	if missing := deep.Missing(items, "clientId", "balance", "validityDate", "createdAt", "blockTypeName"); len(missing) > 0 {
		b.Broken(6, deep.Say("the client's season tickets carry no %s (keys: %s)", "в абонементах клиента нет %s (ключи: %s)", deep.List(missing), deep.List(deep.KeysOf(items))))
		return
	}
	other := 0
	for _, o := range items {
		if o.Text("clientId") != clientID {
			other++
		}
	}
	held := deep.Say("the client's %d season tickets carry balance, validityDate, createdAt, blockTypeName", "абонементов клиента: %d, с balance, validityDate, createdAt, blockTypeName", len(items))
	if other > 0 {
		held = models.Join([]models.Words{held, deep.Say("%d are other clients' (clientId not applied; the desk keeps to the client's)", "%d — чужие (clientId не применяется; касса отбирает нужные)", other)}, "; ")
	}
	b.Held(6, held)
	b.Held(5, deep.Say("GET /api/client-season-tickets answers with clientId", "GET /api/client-season-tickets отвечает с clientId"))
}

func (c *Client) deepDebts(b *deep.Book, a deepAnswer) {
	if a.err != nil {
		b.Cannot(5, deep.Failed("GET /api/debts", a.err))
		return
	}
	items := a.items()
	if len(items) == 0 {
		return
	}
	if missing := deep.Missing(items, "centerId", "money"); len(missing) > 0 {
		b.Broken(5, deep.Say("the client's debts carry no %s (keys: %s)", "в долгах клиента нет %s (ключи: %s)", deep.List(missing), deep.List(deep.KeysOf(items))))
		return
	}
	b.Held(5, deep.Say("the client's debts carry centerId and money (%d)", "долги клиента с centerId и money (%d)", len(items)))
}

// deepClientHours checks the card's half of assumption 8: a client's
// lessons carry visited and missed.
func (c *Client) deepClientHours(b *deep.Book, a deepAnswer) {
	if a.err != nil {
		b.Cannot(8, deep.Failed("GET /api/client-hours (clientId)", a.err))
		return
	}
	items := a.items()
	if len(items) == 0 {
		return
	}
	if missing := deep.Missing(items, "visited", "missed", "hour"); len(missing) == 3 {
		b.Broken(8, deep.Say("the client's lessons carry no visited, missed or hour (keys: %s)", "в занятиях клиента нет visited, missed или hour (ключи: %s)", deep.List(deep.KeysOf(items))))
	}
}
