package e2e

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/clubdesk/clubdesk/providers/luckyfit/luckyfittest"
)

// luckyFitDesk is a local LuckyFit and the environment of a console with
// a profile on it (the key from the environment, as a headless desk has).
func luckyFitDesk(t *testing.T) (*luckyfittest.Server, []string) {
	t.Helper()
	if testing.Short() {
		t.Skip("end-to-end test skipped in -short mode")
	}
	const key = "lf-e2e-key"
	lf := luckyfittest.NewServer(key, nil)
	t.Cleanup(lf.Close)
	config := `profile = "club"
language = "ru"
[profiles.club]
provider = "luckyfit"
base_url = "` + lf.URL + `/api"
branch = "1"
point_name = "Reception 1"
operator = "Анна"
timezone = "Europe/Moscow"
`
	return lf, deskEnv(t, config, "CLUBDESK_LUCKYFIT_API_KEY="+key)
}

// TestEndToEndLuckyFit drives the built console in tmux against a local
// LuckyFit (providers/luckyfit/luckyfittest) with provider = "luckyfit":
// search, the card's alerts, a scan, a discounted split sale, the
// timetable, a roster, a booking, what LuckyFit cannot do, the shift report.
func TestEndToEndLuckyFit(t *testing.T) {
	lf, env := luckyFitDesk(t)
	s := startTmux(t, buildBinary(t), env)
	s.waitFor("Поиск клиента", "LuckyFit")

	// Search by surname; the card shows LuckyFit's locked and message.
	s.typeSlowly("Блох")
	s.waitFor("Блохин Андрей")
	s.keys("Enter")
	card := s.waitFor("Карточка клиента", "СТОП", "утеря", "полотенце")
	if strings.Count(card, "заблокирована") != 1 {
		t.Fatalf("LuckyFit's own 'Карта заблокирована: …' is prefixed again:\n%s", card)
	}

	// A scan opens the debtor's card.
	s.scan("0021478305")
	s.waitFor("Должиков Игорь", "2 500 ₽")

	// Sale: 8 visits, 10% off with a reason, 1 000 by card and the rest cash.
	s.keys("F2")
	s.waitFor("Поиск клиента")
	s.typeSlowly("Новосёл")
	s.waitFor("Новосёлов Кирилл")
	s.keys("Enter")
	s.waitFor("Нет действующего абонемента")
	s.keys("F4")
	s.waitFor("Продажа абонемента", "Годовой клубный")
	s.typeSlowly("8 пос")
	s.keys("Enter")
	s.waitFor("2 Условия")
	s.keys("Tab", "Right", "Tab")
	s.typeSlowly("10")
	s.keys("Enter")
	s.waitFor("Укажите причину скидки")
	s.typeSlowly("акция")
	s.keys("Enter")
	s.waitFor("Итого:             3 600 ₽", "Осталось распределить: 0 ₽")
	// The form waits on the card with the rest proposed in cash: the
	// card's amount is all there is to type.
	s.typeSlowly("1000")
	s.waitFor("Оплачено: 3 600 ₽")
	s.keys("Enter")
	s.waitFor("y — да, n — нет")
	s.keys("y")
	s.waitFor("Продажа выполнена: 8 посещений", "Принято оплат: 3 600 ₽")
	if n := lf.Requests("POST /client_tickets"); n != 1 {
		t.Fatalf("the sale created %d tickets", n)
	}
	if n := lf.Requests("POST /transactions"); n != 2 {
		t.Fatalf("the split payment sent %d transactions, want 2", n)
	}
	s.keys("Enter")
	s.waitFor("Карточка клиента: Новосёлов", "8 из 8")

	// Book the client from the card into the evening Tabata (two places,
	// both taken: LuckyFit's refusal), then into the yoga.
	s.keys("b")
	s.waitFor("Запись на занятие", "Йога", "Аквааэробика", "мест нет 2/2")
	s.keys("Down", "Down", "Enter")
	s.waitFor("Занятие заполнено")
	s.keys("Up", "Up", "Enter")
	s.waitFor("записан(а) на «Йога»")

	// The roster of the yoga: LuckyFit has no attendance call, and says so.
	s.keys("F3")
	s.waitFor("Расписание", "Йога")
	// The cursor starts on the first lesson not over yet, which depends on
	// the hour the test runs at: the yoga is the first of the day.
	s.keys("PageUp", "Enter")
	s.waitFor("Список группы: Йога", "Зеленина Ольга", "Пришвина Дарья")
	if lf.Requests("POST /lesson_calendar_bookings") != 1 {
		t.Fatalf("booking sent %d times", lf.Requests("POST /lesson_calendar_bookings"))
	}
	s.keys("a")
	s.waitFor("Эта CRM так не умеет")

	// The shift report: the morning's cash debt payment and the sale.
	s.keys("F6")
	s.waitFor("Отчёт", "5 100 ₽", "1 000 ₽")

	s.keys("F10")
}

