package ui

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestREADMEScreensAreGoldens: a screen drawn in the README is a frame the
// console draws today, line for line, so the README cannot drift from it.
func TestREADMEScreensAreGoldens(t *testing.T) {
	readme, err := os.ReadFile(filepath.Join("..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	goldens, err := filepath.Glob(filepath.Join("testdata", "*.golden"))
	if err != nil {
		t.Fatal(err)
	}
	frames := map[string]string{}
	for _, g := range goldens {
		b, err := os.ReadFile(g)
		if err != nil {
			t.Fatal(err)
		}
		frames[trimFrame(string(b))] = g
	}
	blocks := regexp.MustCompile("(?s)```\n( clubdesk · .*?)```").FindAllStringSubmatch(string(readme), -1)
	if len(blocks) == 0 {
		t.Fatal("the README draws no screen: the pattern misses them")
	}
	for _, b := range blocks {
		if _, ok := frames[trimFrame(b[1])]; !ok {
			t.Errorf("the README draws a screen no golden holds (copy it from ui/testdata):\n%s", b[1])
		}
	}
}

// trimFrame drops trailing spaces and the blank lines a screen pads with.
func trimFrame(s string) string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		l = strings.TrimRight(l, " ")
		if l != "" {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}
