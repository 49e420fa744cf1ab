package models

import "testing"

var day0 = Date{2026, 3, 10} // "today" in the membership and verdict tests

func TestPlanUnlimited(t *testing.T) {
	if !(Plan{}).Unlimited() {
		t.Error("a plan with Visits 0 is unlimited")
	}
	if (Plan{Visits: 8}).Unlimited() {
		t.Error("a plan with 8 visits is not unlimited")
	}
}

func TestPlanEndFor(t *testing.T) {
	cases := []struct {
		name  string
		plan  Plan
		start Date
		want  Date
	}{
		{"one day", Plan{Days: 1}, Date{2026, 3, 10}, Date{2026, 3, 10}},
		{"30 days", Plan{Days: 30}, Date{2026, 1, 1}, Date{2026, 1, 30}},
		{"30 days over February", Plan{Days: 30}, Date{2026, 2, 15}, Date{2026, 3, 16}},
		{"30 days over leap February", Plan{Days: 30}, Date{2028, 2, 15}, Date{2028, 3, 15}},
		{"7 days over New Year", Plan{Days: 7}, Date{2026, 12, 28}, Date{2027, 1, 3}},
		{"one month", Plan{Months: 1}, Date{2026, 1, 15}, Date{2026, 2, 14}},
		{"one month from the 1st", Plan{Months: 1}, Date{2026, 2, 1}, Date{2026, 2, 28}},
		{"one month from the 1st, leap", Plan{Months: 1}, Date{2028, 2, 1}, Date{2028, 2, 29}},
		{"three months", Plan{Months: 3}, Date{2026, 3, 10}, Date{2026, 6, 9}},
		{"a year", Plan{Months: 12}, Date{2026, 3, 1}, Date{2027, 2, 28}},
		{"a year over a leap day", Plan{Months: 12}, Date{2027, 3, 1}, Date{2028, 2, 29}},
		{"months win over days", Plan{Months: 1, Days: 10}, Date{2026, 1, 15}, Date{2026, 2, 14}},
		{"neither", Plan{}, Date{2026, 3, 10}, Date{2026, 3, 10}},
	}
	for _, c := range cases {
		if got := c.plan.EndFor(c.start); got != c.want {
			t.Errorf("%s: EndFor(%v) = %v, want %v", c.name, c.start, got, c.want)
		}
	}
}

func TestMembershipEffectiveState(t *testing.T) {
	yesterday, tomorrow := day0.AddDays(-1), day0.AddDays(1)
	cases := []struct {
		name string
		m    Membership
		want MembershipState
	}{
		{"active, open-ended", Membership{State: StateActive}, StateActive},
		{"active, ends in a month", Membership{State: StateActive, End: day0.AddMonths(1)}, StateActive},
		{"active, last day today", Membership{State: StateActive, End: day0}, StateActive},
		{"active but end passed", Membership{State: StateActive, End: yesterday}, StateExpired},
		{"active but ended a year ago", Membership{State: StateActive, End: day0.AddMonths(-12)}, StateExpired},
		{"expired stays expired", Membership{State: StateExpired, End: tomorrow}, StateExpired},
		{"frozen, open-ended freeze", Membership{State: StateFrozen, End: day0.AddMonths(1)}, StateFrozen},
		{"frozen until tomorrow", Membership{State: StateFrozen, FrozenUntil: tomorrow, End: day0.AddMonths(1)}, StateFrozen},
		{"frozen until today is still frozen", Membership{State: StateFrozen, FrozenUntil: day0, End: day0.AddMonths(1)}, StateFrozen},
		{"frozen until yesterday thaws", Membership{State: StateFrozen, FrozenUntil: yesterday, End: day0.AddMonths(1)}, StateActive},
		{"frozen until yesterday, open-ended", Membership{State: StateFrozen, FrozenUntil: yesterday}, StateActive},
		{"frozen until yesterday, end passed too", Membership{State: StateFrozen, FrozenUntil: day0.AddDays(-20), End: yesterday}, StateExpired},
		{"not started, future start", Membership{State: StateNotStarted, Start: tomorrow, End: day0.AddMonths(1)}, StateNotStarted},
		{"not started, on first visit", Membership{State: StateNotStarted}, StateNotStarted},
	}
	for _, c := range cases {
		if got := c.m.EffectiveState(day0); got != c.want {
			t.Errorf("%s: EffectiveState = %v, want %v", c.name, got, c.want)
		}
	}
}

