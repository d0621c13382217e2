package storetest

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/rolegraph/rolegraph/model"
	"github.com/rolegraph/rolegraph/rels"
	"github.com/rolegraph/rolegraph/store"
)

// Transactions: all or nothing, on error, panic or a canceled context;
// their reads see their writes; a failed write leaves them usable.

func rel(res, sub string) rels.Relationship {
	return rels.Relationship{ResourceType: "team", ResourceID: res, Relation: "member", SubjectType: "user", SubjectID: sub}
}

func upTouch(res, sub string) rels.Update  { return rels.Update{Op: rels.OpTouch, Rel: rel(res, sub)} }
func upDelete(res, sub string) rels.Update { return rels.Update{Op: rels.OpDelete, Rel: rel(res, sub)} }

// snapshot is everything a failed transaction could have touched, read
// through the public API.
func snapshot(h *h, orgs ...string) string {
	h.Helper()
	var parts []any
	add := func(v any, err error) {
		h.Helper()
		h.ok(err, "snapshot")
		parts = append(parts, v)
	}
	add(h.s.ListOrganizations(h.ctx))
	for _, o := range orgs {
		ms, err := h.s.ListMembers(h.ctx, o, store.MemberFilter{})
		add(ms, err)
		ts, err := h.s.ListTeams(h.ctx, o)
		add(ts, err)
		add(h.s.ListMemberships(h.ctx, o, "", ""))
		rs, err := h.s.ListRoles(h.ctx, o)
		add(rs, err)
		add(uniqueKeys(h, o, ms, ts, rs), nil)
		add(h.s.ListSeatPools(h.ctx, o))
		add(h.s.ListInteractions(h.ctx, o, store.Page{}))
		add(h.s.ListEvaluations(h.ctx, o, store.Page{}))
		add(h.s.ListAudit(h.ctx, o, store.Page{}))
		add(h.s.PendingOutbox(h.ctx, o, 0))
	}
	add(h.s.OrgsWithPending(h.ctx))
	for _, tok := range []string{"h1", "h2"} {
		inv, err := h.s.GetInvitation(h.ctx, tok)
		if errors.Is(err, store.ErrNotFound) {
			err = nil
		}
		add(inv, err)
	}
	return show(parts)
}

// uniqueKeys is what the uniqueness indexes behind the listings say, which
// the listings alone do not show: which member each email finds and which
// role each key finds, and whether each email, team name and role name is
// taken, for those listed and those everyWrite gives. A rollback that
// forgot to restore an index, or left an entry behind, changes it.
func uniqueKeys(h *h, orgID string, ms []*model.Member, ts []*model.Team, rs []*model.Role) []string {
	h.Helper()
	emails, teamNames, roleNames := slices.Clone(written.emails), slices.Clone(written.teamNames), slices.Clone(written.roleNames)
	var keys []string
	for _, m := range ms {
		emails = append(emails, m.Email)
	}
	for _, t := range ts {
		teamNames = append(teamNames, t.Name)
	}
	for _, r := range rs {
		roleNames, keys = append(roleNames, r.Name), append(keys, r.Key)
	}
	var out []string
	found := func(what string, got any, err error) {
		out = append(out, fmt.Sprintf("%s: %s %v", what, show(got), err))
	}
	for _, e := range emails {
		got, err := h.s.GetMemberByEmail(h.ctx, orgID, e)
		found("member with email "+e, got, err)
		out = append(out, fmt.Sprintf("email %s taken: %t", e,
			taken(h, &model.Member{ID: "probe", OrgID: orgID, Email: strings.ToUpper(e)})))
	}
	for _, k := range keys {
		got, err := h.s.GetRoleByKey(h.ctx, orgID, k)
		found("role with key "+k, got, err)
	}
	for _, n := range teamNames {
		out = append(out, fmt.Sprintf("team name %s taken: %t", n, taken(h, team(orgID, "probe", strings.ToUpper(n), ""))))
	}
	for _, n := range roleNames {
		out = append(out, fmt.Sprintf("role name %s taken: %t", n, taken(h, role(orgID, "probe", "", strings.ToUpper(n)))))
	}
	return out
}

