package memory_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/rolegraph/rolegraph/model"
	"github.com/rolegraph/rolegraph/store"
	"github.com/rolegraph/rolegraph/store/memory"
	"github.com/rolegraph/rolegraph/store/storetest"
)

func TestConformance(t *testing.T) {
	storetest.RunConformance(t, func(t *testing.T) store.Store {
		s := memory.New()
		t.Cleanup(s.Close)
		return s
	})
}

// seedInteractions fills one organization with n interactions.
func seedInteractions(tb testing.TB, s *memory.Store, n int) {
	tb.Helper()
	ctx := context.Background()
	base := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	err := s.InTx(ctx, func(tx store.Tx) error {
		if err := tx.CreateOrganization(ctx, &model.Organization{ID: "o1", Name: "O", Plan: model.PlanPro}); err != nil {
			return err
		}
		for i := range n {
			if err := tx.CreateInteraction(ctx, &model.Interaction{ID: fmt.Sprintf("i%06d", i), OrgID: "o1",
				Title: "call", CreatedAt: base.Add(time.Duration(i) * time.Second)}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		tb.Fatal(err)
	}
}

// TestLargeStateStaysCheap guards the undo-log design: a small transaction
// (committed or rolled back) and a page read must not cost in proportion to
// the store's size. New interactions are the newest, as in real use (an
// out-of-order insert shifts the index, which is linear but cheap). The
// bound is loose on purpose; copying the state per transaction, or sorting
// it per page, would take far longer.
func TestLargeStateStaysCheap(t *testing.T) {
	s := memory.New()
	seedInteractions(t, s, 100_000)
	ctx := context.Background()
	start := time.Now()
	for i := range 1000 {
		err := s.InTx(ctx, func(tx store.Tx) error {
			err := tx.CreateInteraction(ctx, &model.Interaction{ID: fmt.Sprintf("n%d", i), OrgID: "o1",
				CreatedAt: time.Date(2025, 1, 1, 0, 0, i, 0, time.UTC)})
			if err != nil {
				return err
			}
			if i%2 == 0 {
				return errRollback
			}
			return nil
		})
		if err != nil && err != errRollback {
			t.Fatal(err)
		}
		page, err := s.ListInteractions(ctx, "o1", store.Page{After: "i050000", Limit: 20})
		if err != nil || len(page) != 20 || page[0].ID != "i050001" {
			t.Fatalf("page after i050000: %d items, err %v", len(page), err)
		}
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Fatalf("1000 small transactions over 100k interactions took %v", d)
	}
	n, err := s.ListInteractions(ctx, "o1", store.Page{})
	if err != nil || len(n) != 100_500 {
		t.Fatalf("interactions: %d, err %v; want 100500", len(n), err)
	}
}

var errRollback = fmt.Errorf("rollback")

func BenchmarkSmallTxOver100kInteractions(b *testing.B) {
	s := memory.New()
	seedInteractions(b, s, 100_000)
	ctx := context.Background()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		_ = s.InTx(ctx, func(tx store.Tx) error {
			if err := tx.CreateInteraction(ctx, &model.Interaction{ID: fmt.Sprintf("n%d", i), OrgID: "o1",
				CreatedAt: time.Date(2025, 1, 1, 0, 0, i, 0, time.UTC)}); err != nil {
				return err
			}
			return errRollback
		})
	}
}
