package ui

import (
	"testing"

	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/clubdesk/clubdesk/providers"
)

// TestIdleLock: a console left without a key for IdleLock shows only who
// is logged in; the next key opens it and does nothing else.
func TestIdleLock(t *testing.T) {
	h := newHarnessWith(t, "ru", func(o *Options) { o.IdleLock = 10 * time.Minute; o.Desk = "front-1" })
	h.typeText("Зелен")
	h.expect("Зеленина Ольга")
	h.now = h.now.Add(4 * time.Minute)
	h.send(idleMsg{}) // early: not yet
	h.expect("Зеленина Ольга")
	h.now = h.now.Add(6 * time.Minute)
	h.send(idleMsg{})
	h.expect("Касса заблокирована после 10 мин без действий", "За кассой: Анна · front-1", "Нажмите любую клавишу")
	h.expectNot("Зеленина Ольга")
	h.typeText("x")
	h.expect("Зеленина Ольга")
	h.expectNot("Касса заблокирована", "Зеленx")
	// A key since the last look puts the lock off.
	h.now = h.now.Add(9 * time.Minute)
	h.typeText("и")
	h.now = h.now.Add(2 * time.Minute)
	h.send(idleMsg{})
	h.expectNot("Касса заблокирована")
}

// TestIdleLockScan: a card scanned at a locked console opens that card —
// the whole number, not what the first digit left of it.
func TestIdleLockScan(t *testing.T) {
	h := newHarnessWith(t, "ru", func(o *Options) { o.IdleLock = time.Minute })
	h.now = h.now.Add(2 * time.Minute)
	h.send(idleMsg{})
	h.expect("Касса заблокирована после 1 мин без действий", "За кассой: Анна")
	h.scan("0052611384")
	h.expect("Карточка клиента: Пустовойт")
	h.expectNot("Касса заблокирована", "Неизвестная карта")
	// Ctrl+C still ends a locked session.
	h.now = h.now.Add(2 * time.Minute)
	h.send(idleMsg{})
	h.expect("Касса заблокирована")
	_, cmd := h.m.Update(namedKey("ctrl+c"))
	if cmd == nil {
		t.Fatal("Ctrl+C did nothing on a locked console")
	}
	if _, ok := cmd().(tea.QuitMsg); !ok {
		t.Fatal("Ctrl+C did not end a locked session")
	}
}

// TestNoMoneyRefusedAtF4: an operator without the money permission is
// told at F4, before any form.
func TestNoMoneyRefusedAtF4(t *testing.T) {
	refusal := providers.Refusal(providers.ErrNotPermitted, "take money", providers.Words{EN: "Boris may not take money", RU: "Борис не может принимать деньги"})
	h := newHarnessWith(t, "ru", func(o *Options) { o.NoMoney = refusal })
	h.typeText("Зелен")
	h.expect("Зеленина Ольга")
	h.press("enter")
	h.expect("Карточка клиента")
	h.press("f4")
	h.expect("Нет права: Борис не может принимать деньги")
	h.expectNot("Продажа абонемента")
}
