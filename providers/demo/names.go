package demo

import (
	"strings"

	index "github.com/clubdesk/clubdesk/providers/search"
)

// Name data for the generated clients. Surnames are stored in the masculine
// form; the feminine one is derived by Russian rules (Иванов → Иванова,
// Островский → Островская, Толстой → Толстая) unless the surname does not
// change with gender (Ким, Шевченко). The showcase surnames (Зеленина,
// Морозова, Новосёлов...) are deliberately absent, so that searching for one
// finds exactly the showcase client.

// word is one name in the three forms the club needs: as written, folded for
// search (lower case, ё → е) and transliterated for e-mail addresses.
type word struct {
	ru, key, lat string
	id           int32 // in the search vocabulary
}

func mkWord(ru string) word { return word{ru: ru, key: fold(ru), lat: translit(ru)} }

// surname holds both gendered forms of a family name.
type surname struct{ m, f word }

// father is a male first name with the patronymics it gives.
type father struct{ son, daughter word }

var surnamesRaw = []string{
	"Иванов", "Смирнов", "Кузнецов", "Попов", "Васильев", "Петров", "Соколов", "Михайлов",
	"Новиков", "Фёдоров", "Волков", "Алексеев", "Лебедев", "Семёнов", "Егоров", "Павлов",
	"Козлов", "Степанов", "Николаев", "Орлов", "Андреев", "Макаров", "Никитин", "Захаров",
	"Зайцев", "Соловьёв", "Борисов", "Яковлев", "Григорьев", "Романов", "Воробьёв", "Сергеев",
	"Кузьмин", "Фролов", "Александров", "Дмитриев", "Королёв", "Гусев", "Киселёв", "Ильин",
	"Максимов", "Поляков", "Сорокин", "Виноградов", "Ковалёв", "Белов", "Медведев", "Антонов",
	"Тарасов", "Жуков", "Баранов", "Филиппов", "Комаров", "Давыдов", "Беляев", "Герасимов",
	"Богданов", "Осипов", "Сидоров", "Матвеев", "Титов", "Марков", "Миронов", "Крылов",
	"Куликов", "Карпов", "Власов", "Абрамов", "Тихонов", "Голубев", "Афанасьев", "Калинин",
	"Широков", "Лазарев", "Ефимов", "Денисов", "Громов", "Пономарёв", "Кудрявцев", "Быков",
	"Щербаков", "Ершов", "Голованов", "Гаврилов", "Федотов", "Суханов", "Третьяков", "Рябов",
	"Островский", "Вишневский", "Каменский", "Покровский", "Ковальский", "Соболевский",
	"Троицкий", "Высоцкий", "Белецкий", "Толстой", "Луговой", "Рыжий",
	"Ким", "Цой", "Пак", "Шевченко", "Бондаренко", "Ткаченко", "Коваленко", "Кравченко",
	"Лысенко", "Мельник", "Коваль", "Гарсия", "Алиев", "Мамедов", "Садыков", "Хабибуллин",
}

var maleNamesRaw = []string{
	"Александр", "Алексей", "Андрей", "Антон", "Артём", "Борис", "Вадим", "Валерий",
	"Василий", "Виктор", "Владимир", "Владислав", "Вячеслав", "Георгий", "Глеб", "Григорий",
	"Даниил", "Денис", "Дмитрий", "Евгений", "Егор", "Иван", "Игорь", "Илья",
	"Кирилл", "Константин", "Лев", "Леонид", "Максим", "Марк", "Матвей", "Михаил",
	"Никита", "Николай", "Олег", "Павел", "Пётр", "Роман", "Руслан", "Сергей",
	"Станислав", "Степан", "Тимофей", "Тимур", "Фёдор", "Юрий", "Ярослав",
}

var femaleNamesRaw = []string{
	"Александра", "Алина", "Алиса", "Алла", "Анастасия", "Ангелина", "Анна", "Валентина",
	"Валерия", "Варвара", "Вера", "Вероника", "Виктория", "Галина", "Дарья", "Диана",
	"Евгения", "Екатерина", "Елена", "Елизавета", "Жанна", "Зоя", "Ирина", "Карина",
	"Кристина", "Ксения", "Лариса", "Лидия", "Любовь", "Людмила", "Маргарита", "Марина",
	"Мария", "Милана", "Надежда", "Наталья", "Нина", "Оксана", "Олеся", "Полина",
	"Светлана", "София", "Таисия", "Татьяна", "Ульяна", "Юлия", "Яна",
}

