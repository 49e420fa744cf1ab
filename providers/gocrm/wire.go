package gocrm

import (
	"bytes"
	"encoding/json"
	"strings"
	"time"

	"github.com/clubdesk/clubdesk/models"
	"github.com/clubdesk/clubdesk/providers/wire"
)

// Go-CRM mixes "id": 1 and "id": "123456", "centerId": 1 and "1", a flag
// as true or 1 (assumption 4): the shared tolerant types read them.
type (
	text       = wire.Text
	id         = wire.ID
	number     = wire.Number
	count      = wire.OptNumber
	flag       = wire.Flag
	amount     = wire.Amount
	stamp      = wire.Stamp
	wireFields = wire.Fields
)

// rub is what Go-CRM counts in: its answers say "руб.".
const rub = "RUB"

func first[T comparable](vals ...T) T { return wire.First(vals...) }

// currency maps Go-CRM's "руб." (and the like) to a code; Go-CRM's
// documents show no other currency.
func currency(t text) string {
	s := strings.ToLower(strings.TrimSpace(string(t)))
	switch {
	case s == "", strings.HasPrefix(s, "руб"), s == "₽", s == "rub", s == "rur":
		return rub
	}
	return strings.ToUpper(s)
}

func money(a amount, cur text) models.Money { return a.Or(currency(cur)) }

// wireTime is how Go-CRM writes an instant: YYYY-MM-DD HH:MM:SS in the
// center's zone.
func wireTime(t time.Time, loc *time.Location) string { return t.In(loc).Format("2006-01-02 15:04:05") }

// marked reads visited/missed, which are "visited" / "missed" or "".
func marked(t text) bool {
	switch strings.ToLower(strings.TrimSpace(string(t))) {
	case "", "0", "false", "null", "no":
		return false
	}
	return true
}

// wireClient is one of GET /clients and GET /clients/(:num): a child, with
// the parent's full name in fio and the child's name in name (as in the
// public API's Lead).
type wireClient struct {
	ID       id    `json:"id"`
	Fio      text  `json:"fio"`
	Name     text  `json:"name"`
	Phone    text  `json:"phone"`
	Birthday stamp `json:"birthday"`
	Mail     text  `json:"mail"`
}

func (w wireClient) model() models.Client {
	c := models.Client{
		ID: string(w.ID), FirstName: strings.TrimSpace(string(w.Name)), Guardian: strings.TrimSpace(string(w.Fio)),
		Phone: strings.TrimSpace(string(w.Phone)), Email: strings.TrimSpace(string(w.Mail)),
		Deposit: models.Money{Currency: rub}, Debt: models.Money{Currency: rub},
	}
	if c.FirstName == "" {
		// No child's name: the client is the person in fio.
		c.FirstName, c.Guardian = c.Guardian, ""
	}
	if d, ok := w.Birthday.Date(); ok {
		c.Birthday = d
	}
	return c
}

// wireHour is a lesson of GET /hours (and inside client-hours).
type wireHour struct {
	ID          id        `json:"id"`
	Datetime    stamp     `json:"datetime"`
	Center      id        `json:"center"`
	Comment     text      `json:"comment"`
	Schedule    id        `json:"schedule"`
	Instructors staffList `json:"instructors"`
	// InstructorName is a name written beside the ids (assumption 14).
	InstructorName  text   `json:"instructorName"`
	Duration        number `json:"duration"`
	TypesExercise   id     `json:"typesExercise"`
	Service         id     `json:"service"`
	Version         number `json:"version"`
	Cnt             number `json:"cnt"`
	IsSigned        flag   `json:"isSigned"`
	CheckIndividual flag   `json:"checkIndividual"`
}

// staffList is an hour's instructors: a list of ids, or one id where a list
// was expected; an entry may also be an object with the id and a name
// ({"id": 11, "name": "Мария"}), whose name the hour then carries itself
// (assumption 14).
type staffList struct {
	IDs []id
	// Names are the names the hour itself gives, by id.
	Names map[string]string
}

// staffRef is an entry of an hour's instructors written as an object.
type staffRef struct {
	ID          id   `json:"id"`
	Name        text `json:"name"`
	DisplayName text `json:"displayName"`
	Fio         text `json:"fio"`
}

