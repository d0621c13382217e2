// Package storetest is the conformance suite of store.Store: every backend
// runs RunConformance, so that the contract written in store.go's doc
// comments means the same thing on each of them.
//
// A few behaviours store.go leaves open are pinned here too, so that the
// backends cannot drift apart on them (each such test says so): values come
// back in the model's canonical shape (sorted ids, catalog order, UTC
// microseconds); ids are unique per organization only; a write that points
// at a missing entity (organization, parent team, role, interaction) is
// ErrNotFound; an unknown page cursor is ErrNotFound; DeleteRole takes the
// role away from its holders; a failed write leaves its transaction usable;
// teams and roles sort case-insensitively, seat pools in AllSeatKinds
// order, organizations by creation.
//
// RunConformance lists every test; each is a function in its area's file
// (orgs.go, members.go, teams.go, roles.go, interactions.go, isolation.go,
// listing.go, tx.go, outbox.go, catalog.go, seedfidelity.go), with the shared fixtures in
// fixtures.go.
package storetest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"sync"
	"testing"
	"time"

	"github.com/rolegraph/rolegraph/model"
	"github.com/rolegraph/rolegraph/store"
)

// RunConformance runs every contract test against stores made by newStore.
// Each subtest gets its own empty store and runs in parallel with the
// others; newStore must register any cleanup with t.Cleanup.
//
// The list below is every test there is, by area, each a plain function in
// its area's file (as OpenFGA's RunAllTests lists its own): a test that is
// not listed here does not run.
func RunConformance(t *testing.T, newStore func(t *testing.T) store.Store) {
	for _, c := range []struct {
		name string
		run  func(h *h)
	}{
		// Organizations (orgs.go, catalog.go).
		{"Organizations", testOrganizations},
		{"GetOrganizationMember", testGetOrganizationMember},
		{"Exists", testExists},
		{"CatalogFingerprint", testCatalogFingerprint},
		{"CatalogDerivation", testCatalogDerivation},
		{"RecordCatalogChange", testRecordCatalogChange},

		// Members and invitations (members.go).
		{"Members", testMembers},
		{"ConflictsAreCaseInsensitive", testConflictsAreCaseInsensitive},
		{"SeatAndRoleHolderCounts", testSeatAndRoleHolderCounts},
		{"Invitations", testInvitations},
		{"ExternalIDs", testExternalIDs}, // identity.go

		// Time-bound access (timebound.go).
		{"TemporaryRoles", testTemporaryRoles},
		{"NextExpiry", testNextExpiry},
		{"ListExpiringRoles", testListExpiringRoles},
		{"DeleteRoleEndsTemporaryRoles", testDeleteRoleEndsTemporaryRoles},
		{"GuestAccessExpiry", testGuestAccessExpiry},
		{"AccessRequests", testAccessRequests},

		// Teams and memberships (teams.go).
		{"TeamsAndRolesListByName", testTeamsAndRolesListByName},
		{"Memberships", testMemberships},
		{"DeleteMemberRemovesMemberships", testDeleteMemberRemovesMemberships},
		{"DeleteTeamReparentsAndUnlinks", testDeleteTeamReparentsAndUnlinks},

		// Roles and seat pools (roles.go).
		{"Roles", testRoles},
		{"DeleteRoleTakesItFromHolders", testDeleteRoleTakesItFromHolders},
		{"SeatPools", testSeatPools},

		// Interactions and evaluations (interactions.go).
		{"InteractionsAndEvaluations", testInteractionsAndEvaluations},
		{"CountVisible", testCountVisible},

		// Seed fidelity: preferences, search, editing interactions and
		// evaluations (seedfidelity.go).
		{"MemberPreferences", testMemberPreferences},
		{"SearchMembers", testSearchMembers},
		{"UpdateInteraction", testUpdateInteraction},
		{"UpdateAndDeleteEvaluation", testUpdateAndDeleteEvaluation},

		// Organizations kept apart, values kept whole (isolation.go).
		{"NotFoundAcrossOrganizations", testNotFoundAcrossOrganizations},
		{"ReturnedValuesAreCopies", testReturnedValuesAreCopies},
		{"TimesAreMicrosecondsUTC", testTimesAreMicrosecondsUTC},

		// Listing order and paging (listing.go).
		{"ListMembersOrderAndPaging", testListMembersOrderAndPaging},
		{"ListInteractionsAndEvaluationsOrderAndPaging", testListInteractionsAndEvaluationsOrderAndPaging},
		{"ListWhere", testListWhere},
		{"BulkGetsKeepTheAskedOrder", testBulkGetsKeepTheAskedOrder},
		{"AuditNewestFirst", testAuditNewestFirst},
		{"NewestFirstPaging", testNewestFirstPaging},

		// Transactions (tx.go).
		{"RollbackLeavesNothing", testRollbackLeavesNothing},
		{"PanicRollsBack", testPanicRollsBack},
		{"FailedWriteKeepsTransactionUsable", testFailedWriteKeepsTransactionUsable},
		{"TransactionReadsItsOwnWrites", testTransactionReadsItsOwnWrites},
		{"TxUnusableAfterItEnds", testTxUnusableAfterItEnds},
		{"CanceledContextCommitsNothing", testCanceledContextCommitsNothing},

		// The outbox and the locks (outbox.go).
		{"OutboxOrderAndMarkApplied", testOutboxOrderAndMarkApplied},
		{"OutboxIDsFollowCommitOrder", testOutboxIDsFollowCommitOrder},
		{"WithOutboxLockExcludes", testWithOutboxLockExcludes},
		{"WithOutboxLockIsPerOrganization", testWithOutboxLockIsPerOrganization},
		{"WithOutboxLocksExcludeWithoutDeadlock", testWithOutboxLocksExcludeWithoutDeadlock},
		{"LockOrganizationSerializes", testLockOrganizationSerializes},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			s := newStore(t)
			ctx, cancel := context.WithTimeout(t.Context(), 60*time.Second)
			defer cancel()
			c.run(&h{T: t, s: s, ctx: ctx})
		})
	}
}

