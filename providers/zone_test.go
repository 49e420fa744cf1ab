package providers

import (
	"context"
	"errors"
	"testing"
	"time"
)

// zoned is an adapter built in a zone whose CRM tells another (or fails).
type zoned struct {
	Unsupported
	loc   *time.Location
	crm   string
	err   error
	asked *int
}

func (z zoned) Info() Info                 { return Info{Name: "zoned", Location: z.loc} }
func (z zoned) Capabilities() Capabilities { return Supports() }
func (z zoned) BranchZone(context.Context) (string, error) {
	*z.asked++
	return z.crm, z.err
}

type memory struct {
	name string
	at   time.Time
	kept int
}

func (m *memory) Recall() (string, time.Time) { return m.name, m.at }
func (m *memory) Keep(name string, at time.Time) error {
	m.name, m.at = name, at
	m.kept++
	return nil
}

var zoneNow = time.Date(2026, 11, 22, 6, 16, 0, 0, time.UTC)

func build(crm string, err error, asked *int, built *[]string) func(string) (Provider, error) {
	return func(tz string) (Provider, error) {
		*built = append(*built, tz)
		if tz == "" {
			tz = "Europe/Moscow" // the adapters' default
		}
		loc, lerr := time.LoadLocation(tz)
		if lerr != nil {
			return nil, lerr
		}
		return zoned{loc: loc, crm: crm, err: err, asked: asked}, nil
	}
}

// TestClubZoneFromTheCRM: a profile without timezone, the CRM's branch in
// Yekaterinburg: the desk counts in Yekaterinburg, the adapter is built in
// it, and the zone is kept for an offline start.
func TestClubZoneFromTheCRM(t *testing.T) {
	var asked int
	var built []string
	mem := &memory{}
	p, z, err := OpenInClubZone(context.Background(), ZoneSetup{Memory: mem, Now: func() time.Time { return zoneNow }},
		build("Asia/Yekaterinburg", nil, &asked, &built))
	if err != nil {
		t.Fatal(err)
	}
	if z.Name != "Asia/Yekaterinburg" || z.Source != ZoneCRM || asked != 1 {
		t.Fatalf("zone %+v, asked %d", z, asked)
	}
	if got := p.Info().Location.String(); got != "Asia/Yekaterinburg" {
		t.Fatalf("the adapter counts in %s", got)
	}
	if len(built) != 2 || built[0] != "" || built[1] != "Asia/Yekaterinburg" {
		t.Fatalf("built in %q", built)
	}
	if mem.name != "Asia/Yekaterinburg" || mem.kept != 1 {
		t.Fatalf("kept %+v", mem)
	}
	if got := zoneNow.In(z.Location).Format("15:04"); got != "11:16" {
		t.Fatalf("the club's clock reads %s", got)
	}

	// Next start within the day: the remembered zone, no question asked,
	// one build.
	asked, built = 0, nil
	_, z, _ = OpenInClubZone(context.Background(), ZoneSetup{Memory: mem, Now: func() time.Time { return zoneNow.Add(time.Hour) }},
		build("Asia/Yekaterinburg", nil, &asked, &built))
	if z.Source != ZoneRemembered || z.Name != "Asia/Yekaterinburg" || asked != 0 || len(built) != 1 {
		t.Fatalf("second start: %+v, asked %d, built %q", z, asked, built)
	}

	// An offline start a week later: the CRM does not answer, the
	// remembered zone stands.
	asked, built = 0, nil
	down := &Error{Kind: ErrUnavailable, Op: "branch zone"}
	p, z, _ = OpenInClubZone(context.Background(), ZoneSetup{Memory: mem, Now: func() time.Time { return zoneNow.AddDate(0, 0, 7) }},
		build("", down, &asked, &built))
	if z.Source != ZoneRemembered || z.Name != "Asia/Yekaterinburg" || asked != 1 || !errors.Is(z.CRMErr, ErrUnavailable) {
		t.Fatalf("offline start: %+v, asked %d", z, asked)
	}
	if p.Info().Location.String() != "Asia/Yekaterinburg" {
		t.Fatal("offline start: the adapter is not in the remembered zone")
	}
}

// TestClubZoneProfileWins: the profile's zone is taken without asking; the
// doctor asks and says whether the two disagree.
func TestClubZoneProfileWins(t *testing.T) {
	var asked int
	var built []string
	_, z, _ := OpenInClubZone(context.Background(), ZoneSetup{Profile: "Europe/Moscow"}, build("Asia/Yekaterinburg", nil, &asked, &built))
	if z.Source != ZoneProfile || z.Name != "Europe/Moscow" || asked != 0 || z.Disagrees() {
		t.Fatalf("%+v asked %d", z, asked)
	}
	p, _ := build("Asia/Yekaterinburg", nil, &asked, &built)("Europe/Moscow")
	z = ClubZone(context.Background(), p, ZoneSetup{Profile: "Europe/Moscow", AskAlways: true})
	if !z.Disagrees() || z.CRM != "Asia/Yekaterinburg" || z.Name != "Europe/Moscow" {
		t.Fatalf("doctor: %+v", z)
	}
	z = ClubZone(context.Background(), p, ZoneSetup{Profile: "Asia/Yekaterinburg", AskAlways: true})
	if z.Disagrees() {
		t.Fatal("agreeing zones disagree")
	}
	z = ClubZone(context.Background(), p, ZoneSetup{Profile: "Asia/Omsk", AskAlways: true})
	if z.Disagrees() != !SameZone("Asia/Omsk", "Asia/Yekaterinburg", time.Now()) {
		t.Fatal("Disagrees and SameZone differ")
	}
}

// TestClubZoneDefaultAndNonsense: a CRM that says nothing, or a name that is
// no zone, leaves the adapter's default, and the reason.
func TestClubZoneDefaultAndNonsense(t *testing.T) {
	var asked int
	var built []string
	mem := &memory{}
	_, z, _ := OpenInClubZone(context.Background(), ZoneSetup{Memory: mem}, build("", nil, &asked, &built))
	if z.Source != ZoneDefault || z.Name != "Europe/Moscow" || mem.kept != 0 || len(built) != 1 {
		t.Fatalf("%+v kept %d built %q", z, mem.kept, built)
	}
	_, z, _ = OpenInClubZone(context.Background(), ZoneSetup{Memory: mem}, build("Mars/Olympus", nil, &asked, &built))
	if z.Source != ZoneDefault || !errors.Is(z.CRMErr, ErrNoSuchZone) || mem.kept != 0 {
		t.Fatalf("%+v", z)
	}
	if w := z.Words("LuckyFit"); w.RU == "" || w.EN == "" {
		t.Fatal("no words")
	}
}

func TestSameZone(t *testing.T) {
	if !SameZone("Europe/Moscow", "W-SU", zoneNow) || SameZone("Europe/Moscow", "Asia/Yekaterinburg", zoneNow) || SameZone("x", "y", zoneNow) {
		t.Fatal("SameZone")
	}
}
