package models

import (
	"reflect"
	"slices"
	"testing"
	"time"
)

func TestJudge(t *testing.T) {
	msk := mustZone(t, "Europe/Moscow")
	now := time.Date(2026, 3, 10, 12, 0, 0, 0, msk) // today in the club is day0
	// 22:30 UTC on 10 March: still the 10th in UTC, already the 11th in Moscow.
	lateUTC := time.Date(2026, 3, 10, 22, 30, 0, 0, time.UTC)

	gym := Membership{ID: "gym", Title: "Gym 12", State: StateActive,
		Start: day0.AddDays(-10), End: day0.AddDays(20), VisitsLeft: 5, VisitsTotal: 12}
	with := func(m Membership, f func(*Membership)) Membership { f(&m); return m }
	open := Membership{ID: "open", State: StateActive, Start: Date{2020, 1, 1}, Unlimited: true}
	ms := func(m ...Membership) []Membership { return m }
	visitsAt := func(at ...time.Time) []Visit {
		var vs []Visit
		for _, a := range at {
			vs = append(vs, Visit{ClientID: "c1", At: a})
		}
		return vs
	}

	type check func(t *testing.T, v Verdict)
	reason := func(t *testing.T, v Verdict, code ReasonCode) Reason {
		t.Helper()
		for _, r := range v.Reasons {
			if r.Code == code {
				return r
			}
		}
		t.Fatalf("no reason %v in %+v", code, v.Reasons)
		return Reason{}
	}
	wantReason := func(want Reason) check {
		return func(t *testing.T, v Verdict) {
			t.Helper()
			if got := reason(t, v, want.Code); !reflect.DeepEqual(got, want) {
				t.Errorf("reason %v = %+v, want %+v", want.Code, got, want)
			}
		}
	}

	cases := []struct {
		name   string
		in     VerdictInput // Now defaults to now, Location to Moscow
		level  Level
		codes  []ReasonCode
		use    string // ID of the membership used, "" for none
		checks []check
	}{
		{
			name:  "all clear",
			in:    VerdictInput{Memberships: ms(gym)},
			level: Green, codes: []ReasonCode{ReasonActive}, use: "gym",
			checks: []check{wantReason(Reason{Code: ReasonActive, Level: Green, Date: gym.End, Visits: 5})},
		},
		{
			name: "unlimited",
			in: VerdictInput{Memberships: ms(with(gym, func(m *Membership) {
				m.Unlimited, m.VisitsLeft = true, 0
			}))},
			level: Green, codes: []ReasonCode{ReasonActive}, use: "gym",
			checks: []check{wantReason(Reason{Code: ReasonActive, Level: Green, Date: gym.End, Visits: -1})},
		},
		{
			name:  "starts on first visit",
			in:    VerdictInput{Memberships: ms(Membership{ID: "trial", State: StateNotStarted, VisitsLeft: 8})},
			level: Green, codes: []ReasonCode{ReasonActive}, use: "trial",
		},
		{
			name:  "blocked",
			in:    VerdictInput{Client: Client{Blocked: true, BlockReason: "lost card"}, Memberships: ms(gym)},
			level: Red, codes: []ReasonCode{ReasonBlocked, ReasonActive}, use: "gym",
			checks: []check{wantReason(Reason{Code: ReasonBlocked, Level: Red, Text: "lost card"})},
		},
		{
			name:  "debt on the client",
			in:    VerdictInput{Client: Client{Debt: rub(50000)}, Memberships: ms(gym)},
			level: Red, codes: []ReasonCode{ReasonDebt, ReasonActive}, use: "gym",
			checks: []check{wantReason(Reason{Code: ReasonDebt, Level: Red, Amount: rub(50000)})},
		},
		{
			name:  "debt on a membership",
			in:    VerdictInput{Memberships: ms(with(gym, func(m *Membership) { m.AmountDue = rub(30000) }))},
			level: Red, codes: []ReasonCode{ReasonDebt, ReasonActive}, use: "gym",
			checks: []check{wantReason(Reason{Code: ReasonDebt, Level: Red, Amount: rub(30000)})},
		},
		{
			name: "debts add up, an expired membership's included",
			in: VerdictInput{
				Client: Client{Debt: Money{Minor: 20000}},
				Memberships: ms(
					with(gym, func(m *Membership) { m.AmountDue = rub(30000) }),
					Membership{ID: "old", State: StateExpired, End: day0.AddMonths(-2), AmountDue: rub(10000)},
				),
			},
			level: Red, codes: []ReasonCode{ReasonDebt, ReasonActive}, use: "gym",
			checks: []check{wantReason(Reason{Code: ReasonDebt, Level: Red, Amount: rub(60000)})},
		},
		{
			name:  "zero debt says nothing",
			in:    VerdictInput{Client: Client{Debt: rub(0)}, Memberships: ms(with(gym, func(m *Membership) { m.AmountDue = rub(0) }))},
			level: Green, codes: []ReasonCode{ReasonActive}, use: "gym",
		},
		{
			name:  "no membership",
			in:    VerdictInput{},
			level: Red, codes: []ReasonCode{ReasonNoMembership},
		},
		{
			name:  "expired: provider still says active",
			in:    VerdictInput{Memberships: ms(with(gym, func(m *Membership) { m.End = day0.AddDays(-1) }))},
			level: Red, codes: []ReasonCode{ReasonExpired},
			checks: []check{wantReason(Reason{Code: ReasonExpired, Level: Red, Date: day0.AddDays(-1), Text: "Gym 12"})},
		},
		{
			name: "expired: the latest ending one speaks",
			in: VerdictInput{Memberships: ms(
				Membership{Title: "older", State: StateExpired, End: day0.AddMonths(-6)},
				Membership{Title: "recent", State: StateExpired, End: day0.AddDays(-3)},
				Membership{Title: "old", State: StateActive, End: day0.AddMonths(-1), VisitsLeft: 3},
			)},
			level: Red, codes: []ReasonCode{ReasonExpired},
			checks: []check{wantReason(Reason{Code: ReasonExpired, Level: Red, Date: day0.AddDays(-3), Text: "recent"})},
		},
		{
			name: "frozen",
			in: VerdictInput{Memberships: ms(with(gym, func(m *Membership) {
				m.State, m.FrozenUntil = StateFrozen, day0.AddDays(7)
			}))},
			level: Red, codes: []ReasonCode{ReasonFrozen},
			checks: []check{wantReason(Reason{Code: ReasonFrozen, Level: Red, Date: day0.AddDays(7), Text: "Gym 12"})},
		},
		{
			name: "frozen explains more than an expired one",
			in: VerdictInput{Memberships: ms(
				Membership{Title: "old", State: StateExpired, End: day0.AddDays(-1)},
				with(gym, func(m *Membership) { m.State, m.FrozenUntil = StateFrozen, day0 }),
			)},
			level: Red, codes: []ReasonCode{ReasonFrozen},
		},
		{
			name: "frozen until yesterday is usable again",
			in: VerdictInput{Memberships: ms(with(gym, func(m *Membership) {
				m.State, m.FrozenUntil = StateFrozen, day0.AddDays(-1)
			}))},
			level: Green, codes: []ReasonCode{ReasonActive}, use: "gym",
		},
		{
			name: "frozen until last week, ended yesterday",
			in: VerdictInput{Memberships: ms(with(gym, func(m *Membership) {
				m.State, m.FrozenUntil, m.End = StateFrozen, day0.AddDays(-7), day0.AddDays(-1)
			}))},
			level: Red, codes: []ReasonCode{ReasonExpired},
			checks: []check{wantReason(Reason{Code: ReasonExpired, Level: Red, Date: day0.AddDays(-1), Text: "Gym 12"})},
		},
		{
			name:  "no visits left",
			in:    VerdictInput{Memberships: ms(with(gym, func(m *Membership) { m.VisitsLeft = 0 }))},
			level: Red, codes: []ReasonCode{ReasonNoVisits},
			checks: []check{wantReason(Reason{Code: ReasonNoVisits, Level: Red, Text: "Gym 12"})},
		},
		{
			name: "not yet started",
			in: VerdictInput{Memberships: ms(with(gym, func(m *Membership) {
				m.State, m.Start = StateNotStarted, day0.AddDays(2)
			}))},
			level: Red, codes: []ReasonCode{ReasonNotYetStarted},
			checks: []check{wantReason(Reason{Code: ReasonNotYetStarted, Level: Red, Date: day0.AddDays(2), Text: "Gym 12"})},
		},
		{
			name:  "active with a future start",
			in:    VerdictInput{Memberships: ms(with(gym, func(m *Membership) { m.Start = day0.AddDays(1) }))},
			level: Red, codes: []ReasonCode{ReasonNotYetStarted},
			checks: []check{wantReason(Reason{Code: ReasonNotYetStarted, Level: Red, Date: day0.AddDays(1), Text: "Gym 12"})},
		},
		{
			name:  "ends today",
			in:    VerdictInput{Memberships: ms(with(gym, func(m *Membership) { m.End = day0 }))},
			level: Yellow, codes: []ReasonCode{ReasonEndsSoon, ReasonActive}, use: "gym",
			checks: []check{wantReason(Reason{Code: ReasonEndsSoon, Level: Yellow, Date: day0, Days: 0})},
		},
		{
			name:  "ends in 2 days",
			in:    VerdictInput{Memberships: ms(with(gym, func(m *Membership) { m.End = day0.AddDays(2) }))},
			level: Yellow, codes: []ReasonCode{ReasonEndsSoon, ReasonActive}, use: "gym",
			checks: []check{wantReason(Reason{Code: ReasonEndsSoon, Level: Yellow, Date: day0.AddDays(2), Days: 2})},
		},
		{
			name:  "ends in 3 days is not soon",
			in:    VerdictInput{Memberships: ms(with(gym, func(m *Membership) { m.End = day0.AddDays(3) }))},
			level: Green, codes: []ReasonCode{ReasonActive}, use: "gym",
		},
		{
			name:  "open-ended never ends soon",
			in:    VerdictInput{Memberships: ms(with(gym, func(m *Membership) { m.End = Date{} }))},
			level: Green, codes: []ReasonCode{ReasonActive}, use: "gym",
		},
		{
			name:  "last visit",
			in:    VerdictInput{Memberships: ms(with(gym, func(m *Membership) { m.VisitsLeft = 1 }))},
			level: Yellow, codes: []ReasonCode{ReasonLastVisit, ReasonActive}, use: "gym",
			checks: []check{wantReason(Reason{Code: ReasonLastVisit, Level: Yellow, Visits: 1})},
		},
		{
			name:  "two visits left is not the last",
			in:    VerdictInput{Memberships: ms(with(gym, func(m *Membership) { m.VisitsLeft = 2 }))},
			level: Green, codes: []ReasonCode{ReasonActive}, use: "gym",
		},
		{
			name: "unlimited has no last visit",
			in: VerdictInput{Memberships: ms(with(gym, func(m *Membership) {
				m.Unlimited, m.VisitsLeft = true, 1
			}))},
			level: Green, codes: []ReasonCode{ReasonActive}, use: "gym",
		},
		{
			name: "ends tomorrow on its last visit",
			in: VerdictInput{Memberships: ms(with(gym, func(m *Membership) {
				m.End, m.VisitsLeft = day0.AddDays(1), 1
			}))},
			level: Yellow, codes: []ReasonCode{ReasonEndsSoon, ReasonLastVisit, ReasonActive}, use: "gym",
		},
		{
			name:  "birthday today",
			in:    VerdictInput{Client: Client{Birthday: Date{1990, 3, 10}}, Memberships: ms(gym)},
			level: Yellow, codes: []ReasonCode{ReasonBirthday, ReasonActive}, use: "gym",
		},
		{
			name:  "birthday tomorrow",
			in:    VerdictInput{Client: Client{Birthday: Date{1990, 3, 11}}, Memberships: ms(gym)},
			level: Green, codes: []ReasonCode{ReasonActive}, use: "gym",
		},
		{
			name: "birthday today in the club while it is still yesterday in UTC",
			in: VerdictInput{Client: Client{Birthday: Date{1990, 3, 11}}, Memberships: ms(gym),
				Now: lateUTC, Location: msk},
			level: Yellow, codes: []ReasonCode{ReasonBirthday, ReasonActive}, use: "gym",
		},
		{
			name: "same instant judged in UTC: no birthday yet",
			in: VerdictInput{Client: Client{Birthday: Date{1990, 3, 11}}, Memberships: ms(gym),
				Now: lateUTC, Location: time.UTC},
			level: Green, codes: []ReasonCode{ReasonActive}, use: "gym",
		},
		{
			name: "29 February birthday on 28 February of a common year",
			in: VerdictInput{Client: Client{Birthday: Date{2000, 2, 29}}, Memberships: ms(open),
				Now: time.Date(2027, 2, 28, 10, 0, 0, 0, msk)},
			level: Yellow, codes: []ReasonCode{ReasonBirthday, ReasonActive}, use: "open",
		},
		{
			name: "29 February birthday not on 28 February of a leap year",
			in: VerdictInput{Client: Client{Birthday: Date{2000, 2, 29}}, Memberships: ms(open),
				Now: time.Date(2028, 2, 28, 10, 0, 0, 0, msk)},
			level: Green, codes: []ReasonCode{ReasonActive}, use: "open",
		},
		{
			name:  "note",
			in:    VerdictInput{Client: Client{Note: "ask for the medical certificate"}, Memberships: ms(gym)},
			level: Yellow, codes: []ReasonCode{ReasonNote, ReasonActive}, use: "gym",
			checks: []check{wantReason(Reason{Code: ReasonNote, Level: Yellow, Text: "ask for the medical certificate"})},
		},
		{
			name:  "checked in 12 minutes ago",
			in:    VerdictInput{Memberships: ms(gym), Visits: visitsAt(now.Add(-12*time.Minute - 40*time.Second))},
			level: Yellow, codes: []ReasonCode{ReasonCheckedIn, ReasonActive}, use: "gym",
			checks: []check{
				wantReason(Reason{Code: ReasonCheckedIn, Level: Yellow, Since: 12 * time.Minute}),
				func(t *testing.T, v Verdict) {
					if want := now.Add(-12*time.Minute - 40*time.Second); !v.LastCheckIn.Equal(want) {
						t.Errorf("LastCheckIn = %v, want %v", v.LastCheckIn, want)
					}
				},
			},
		},
		{
			name:  "checked in 5 hours ago",
			in:    VerdictInput{Memberships: ms(gym), Visits: visitsAt(now.Add(-5 * time.Hour))},
			level: Green, codes: []ReasonCode{ReasonActive, ReasonCheckedIn}, use: "gym",
			checks: []check{wantReason(Reason{Code: ReasonCheckedIn, Level: Green, Since: 5 * time.Hour})},
		},
		{
			name:  "checked in exactly 3 hours ago is still questioned",
			in:    VerdictInput{Memberships: ms(gym), Visits: visitsAt(now.Add(-RecentCheckIn))},
			level: Yellow, codes: []ReasonCode{ReasonCheckedIn, ReasonActive}, use: "gym",
			checks: []check{wantReason(Reason{Code: ReasonCheckedIn, Level: Yellow, Since: 3 * time.Hour})},
		},
		{
			name:  "the latest of today's visits counts",
			in:    VerdictInput{Memberships: ms(gym), Visits: visitsAt(now.Add(-5*time.Hour), now.Add(-12*time.Minute), now.Add(-2*time.Hour))},
			level: Yellow, codes: []ReasonCode{ReasonCheckedIn, ReasonActive}, use: "gym",
			checks: []check{wantReason(Reason{Code: ReasonCheckedIn, Level: Yellow, Since: 12 * time.Minute})},
		},
		{
			name: "yesterday evening's visit does not count after midnight",
			in: VerdictInput{Memberships: ms(gym), Now: time.Date(2026, 3, 10, 0, 10, 0, 0, msk),
				Visits: visitsAt(time.Date(2026, 3, 9, 23, 50, 0, 0, msk))},
			level: Green, codes: []ReasonCode{ReasonActive}, use: "gym",
			checks: []check{func(t *testing.T, v Verdict) {
				if !v.LastCheckIn.IsZero() {
					t.Errorf("LastCheckIn = %v, want zero", v.LastCheckIn)
				}
			}},
		},
		{
			name:  "a visit stamped a few seconds ahead (clock skew) counts",
			in:    VerdictInput{Memberships: ms(gym), Visits: visitsAt(now.Add(30 * time.Second))},
			level: Yellow, codes: []ReasonCode{ReasonCheckedIn, ReasonActive}, use: "gym",
		},
		{
			name:  "a visit in the future does not count",
			in:    VerdictInput{Memberships: ms(gym), Visits: visitsAt(now.Add(2 * time.Hour))},
			level: Green, codes: []ReasonCode{ReasonActive}, use: "gym",
		},
		{
			name: "visits are grouped by the club's day, not UTC's",
			in: VerdictInput{Memberships: ms(gym), Now: lateUTC, Location: msk, Visits: visitsAt(
				time.Date(2026, 3, 10, 20, 50, 0, 0, time.UTC), // 23:50 on the 10th in Moscow: yesterday
				time.Date(2026, 3, 10, 22, 10, 0, 0, time.UTC), // 01:10 on the 11th in Moscow: today
			)},
			level: Yellow, codes: []ReasonCode{ReasonCheckedIn, ReasonActive}, use: "gym",
			checks: []check{wantReason(Reason{Code: ReasonCheckedIn, Level: Yellow, Since: 20 * time.Minute})},
		},
		{
			name: "only yesterday's visit in the club's day",
			in: VerdictInput{Memberships: ms(gym), Now: lateUTC, Location: msk, Visits: visitsAt(
				time.Date(2026, 3, 10, 20, 50, 0, 0, time.UTC),
			)},
			level: Green, codes: []ReasonCode{ReasonActive}, use: "gym",
		},
		{
			name: "nil location judges in UTC",
			in: VerdictInput{Memberships: ms(gym), Now: lateUTC, Location: nil, Visits: visitsAt(
				time.Date(2026, 3, 10, 20, 50, 0, 0, time.UTC),
			)},
			level: Yellow, codes: []ReasonCode{ReasonCheckedIn, ReasonActive}, use: "gym",
			checks: []check{wantReason(Reason{Code: ReasonCheckedIn, Level: Yellow, Since: 100 * time.Minute})},
		},
		{
			name: "several memberships: the usable one ending first",
			in: VerdictInput{Memberships: ms(
				Membership{ID: "pool", State: StateActive, Start: day0.AddMonths(-1), Unlimited: true},
				gym,
				with(gym, func(m *Membership) {
					m.ID, m.End, m.State, m.FrozenUntil = "yoga", day0.AddDays(5), StateFrozen, day0.AddDays(1)
				}),
				with(gym, func(m *Membership) { m.ID, m.End, m.VisitsLeft = "box", day0.AddDays(3), 0 }),
				with(gym, func(m *Membership) { m.ID, m.End = "old", day0.AddDays(-1) }),
				with(gym, func(m *Membership) {
					m.ID, m.State, m.Start, m.End = "future", StateNotStarted, day0.AddDays(1), day0.AddDays(2)
				}),
				with(gym, func(m *Membership) { m.ID, m.End = "later", day0.AddDays(40) }),
			)},
			level: Green, codes: []ReasonCode{ReasonActive}, use: "gym",
		},
		{
			name: "several memberships: order of the list does not matter",
			in: VerdictInput{Memberships: ms(
				with(gym, func(m *Membership) { m.ID, m.End = "month", day0.AddDays(30) }),
				with(gym, func(m *Membership) { m.ID, m.End = "fortnight", day0.AddDays(15) }),
				with(gym, func(m *Membership) { m.ID, m.End = "quarter", day0.AddDays(90) }),
			)},
			level: Green, codes: []ReasonCode{ReasonActive}, use: "fortnight",
		},
		{
			name: "several memberships: a dated one before an open-ended one",
			in: VerdictInput{Memberships: ms(
				with(gym, func(m *Membership) { m.ID, m.End = "open", Date{} }),
				with(gym, func(m *Membership) { m.ID, m.End = "dated", day0.AddDays(300) }),
			)},
			level: Green, codes: []ReasonCode{ReasonActive}, use: "dated",
		},
		{
			name: "several memberships: the one used decides ends-soon",
			in: VerdictInput{Memberships: ms(
				with(gym, func(m *Membership) { m.ID, m.End = "long", day0.AddDays(60) }),
				with(gym, func(m *Membership) { m.ID, m.End = "short", day0.AddDays(1) }),
			)},
			level: Yellow, codes: []ReasonCode{ReasonEndsSoon, ReasonActive}, use: "short",
		},
		{
			name: "red dominates",
			in: VerdictInput{
				Client:      Client{Blocked: true, Birthday: Date{1990, 3, 10}, Note: "VIP"},
				Memberships: ms(with(gym, func(m *Membership) { m.VisitsLeft = 1 })),
				Visits:      visitsAt(now.Add(-12 * time.Minute)),
			},
			level: Red, use: "gym",
			codes: []ReasonCode{ReasonBlocked, ReasonLastVisit, ReasonCheckedIn, ReasonBirthday, ReasonNote, ReasonActive},
		},
		{
			name: "every red reason first, in the order found",
			in: VerdictInput{
				Client:      Client{Blocked: true, Debt: rub(100), Note: "call the manager"},
				Memberships: ms(with(gym, func(m *Membership) { m.End = day0.AddDays(-1) })),
				Visits:      visitsAt(now.Add(-5 * time.Hour)),
			},
			level: Red,
			codes: []ReasonCode{ReasonBlocked, ReasonDebt, ReasonExpired, ReasonNote, ReasonCheckedIn},
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			in := c.in
			if in.Now.IsZero() {
				in.Now = now
			}
			if in.Location == nil && c.name != "nil location judges in UTC" {
				in.Location = msk
			}
			v := Judge(in)
			if v.Level != c.level {
				t.Errorf("Level = %v, want %v (reasons %+v)", v.Level, c.level, v.Reasons)
			}
			var codes []ReasonCode
			for _, r := range v.Reasons {
				codes = append(codes, r.Code)
			}
			if !slices.Equal(codes, c.codes) {
				t.Errorf("reasons = %v, want %v", codes, c.codes)
			}
			switch {
			case c.use == "" && v.Use != nil:
				t.Errorf("Use = %q, want none", v.Use.ID)
			case c.use != "" && v.Use == nil:
				t.Errorf("Use = nil, want %q", c.use)
			case c.use != "" && v.Use.ID != c.use:
				t.Errorf("Use = %q, want %q", v.Use.ID, c.use)
			}
			// Invariants of every verdict: the worst reason first, reasons
			// sorted worst to best, and the level is the worst reason's.
			if len(v.Reasons) == 0 {
				t.Fatal("a verdict without reasons")
			}
			if v.Level != v.Reasons[0].Level {
				t.Errorf("Level %v but first reason is %v", v.Level, v.Reasons[0].Level)
			}
			for i := 1; i < len(v.Reasons); i++ {
				if v.Reasons[i].Level > v.Reasons[i-1].Level {
					t.Errorf("reasons not sorted red first: %+v", v.Reasons)
					break
				}
			}
			for _, chk := range c.checks {
				chk(t, v)
			}
		})
	}
}

