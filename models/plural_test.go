package models

import "testing"

func TestPluralFollowsCLDR(t *testing.T) {
	ru := "%d посещение|%d посещения|%d посещений"
	for n, want := range map[int]string{
		0: "0 посещений", 1: "1 посещение", 2: "2 посещения", 4: "4 посещения", 5: "5 посещений",
		11: "11 посещений", 12: "12 посещений", 14: "14 посещений", 21: "21 посещение",
		22: "22 посещения", 25: "25 посещений", 101: "101 посещение", 111: "111 посещений",
	} {
		if got := Count("ru", n, ru); got != want {
			t.Errorf("ru %d: %q, want %q", n, got, want)
		}
	}
	en := "%d visit|%d visits"
	for n, want := range map[int]string{0: "0 visits", 1: "1 visit", 2: "2 visits", 21: "21 visits"} {
		if got := Count("en", n, en); got != want {
			t.Errorf("en %d: %q, want %q", n, got, want)
		}
	}
	if got := Count("ru", 5, "%d мес."); got != "5 мес." {
		t.Errorf("an abbreviation with one form: %q", got)
	}
	if got := (Words{EN: "%d month|%d months", RU: "%d мес."}).Count(1); got.EN != "1 month" || got.RU != "1 мес." {
		t.Errorf("Words.Count: %+v", got)
	}
}
