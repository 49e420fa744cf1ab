package e2e

import (
	"strings"
	"testing"
)

// TestEndToEndRushInTmux is the desk at rush hour on the demo club, as
// shipped (no config: a green scan checks in by itself): ten scans in a
// row, three of them red — one let in with a reason from the list, one
// with a typed reason, one turned away — the yellow ones checked in with
// Enter or, already in, not twice; then who is here.
func TestEndToEndRushInTmux(t *testing.T) {
	s := startDesk(t, "")
	s.waitFor("Поиск клиента", "ДЕМО")

	// 1 green: the scan is the check-in.
	s.scan("0040856634")
	s.waitFor("Карточка клиента: Зеленина", "✔ вход отмечен", "z — отменить вход")
	// 2 yellow (birthday): Enter.
	s.scan("0031105562")
	s.waitFor("Карточка клиента: Праздникова", "ВНИМАНИЕ")
	s.keys("Enter")
	s.waitFor("Карточка клиента: Праздникова", "✔ вход отмечен")
	// 3 red (no visits left): Enter and one digit for a reason.
	s.scan("0052611384")
	s.waitFor("Карточка клиента: Пустовойт", "✖ СТОП")
	s.keys("Enter")
	s.waitFor("1 — Оплатит после тренировки")
	s.keys("1")
	s.waitFor("Карточка клиента: Пустовойт", "✔ вход отмечен")
	// 4 green.
	s.scan("0043318759")
	s.waitFor("Карточка клиента: Малышев", "✔ вход отмечен")
	// 5 red (expired): turned away.
	s.scan("0012630417")
	s.waitFor("Карточка клиента: Старостин", "✖ СТОП")
	// 6 yellow (a note for reception): Enter.
	s.scan("0034490871")
	s.waitFor("Карточка клиента: Письменная", "ВНИМАНИЕ")
	s.keys("Enter")
	s.waitFor("Карточка клиента: Письменная", "✔ вход отмечен")
	// 7 red (debt): let in with a typed reason.
	s.scan("0021478305")
	s.waitFor("Карточка клиента: Должиков", "✖ СТОП")
	s.keys("Enter")
	s.waitFor("Вердикт СТОП")
	s.typeSlowly("долг оплатит завтра")
	s.keys("Enter")
	s.waitFor("Карточка клиента: Должиков", "✔ вход отмечен")
	// 8 yellow (last visit): Enter.
	s.scan("0037904126")
	s.waitFor("Карточка клиента: Крайнев", "ВНИМАНИЕ")
	s.keys("Enter")
	s.waitFor("Карточка клиента: Крайнев", "✔ вход отмечен")
	// 9 yellow (in 12 minutes ago): Enter asks, n keeps it one visit.
	s.scan("0049052213")
	s.waitFor("Карточка клиента: Пришвина", "ВНИМАНИЕ", "Вход уже отмечен")
	s.keys("Enter")
	s.waitFor("Отметить ещё раз?")
	s.keys("n")
	// 10 the first card again: in already, not checked in twice.
	s.scan("0040856634")
	card := s.waitFor("Карточка клиента: Зеленина", "ВНИМАНИЕ", "Вход уже отмечен сегодня")
	if strings.Contains(card, "✔ вход отмечен") {
		t.Fatalf("a second scan checked in again:\n%s", card)
	}

	// Who is here: seven check-ins, Зеленина once, the reasons shown.
	s.keys("F8")
	who := s.waitFor("Кто в клубе", "Входов сегодня: 7", "причина: Оплатит после тренировки", "причина: долг оплатит завтра")
	for _, name := range []string{"Зеленина Ольга", "Праздникова Алина", "Пустовойт Марина", "Малышев Тимофей", "Письменная Вера", "Должиков Игорь", "Крайнев Денис"} {
		if n := strings.Count(who, name); n != 1 {
			t.Errorf("%s is on the list %d times:\n%s", name, n, who)
		}
	}
	for _, name := range []string{"Старостин", "Пришвина"} {
		if strings.Contains(who, name) {
			t.Errorf("%s was not let in, yet is on the list:\n%s", name, who)
		}
	}
	s.typeSlowly("мал")
	s.waitFor("Малышев Тимофей")
	if screen := s.capture(); strings.Contains(screen, "Зеленина") {
		t.Fatalf("the filter left others in:\n%s", screen)
	}
	s.keys("F10")
}

// TestEndToEndRushSettings: the [desk] switches reach the console — a
// club that wants Enter gets the card as before — and without colours the
// red banner still says STOP in words.
func TestEndToEndRushSettings(t *testing.T) {
	s := startDesk(t, "profile = \"main\"\n[profiles.main]\nprovider = \"demo\"\n[desk]\ncheck_in_on_scan = false\noverride_reasons = [\"Разрешил управляющий\"]\n", "NO_COLOR=1")
	s.waitFor("Поиск клиента", "ДЕМО")
	s.scan("0040856634")
	card := s.waitFor("Карточка клиента: Зеленина", "✔ МОЖНО ПРОХОДИТЬ")
	if strings.Contains(card, "вход отмечен") {
		t.Fatalf("a scan checked in with check_in_on_scan = false:\n%s", card)
	}
	s.keys("Enter")
	s.waitFor("✔ вход отмечен")
	s.scan("0052611384")
	s.waitFor("Карточка клиента: Пустовойт", "✖ СТОП")
	s.keys("Enter")
	s.waitFor("1 — Разрешил управляющий")
	if screen := s.capture(); strings.Contains(screen, "2 — ") {
		t.Fatalf("the desk's own reasons shown beside the config's:\n%s", screen)
	}
	s.keys("F10")
}