func TestJudgeIsPure(t *testing.T) {
	msk := mustZone(t, "Europe/Moscow")
	in := VerdictInput{
		Client: Client{Note: "hi", Birthday: Date{1990, 3, 10}},
		Memberships: []Membership{
			{ID: "b", State: StateActive, End: day0.AddDays(20), VisitsLeft: 5},
			{ID: "a", State: StateActive, End: day0.AddDays(10), VisitsLeft: 1},
		},
		Visits:   []Visit{{At: time.Date(2026, 3, 10, 11, 0, 0, 0, msk)}},
		Now:      time.Date(2026, 3, 10, 12, 0, 0, 0, msk),
		Location: msk,
	}
	before := slices.Clone(in.Memberships)
	v1, v2 := Judge(in), Judge(in)
	if !reflect.DeepEqual(v1, v2) {
		t.Errorf("Judge is not deterministic:\n%+v\n%+v", v1, v2)
	}
	if !reflect.DeepEqual(in.Memberships, before) {
		t.Errorf("Judge reordered or changed its input: %+v", in.Memberships)
	}
	if v1.Use == nil || v1.Use.ID != "a" {
		t.Fatalf("Use = %+v, want a", v1.Use)
	}
	v1.Use.VisitsLeft = 0 // a caller scribbling on the verdict must not reach the input
	if in.Memberships[1].VisitsLeft != 1 {
		t.Error("Verdict.Use aliases the input slice")
	}
}