// taken reports whether creating o is a conflict. It changes nothing: its
// transaction is always rolled back.
func taken(h *h, o any) bool {
	h.Helper()
	var conflict bool
	err := h.s.InTx(h.ctx, func(tx store.Tx) error {
		conflict = errors.Is(put(h.ctx, tx, o), store.ErrConflict)
		return errBoom
	})
	if err != errBoom {
		h.Fatalf("probe %s: %v", show(o), err)
	}
	return conflict
}

// seedWorld gives the rollback tests something to change.
func seedWorld(h *h) {
	m := member("o1", "m1", 0)
	m.RoleIDs = []string{"r1"}
	h.seed(org("o1"), role("o1", "r1", "admin", "Admin"), m, member("o1", "m2", 1),
		team("o1", "t1", "One", ""), team("o1", "t2", "Two", "t1"), interaction("o1", "i1", 0),
		&model.SeatPool{OrgID: "o1", Kind: model.SeatRecorder, Total: 3},
		&model.Invitation{TokenHash: "h1", OrgID: "o1", MemberID: "m2", ExpiresAt: at(100)})
	h.seed(evaluation("o1", "e1", "i1", 0), &model.TeamMembership{OrgID: "o1", TeamID: "t1", MemberID: "m1"},
		&model.AuditEvent{ID: "a1", OrgID: "o1", At: t0, Action: "seed"})
	h.inTx(func(tx store.Tx) error { return tx.Enqueue(h.ctx, "o1", []rels.Update{upTouch("t1", "m1")}) })
}

// written is the emails and names everyWrite gives, for uniqueKeys.
var written = struct{ emails, teamNames, roleNames []string }{
	emails:    []string{"new@example.com", "m3@example.com"},
	teamNames: []string{"Three", "Deux"},
	roleNames: []string{"Two", "Deux"},
}

// everyWrite calls every Tx write once, all of which must succeed.
func everyWrite(h *h, tx store.Tx) error {
	steps := []struct {
		name string
		fn   func() error
	}{
		{"LockOrganization", func() error { return tx.LockOrganization(h.ctx, "o1") }},
		{"CreateOrganization", func() error { return tx.CreateOrganization(h.ctx, org("o9")) }},
		{"UpdateOrganization", func() error {
			return tx.UpdateOrganization(h.ctx, &model.Organization{ID: "o1", Name: "Changed", Plan: model.PlanStarter})
		}},
		{"CreateMember", func() error { return tx.CreateMember(h.ctx, member("o1", "m3", 2)) }},
		{"UpdateMember", func() error {
			return tx.UpdateMember(h.ctx, &model.Member{ID: "m1", OrgID: "o1", Email: "new@example.com",
				Status: model.StatusDeactivated})
		}},
		{"DeleteMember", func() error { return tx.DeleteMember(h.ctx, "o1", "m2") }},
		{"CreateTeam", func() error { return tx.CreateTeam(h.ctx, team("o1", "t3", "Three", "")) }},
		{"UpdateTeam", func() error { return tx.UpdateTeam(h.ctx, team("o1", "t2", "Deux", "")) }},
		{"PutMembership", func() error {
			return tx.PutMembership(h.ctx, &model.TeamMembership{OrgID: "o1", TeamID: "t1", MemberID: "m1", Manager: true})
		}},
		{"DeleteTeam", func() error { return tx.DeleteTeam(h.ctx, "o1", "t1") }},
		{"DeleteMembership", func() error {
			if err := tx.PutMembership(h.ctx, &model.TeamMembership{OrgID: "o1", TeamID: "t3", MemberID: "m1"}); err != nil {
				return err
			}
			return tx.DeleteMembership(h.ctx, "o1", "t3", "m1")
		}},
		{"CreateRole", func() error { return tx.CreateRole(h.ctx, role("o1", "r2", "", "Two")) }},
		{"UpdateRole", func() error { return tx.UpdateRole(h.ctx, role("o1", "r2", "", "Deux")) }},
		{"DeleteRole", func() error { return tx.DeleteRole(h.ctx, "o1", "r1") }},
		{"PutSeatPool", func() error {
			return tx.PutSeatPool(h.ctx, &model.SeatPool{OrgID: "o1", Kind: model.SeatRecorder, Total: 30})
		}},
		{"CreateInteraction", func() error { return tx.CreateInteraction(h.ctx, interaction("o1", "i2", 1)) }},
		{"CreateEvaluation", func() error { return tx.CreateEvaluation(h.ctx, evaluation("o1", "e2", "i2", 1)) }},
		{"DeleteInteraction", func() error { return tx.DeleteInteraction(h.ctx, "o1", "i1") }},
		{"AppendAudit", func() error { return tx.AppendAudit(h.ctx, &model.AuditEvent{OrgID: "o1", Action: "x"}) }},
		{"CreateInvitation", func() error {
			return tx.CreateInvitation(h.ctx, &model.Invitation{TokenHash: "h2", OrgID: "o1", ExpiresAt: at(1)})
		}},
		{"MarkInvitationUsed", func() error { return tx.MarkInvitationUsed(h.ctx, "h1", at(5)) }},
		{"Enqueue", func() error {
			return tx.Enqueue(h.ctx, "o1", []rels.Update{upDelete("t1", "m1"), upTouch("t3", "m3")})
		}},
		{"Enqueue other organization", func() error { return tx.Enqueue(h.ctx, "o9", []rels.Update{upTouch("x", "y")}) }},
	}
	for _, s := range steps {
		if err := s.fn(); err != nil {
			return fmt.Errorf("%s: %w", s.name, err)
		}
	}
	return nil
}