// fathersRaw lists a father's name with the son's and daughter's patronymics:
// Russian patronymics are irregular enough (Илья → Ильич, Лев → Львович)
// that a table is shorter than rules.
var fathersRaw = [][2]string{
	{"Александрович", "Александровна"}, {"Алексеевич", "Алексеевна"}, {"Андреевич", "Андреевна"},
	{"Анатольевич", "Анатольевна"}, {"Антонович", "Антоновна"}, {"Артёмович", "Артёмовна"},
	{"Борисович", "Борисовна"}, {"Вадимович", "Вадимовна"}, {"Валерьевич", "Валерьевна"},
	{"Васильевич", "Васильевна"}, {"Викторович", "Викторовна"}, {"Владимирович", "Владимировна"},
	{"Вячеславович", "Вячеславовна"}, {"Геннадьевич", "Геннадьевна"}, {"Георгиевич", "Георгиевна"},
	{"Григорьевич", "Григорьевна"}, {"Денисович", "Денисовна"}, {"Дмитриевич", "Дмитриевна"},
	{"Евгеньевич", "Евгеньевна"}, {"Егорович", "Егоровна"}, {"Иванович", "Ивановна"},
	{"Игоревич", "Игоревна"}, {"Ильич", "Ильинична"}, {"Кириллович", "Кирилловна"},
	{"Константинович", "Константиновна"}, {"Львович", "Львовна"}, {"Максимович", "Максимовна"},
	{"Михайлович", "Михайловна"}, {"Никитич", "Никитична"}, {"Николаевич", "Николаевна"},
	{"Олегович", "Олеговна"}, {"Павлович", "Павловна"}, {"Петрович", "Петровна"},
	{"Романович", "Романовна"}, {"Русланович", "Руслановна"}, {"Сергеевич", "Сергеевна"},
	{"Станиславович", "Станиславовна"}, {"Тимурович", "Тимуровна"}, {"Фёдорович", "Фёдоровна"},
	{"Юрьевич", "Юрьевна"}, {"Ярославович", "Ярославовна"},
}

// invariantSurnames do not change with gender.
var invariantSurnames = map[string]bool{
	"Ким": true, "Цой": true, "Пак": true, "Шевченко": true, "Бондаренко": true, "Ткаченко": true,
	"Коваленко": true, "Кравченко": true, "Лысенко": true, "Мельник": true, "Коваль": true, "Гарсия": true,
}

// feminine gives the feminine form of a masculine Russian surname.
func feminine(m string) string {
	switch {
	case invariantSurnames[m]:
		return m
	case strings.HasSuffix(m, "ский"), strings.HasSuffix(m, "цкий"):
		return strings.TrimSuffix(m, "ий") + "ая"
	case strings.HasSuffix(m, "ой"), strings.HasSuffix(m, "ый"), strings.HasSuffix(m, "ий"):
		return m[:len(m)-len("ой")] + "ая"
	case strings.HasSuffix(m, "ов"), strings.HasSuffix(m, "ев"), strings.HasSuffix(m, "ёв"),
		strings.HasSuffix(m, "ин"), strings.HasSuffix(m, "ын"):
		return m + "а"
	}
	return m
}

// The tables the generator draws from, built once at start-up (a few
// hundred words: microseconds).
var (
	surnames    []surname
	maleNames   []word
	femaleNames []word
	fathers     []father
)

func init() {
	for _, s := range surnamesRaw {
		surnames = append(surnames, surname{m: mkWord(s), f: mkWord(feminine(s))})
	}
	for _, n := range maleNamesRaw {
		maleNames = append(maleNames, mkWord(n))
	}
	for _, n := range femaleNamesRaw {
		femaleNames = append(femaleNames, mkWord(n))
	}
	for _, p := range fathersRaw {
		fathers = append(fathers, father{son: mkWord(p[0]), daughter: mkWord(p[1])})
	}
	buildVocab()
}

// fold is the form names are compared in: lower case with ё read as е, the
// way receptionists type.
func fold(s string) string { return index.Fold(s) }

var latin = map[rune]string{
	'а': "a", 'б': "b", 'в': "v", 'г': "g", 'д': "d", 'е': "e", 'ё': "e", 'ж': "zh",
	'з': "z", 'и': "i", 'й': "y", 'к': "k", 'л': "l", 'м': "m", 'н': "n", 'о': "o",
	'п': "p", 'р': "r", 'с': "s", 'т': "t", 'у': "u", 'ф': "f", 'х': "kh", 'ц': "ts",
	'ч': "ch", 'ш': "sh", 'щ': "shch", 'ъ': "", 'ы': "y", 'ь': "", 'э': "e", 'ю': "yu",
	'я': "ya",
}

// translit writes a Russian name in lower-case latin as people spell it in
// e-mail addresses (Смирнова → smirnova, Юлия → yuliya).
func translit(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		if l, ok := latin[r]; ok {
			b.WriteString(l)
		} else if r < 128 {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// usToRu maps the US keyboard layout back to the Russian one: a receptionist
// who forgot to switch layouts types "cvbhyjdf" for "смирнова".
var usToRu = func() map[rune]rune {
	us := []rune("qwertyuiop[]asdfghjkl;'zxcvbnm,.`")
	ru := []rune("йцукенгшщзхъфывапролджэячсмитьбюё")
	m := make(map[rune]rune, len(us))
	for i, r := range us {
		m[r] = ru[i]
	}
	return m
}()

// russianLayout rewrites lower-case latin typed with the wrong layout.
func russianLayout(s string) string {
	return strings.Map(func(r rune) rune {
		if c, ok := usToRu[r]; ok {
			return c
		}
		return r
	}, s)
}

// Words the club uses about its clients: why a card is stopped, notes for
// reception.
var blockReasons = []string{
	"Карта утеряна, выдать новую",
	"Нарушение правил клуба, вход только с разрешения управляющего",
	"Передал карту другому человеку",
	"Карта повреждена, заменить",
}

var notes = []string{
	"Аллергия на хлор, бассейн не рекомендован",
	"Просит напоминать о продлении заранее",
	"Забыл(а) в раздевалке часы, хранятся у администратора",
	"Предпочитает шкафчик у окна",
	"После травмы колена: согласовать тренировку с тренером",
	"Подарочный сертификат на массаж, не использован",
}