func TestJudgePrefersAMembershipOverAnAddOn(t *testing.T) {
	loc := time.UTC
	now := time.Date(2026, 11, 22, 10, 0, 0, 0, loc)
	today := DateOf(now, loc)
	sauna := Membership{ID: "sauna", Kind: PlanExtra, State: StateActive, Start: today, End: today, VisitsLeft: 1, VisitsTotal: 1}
	gym := Membership{ID: "gym", State: StateActive, Start: today.AddDays(-3), End: today.AddDays(20), Unlimited: true}
	for _, ms := range [][]Membership{{sauna, gym}, {gym, sauna}} {
		v := Judge(VerdictInput{Memberships: ms, Now: now, Location: loc})
		if v.Use == nil || v.Use.ID != "gym" {
			t.Fatalf("Use = %+v; a sauna pass must not be taken for a gym visit", v.Use)
		}
	}
	v := Judge(VerdictInput{Memberships: []Membership{sauna}, Now: now, Location: loc})
	if v.Use == nil || v.Use.ID != "sauna" {
		t.Fatalf("with only an add-on, the add-on is used; got %+v", v.Use)
	}
}

func TestADebtThatCannotBeReadIsChecked(t *testing.T) {
	now := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	active := Membership{ID: "m", Start: NewDate(2026, 11, 1), End: NewDate(2026, 12, 31), Unlimited: true}
	in := VerdictInput{Client: Client{ID: "1", Debt: UnknownMoney("RUB")}, Memberships: []Membership{active}, Now: now, Location: time.UTC}
	v := Judge(in)
	if v.Level != Yellow || v.Reasons[0].Code != ReasonDebt || !v.Reasons[0].Amount.Unknown {
		t.Fatalf("an unknown debt: %+v", v)
	}
	in.Memberships[0].AmountDue = Major(500, "RUB")
	if v := Judge(in); v.Level != Red || !v.Reasons[0].Amount.Unknown {
		t.Fatalf("a known debt besides an unknown one: %+v", v)
	}
}