var errBoom = errors.New("storetest: boom")

func testRollbackLeavesNothing(h *h) {
	seedWorld(h)
	before := snapshot(h, "o1", "o9")
	err := h.s.InTx(h.ctx, func(tx store.Tx) error {
		if err := everyWrite(h, tx); err != nil {
			h.Errorf("write inside the transaction: %v", err)
		}
		return errBoom
	})
	if err != errBoom {
		h.Errorf("InTx returned %v, want fn's error as is", err)
	}
	if after := snapshot(h, "o1", "o9"); after != before {
		h.Errorf("rolled-back transaction left changes:\n before %s\n after  %s", before, after)
	}

	// A wrapped error is returned as is too.
	wrapped := fmt.Errorf("context: %w", errBoom)
	err = h.s.InTx(h.ctx, func(tx store.Tx) error {
		if err := tx.CreateMember(h.ctx, member("o1", "m9", 0)); err != nil {
			return err
		}
		return wrapped
	})
	if err != wrapped {
		h.Errorf("InTx returned %v, want %v", err, wrapped)
	}
	_, err = h.s.GetMember(h.ctx, "o1", "m9")
	h.is(err, store.ErrNotFound, "member of a rolled-back transaction")

	// The same writes commit when fn returns nil (so the test above did
	// roll back real changes).
	h.inTx(func(tx store.Tx) error { return everyWrite(h, tx) })
	if after := snapshot(h, "o1", "o9"); after == before {
		h.Errorf("committed transaction changed nothing")
	}
	o, err := h.s.GetOrganization(h.ctx, "o1")
	h.ok(err, "GetOrganization")
	eq(h, "committed org name", o.Name, "Changed")
	q, err := h.s.PendingOutbox(h.ctx, "o1", 0)
	h.ok(err, "PendingOutbox")
	eq(h, "outbox after commit", len(q), 3)
}

func testPanicRollsBack(h *h) {
	seedWorld(h)
	before := snapshot(h, "o1", "o9")
	func() {
		defer func() {
			if r := recover(); r != errBoom {
				h.Errorf("recovered %v, want the panic value", r)
			}
		}()
		_ = h.s.InTx(h.ctx, func(tx store.Tx) error {
			if err := everyWrite(h, tx); err != nil {
				h.Errorf("write: %v", err)
			}
			panic(errBoom)
		})
	}()
	if after := snapshot(h, "o1", "o9"); after != before {
		h.Errorf("panicking transaction left changes:\n before %s\n after  %s", before, after)
	}
	// And the store still takes transactions.
	h.seed(member("o1", "m9", 0))
}

