package demo

import (
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/clubdesk/clubdesk/models"
	"github.com/clubdesk/clubdesk/providers"
)

func TestClientBase(t *testing.T) {
	c := newClub(t, testNow, nil)
	if n := len(c.all()); n < DefaultClients {
		t.Fatalf("%d clients, want at least %d", n, DefaultClients)
	}
	phones := map[string]string{}
	cards := map[string]string{}
	withCard, kids := 0, 0
	femaleFirst := map[string]bool{}
	for _, n := range femaleNamesRaw {
		femaleFirst[n] = true
	}
	for _, cl := range c.all() {
		d := models.PhoneDigits(cl.Phone)
		if len(d) != 11 || d[:2] != "79" || !strings.HasPrefix(cl.Phone, "+7 9") {
			t.Fatalf("%s: phone %q is not +7 9XX XXX-XX-XX", cl.ID, cl.Phone)
		}
		if other, dup := phones[d]; dup {
			t.Fatalf("%s and %s share phone %s", cl.ID, other, cl.Phone)
		}
		phones[d] = cl.ID
		for _, tag := range cl.Cards {
			v, err := strconv.ParseUint(tag, 10, 64)
			if len(tag) != 10 || err != nil || v >= 1<<32 {
				t.Fatalf("%s: card %q is not DEC10", cl.ID, tag)
			}
			if other, dup := cards[tag]; dup {
				t.Fatalf("%s and %s share card %s", cl.ID, other, tag)
			}
			cards[tag] = cl.ID
		}
		if len(cl.Cards) > 0 {
			withCard++
		}
		if cl.Email != "" && (strings.ToLower(cl.Email) != cl.Email || !strings.Contains(cl.Email, "@") ||
			strings.IndexFunc(cl.Email, func(r rune) bool { return r > unicode.MaxASCII }) >= 0) {
			t.Fatalf("%s: e-mail %q", cl.ID, cl.Email)
		}
		age := refYear - cl.Birthday.Year
		if age < 4 || age > 77 {
			t.Fatalf("%s: born %s", cl.ID, cl.Birthday)
		}
		if cl.kid {
			kids++
			if age > 15 {
				t.Fatalf("%s: a child born %s", cl.ID, cl.Birthday)
			}
		}
		// Gendered forms agree: a woman is Смирнова Анна Сергеевна.
		if cl.gen >= 0 {
			female := femaleFirst[cl.FirstName]
			if female != strings.HasSuffix(cl.MiddleName, "на") {
				t.Fatalf("%s: %s has the wrong patronymic", cl.ID, cl.FullName())
			}
			if masc := strings.HasSuffix(cl.LastName, "ов") || strings.HasSuffix(cl.LastName, "ский"); female && masc {
				t.Fatalf("%s: %s has a masculine surname", cl.ID, cl.FullName())
			}
			if fem := strings.HasSuffix(cl.LastName, "ова") || strings.HasSuffix(cl.LastName, "ская"); !female && fem {
				t.Fatalf("%s: %s has a feminine surname", cl.ID, cl.FullName())
			}
		}
	}
	if share := float64(withCard) / float64(len(c.all())); share < 0.8 || share > 0.9 {
		t.Errorf("%.0f%% of clients have a card, want about 85%%", share*100)
	}
	if kids < len(c.all())/20 {
		t.Errorf("only %d children", kids)
	}
	// The bigger club the benchmarks ask for keeps the same first clients.
	big := newClub(t, testNow, map[string]any{"clients": 10000})
	if len(big.all()) != 10000+len(showcase) || big.all()[500].FullName() != c.all()[500].FullName() {
		t.Error("a 10,000-client club does not extend the default one")
	}
}

func TestFeminine(t *testing.T) {
	for m, f := range map[string]string{"Иванов": "Иванова", "Смирнов": "Смирнова", "Соловьёв": "Соловьёва",
		"Ильин": "Ильина", "Островский": "Островская", "Высоцкий": "Высоцкая", "Толстой": "Толстая",
		"Рыжий": "Рыжая", "Ким": "Ким", "Шевченко": "Шевченко", "Мельник": "Мельник"} {
		if got := feminine(m); got != f {
			t.Errorf("feminine(%s) = %s, want %s", m, got, f)
		}
	}
	if got := translit("Юлия Щербакова"); got != "yuliya shcherbakova" {
		t.Errorf("translit = %q", got)
	}
}

// judge is the verdict the desk shows for a client at now.
func judge(t *testing.T, c *Club, id string, now time.Time) models.Verdict {
	t.Helper()
	cl, err := c.Client(bg, id)
	if err != nil {
		t.Fatal(err)
	}
	ms, _ := c.Memberships(bg, id)
	vs, _ := c.Visits(bg, id, now.Add(-48*time.Hour))
	return models.Judge(models.VerdictInput{Client: cl, Memberships: ms, Visits: vs, Now: now, Location: moscow})
}