// A client the club filed under a black list is stopped with the tag's own
// name; other tags ("VIP") say nothing to the verdict.
func TestJudgeStopsABlackListedClient(t *testing.T) {
	loc := time.UTC
	now := time.Date(2026, 11, 22, 10, 0, 0, 0, loc)
	today := DateOf(now, loc)
	gym := Membership{ID: "gym", State: StateActive, Start: today.AddDays(-3), End: today.AddDays(20), Unlimited: true}
	for _, tag := range []string{"Black list", "Чёрный список", "черный  список", "BLACKLIST", "ЧС", "black-list"} {
		v := Judge(VerdictInput{Client: Client{Tags: []string{"VIP", tag}}, Memberships: []Membership{gym}, Now: now, Location: loc})
		if v.Level != Red || v.Reasons[0].Code != ReasonBlackList || v.Reasons[0].Text != tag {
			t.Errorf("tag %q: %+v", tag, v)
		}
	}
	for _, tags := range [][]string{nil, {"VIP"}, {"Black"}, {"Списки рассылки"}} {
		v := Judge(VerdictInput{Client: Client{Tags: tags}, Memberships: []Membership{gym}, Now: now, Location: loc})
		if v.Level != Green {
			t.Errorf("tags %q: %+v", tags, v)
		}
	}
}