// h carries one subtest's store and context.
type h struct {
	*testing.T
	s   store.Store
	ctx context.Context
}

// inTx runs fn in a transaction that must commit.
func (h *h) inTx(fn func(tx store.Tx) error) {
	h.Helper()
	if err := h.s.InTx(h.ctx, fn); err != nil {
		h.Fatalf("InTx: %v", err)
	}
}

// seed creates every object in one transaction.
func (h *h) seed(objs ...any) {
	h.Helper()
	h.inTx(func(tx store.Tx) error {
		for _, o := range objs {
			if err := put(h.ctx, tx, o); err != nil {
				return fmt.Errorf("seed %T %s: %w", o, show(o), err)
			}
		}
		return nil
	})
}

// try runs one write in its own transaction and returns its error.
func (h *h) try(o any) error {
	return h.s.InTx(h.ctx, func(tx store.Tx) error { return put(h.ctx, tx, o) })
}

func put(ctx context.Context, tx store.Tx, o any) error {
	switch v := o.(type) {
	case *model.Organization:
		return tx.CreateOrganization(ctx, v)
	case *model.Member:
		return tx.CreateMember(ctx, v)
	case *model.Team:
		return tx.CreateTeam(ctx, v)
	case *model.TeamMembership:
		return tx.PutMembership(ctx, v)
	case *model.Role:
		return tx.CreateRole(ctx, v)
	case *model.SeatPool:
		return tx.PutSeatPool(ctx, v)
	case *model.Interaction:
		return tx.CreateInteraction(ctx, v)
	case *model.Evaluation:
		return tx.CreateEvaluation(ctx, v)
	case *model.AuditEvent:
		return tx.AppendAudit(ctx, v)
	case *model.Invitation:
		return tx.CreateInvitation(ctx, v)
	case *model.AccessRequest:
		return tx.CreateAccessRequest(ctx, v)
	}
	panic(fmt.Sprintf("storetest: cannot create a %T", o))
}

// concurrently runs fn rounds times over in each of workers goroutines at
// once; a goroutine stops at its first error, and every error fails the
// test as what.
func (h *h) concurrently(workers, rounds int, what string, fn func() error) {
	h.Helper()
	var wg sync.WaitGroup
	errs := make(chan error, workers)
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range rounds {
				if err := fn(); err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		h.ok(err, what)
	}
}

func (h *h) ok(err error, what string) {
	h.Helper()
	if err != nil {
		h.Fatalf("%s: %v", what, err)
	}
}

// is fails unless err wraps target.
func (h *h) is(err, target error, what string) {
	h.Helper()
	if !errors.Is(err, target) {
		h.Errorf("%s: got error %v, want %v", what, err, target)
	}
}

func eq[T any](h *h, what string, got, want T) {
	h.Helper()
	if !reflect.DeepEqual(got, want) {
		h.Errorf("%s:\n got  %s\n want %s", what, show(got), show(want))
	}
}

func show(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprintf("%+v", v)
	}
	return string(b)
}
