package providers

import (
	"context"
	"testing"

	"github.com/clubdesk/clubdesk/models"
)

type base struct{ Unsupported }

func (base) Info() Info                 { return Info{Name: "base"} }
func (base) Capabilities() Capabilities { return Supports() }
func (base) Reconcile(context.Context, models.LostWrite) (models.Finding, error) {
	return models.Finding{Found: true}, nil
}

type wrapper struct{ Provider }

func (w wrapper) Unwrap() Provider { return w.Provider }

func TestAsLooksThroughDecorators(t *testing.T) {
	p := wrapper{wrapper{base{}}}
	r, ok := As[Reconciler](p)
	if !ok {
		t.Fatal("the reconciler under two decorators was not found")
	}
	if f, _ := r.Reconcile(context.Background(), models.LostWrite{}); !f.Found {
		t.Fatal("wrong reconciler")
	}
	if _, ok := As[Logouter](p); ok {
		t.Fatal("found an interface nobody implements")
	}
}