func TestAVisitOfSeveralBookings(t *testing.T) {
	kzt := func(major int64) Money { return Major(major, "KZT") }
	g := VisitGroup{ID: "v1", BookingID: "r1", Alone: []PaymentMethod{PayCash}, Records: []VisitRecord{
		{BookingID: "r1", Due: kzt(28000), DueKnown: true},
		{BookingID: "r2", Due: kzt(24000), DueKnown: true},
		{BookingID: "r3", Due: kzt(22000), DueKnown: true},
		{BookingID: "r4", Paid: true},
	}}
	if due, ok := g.Due(); !ok || due != kzt(74000) || !g.Multi() {
		t.Fatalf("due %v %v, multi %v", due, ok, g.Multi())
	}
	if r, ok := g.Record("r2"); !ok || r.Due != kzt(24000) {
		t.Fatalf("record r2: %+v %v", r, ok)
	}
	if !g.PaysAlone(PayCash) || g.PaysAlone(PayCard) {
		t.Fatal("alone")
	}
	// One unpaid booking whose due is not known: the visit's due is not
	// known either, never the sum of the rest.
	g.Records[2].DueKnown = false
	if _, ok := g.Due(); ok {
		t.Fatal("an unknown due was summed as zero")
	}
	if (VisitGroup{Records: []VisitRecord{{BookingID: "r1"}}}).Multi() {
		t.Fatal("a visit of one booking is multi")
	}
}
