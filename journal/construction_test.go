package journal

import (
	"context"
	"reflect"
	"testing"
	"time"

	"github.com/clubdesk/clubdesk/models"
	"github.com/clubdesk/clubdesk/providers"
	"github.com/clubdesk/clubdesk/providers/demo"
)

// witness is the demo club whose every write first looks at the journal:
// the intent of the write must already be on disk when it reaches the CRM.
type witness struct {
	providers.Provider
	j       *Journal
	reached map[string]bool
	t       *testing.T
}

func (w *witness) saw(method string) {
	w.reached[method] = true
	if w.j.InFlight() == 0 {
		w.t.Errorf("%s reached the provider with no intent in the journal", method)
	}
}

func (w *witness) BindCard(ctx context.Context, id, tag string) error {
	w.saw("BindCard")
	return w.Provider.BindCard(ctx, id, tag)
}
func (w *witness) CreateClient(ctx context.Context, c models.NewClient) (models.Client, error) {
	w.saw("CreateClient")
	return w.Provider.CreateClient(ctx, c)
}
func (w *witness) Sell(ctx context.Context, s models.Sale) (models.SaleResult, error) {
	w.saw("Sell")
	return w.Provider.Sell(ctx, s)
}
func (w *witness) TakePayment(ctx context.Context, r models.PaymentRequest) (models.PaymentResult, error) {
	w.saw("TakePayment")
	return w.Provider.TakePayment(ctx, r)
}
func (w *witness) TopUpDeposit(ctx context.Context, r models.PaymentRequest) (models.PaymentResult, error) {
	w.saw("TopUpDeposit")
	return w.Provider.TopUpDeposit(ctx, r)
}
func (w *witness) Book(ctx context.Context, lesson, client string) (models.Booking, error) {
	w.saw("Book")
	return w.Provider.Book(ctx, lesson, client)
}
func (w *witness) CancelBooking(ctx context.Context, id string, late bool) error {
	w.saw("CancelBooking")
	return w.Provider.CancelBooking(ctx, id, late)
}
func (w *witness) MarkAttendance(ctx context.Context, id string, a models.Attendance) error {
	w.saw("MarkAttendance")
	return w.Provider.MarkAttendance(ctx, id, a)
}
func (w *witness) CheckIn(ctx context.Context, c models.CheckIn) (models.Visit, error) {
	w.saw("CheckIn")
	return w.Provider.CheckIn(ctx, c)
}

func (w *witness) UndoCheckIn(ctx context.Context, v models.Visit) error {
	w.saw("UndoCheckIn")
	return w.Provider.UndoCheckIn(ctx, v)
}

// TestEveryWriteIsJournalledFirst calls every method of providers.Writer —
// listed by reflection, so a write added to the contract joins the test by
// itself — through the journal, and checks that each reached the provider
// with its intent already recorded. Together with Recorded implementing
// Writer itself (it embeds the Reader only), no write can slip past.
func TestEveryWriteIsJournalledFirst(t *testing.T) {
	now := time.Date(2026, 11, 22, 10, 5, 0, 0, time.FixedZone("MSK", 3*3600))
	club, err := demo.New(providers.Settings{Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	j, err := Open(t.TempDir(), Who{Profile: "main", Provider: "demo", Desk: "test"})
	if err != nil {
		t.Fatal(err)
	}
	w := &witness{Provider: club, j: j, reached: map[string]bool{}, t: t}
	rec := Wrap(w, j)

	rub := func(minor int64) models.Money { return models.Money{Minor: minor, Currency: "RUB"} }
	plan := models.Plan{ID: "p1", Name: "8 посещений", Price: rub(400000), Visits: 8, Months: 1}
	cash := []models.Payment{{Method: models.PayCash, Amount: rub(400000)}}
	ctx := context.Background()
	args := map[string][]any{
		"BindCard":       {ctx, "10010", "0099999999"},
		"CreateClient":   {ctx, models.NewClient{LastName: "Гостев", FirstName: "Пётр", Phone: "+79160001122"}},
		"Sell":           {ctx, models.Sale{ClientID: "10010", Plan: plan, Start: models.DateOf(now, now.Location()), Payments: cash}},
		"TakePayment":    {ctx, models.PaymentRequest{ClientID: "10004", Purpose: models.PayForMembership, Payments: cash}},
		"TopUpDeposit":   {ctx, models.PaymentRequest{ClientID: "10010", Purpose: models.PayToDeposit, Payments: cash}},
		"Book":           {ctx, "lesson", "10010"},
		"CancelBooking":  {ctx, "booking", false},
		"MarkAttendance": {ctx, "booking", models.Attended},
		"CheckIn":        {ctx, models.CheckIn{ClientID: "10001"}},
		"UndoCheckIn":    {ctx, models.Visit{ID: "V10001-1", ClientID: "10001"}},
	}
	writer := reflect.TypeOf((*providers.Writer)(nil)).Elem()
	for i := range writer.NumMethod() {
		m := writer.Method(i)
		a, ok := args[m.Name]
		if !ok {
			t.Errorf("providers.Writer.%s is new: give it arguments here, and its journal entry in Recorded", m.Name)
			continue
		}
		in := make([]reflect.Value, len(a))
		for k, v := range a {
			in[k] = reflect.ValueOf(v)
		}
		reflect.ValueOf(rec).MethodByName(m.Name).Call(in)
		if !w.reached[m.Name] {
			t.Errorf("%s never reached the provider: the test proved nothing for it", m.Name)
		}
	}
	if len(j.Since(now.Add(-time.Hour))) < writer.NumMethod() {
		t.Errorf("the journal holds %d operations for %d writes", len(j.Since(now.Add(-time.Hour))), writer.NumMethod())
	}
}