func codes(v models.Verdict) []models.ReasonCode {
	var out []models.ReasonCode
	for _, r := range v.Reasons {
		out = append(out, r.Code)
	}
	return out
}

func TestShowcaseVerdicts(t *testing.T) {
	cases := []struct {
		id    string
		name  string
		level models.Level
		codes []models.ReasonCode
	}{
		{idGreen, "Зеленина Ольга Сергеевна", models.Green, []models.ReasonCode{models.ReasonActive}},
		{idExpired, "Старостин Павел Игоревич", models.Red, []models.ReasonCode{models.ReasonExpired}},
		{idFrozen, "Морозова Елена Викторовна", models.Red, []models.ReasonCode{models.ReasonFrozen}},
		{idDebt, "Должиков Игорь Петрович", models.Red, []models.ReasonCode{models.ReasonDebt, models.ReasonActive}},
		{idBlocked, "Блохин Андрей Николаевич", models.Red, []models.ReasonCode{models.ReasonBlocked, models.ReasonActive}},
		{idBirthday, "Праздникова Алина Дмитриевна", models.Yellow, []models.ReasonCode{models.ReasonBirthday, models.ReasonActive}},
		{idNote, "Письменная Вера Андреевна", models.Yellow, []models.ReasonCode{models.ReasonNote, models.ReasonActive}},
		{idLastVisit, "Крайнев Денис Олегович", models.Yellow, []models.ReasonCode{models.ReasonEndsSoon, models.ReasonLastVisit, models.ReasonActive}},
		{idKid, "Малышев Тимофей Алексеевич", models.Green, []models.ReasonCode{models.ReasonActive}},
		{idNew, "Новосёлов Кирилл Андреевич", models.Red, []models.ReasonCode{models.ReasonNoMembership}},
		{idCheckedIn, "Пришвина Дарья Михайловна", models.Yellow, []models.ReasonCode{models.ReasonCheckedIn, models.ReasonActive}},
		{idNoVisits, "Пустовойт Марина Юрьевна", models.Red, []models.ReasonCode{models.ReasonNoVisits}},
		{idNotStarted, "Погодин Станислав Евгеньевич", models.Red, []models.ReasonCode{models.ReasonNotYetStarted}},
	}
	// The showcase shows the same on any day, leap days and year ends included.
	for _, now := range []time.Time{testNow, time.Date(2028, 2, 29, 8, 30, 0, 0, moscow),
		time.Date(2026, 12, 31, 23, 50, 0, 0, moscow), time.Date(2027, 1, 1, 0, 5, 0, 0, moscow),
		time.Date(2026, 11, 22, 20, 15, 0, 0, moscow)} {
		c := newClub(t, now, map[string]any{"clients": 300})
		for _, tc := range cases {
			v := judge(t, c, tc.id, now)
			cl, _ := c.Client(bg, tc.id)
			if cl.FullName() != tc.name {
				t.Errorf("%s is %s, want %s", tc.id, cl.FullName(), tc.name)
			}
			got := codes(v)
			if v.Level != tc.level || !sameCodes(got, tc.codes) {
				t.Errorf("%s %s on %s: level %d reasons %v, want level %d reasons %v",
					tc.id, tc.name, now.Format(time.DateTime), v.Level, got, tc.level, tc.codes)
			}
		}
		v := judge(t, c, idCheckedIn, now)
		if v.Reasons[0].Since != 12*time.Minute && now.Hour() > 0 {
			t.Errorf("Пришвина checked in %v ago, want 12m", v.Reasons[0].Since)
		}
		v = judge(t, c, idDebt, now)
		if v.Reasons[0].Amount != rub(2500) {
			t.Errorf("Должиков owes %v, want 2 500 ₽", v.Reasons[0].Amount)
		}
	}
}

func sameCodes(a, b []models.ReasonCode) bool {
	if len(a) != len(b) {
		return false
	}
	seen := map[models.ReasonCode]int{}
	for _, x := range a {
		seen[x]++
	}
	for _, x := range b {
		seen[x]--
	}
	for _, n := range seen {
		if n != 0 {
			return false
		}
	}
	return true
}

