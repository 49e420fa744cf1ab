// Package journaltest writes journals for benchmarks and tests: a busy
// month at a big club, as the desk itself would have written it.
package journaltest

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/clubdesk/clubdesk/config"
	"github.com/clubdesk/clubdesk/journal"
	"github.com/clubdesk/clubdesk/models"
)

// Busy is a busy month's journal: Entries lines spread evenly over the
// Days (30 when not set) before Now (so over this month's file and last
// month's, and older ones for more days), every
// operation an intent and its outcome, Pending of them left without an
// answer (a lost sale, an unknown payment) for the receptionist to check.
type Busy struct {
	Who     journal.Who
	Now     time.Time
	Entries int
	Pending int
	Days    int
}

// Write writes the journal under dir (the state folder, as journal.Open
// takes it) and returns how many bytes it wrote. The lines are the ones
// journal.Journal writes (the same Entry, encoded the same way), with
// fictional names.
func (b Busy) Write(dir string) (int64, error) {
	jdir := filepath.Join(dir, "journal", config.SafeName(b.Who.Profile))
	if err := os.MkdirAll(jdir, 0o700); err != nil {
		return 0, err
	}
	ops := b.Entries / 2
	days := b.Days
	if days <= 0 {
		days = 30
	}
	start := b.Now.Add(-time.Duration(days) * 24 * time.Hour)
	step := b.Now.Sub(start) / time.Duration(max(ops, 1))
	files := map[string]*bufio.Writer{}
	var closers []*os.File
	var written int64
	pendingEvery := 0
	if b.Pending > 0 {
		pendingEvery = max(ops/b.Pending, 1)
	}
	pending := 0
	write := func(e journal.Entry) error {
		line, err := json.Marshal(e)
		if err != nil {
			return err
		}
		name := e.At.UTC().Format("2006-01") + ".jsonl"
		w, ok := files[name]
		if !ok {
			f, err := os.OpenFile(filepath.Join(jdir, name), os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o600)
			if err != nil {
				return err
			}
			closers = append(closers, f)
			w = bufio.NewWriterSize(f, 256<<10)
			files[name] = w
		}
		n, err := w.Write(append(line, '\n'))
		written += int64(n)
		return err
	}
	for i := range ops {
		at := start.Add(time.Duration(i) * step).UTC().Truncate(time.Millisecond)
		in := b.intent(i, at)
		if err := write(in); err != nil {
			return written, err
		}
		out := b.outcome(i, in)
		if pendingEvery > 0 && i%pendingEvery == pendingEvery/2 && pending < b.Pending {
			pending++
			out.Phase = journal.Unknown
			out.Message = ""
			out.Error = "context deadline exceeded (Client.Timeout exceeded while awaiting headers)"
		}
		if err := write(out); err != nil {
			return written, err
		}
	}
	for _, w := range files {
		if err := w.Flush(); err != nil {
			return written, err
		}
	}
	for _, f := range closers {
		if err := f.Close(); err != nil {
			return written, err
		}
	}
	return written, nil
}

var (
	surnames = []string{"Зеленина Ольга", "Новосёлов Кирилл", "Арсеньева Мария", "Белозёров Тимофей", "Кузнецова Дарья",
		"Ломоносова Вера", "Тихомиров Глеб", "Шереметьева Анна", "Воронцов Степан", "Одинцова Полина"}
	plans   = []string{"Безлимит на месяц", "Утренний абонемент на 3 месяца", "12 занятий в группе", "Разовое посещение"}
	lessons = []string{"Йога для начинающих", "Функциональный тренинг", "Пилатес", "Сайкл", "Бокс для взрослых"}
)

// intent is operation i as the desk records it before sending it.
func (b Busy) intent(i int, at time.Time) journal.Entry {
	e := journal.Entry{Op: at.Format("20060102T150405.000") + fmt.Sprintf("-%08x", i), Phase: journal.Intent, At: at,
		Profile: b.Who.Profile, Provider: b.Who.Provider, Desk: b.Who.Desk, Operator: b.Who.Operator,
		ClientID: fmt.Sprint(100000 + i%5000), ClientName: surnames[i%len(surnames)]}
	switch i % 5 {
	case 0:
		e.Kind, e.Subject, e.SubjectID = journal.Sell, plans[i%len(plans)], fmt.Sprint(10+i%len(plans))
		e.Amount, e.Currency, e.Fee, e.Start = 540000, "RUB", 40000, models.DateOf(at, time.UTC).String()
		e.Parts = []journal.Part{{Method: "card", Amount: 300000, Currency: "RUB"}, {Method: "cash", Amount: 240000, Currency: "RUB"}}
		e.Reason = "скидка постоянному клиенту по распоряжению администратора"
	case 1:
		e.Kind, e.SubjectID, e.Amount, e.Currency = journal.Pay, fmt.Sprint(700000+i), 120000, "RUB"
		e.Subject = "доплата за " + plans[i%len(plans)]
		e.Parts = []journal.Part{{Method: "card", Amount: 120000, Currency: "RUB"}}
	case 2:
		e.Kind, e.Subject = journal.Attend, "attended"
		e.BookingID, e.SubjectID, e.LessonID = fmt.Sprint(900000+i), fmt.Sprint(900000+i), fmt.Sprint(5000+i%200)
	case 3:
		e.Kind, e.SubjectID, e.BookingID = journal.CheckIn, fmt.Sprint(700000+i), fmt.Sprint(900000+i)
		e.Subject = plans[i%len(plans)]
	default:
		e.Kind, e.SubjectID, e.LessonID = journal.Book, fmt.Sprint(5000+i%200), fmt.Sprint(5000+i%200)
		e.Subject = lessons[i%len(lessons)] + " " + at.Format("02.01 15:04")
	}
	return e
}

// outcome is the answer to operation i, a second after its intent.
func (b Busy) outcome(i int, in journal.Entry) journal.Entry {
	e := journal.Entry{Op: in.Op, Phase: journal.Done, At: in.At.Add(time.Second),
		Message: "Операция проведена, клиент уведомлён по SMS и электронной почте; запись видна в карточке клиента и в отчёте смены; фискальный чек сформирован и передан оператору фискальных данных"}
	switch in.Kind {
	case journal.Sell:
		e.Ref = fmt.Sprint(800000 + i)
		e.Parts = []journal.Part{{Method: "card", Amount: 300000, Currency: "RUB", Outcome: "done", Detail: "чек № " + fmt.Sprint(i)},
			{Method: "cash", Amount: 240000, Currency: "RUB", Outcome: "done"}}
	case journal.Pay:
		e.Parts = []journal.Part{{Method: "card", Amount: 120000, Currency: "RUB", Outcome: "done", Detail: "платёж № " + fmt.Sprint(i)}}
	case journal.Book:
		e.Ref = fmt.Sprint(900000 + i)
	}
	if i%17 == 0 {
		e.Phase = journal.Refused
		e.Message = "Клиент уже записан на это занятие, повторная запись невозможна"
	}
	return e
}
