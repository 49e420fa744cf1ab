package models

import "testing"

func TestWordsFillBothLanguagesAndJoinSkipsSilence(t *testing.T) {
	w := Words{EN: "card %s not found", RU: "карта %s не найдена"}.Fill("0040")
	if w.In("en") != "card 0040 not found" || w.In("ru") != "карта 0040 не найдена" || w.In("de") != w.EN {
		t.Fatalf("filled %+v", w)
	}
	if (Words{EN: "only English"}).In("ru") != "only English" {
		t.Fatal("a sentence with no Russian must still be said")
	}
	j := Join([]Words{{EN: "a", RU: "а"}, {}, {EN: "b", RU: "б"}}, "; ")
	if j != (Words{EN: "a; b", RU: "а; б"}) {
		t.Fatalf("joined %+v", j)
	}
	if !Join(nil, "; ").IsZero() {
		t.Fatal("nothing joined says something")
	}
}