// Pinned: a write that fails changes nothing and leaves the transaction
// usable, so a caller may handle ErrConflict or ErrNotFound and go on.
func testFailedWriteKeepsTransactionUsable(h *h) {
	m := member("o1", "m1", 0)
	m.RoleIDs = []string{"r1"}
	h.seed(org("o1"), role("o1", "r1", "", "One"), m, team("o1", "t1", "One", ""))
	h.inTx(func(tx store.Tx) error {
		h.is(tx.CreateMember(h.ctx, &model.Member{ID: "m2", OrgID: "o1", Email: "M1@example.com"}),
			store.ErrConflict, "CreateMember(taken email)")
		h.is(tx.UpdateMember(h.ctx, &model.Member{ID: "m1", OrgID: "o1", Email: "m1@example.com", Name: "X",
			RoleIDs: []string{"r1", "ghost"}}), store.ErrNotFound, "UpdateMember(unknown role)")
		got, err := tx.GetMember(h.ctx, "o1", "m1")
		h.ok(err, "GetMember after the failed update")
		eq(h, "member after a failed update", got, m)
		h.is(tx.CreateTeam(h.ctx, team("o1", "t2", "one", "")), store.ErrConflict, "CreateTeam(taken name)")
		h.is(tx.DeleteTeam(h.ctx, "o1", "ghost"), store.ErrNotFound, "DeleteTeam(unknown)")
		h.is(tx.CreateEvaluation(h.ctx, evaluation("o1", "e1", "ghost", 0)), store.ErrNotFound,
			"CreateEvaluation(unknown interaction)")
		return tx.CreateMember(h.ctx, member("o1", "m2", 1))
	})
	ms, err := h.s.ListMembers(h.ctx, "o1", store.MemberFilter{})
	h.ok(err, "ListMembers")
	eq(h, "members", ms, []*model.Member{m, member("o1", "m2", 1)})
	ts, err := h.s.ListTeams(h.ctx, "o1")
	h.ok(err, "ListTeams")
	eq(h, "teams", teamNames(ts), []string{"One"})
}

