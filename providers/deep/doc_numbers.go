package deep

import (
	"fmt"
	"os"
	"regexp"
	"slices"
	"strconv"
)

// docAssumption is a numbered assumption's first line in a package doc:
// "//  17. …".
var docAssumption = regexp.MustCompile(`(?m)^//\s{1,3}(\d+)\. `)

// InStepWithDoc reports whether an adapter's assumptions for `doctor
// --deep` are the numbered assumptions of its package doc (docPath), in
// order: each adapter's test calls it, so that a new assumption in the doc
// gets its check, and a check its words in the doc.
func InStepWithDoc(all []Assumption, docPath string) error {
	doc, err := os.ReadFile(docPath)
	if err != nil {
		return err
	}
	var want []int
	for _, m := range docAssumption.FindAllStringSubmatch(string(doc), -1) {
		n, _ := strconv.Atoi(m[1])
		want = append(want, n)
	}
	var have []int
	for _, a := range all {
		have = append(have, a.Number)
	}
	if !slices.Equal(have, want) {
		return fmt.Errorf("doctor --deep checks %v; %s numbers %v", have, docPath, want)
	}
	return nil
}
