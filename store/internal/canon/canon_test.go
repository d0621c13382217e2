package canon

import (
	"reflect"
	"testing"
	"time"

	"github.com/rolegraph/rolegraph/model"
)

// The conformance suite checks the shape through both backends; these
// pin what it cannot reach: values the catalog does not know, repeats, and
// audit ids handed out within one clock tick.

func TestSeatsAndProducts(t *testing.T) {
	for _, c := range []struct {
		name      string
		got, want any
	}{
		{"seats in catalog order, unknown last and sorted, no repeats",
			Seats([]model.SeatKind{"ZZ", model.SeatVoice, "AA", model.SeatRecorder, model.SeatVoice}),
			[]model.SeatKind{model.SeatRecorder, model.SeatVoice, "AA", "ZZ"}},
		{"no seats is nil", Seats([]model.SeatKind{}), []model.SeatKind(nil)},
		{"products in catalog order",
			Products([]model.Product{model.ProductAI, model.ProductConversations}),
			[]model.Product{model.ProductConversations, model.ProductAI}},
		{"ids sorted without repeats", IDs([]string{"b", "a", "b"}), []string{"a", "b"}},
		{"no ids is nil", IDs([]string{}), []string(nil)},
		{"grants by permission, stable",
			Grants([]model.Grant{{Permission: "b", Scope: model.ScopeAll}, {Permission: "a", Scope: model.ScopeOwn},
				{Permission: "b", Scope: model.ScopeTeam}}),
			[]model.Grant{{Permission: "a", Scope: model.ScopeOwn}, {Permission: "b", Scope: model.ScopeAll},
				{Permission: "b", Scope: model.ScopeTeam}}},
		{"time in UTC microseconds",
			Time(time.Date(2024, 1, 1, 5, 0, 0, 1_234_567, time.FixedZone("X", 3600))),
			time.Date(2024, 1, 1, 4, 0, 0, 1_234_000, time.UTC)},
		{"zero time stays zero", Time(time.Time{}), time.Time{}},
	} {
		if !reflect.DeepEqual(c.got, c.want) {
			t.Errorf("%s: got %v, want %v", c.name, c.got, c.want)
		}
	}
}

func TestAuditDefaultsOrderIDs(t *testing.T) {
	var last model.AuditEvent
	for i := range 1000 {
		e := model.AuditEvent{}
		AuditDefaults(&e)
		if e.ID == "" || e.At.IsZero() || e.At != Time(e.At) {
			t.Fatalf("event %d: id %q at %v", i, e.ID, e.At)
		}
		if i > 0 && (e.ID <= last.ID || e.At.Before(last.At)) {
			t.Fatalf("event %d (%s, %v) does not sort after (%s, %v)", i, e.ID, e.At, last.ID, last.At)
		}
		last = e
	}
	kept := model.AuditEvent{ID: "given", At: time.Unix(5, 0)}
	AuditDefaults(&kept)
	if kept.ID != "given" || !kept.At.Equal(time.Unix(5, 0)) {
		t.Errorf("AuditDefaults changed a full event: %+v", kept)
	}
}

func TestClockOnlyGoesForward(t *testing.T) {
	var c clock
	for _, step := range []struct{ now, want int64 }{
		{5, 5},
		{5, 6},   // same tick
		{3, 7},   // wall clock went back
		{10, 10}, // later again
	} {
		if got := c.next(step.now); got != step.want {
			t.Fatalf("next(%d) = %d, want %d", step.now, got, step.want)
		}
	}
}