// UnmarshalJSON implements json.Unmarshaler.
func (l *staffList) UnmarshalJSON(b []byte) error {
	*l = staffList{}
	b = bytes.TrimSpace(b)
	if len(b) == 0 || string(b) == "null" {
		return nil
	}
	if b[0] != '[' {
		var one id
		_ = one.UnmarshalJSON(b)
		if one != "" {
			l.IDs = []id{one}
		}
		return nil
	}
	var raw []json.RawMessage
	if json.Unmarshal(b, &raw) != nil {
		return nil
	}
	for _, r := range raw {
		var v id
		if r = bytes.TrimSpace(r); len(r) > 0 && r[0] == '{' {
			var ref staffRef
			if json.Unmarshal(r, &ref) != nil {
				continue
			}
			v = ref.ID
			if name := strings.TrimSpace(string(first(ref.DisplayName, ref.Name, ref.Fio))); v != "" && name != "" {
				if l.Names == nil {
					l.Names = map[string]string{}
				}
				l.Names[string(v)] = name
			}
		} else {
			_ = v.UnmarshalJSON(r)
		}
		if v != "" {
			l.IDs = append(l.IDs, v)
		}
	}
	return nil
}

// hours is "hour" of a client-hour: the document shows a list of one hour;
// an object is read too.
type hours []wireHour

// UnmarshalJSON implements json.Unmarshaler.
func (h *hours) UnmarshalJSON(b []byte) error {
	*h = nil
	b = bytes.TrimSpace(b)
	if len(b) == 0 || string(b) == "null" {
		return nil
	}
	if b[0] == '{' {
		var one wireHour
		if json.Unmarshal(b, &one) == nil {
			*h = hours{one}
		}
		return nil
	}
	var list []wireHour
	if json.Unmarshal(b, &list) == nil {
		*h = list
	}
	return nil
}

// wireClientHour is a booking of GET /client-hours or the answer of POST
// /client-hours/. The document's entries do not say whose they are; when
// read for a whole center they are expected to carry clientId (or a client
// object) — assumption 8.
type wireClientHour struct {
	ID         id    `json:"id"`
	Individual flag  `json:"individual"`
	Trial      flag  `json:"trial"`
	Visited    text  `json:"visited"`
	Missed     text  `json:"missed"`
	Hour       hours `json:"hour"`
	ClientID   id    `json:"clientId"`
	ClientID2  id    `json:"client_id"`
	Client     *struct {
		ID    id   `json:"id"`
		Fio   text `json:"fio"`
		Name  text `json:"name"`
		Phone text `json:"phone"`
	} `json:"client"`
}

func (w wireClientHour) clientID() string {
	if w.Client != nil && w.Client.ID != "" {
		return string(w.Client.ID)
	}
	return string(first(w.ClientID, w.ClientID2))
}

// wirePlan is a season ticket for sale, GET /season-tickets.
type wirePlan struct {
	ID             id     `json:"id"`
	Name           text   `json:"name"`
	Common         flag   `json:"common"`
	NumberExercise number `json:"numberExercise"`
	Price          amount `json:"price"`
	Currency       text   `json:"currency"`
	Description    text   `json:"description"`
	Validity       number `json:"validity"`
	PeriodTypeID   number `json:"periodTypeId"`
	PeriodType     text   `json:"periodType"`
	ExerciseTypeID id     `json:"exerciseTypeId"`
	ExerciseType   text   `json:"exerciseType"`
	StartedTypeID  number `json:"startedTypeId"`
	StartedType    text   `json:"startedType"`
	Center         id     `json:"center"`
}

// period reads a validity in periodType's words (assumption 6): "Дней",
// "Недель", "Месяцев", "Лет"; an unknown word is read as days.
func period(n number, word text) (days, months int) {
	v := max(int(n), 1)
	w := strings.ToLower(string(word))
	switch {
	case strings.HasPrefix(w, "нед"):
		return 7 * v, 0
	case strings.HasPrefix(w, "мес"):
		return 0, v
	case strings.HasPrefix(w, "год"), strings.HasPrefix(w, "лет"):
		return 0, 12 * v
	}
	return v, 0
}

// startsOnVisit reads startedType: "С момента покупки" starts at once;
// one that speaks of a visit or a lesson starts on the first of them.
func startsOnVisit(t text) bool {
	w := strings.ToLower(string(t))
	return strings.Contains(w, "посещ") || strings.Contains(w, "заняти")
}

func (w wirePlan) plan() models.Plan {
	p := models.Plan{
		ID: string(w.ID), Name: strings.TrimSpace(string(w.Name)), Group: strings.TrimSpace(string(w.ExerciseType)),
		Price: w.Price.Known(currency(w.Currency)), Visits: int(w.NumberExercise), Description: strings.TrimSpace(string(w.Description)),
		StartsOnFirstVisit: startsOnVisit(w.StartedType),
	}
	p.Days, p.Months = period(w.Validity, w.PeriodType)
	return p
}