func TestMembershipUsable(t *testing.T) {
	yesterday, tomorrow := day0.AddDays(-1), day0.AddDays(1)
	month := day0.AddMonths(1)
	cases := []struct {
		name string
		m    Membership
		want bool
	}{
		{"active with visits", Membership{State: StateActive, Start: yesterday, End: month, VisitsLeft: 5}, true},
		{"active, starts today", Membership{State: StateActive, Start: day0, End: month, VisitsLeft: 5}, true},
		{"active, last day today", Membership{State: StateActive, Start: yesterday, End: day0, VisitsLeft: 5}, true},
		{"active, one visit left", Membership{State: StateActive, End: month, VisitsLeft: 1}, true},
		{"active, unlimited", Membership{State: StateActive, End: month, Unlimited: true}, true},
		{"active, unlimited with VisitsLeft 0", Membership{State: StateActive, End: month, Unlimited: true, VisitsLeft: 0}, true},
		{"active, open-ended, no start", Membership{State: StateActive, VisitsLeft: 3}, true},
		{"active, zero visits", Membership{State: StateActive, End: month, VisitsLeft: 0}, false},
		{"active, negative visits", Membership{State: StateActive, End: month, VisitsLeft: -1}, false},
		{"active but end passed", Membership{State: StateActive, End: yesterday, VisitsLeft: 5}, false},
		{"active but end passed, unlimited", Membership{State: StateActive, End: yesterday, Unlimited: true}, false},
		{"active but starts tomorrow", Membership{State: StateActive, Start: tomorrow, End: month, VisitsLeft: 5}, false},
		{"expired", Membership{State: StateExpired, End: month, VisitsLeft: 5}, false},
		{"frozen", Membership{State: StateFrozen, FrozenUntil: tomorrow, End: month, VisitsLeft: 5}, false},
		{"frozen until today", Membership{State: StateFrozen, FrozenUntil: day0, End: month, VisitsLeft: 5}, false},
		{"frozen, open-ended freeze", Membership{State: StateFrozen, End: month, VisitsLeft: 5}, false},
		{"frozen until yesterday", Membership{State: StateFrozen, FrozenUntil: yesterday, End: month, VisitsLeft: 5}, true},
		{"frozen until yesterday, no visits", Membership{State: StateFrozen, FrozenUntil: yesterday, End: month}, false},
		{"frozen until yesterday, end passed", Membership{State: StateFrozen, FrozenUntil: day0.AddDays(-20), End: yesterday, VisitsLeft: 5}, false},
		{"not started, starts on first visit", Membership{State: StateNotStarted, VisitsLeft: 8}, true},
		{"not started, starts on first visit, has a deadline", Membership{State: StateNotStarted, End: month, VisitsLeft: 8}, true},
		{"not started, deadline passed", Membership{State: StateNotStarted, End: yesterday, VisitsLeft: 8}, false},
		{"not started, start today", Membership{State: StateNotStarted, Start: day0, End: month, VisitsLeft: 8}, true},
		{"not started, start passed", Membership{State: StateNotStarted, Start: yesterday, End: month, VisitsLeft: 8}, true},
		{"not started, future start", Membership{State: StateNotStarted, Start: tomorrow, End: month, VisitsLeft: 8}, false},
		{"not started, zero visits", Membership{State: StateNotStarted, VisitsLeft: 0}, false},
		{"not started, unlimited", Membership{State: StateNotStarted, Unlimited: true}, true},
	}
	for _, c := range cases {
		if got := c.m.Usable(day0); got != c.want {
			t.Errorf("%s: Usable = %v, want %v (effective state %v)", c.name, got, c.want, c.m.EffectiveState(day0))
		}
	}
}

func TestMembershipHasVisits(t *testing.T) {
	cases := []struct {
		m    Membership
		want bool
	}{
		{Membership{VisitsLeft: 1}, true},
		{Membership{VisitsLeft: 0}, false},
		{Membership{VisitsLeft: -2}, false},
		{Membership{Unlimited: true}, true},
	}
	for _, c := range cases {
		if got := c.m.HasVisits(); got != c.want {
			t.Errorf("%+v.HasVisits() = %v, want %v", c.m, got, c.want)
		}
	}
}

func TestPeriodNeverMakesAnEndUp(t *testing.T) {
	start := NewDate(2026, 12, 3)
	month := Plan{Months: 1}
	if from, to := month.PeriodFrom(start); from != start || to != NewDate(2027, 1, 2) {
		t.Fatalf("month: %s – %s", from, to)
	}
	if got := month.Period(start).RU; got != "03.12.2026 – 02.01.2027" {
		t.Fatalf("month words %q", got)
	}
	if from, to := (Plan{}).PeriodFrom(start); from != start || !to.IsZero() {
		t.Fatalf("no validity: %s – %s", from, to)
	}
	if got := (Plan{}).Period(start); got.RU != "с 03.12.2026, без даты окончания" || got.EN != "from 03.12.2026, no end date" {
		t.Fatalf("no validity words %+v", got)
	}
	first := Plan{Months: 1, StartsOnFirstVisit: true}
	if from, to := first.PeriodFrom(start); !from.IsZero() || !to.IsZero() {
		t.Fatalf("first visit: %s – %s", from, to)
	}
	if got := first.Period(start); got.RU != "с первого посещения, 1 мес." || got.EN != "from the first visit, 1 month" {
		t.Fatalf("first visit words %+v", got)
	}
	if got := (Membership{}).Period().RU; got != "с первого посещения" {
		t.Fatalf("membership not started %q", got)
	}
	if got := (Membership{Start: start, End: NewDate(2027, 1, 2)}).Period().EN; got != "03.12.2026 – 02.01.2027" {
		t.Fatalf("membership %q", got)
	}
}