func testTransactionReadsItsOwnWrites(h *h) {
	h.seed(org("o1"), role("o1", "r1", "", "One"), member("o1", "m0", 0))
	h.inTx(func(tx store.Tx) error {
		h.ok(tx.CreateOrganization(h.ctx, org("o2")), "CreateOrganization")
		o, err := tx.GetOrganization(h.ctx, "o2")
		h.ok(err, "GetOrganization in tx")
		eq(h, "org in tx", o.ID, "o2")
		h.ok(tx.LockOrganization(h.ctx, "o2"), "LockOrganization(org created in this tx)")

		m := member("o1", "m1", 1)
		m.RoleIDs = []string{"r1"}
		m.Seats = []model.SeatKind{model.SeatRecorder}
		h.ok(tx.CreateMember(h.ctx, m), "CreateMember")
		got, err := tx.GetMember(h.ctx, "o1", "m1")
		h.ok(err, "GetMember in tx")
		eq(h, "member in tx", got, m)
		got, err = tx.GetMemberByEmail(h.ctx, "o1", "M1@example.com")
		h.ok(err, "GetMemberByEmail in tx")
		eq(h, "member by email in tx", got.ID, "m1")
		ms, err := tx.GetMembers(h.ctx, "o1", []string{"m1", "m0"})
		h.ok(err, "GetMembers in tx")
		eq(h, "GetMembers in tx", memberIDs(ms), []string{"m1", "m0"})
		ms, err = tx.ListMembers(h.ctx, "o1", store.MemberFilter{})
		h.ok(err, "ListMembers in tx")
		eq(h, "ListMembers in tx", memberIDs(ms), []string{"m0", "m1"})
		n, err := tx.CountMembers(h.ctx, "o1", model.StatusActive)
		h.ok(err, "CountMembers in tx")
		eq(h, "CountMembers in tx", n, 2)
		n, err = tx.CountRoleHolders(h.ctx, "o1", "r1")
		h.ok(err, "CountRoleHolders in tx")
		eq(h, "CountRoleHolders in tx", n, 1)
		n, err = tx.CountSeatHolders(h.ctx, "o1", model.SeatRecorder)
		h.ok(err, "CountSeatHolders in tx")
		eq(h, "CountSeatHolders in tx", n, 1)

		h.ok(tx.CreateTeam(h.ctx, team("o1", "t1", "One", "")), "CreateTeam")
		h.ok(tx.PutMembership(h.ctx, &model.TeamMembership{OrgID: "o1", TeamID: "t1", MemberID: "m1"}), "PutMembership")
		ts, err := tx.ListTeams(h.ctx, "o1")
		h.ok(err, "ListTeams in tx")
		eq(h, "ListTeams in tx", teamNames(ts), []string{"One"})
		mss, err := tx.ListMemberships(h.ctx, "o1", "t1", "")
		h.ok(err, "ListMemberships in tx")
		eq(h, "ListMemberships in tx", len(mss), 1)

		h.ok(tx.UpdateRole(h.ctx, role("o1", "r1", "", "Renamed")), "UpdateRole")
		r, err := tx.GetRole(h.ctx, "o1", "r1")
		h.ok(err, "GetRole in tx")
		eq(h, "role name in tx", r.Name, "Renamed")

		h.ok(tx.PutSeatPool(h.ctx, &model.SeatPool{OrgID: "o1", Kind: model.SeatVoice, Total: 4}), "PutSeatPool")
		ps, err := tx.ListSeatPools(h.ctx, "o1")
		h.ok(err, "ListSeatPools in tx")
		eq(h, "ListSeatPools in tx", len(ps), 1)

		h.ok(tx.CreateInteraction(h.ctx, interaction("o1", "i1", 0)), "CreateInteraction")
		h.ok(tx.CreateEvaluation(h.ctx, evaluation("o1", "e1", "i1", 0)), "CreateEvaluation")
		is, err := tx.ListInteractions(h.ctx, "o1", store.Page{})
		h.ok(err, "ListInteractions in tx")
		eq(h, "ListInteractions in tx", interactionIDs(is), []string{"i1"})
		es, err := tx.GetEvaluations(h.ctx, "o1", []string{"e1"})
		h.ok(err, "GetEvaluations in tx")
		eq(h, "GetEvaluations in tx", evaluationIDs(es), []string{"e1"})

		h.ok(tx.AppendAudit(h.ctx, &model.AuditEvent{OrgID: "o1", Action: "x"}), "AppendAudit")
		n, err = tx.CountAudit(h.ctx, "o1")
		h.ok(err, "CountAudit in tx")
		eq(h, "CountAudit in tx", n, 1)

		h.ok(tx.CreateInvitation(h.ctx, &model.Invitation{TokenHash: "h1", OrgID: "o1", ExpiresAt: at(1)}), "CreateInvitation")
		h.ok(tx.MarkInvitationUsed(h.ctx, "h1", at(2)), "MarkInvitationUsed")
		inv, err := tx.GetInvitation(h.ctx, "h1")
		h.ok(err, "GetInvitation in tx")
		if inv.UsedAt == nil || !inv.UsedAt.Equal(at(2)) {
			h.Errorf("UsedAt in tx = %v, want %v", inv.UsedAt, at(2))
		}

		h.ok(tx.DeleteMember(h.ctx, "o1", "m1"), "DeleteMember")
		_, err = tx.GetMember(h.ctx, "o1", "m1")
		h.is(err, store.ErrNotFound, "GetMember after DeleteMember in tx")
		return nil
	})
}

func testTxUnusableAfterItEnds(h *h) {
	h.seed(org("o1"))
	var kept store.Tx
	h.inTx(func(tx store.Tx) error { kept = tx; return nil })
	if err := kept.CreateMember(h.ctx, member("o1", "m1", 0)); err == nil {
		h.Errorf("CreateMember on an ended transaction succeeded")
	}
	if _, err := kept.GetOrganization(h.ctx, "o1"); err == nil {
		h.Errorf("GetOrganization on an ended transaction succeeded")
	}
	_, err := h.s.GetMember(h.ctx, "o1", "m1")
	h.is(err, store.ErrNotFound, "member written through an ended transaction")
}

func testCanceledContextCommitsNothing(h *h) {
	h.seed(org("o1"))
	ctx, cancel := context.WithCancel(h.ctx)
	err := h.s.InTx(ctx, func(tx store.Tx) error {
		if err := tx.CreateMember(ctx, member("o1", "m1", 0)); err != nil {
			return err
		}
		cancel()
		return nil
	})
	if err == nil {
		h.Errorf("InTx committed on a canceled context")
	}
	_, err = h.s.GetMember(h.ctx, "o1", "m1")
	h.is(err, store.ErrNotFound, "member of a transaction whose context ended")
	cancel()
	if err := h.s.InTx(ctx, func(store.Tx) error { return nil }); err == nil {
		h.Errorf("InTx started on a canceled context")
	}
}
