package demo

import "github.com/clubdesk/clubdesk/models"

// Plan IDs the generator and the showcase refer to.
const (
	planUnlimited   = "101"
	planEight       = "102"
	planTwelve      = "103"
	planYear        = "104"
	planTrial       = "105"
	planSingle      = "106"
	planMorning     = "107"
	planKidsEight   = "108"
	planKidsUnlim   = "109"
	planPoolTen     = "110"
	planSauna       = "111"
	planPersonal    = "112"
	currency        = "RUB"
	groupGym        = "Тренажёрный зал и групповые"
	groupPool       = "Бассейн"
	groupKids       = "Детское плавание"
	groupExtras     = "Дополнительно"
	groupMembership = "Клубное членство"
)

func rub(units int64) models.Money { return models.Major(units, currency) }

// catalogue is what the demo club sells, at mid-range Moscow prices.
func catalogue() []models.Plan {
	return []models.Plan{
		{ID: planUnlimited, Name: "Безлимит на месяц", Group: groupGym, Price: rub(5000), Months: 1,
			Description: "Тренажёрный зал, групповые программы и бассейн без ограничений"},
		{ID: planEight, Name: "8 посещений", Group: groupGym, Price: rub(4000), Visits: 8, Months: 1,
			Description: "8 посещений в течение месяца"},
		{ID: planTwelve, Name: "12 посещений", Group: groupGym, Price: rub(5400), Visits: 12, Months: 2,
			StartsOnFirstVisit: true, Description: "12 посещений за два месяца с первого визита"},
		{ID: planMorning, Name: "Утренний (до 16:00)", Group: groupGym, Price: rub(3500), Months: 1,
			Description: "Без ограничений с 7:00 до 16:00 по будням"},
		{ID: planYear, Name: "Годовой клубный", Group: groupMembership, Kind: models.PlanMembership,
			Price: rub(39000), MembershipFee: rub(5000), Months: 12,
			Description: "Год без ограничений; вступительный взнос 5 000 ₽"},
		{ID: planTrial, Name: "Пробное занятие", Group: groupGym, Kind: models.PlanTrial, Price: rub(500),
			Visits: 1, Days: 1, StartsOnFirstVisit: true, Description: "Первое знакомство с клубом"},
		{ID: planSingle, Name: "Разовое посещение", Group: groupGym, Price: rub(900), Visits: 1, Days: 1},
		{ID: planPoolTen, Name: "Бассейн — 10 посещений", Group: groupPool, Price: rub(5000), Visits: 10,
			Months: 2, StartsOnFirstVisit: true, Description: "Свободное плавание, 10 посещений за два месяца"},
		{ID: planKidsEight, Name: "Детское плавание — 8 занятий", Group: groupKids, Price: rub(4800),
			Visits: 8, Months: 1, Description: "Группы от 4 до 13 лет, занятие 45 минут"},
		{ID: planKidsUnlim, Name: "Детское плавание — безлимит", Group: groupKids, Price: rub(7500),
			Months: 1, Description: "Все детские группы без ограничений"},
		{ID: planSauna, Name: "Сауна", Group: groupExtras, Kind: models.PlanExtra, Price: rub(600),
			Visits: 1, Days: 1},
		{ID: planPersonal, Name: "Персональная тренировка", Group: groupExtras, Kind: models.PlanExtra,
			Price: rub(2500), Visits: 1, Months: 1, StartsOnFirstVisit: true},
	}
}

// weighted is a plan with its share among what the generator sells.
type weighted struct {
	id     string
	weight int
}

var (
	adultMix = []weighted{{planUnlimited, 30}, {planEight, 20}, {planTwelve, 18}, {planMorning, 10},
		{planYear, 8}, {planPoolTen, 8}, {planSingle, 3}, {planTrial, 3}}
	kidsMix = []weighted{{planKidsEight, 65}, {planKidsUnlim, 35}}
)

func pickWeighted(mix []weighted, r int) string {
	total := 0
	for _, w := range mix {
		total += w.weight
	}
	r %= total
	for _, w := range mix {
		if r < w.weight {
			return w.id
		}
		r -= w.weight
	}
	return mix[0].id
}