// wireTicket is a client's season ticket, GET /client-season-tickets.
type wireTicket struct {
	ID               id     `json:"id"`
	ClientID         id     `json:"clientId"`
	SeasonTicketID   id     `json:"seasonTicketId"`
	SeasonTicketName text   `json:"seasonTicketName"`
	ExerciseTypeID   id     `json:"exerciseTypeId"`
	ExerciseTypeName text   `json:"exerciseTypeName"`
	Price            amount `json:"price"`
	NumberExercise   number `json:"numberExercise"`
	StartedTypeID    number `json:"startedTypeId"`
	StartedTypeName  text   `json:"startedTypeName"`
	PeriodTypeID     number `json:"periodTypeId"`
	PeriodTypeName   text   `json:"periodTypeName"`
	BlockTypeID      number `json:"blockTypeId"`
	BlockTypeName    text   `json:"blockTypeName"`
	CreatedAt        stamp  `json:"createdAt"`
	Balance          count  `json:"balance"`
	Validity         number `json:"validity"`
	ValidityDate     stamp  `json:"validityDate"`
	ValidityDays     count  `json:"validityDays"`
}

// state reads blockTypeName (assumption 6): "Активный" is active, a
// freeze is frozen, anything else (blocked, closed) cannot be used.
func (w wireTicket) state() models.MembershipState {
	name := strings.ToLower(strings.TrimSpace(string(w.BlockTypeName)))
	switch {
	case strings.Contains(name, "неактив"), strings.Contains(name, "не актив"):
		return models.StateExpired
	case strings.Contains(name, "актив"):
		return models.StateActive
	case strings.Contains(name, "замор"):
		return models.StateFrozen
	case name == "" && (w.BlockTypeID == 1 || w.BlockTypeID == 0):
		return models.StateActive
	}
	return models.StateExpired
}

func (w wireTicket) membership(today models.Date) models.Membership {
	m := models.Membership{
		ID: string(w.ID), ClientID: string(w.ClientID), PlanID: string(w.SeasonTicketID),
		Title:       first(strings.TrimSpace(string(w.SeasonTicketName)), strings.TrimSpace(string(w.ExerciseTypeName))),
		VisitsTotal: int(w.NumberExercise), Unlimited: w.NumberExercise == 0,
		AmountDue: models.Money{Currency: rub}, State: w.state(),
	}
	if m.Title == "" {
		m.Title = "абонемент " + m.ID
	}
	if d, ok := w.ValidityDate.Date(); ok {
		m.End = d
	}
	if !startsOnVisit(w.StartedTypeName) {
		if d, ok := w.CreatedAt.Date(); ok {
			m.Start = d
		}
	}
	switch {
	case m.Unlimited:
	case w.Balance.OK:
		m.VisitsLeft = int(max(w.Balance.Value, 0))
	default:
		m.VisitsLeft = m.VisitsTotal
	}
	if m.State == models.StateActive && !m.Start.IsZero() && m.Start.After(today) {
		m.State = models.StateNotStarted
	}
	return m
}

// wireDebt is one of GET /debts: what is owed at a center.
type wireDebt struct {
	CenterID id     `json:"centerId"`
	City     id     `json:"city"`
	Address  text   `json:"address"`
	Money    amount `json:"money"`
	Currency text   `json:"currency"`
}

// wireCenter is a center of the public API.
type wireCenter struct {
	ID          id   `json:"id"`
	City        text `json:"city"`
	CityAlias   text `json:"cityAlias"`
	CenterAlias text `json:"centerAlias"`
	Address     text `json:"address"`
	Phone       text `json:"phone"`
	CityID      id   `json:"cityId"`
	Timezone    text `json:"timezone"`
	SiteStatus  flag `json:"siteStatus"`
}

// wireCity is a city of the public API.
type wireCity struct {
	ID   id   `json:"id"`
	Name text `json:"name"`
}

// wireUser is a member of staff, GET /users of the public API.
type wireUser struct {
	ID          id     `json:"id"`
	Login       text   `json:"login"`
	Name        text   `json:"name"`
	DisplayName text   `json:"displayName"`
	IsDisplay   flag   `json:"isDisplay"`
	Position    number `json:"position"`
	CenterID    id     `json:"centerId"`
}

// positionInstructor is /users' position of an instructor (2 is a
// director, 3 an administrator).
const positionInstructor = 4

// wireLead is the public API's Lead as POST /leads answers it.
type wireLead struct {
	ID       id    `json:"id"`
	Name     text  `json:"name"`
	Status   text  `json:"status"`
	Mail     text  `json:"mail"`
	CenterID id    `json:"center_id"`
	Phone    text  `json:"phone"`
	Fio      text  `json:"fio"`
	Birthday stamp `json:"birthday"`
	Comment  text  `json:"comment"`
}

// wirePayment is the answer of PUT /payments/.
type wirePayment struct {
	ErrorCode  text `json:"errorCode"`
	Error      text `json:"error"`
	PaymentURL text `json:"paymentUrl"`
	PaymentID  id   `json:"paymentId"`
	Status     text `json:"status"`
}

// wireTokens is the data of POST /auth/login.
type wireTokens struct {
	AccessToken  text `json:"accessToken"`
	RefreshToken text `json:"refreshToken"`
}
