package cli

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/clubdesk/clubdesk/models"
	"github.com/clubdesk/clubdesk/providers"
	"github.com/clubdesk/clubdesk/providers/deep"
	"github.com/clubdesk/clubdesk/text"
	"github.com/clubdesk/clubdesk/ui/i18n"
	"github.com/clubdesk/clubdesk/ui/styles"
)

// deepTimeout bounds `doctor --deep`: a dozen reads or so, paced by the
// provider's rate limits (YCLIENTS: 5 a second).
const deepTimeout = 3 * time.Minute

// doctorDeep runs the adapter's deep check (read-only) when the CRM took
// the keys: a summary line and the keys' kind among doctor's lines, and a
// block of one line per numbered assumption; the --report file when asked.
func doctorDeep(ctx context.Context, in DoctorInput, prov providers.Provider, ready bool, add func(models.Level, string, string)) []string {
	ct := i18n.CLIFor(in.Language)
	lang := in.Language
	title := prov.Info().Title
	dc, ok := providers.As[deep.Checker](prov)
	switch {
	case !ok:
		add(models.Green, ct.DeepLabel, fmt.Sprintf(ct.DeepNone, text.Clean(title)))
		return nil
	case !ready:
		add(models.Yellow, ct.DeepLabel, ct.DeepSkipped)
		return nil
	}
	dctx, cancel := context.WithTimeout(ctx, deepTimeout)
	defer cancel()
	r := dc.DeepCheck(dctx)
	for _, k := range r.Keys {
		add(k.Level, text.Clean(k.Label.In(lang)), text.Clean(k.Text.In(lang)))
	}
	var b strings.Builder
	b.WriteString(fmt.Sprintf(ct.DeepTitle, text.Clean(title)))
	held, unchecked := 0, 0
	for _, c := range r.Checks {
		switch c.Result {
		case deep.Held:
			held++
		case deep.Unchecked:
			unchecked++
		}
		line := fmt.Sprintf(ct.DeepAbout, c.Number, c.About.In(lang), c.Result.Words().In(lang), c.Seen.In(lang))
		b.WriteString("\n  " + styles.LevelMark(c.Result.Level()) + " " + text.Clean(line))
	}
	if broken := r.Broken(); len(broken) > 0 {
		nums := make([]string, len(broken))
		for i, n := range broken {
			nums[i] = strconv.Itoa(n)
		}
		add(models.Red, ct.DeepLabel, fmt.Sprintf(ct.DeepBroken, strings.Join(nums, ", ")))
	} else {
		add(models.Green, ct.DeepLabel, fmt.Sprintf(ct.DeepHeld, held, unchecked))
	}
	if in.Report != "" {
		if err := writeReport(in.Report, r); err != nil {
			add(models.Red, ct.DeepLabel, text.Clean(fmt.Sprintf(ct.DeepReportFailed, err)))
		} else {
			b.WriteString("\n\n" + text.Clean(fmt.Sprintf(ct.DeepReportSaved, in.Report)))
		}
	}
	return []string{b.String()}
}

// writeReport writes the answers' shapes to path, readable by its owner
// only (it holds no person's data, but it is the club's business).
func writeReport(path string, r deep.Report) error {
	data, err := r.JSON()
	if err != nil {
		return err
	}
	f, err := os.OpenFile(path, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o600)
	if err != nil {
		return err
	}
	if err := f.Chmod(0o600); err != nil {
		f.Close()
		return err
	}
	if _, err := f.Write(append(data, '\n')); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
