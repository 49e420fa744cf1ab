package i18n

// ServeTexts are the words of `clubdesk serve` (issue 17): what a session
// over SSH is told, the idle lock, the permissions of the operators file,
// and what the service prints at start. They live apart from Texts so
// that the console's words and these do not get in each other's way; a
// test checks that none is empty in either language.
type ServeTexts struct {
	// NotPermitted starts the refusal of a write the operator may not make.
	NotPermitted string
	// NoMoney and NoOverride say which permission is missing (operator's
	// name).
	NoMoney, NoOverride string
	// The idle lock: the title, who is logged in (name, desk), the hint,
	// and the header.
	Locked, LockedWho, LockedHint, LockedTitle string
	// Stopping ends every session at a graceful stop; Bye ends one the
	// receptionist closed.
	Stopping, Bye string
	// StoppingNotice tells every session the service is stopping.
	StoppingNotice string
	// StoppingRefusal refuses a write asked while the service stops.
	StoppingRefusal string
	// NoTerminal refuses a session without a terminal (ssh -T, a command).
	NoTerminal string
	// What the service prints: the host key's fingerprint, the address,
	// who may connect (--check).
	HostKeyMade, HostKey, Listening, WhoMayConnect, CheckSkipped, CheckNone string
	// doctor's section on the service.
	DoctorTitle, DoctorOperators, DoctorOperatorsOK, DoctorOperatorsWritable string
	DoctorHostKey, DoctorHostKeyLater, DoctorCredentials, DoctorFromKeyring  string
	DoctorCredMissing, DoctorCredFound, DoctorListen                         string
	DoctorListenLocal, DoctorListenNetwork                                   string
	DoctorServiceBad                                                         string
	// The service does not start: no operators file, or one that lets no
	// one in (its path).
	NoOperatorsFile, NobodyInOperators string
}

var serveRU = ServeTexts{
	NotPermitted:            "Нет права",
	NoMoney:                 "%s не может принимать деньги (permit=money в operators)",
	NoOverride:              "%s не может пропустить при СТОП (permit=override в operators)",
	Locked:                  "Касса заблокирована после %d мин без действий",
	LockedWho:               "За кассой: %s · %s",
	LockedHint:              "Нажмите любую клавишу, чтобы продолжить",
	LockedTitle:             "блокировка",
	Stopping:                "Служба кассы останавливается: сеанс завершён. Всё отправленное в CRM записано в журнал — проверьте его (F7) после перезапуска.",
	Bye:                     "Сеанс кассы завершён.",
	StoppingRefusal:         "служба кассы останавливается: ничего не отправлено, повторите после перезапуска",
	StoppingNotice:          "Служба кассы останавливается: новые операции не принимаются, идущие завершаются",
	NoTerminal:              "clubdesk serve открывает только кассу, в терминале: ssh -t (без команды)",
	HostKeyMade:             "ключ сервера создан: %s",
	HostKey:                 "отпечаток ключа сервера (сверьте при первом входе): %s",
	Listening:               "касса по SSH на %s: ssh -p %s <имя>@<этот компьютер>",
	WhoMayConnect:           "могут войти (%s):",
	CheckSkipped:            "строка пропущена: %s",
	CheckNone:               "никто не может войти: в файле нет ни одного годного ключа",
	DoctorTitle:             "служба clubdesk serve:",
	DoctorOperators:         "операторы",
	DoctorOperatorsOK:       "могут войти %d: %s",
	DoctorOperatorsWritable: "файл operators могут менять другие (%v): любой добавит свой ключ — chmod 600",
	DoctorHostKey:           "ключ сервера",
	DoctorHostKeyLater:      "будет создан при первом запуске: %s",
	DoctorCredentials:       "ключи CRM",
	DoctorFromKeyring:       "из связки ключей, один раз при запуске службы (или LoadCredential= в юните systemd)",
	DoctorCredMissing:       "в %s нет: %s",
	DoctorCredFound:         "из %s: %s",
	DoctorListen:            "адрес",
	DoctorListenLocal:       "%s — только этот компьютер",
	DoctorListenNetwork:     "%s — открыт для сети: проверьте, что снаружи клуба порт закрыт",
	DoctorServiceBad:        "Служба clubdesk serve так не заработает: см. ✖ выше.",
	NoOperatorsFile:         "нет файла операторов %s: запишите в него по строке на администратора — operator=\"Имя\" и его ключ SSH (README, clubdesk serve)",
	NobodyInOperators:       "в файле операторов %s нет ни одного годного ключа: никто не сможет войти (clubdesk serve --check скажет, что не так)",
}

var serveEN = ServeTexts{
	NotPermitted:            "Not permitted",
	NoMoney:                 "%s may not take money (permit=money in operators)",
	NoOverride:              "%s may not let in past a STOP (permit=override in operators)",
	Locked:                  "Desk locked after %d min without a key",
	LockedWho:               "Logged in: %s · %s",
	LockedHint:              "Press any key to go on",
	LockedTitle:             "locked",
	Stopping:                "The desk service is stopping: session ended. Every write sent to the CRM is in the journal — check it (F7) after the restart.",
	Bye:                     "Desk session ended.",
	StoppingRefusal:         "the desk service is stopping: nothing was sent, do it again after the restart",
	StoppingNotice:          "The desk service is stopping: no new operation, those on their way finish",
	NoTerminal:              "clubdesk serve opens the desk only, in a terminal: ssh -t (no command)",
	HostKeyMade:             "host key made: %s",
	HostKey:                 "host key fingerprint (compare at the first login): %s",
	Listening:               "desk over SSH on %s: ssh -p %s <name>@<this computer>",
	WhoMayConnect:           "may connect (%s):",
	CheckSkipped:            "line skipped: %s",
	CheckNone:               "no one may connect: the file holds no usable key",
	DoctorTitle:             "clubdesk serve service:",
	DoctorOperators:         "operators",
	DoctorOperatorsOK:       "%d may connect: %s",
	DoctorOperatorsWritable: "others may change the operators file (%v): anyone could add a key — chmod 600",
	DoctorHostKey:           "host key",
	DoctorHostKeyLater:      "made at the first start: %s",
	DoctorCredentials:       "CRM keys",
	DoctorFromKeyring:       "from the keyring, once at the service's start (or LoadCredential= in the systemd unit)",
	DoctorCredMissing:       "missing in %s: %s",
	DoctorCredFound:         "from %s: %s",
	DoctorListen:            "address",
	DoctorListenLocal:       "%s — this computer only",
	DoctorListenNetwork:     "%s — open to the network: make sure the port is closed outside the club",
	DoctorServiceBad:        "clubdesk serve will not work as set up: see ✖ above.",
	NoOperatorsFile:         "no operators file %s: write one line a receptionist in it — operator=\"Name\" and their SSH key (README, clubdesk serve)",
	NobodyInOperators:       "the operators file %s holds no usable key: no one could connect (clubdesk serve --check says what is wrong)",
}

// Serve returns the serve words in lang (English unless "ru").
func Serve(lang string) *ServeTexts {
	if lang == "ru" {
		return &serveRU
	}
	return &serveEN
}
