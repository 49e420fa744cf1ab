// Package i18n holds every sentence the desk prints, in Russian and English,
// and the rules for counting and dates in each.
package i18n

import (
	"fmt"
	"time"

	"github.com/clubdesk/clubdesk/models"
)

// Texts is every sentence the desk prints, in one language. Fields with
// verbs are fmt formats. A test checks that no field is empty in either
// language.
type Texts struct {
	Lang string
	// J is the operation journal's (journal_texts.go).
	J JournalTexts

	// Chrome.
	Demo, NoConfig, Online, Offline, Loading, Sending string
	Screen                                            struct {
		Search, Pick, Card, Sale, Payment, TopUp, Calendar, BookFor, Roster, Help, UnknownCard, BindCard, NewClient, WalkIn, Report, OnlinePay, PayVisit string
	}
	HelpClose, HelpGlobal, HelpScreen string
	HelpZone, ZoneDefault             string

	// Keys.
	KeyHelp, KeySearch, KeyCalendar, KeySell, KeyRefresh, KeyReport, KeyQuit, KeyBack, KeyTab       string
	KeyLetIn                                                                                        string // Enter on a red verdict's reason
	KeyAllKeys                                                                                      string // the help key when the line left some out
	KeyMove, KeyPage, KeyPrevDay, KeyNextDay, KeyToday, KeyOpen, KeyPick                            string
	KeyCheckIn, KeyBook, KeyBindCard, KeyPay, KeyTopUp, KeyNewClient                                string
	KeyAttended, KeyNoShow, KeyUndo, KeyAddClient, KeyWalkIn, KeyCancel, KeyLateCancel, KeyFillRest string
	KeyConfirm, KeyYes, KeyNo, KeySubmit, KeyOnline                                                 string
	OnlineTitle, OnlineHint                                                                         string
	OnlinePick, OnlineDebt, OnlineRenew, OnlineBuy, OnlineOpening, OnlineFailed, OnlineUnknown      string
	OnlineNothing, OnlineBack, LabelGuardian                                                        string

	// Search.
	SearchPrompt, SearchPlaceholder, SearchHint, SearchNone, SearchFound, SearchMore string
	SearchPlaceholderNoCard, SearchHintNoCard                                        string
	ColName, ColPhone, ColCard, ColBirthday                                          string

	// Card: verdict.
	VerdictGreen, VerdictYellow, VerdictRed, VerdictChecking                     string
	ReasonBlocked, ReasonDebt, ReasonNoMembership, ReasonExpired, ReasonFrozen   string
	ReasonNoVisits, ReasonNotYetStarted, ReasonCheckedIn, ReasonEndsSoon         string
	ReasonLastVisit, ReasonBirthday, ReasonNote, ReasonActive, ReasonActiveNoEnd string
	Today, Tomorrow                                                              string
	ReasonBlackList, LabelTags, CameNoCancel                                     string
	// Card: profile and lists.
	LabelPhone, LabelBirthday, LabelCard, LabelNoCard, LabelDeposit, LabelDebt         string
	SecMemberships, SecToday, SecVisits, NoMemberships, NoBookings, NoVisits, MoreRows string
	StateActive, StateNotStarted, StateFrozen, StateExpired, StateStartsOnVisit        string
	VisitsOf, VisitsUnlimited, Until, Due, FrozenUntil                                 string
	BookingExpected, BookingAttended, BookingNoShow, BookingCancelled, BookingLate     string
	// Card: actions.
	CheckedIn, CheckedInLesson, ConfirmRecheck, OverridePrompt, OverrideNeedReason string
	NoCheckInWithoutVerdict                                                        string

	// Sale and payments.
	SaleStepPlan, SaleStepTerms, SaleStepPay, SaleStepConfirm, SaleStepResult               string
	Filter, PlanNone, PlanMonths, PlanDays, PlanVisits, PlanUnlimited, PlanFee, PlanTrial   string
	FieldStart, FieldDiscount, FieldDiscountValue, FieldReason, FieldPeriod                 string
	DiscountNone, DiscountPercent, DiscountAmount, DiscountHint, StartHint                  string
	Price, Fee, Discount, Total, Paid, Remaining, Available, Client, Plan                   string
	PayMethod                                                                               [5]string
	PayHint, ConfirmHint, SaleUnknown, Charged, NotCharged                                  string
	StepDone, StepFailed, StepNotTried, StepUnknown, StepMembership, ResultHint, ResultBack string
	PayDebtTitle, TopUpAmount, NothingDue                                                   string
	PaymentUnknown                                                                          string
	// Paying one visit: a booking's amount due, whole, by cash or card.
	PayVisitTitle, KeyPayVisit, ErrOneMethod, ColDue, BookingPaid, PlacesBooked, LabelDiscount, DebtNotHere string

	// Calendar and roster.
	ColTime, ColLesson, ColRoom, ColInstructor, ColPlaces, PlacesFull, NoLessons, Cancelled string
	BookedOK, RosterEmpty, ColNo, ColStatus, Marked, ConfirmCancel, ConfirmLateCancel       string
	CancelledOK, AddedOK, LessonFullNow, AlreadyInRoster                                    string

	// Cards and clients.
	UnknownCardText, UnknownCardHint, BindPrompt, BindConfirm, BoundOK, CardNotRead     string
	FieldLastName, FieldFirstName, FieldMiddleName, FieldPhone, FieldEmail              string
	FieldBirthday, FieldCard, Required, CreatedOK, FormHint, FormHintNoCard, DateFormat string
	FieldGuardian, FieldGuardianPhone                                                   string
	BadPhone, BadEmail, BadName, BadBirthday, ErrTooLarge, ErrDiscountAbove             string

	// Errors.
	ErrNotFound, ErrUnauthorized, ErrRateLimited, ErrValidation, ErrUnavailable      string
	ErrOutcomeUnknown, ErrUnsupported, ErrLessonFull, ErrAlreadyBooked, ErrCardInUse string
	ErrInsufficient, ErrTimeout, ErrOther, ErrDiscountReason, ErrDiscountRange       string
	ErrNotAPI, ErrBadAnswer, DueUnreadable                                           string
	ErrPaymentsMismatch, ErrNonPositive, ErrBadAmount, ErrBadDate                    string

	// Keyring, login, logout and doctor (the command line).
	SecretsFromEnv, KeyringNoBus, KeyringDeadBus, KeyringNoService, KeyringLocked, KeyringTimeout string
	KeyringOther, KeyringWaysOut, SecretMissing, LoginTitle, LoginVerifying                       string
	LoginRejected, LoginSaved, LoginNone, LoginNoStdin, LoginHint, LogoutDone, LogoutNone         string
	Prompt                                                                                        map[string]string
	DoctorTitle, DoctorConfig, DoctorNoConfig, DoctorProfile, DoctorUnknownProvider               string
	DoctorKeyring, DoctorKeyringOK, DoctorSecret, DoctorInKeyring, DoctorInEnv, DoctorMissing     string
	DoctorProvider, DoctorAnswers, DoctorNoCheck, DoctorClock, DoctorSkew, DoctorSkewUnknown      string
	DoctorOptional                                                                                string
	DoctorZone                                                                                    string
	DoctorCaps, DoctorNotSupported, DoctorAllGood, DoctorProblems, DoctorNoSecrets                string

	OpenClientFirst, QuitConfirm, ShiftCheckIns, ShiftSales, ShiftTotal, ShiftNone string
	ShiftDesk, ShiftOwed, ShiftUnconfirmed, ShiftCheckF7                           string

	// Keys of the sale's terms.
	KeyDayLater, KeyDayEarlier, KeyCycle string
	// Keys that arrive before what they act on is on the screen.
	ScanWait, ScanCancelled, ScanPiece, CardSettling, CardLoading, ListLoading string
	// Questions that move money or identity: a letter answers them.
	ConfirmPay, ConfirmTopUp, ConfirmSale, YesNo string
	// A visit of several bookings, which a payment or a mark acts on whole.
	ConfirmPayVisit, KeyVisitOne, KeyVisitWhole, VisitHolds, VisitTotal, VisitPayOne, VisitPayWhole string
	VisitDueUnknown, ConfirmMarkVisit                                                               string
	// The outcome of a write whose screen was left before it came.
	WriteDone, WriteFailed, WriteUnknown string
	// Counted messages: forms separated by "|" (see Count).
	VisitCount, InDaysCount string
	HelpScroll              string

	weekdays [7]string
	months   [12]string
}