// TestEndToEndLuckyFitKilledMidSale kills the console (SIGKILL) while a
// sale is on its way to LuckyFit and starts it again: the journal must
// open first with the sale needing a check, LuckyFit is asked, and the
// receptionist's verdict settles it — nothing is sent twice.
func TestEndToEndLuckyFitKilledMidSale(t *testing.T) {
	lf, env := luckyFitDesk(t)
	bin := buildBinary(t)
	s := startTmux(t, bin, env)
	s.waitFor("Поиск клиента", "LuckyFit")
	s.typeSlowly("Новосёл")
	s.waitFor("Новосёлов Кирилл")
	s.keys("Enter")
	s.waitFor("Нет действующего абонемента")
	s.keys("F4")
	s.waitFor("Безлимит на месяц")
	s.typeSlowly("Безлим")
	s.keys("Enter", "Enter")
	s.waitFor("Осталось распределить: 0 ₽")
	s.keys("Enter")
	s.waitFor("y — да, n — нет")
	lf.SetLatency(time.Minute) // LuckyFit holds the answer
	s.keys("y")
	s.waitFor("запись в CRM")
	pid := strings.TrimSpace(s.must("display-message", "-p", "-t", s.name, "#{pane_pid}"))
	if out, err := exec.Command("kill", "-KILL", pid).CombinedOutput(); err != nil {
		t.Fatalf("kill %s: %v %s", pid, err, out)
	}
	s.tmux("kill-server")
	lf.SetLatency(0)

	// A line of over a megabyte (a CRM's 2 MB stack trace, a 2 MB name)
	// ahead of the sale's lines: the console still starts, skips it, and
	// reads the lines after it.
	prependHugeLine(t, env)

	s = startTmux(t, bin, env)
	s.waitFor("Журнал операций · Требуют проверки", "Продажа: Безлимит на месяц", "Новосёлов Кирилл", "нет ответа", "проверить: 1",
		"Пропущено нечитаемых строк журнала: 1")
	s.keys("Enter")
	// The killed request never got past LuckyFit's wait: nothing to find.
	s.waitFor("В CRM:", "пока не найдено")
	s.keys("n")
	s.waitFor("Отмечено: не прошло", "Проверять нечего")
	if n := lf.Requests("POST /client_tickets") + lf.Requests("POST /transactions"); n != 0 {
		t.Fatalf("%d writes reached LuckyFit", n)
	}
	s.keys("Escape")
	s.waitFor("Поиск клиента")
	if strings.Contains(s.capture(), "проверить:") {
		t.Fatalf("the status bar still asks for a check:\n%s", s.capture())
	}
	s.keys("F10")
}