func TestShowcaseCards(t *testing.T) {
	c := newClub(t, testNow, nil)
	for _, raw := range []string{"0040856634", "01026F6C3A", "026F6C3A", "07302202", "111,27706", "40856634", "01026а6с3ф", " 0040856634 "} {
		cl, err := c.ClientByCard(bg, raw)
		if err != nil || cl.ID != idGreen {
			t.Errorf("ClientByCard(%q) = %s %s, %v; want Зеленина", raw, cl.ID, cl.ShortName(), err)
		}
	}
	// Every showcase card, in every format a reader may send, finds its owner.
	for i, s := range showcase {
		if s.card == "" {
			continue
		}
		for _, f := range models.TagFormats {
			tag, err := models.NormalizeTag(s.card, f)
			if err != nil {
				t.Fatal(err)
			}
			cl, err := c.ClientByCard(bg, tag)
			if want := strconv.Itoa(firstShowcaseID + i); err != nil || cl.ID != want {
				t.Errorf("card %s as %s (%s): %s, %v; want %s", s.card, f, tag, cl.ID, err, want)
			}
		}
	}
	// So does a generated client's card.
	gen := c.all()[len(showcase)+7]
	for len(gen.Cards) == 0 {
		gen = c.all()[gen.idx+1]
	}
	tag, _ := models.NormalizeTag(gen.Cards[0], models.TagEMMarine)
	if cl, err := c.ClientByCard(bg, tag); err != nil || cl.ID != gen.ID {
		t.Errorf("card %s as %s: %s, %v; want %s", gen.Cards[0], tag, cl.ID, err, gen.ID)
	}
	for _, unknown := range []string{"0000000001", "хлеб", ""} {
		_, err := c.ClientByCard(bg, unknown)
		if unknown == "0000000001" {
			wantKind(t, err, providers.ErrNotFound)
		} else if err == nil {
			t.Errorf("ClientByCard(%q) found someone", unknown)
		}
	}
}

func TestUnknownIDs(t *testing.T) {
	c := newClub(t, testNow, map[string]any{"clients": 200})
	for _, id := range []string{"", "1", "10000", "10014", "10100", "99999", "010001", "abc", "10001 "} {
		_, err := c.Client(bg, id)
		wantKind(t, err, providers.ErrNotFound)
		_, err = c.Memberships(bg, id)
		wantKind(t, err, providers.ErrNotFound)
	}
	if _, err := c.Client(bg, c.all()[len(c.all())-1].ID); err != nil {
		t.Errorf("the last generated client: %v", err)
	}
}

func TestHistory(t *testing.T) {
	c := newClub(t, testNow, map[string]any{"clients": 2000})
	today := models.DateOf(testNow, moscow)
	states := map[models.MembershipState]int{}
	debt, green := 0, 0
	for _, cl := range c.all()[len(showcase):] {
		ms, _ := c.Memberships(bg, cl.ID)
		vs, _ := c.Visits(bg, cl.ID, time.Time{})
		for i := 1; i < len(vs); i++ {
			if vs[i].At.After(vs[i-1].At) {
				t.Fatalf("%s: visits not newest first", cl.ID)
			}
		}
		for _, v := range vs {
			if v.At.After(testNow) {
				t.Fatalf("%s: a visit at %v, after now", cl.ID, v.At)
			}
		}
		for _, m := range ms {
			states[m.EffectiveState(today)]++
			if m.AmountDue.IsPositive() {
				debt++
			}
			if m.VisitsLeft < 0 || m.VisitsLeft > m.VisitsTotal {
				t.Fatalf("%s: membership %+v", cl.ID, m)
			}
		}
		if v := judge(t, c, cl.ID, testNow); v.Level == models.Green {
			green++
		}
	}
	n := len(c.all()) - len(showcase)
	if states[models.StateActive] < n/2 || states[models.StateExpired] < n/5 ||
		states[models.StateFrozen] == 0 || states[models.StateNotStarted] == 0 || debt == 0 {
		t.Errorf("membership mix %v, %d with debt", states, debt)
	}
	if green < n/2 {
		t.Errorf("only %d of %d clients may come in", green, n)
	}
}

// A million clients generate: cards stop at maxCards (each still told from
// every other in every format), the last client is whole and found.
func TestAMillionClients(t *testing.T) {
	if testing.Short() {
		t.Skip("a million clients in -short mode")
	}
	c := newClub(t, testNow, map[string]any{"clients": 1_000_000})
	cards := 0
	for _, g := range c.gen {
		if g.flags&genHasCard != 0 {
			cards++
		}
	}
	if cards != maxCards {
		t.Fatalf("%d generated cards; want %d", cards, maxCards)
	}
	last := c.idOf(len(c.clients) - 1)
	cl, err := c.Client(bg, itoa(last))
	if err != nil || cl.LastName == "" || len(cl.Cards) != 0 || len(models.PhoneDigits(cl.Phone)) != 11 {
		t.Fatalf("the last client: %+v, %v", cl, err)
	}
	found, _ := c.SearchClients(bg, cl.Phone, 5)
	if len(found) != 1 || found[0].ID != cl.ID {
		t.Fatalf("%s by phone: %v", cl.Phone, ids(found))
	}
	// A card from before the cap is found in its other formats.
	var holder *client
	for ci := len(c.clients) / 4; holder == nil; ci++ {
		if cl := c.client(int32(ci)); len(cl.Cards) > 0 {
			holder = cl
		}
	}
	tag, _ := models.NormalizeTag(holder.Cards[0], models.TagEMMarine)
	if got, err := c.ClientByCard(bg, tag); err != nil || got.ID != holder.ID {
		t.Fatalf("card %s as %s: %s, %v", holder.Cards[0], tag, got.ID, err)
	}
}