// N chooses the plural form for count by the language's CLDR rule:
// Russian has three for whole numbers (1 визит, 2 визита, 5 визитов),
// English two.
func (t *Texts) N(count int, one, few, many string) string {
	if t.Lang != "ru" {
		return models.Plural(t.Lang, count, one+models.PluralSep+many)
	}
	return models.Plural(t.Lang, count, one+models.PluralSep+few+models.PluralSep+many)
}

// Visits words a visit count: "3 посещения", "1 visit".
func (t *Texts) Visits(count int) string { return t.Count(t.VisitCount, count) }

// Ago words how long ago something was, in whole minutes and hours:
// "только что", "12 мин назад", "2 h 5 min ago".
func (t *Texts) Ago(d time.Duration) string {
	m := int(d.Minutes())
	if m < 1 {
		if t.Lang == "ru" {
			return "только что"
		}
		return "just now"
	}
	h, m := m/60, m%60
	hs, ms, ago := "h", "min", "%s ago"
	if t.Lang == "ru" {
		hs, ms, ago = "ч", "мин", "%s назад"
	}
	span := fmt.Sprintf("%d %s %d %s", h, hs, m, ms)
	switch {
	case h == 0:
		span = fmt.Sprintf("%d %s", m, ms)
	case m == 0:
		span = fmt.Sprintf("%d %s", h, hs)
	}
	return fmt.Sprintf(ago, span)
}

// Count words a counted message: its forms are separated by "|" in the
// order of the language's CLDR categories ("%d visit|%d visits"; "%d
// день|%d дня|%d дней"); an abbreviation that does not change has one.
func (t *Texts) Count(format string, n int) string { return models.Count(t.Lang, n, format) }

// InDays words how far a day is: today, tomorrow, in 2 days.
func (t *Texts) InDays(days int) string {
	switch days {
	case 0:
		return t.Today
	case 1:
		return t.Tomorrow
	}
	return t.Count(t.InDaysCount, days)
}

// LongDate words a day for the header: "вс, 22 ноября", "Sun, 22 November".
func (t *Texts) LongDate(tm time.Time) string {
	return fmt.Sprintf("%s, %d %s", t.weekdays[tm.Weekday()], tm.Day(), t.months[tm.Month()-1])
}

// For returns the texts of a language: Russian for "ru", English otherwise.
func For(lang string) *Texts {
	if lang == "ru" {
		return &ru
	}
	return &en
}