// TestEndToEndLuckyFitOffline cuts the club's line in the middle of the
// day: the console keeps showing what it saw with "offline since", refuses
// money without sending anything, and notices by itself when LuckyFit is
// back.
func TestEndToEndLuckyFitOffline(t *testing.T) {
	lf, env := luckyFitDesk(t)
	s := startTmux(t, buildBinary(t), env)
	s.waitFor("Поиск клиента", "LuckyFit")
	s.scan("0021478305")
	s.waitFor("Должиков Игорь", "2 500 ₽")
	s.keys("F3")
	s.waitFor("Расписание", "Йога")
	s.keys("PageUp", "Enter") // the yoga, whatever the hour
	s.waitFor("Список группы: Йога", "Зеленина Ольга")

	lf.SetDown(true)
	s.keys("F5")
	s.waitFor("нет связи с", "данные на", "Зеленина Ольга")
	s.keys("Escape")
	s.waitFor("Расписание", "Йога")
	time.Sleep(2 * time.Second) // the same card again within 2 s is a reader's double read, ignored
	s.scan("0021478305")
	s.waitFor("Карточка клиента", "Должиков Игорь", "нет связи с")
	s.keys("F4")
	s.waitFor("без связи деньги не принимаются")
	if n := lf.Requests("POST /client_tickets") + lf.Requests("POST /transactions"); n != 0 {
		t.Fatalf("%d writes reached LuckyFit", n)
	}

	// The receptionist closes the console and opens it again while the
	// line is still down: the day's memory is still there.
	s.keys("Escape", "Escape", "F10")
	s.waitGone()
	s = startTmux(t, buildBinary(t), env)
	s.waitFor("Поиск клиента", "LuckyFit")
	s.scan("0021478305")
	s.waitFor("Карточка клиента", "Должиков Игорь", "2 500 ₽", "нет связи с", "данные на")
	s.keys("F3")
	s.waitFor("Расписание", "Йога")
	s.keys("PageUp", "Enter")
	s.waitFor("Список группы: Йога", "Зеленина Ольга")

	lf.SetDown(false)
	s.waitForWithin(25*time.Second, "● на связи") // the console probes every 10 s
	s.keys("F10")
}

// TestEndToEndLuckyFitLostPaymentAnswers pays a debt twice over a line
// that fails: once LuckyFit applies the payment and the answer is lost (the
// desk finds it and says it is done), once a proxy answers 503 (the desk
// says it is unknown and the journal asks for a check). No payment reaches
// LuckyFit twice.
func TestEndToEndLuckyFitLostPaymentAnswers(t *testing.T) {
	lf, env := luckyFitDesk(t)
	s := startTmux(t, buildBinary(t), env)
	s.waitFor("Поиск клиента", "LuckyFit")
	s.scan("0021478305")
	s.waitFor("Должиков Игорь", "к оплате 2 500 ₽")

	lf.Inject("POST /transactions", luckyfittest.Fault{Drop: true})
	s.keys("p")
	s.waitFor("Оплата долга", "2500")
	s.keys("BSpace", "BSpace", "BSpace", "BSpace")
	s.typeSlowly("1000")
	s.keys("Enter")
	s.waitFor("y — да, n — нет")
	s.keys("y")
	s.waitFor("Оплата выполнена: 1 000 ₽")
	if n := lf.Requests("POST /transactions"); n != 1 {
		t.Fatalf("the payment reached LuckyFit %d times", n)
	}
	s.keys("Enter")
	s.waitFor("к оплате 1 500 ₽")
	lf.Inject("POST /transactions", luckyfittest.Fault{Status: 503, Body: "<html>503 Service Temporarily Unavailable</html>"})
	s.keys("p")
	s.waitFor("Оплата долга", "1500")
	s.keys("Enter")
	s.waitFor("y — да, n — нет")
	s.keys("y")
	s.waitFor("неизвестно, прошла ли оплата", "НЕИЗВЕСТНО — проверьте в CRM")
	if n := lf.Requests("POST /transactions"); n != 2 {
		t.Fatalf("%d payments reached LuckyFit, want 2 (one each)", n)
	}
	s.waitFor("проверить: 1")
	s.keys("F7")
	s.waitFor("Журнал операций", "Оплата", "неизвестно")
	s.keys("F10")
}

// prependHugeLine puts a 2 MB line at the head of every journal file of
// the desk whose environment is env.
func prependHugeLine(t *testing.T, env []string) {
	t.Helper()
	state := ""
	for _, e := range env {
		if v, ok := strings.CutPrefix(e, "XDG_STATE_HOME="); ok {
			state = v
		}
	}
	files, err := filepath.Glob(filepath.Join(state, "clubdesk", "journal", "*", "*.jsonl"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no journal under %s: %v", state, err)
	}
	for _, f := range files {
		old, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		huge := `{"op":"x","phase":"intent","subject":"` + strings.Repeat("Ж", 1<<20) + "\"}\n"
		if err := os.WriteFile(f, append([]byte(huge), old...), 0o600); err != nil {
			t.Fatal(err)
		}
	}
}
