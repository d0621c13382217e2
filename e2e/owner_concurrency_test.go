package e2e

// Owner invariants under concurrency: 50 concurrent transfer, demote
// (setMemberRoles), deactivate, reactivate and remove calls — the owner
// handing over to various admins, admins going after the owner and each
// other — leave exactly one owner every time: organization.owner is an
// ACTIVE, non-guest member, it is the only member with isOwner, the only
// one holding the owner role, and the only one SpiceDB lets do what only
// the owner may (account.write). Calls that lose a race fail with a
// contract code, never INTERNAL or UNAVAILABLE.
//
// Rounds alternate between calling the domain service directly (the
// tightest interleavings) and GraphQL over HTTP (authentication of members
// deactivated or removed mid-round included). ROLEGRAPH_OWNER_ROUNDS sets
// the rounds per backend (default 24 on memory, 8 on Postgres).

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/rolegraph/rolegraph/catalog"
	"github.com/rolegraph/rolegraph/domain"
	"github.com/rolegraph/rolegraph/errs"
	"github.com/rolegraph/rolegraph/model"
)

const ownerRaceCalls = 50

func TestOwnerInvariantsUnderConcurrency(t *testing.T) {
	forEachBackendAtOnce(t, func(t *testing.T, e *env) {
		rounds := 24
		if e.srv.Config.PostgresURL != "" {
			rounds = 8
		}
		if v, err := strconv.Atoi(os.Getenv("ROLEGRAPH_OWNER_ROUNDS")); err == nil && v > 0 {
			rounds = v
		}
		outcomes := map[string]int{}
		transfers := 0
		for round := range rounds {
			viaGraphQL := round%2 == 1
			got, n := ownerRaceRound(t, e, round, viaGraphQL)
			for k, v := range got {
				outcomes[k] += v
			}
			transfers += n
		}
		keys := make([]string, 0, len(outcomes))
		for k := range outcomes {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		var b strings.Builder
		for _, k := range keys {
			fmt.Fprintf(&b, " %s=%d", k, outcomes[k])
		}
		t.Logf("owner invariants: %d rounds × %d concurrent calls, exactly one owner after every round; %d successful transfers; outcomes:%s",
			rounds, ownerRaceCalls, transfers, b.String())
	})
}

type raceCall struct {
	op, caller, target, role string
}

// ownerRaceRound runs one round on a fresh organization and checks the
// invariants; it returns the count of each op/outcome and of transfers.
func ownerRaceRound(t *testing.T, e *env, round int, viaGraphQL bool) (map[string]int, int) {
	t.Helper()
	ctx := context.Background()
	svc := e.srv.Service
	o := e.newOrg(fmt.Sprintf("Owner Race %d", round), "PRO", nil)
	members := []*client{o.Owner}
	var admins []*client
	for i := range 6 {
		a := o.member(fmt.Sprintf("admin%d@race%d.example", i, round), []string{"admin"}, nil, nil)
		admins = append(admins, a)
		members = append(members, a)
	}
	for i := range 2 {
		members = append(members, o.member(fmt.Sprintf("agent%d@race%d.example", i, round), []string{"agent"}, nil, nil))
	}
	roles := map[string]string{"admin": o.role("admin"), "manager": o.role("manager"), "agent": o.role("agent"), "owner": o.role("owner")}

	r := rand.New(rand.NewPCG(uint64(round), 7))
	pick := func(cs []*client) *client { return cs[r.IntN(len(cs))] }
	calls := make([]raceCall, ownerRaceCalls)
	for i := range calls {
		c := raceCall{caller: pick(append([]*client{o.Owner}, admins...)).MemberID, target: pick(members).MemberID}
		if r.IntN(3) == 0 {
			c.target = o.Owner.MemberID // the owner is the favourite target
		}
		switch x := r.IntN(100); {
		case x < 30:
			c.op = "transfer"
			c.target = pick(admins).MemberID
			if r.IntN(2) == 0 {
				c.caller = o.Owner.MemberID // else an admin, who may own it by then
			}
		case x < 45:
			c.op = "deactivate"
		case x < 55:
			c.op = "reactivate"
		case x < 70:
			c.op = "remove"
		default:
			c.op = "setRoles"
			c.role = []string{"admin", "manager", "agent", "owner"}[r.IntN(4)]
		}
		calls[i] = c
	}
	clients := map[string]*client{}
	for _, m := range members {
		clients[m.MemberID] = m
	}

	results := make([]string, len(calls))
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i, c := range calls {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			if viaGraphQL {
				results[i] = raceViaGraphQL(clients[c.caller], c, roles)
			} else {
				results[i] = raceViaDomain(ctx, svc, domain.Caller{OrgID: o.ID, MemberID: c.caller}, c, roles)
			}
		}()
	}
	close(start)
	wg.Wait()

	outcomes := map[string]int{}
	transfers := 0
	for i, res := range results {
		outcomes[calls[i].op+":"+res]++
		if calls[i].op == "transfer" && res == "ok" {
			transfers++
		}
		switch res {
		case "ok", string(errs.Forbidden), string(errs.Conflict), string(errs.Escalation), string(errs.BadUserInput), string(errs.Unauthenticated):
		default:
			t.Errorf("round %d: %+v ended %s", round, calls[i], res)
		}
	}

	checkOneOwner(t, e, o, round, roles["owner"], members)
	return outcomes, transfers
}

func raceViaDomain(ctx context.Context, svc *domain.Service, c domain.Caller, call raceCall, roles map[string]string) string {
	ctx = domain.WithMemo(ctx)
	var err error
	switch call.op {
	case "transfer":
		_, err = svc.TransferOwnership(ctx, c, call.target)
	case "deactivate":
		_, err = svc.DeactivateMember(ctx, c, call.target)
	case "reactivate":
		_, err = svc.ReactivateMember(ctx, c, call.target)
	case "remove":
		err = svc.RemoveMember(ctx, c, call.target)
	case "setRoles":
		_, err = svc.SetMemberRoles(ctx, c, call.target, []string{roles[call.role]})
	}
	if err == nil {
		return "ok"
	}
	if e, ok := errs.As(err); ok {
		return string(e.Code)
	}
	return "untyped error: " + err.Error()
}

func raceViaGraphQL(c *client, call raceCall, roles map[string]string) string {
	var q string
	vars := map[string]any{"m": call.target}
	switch call.op {
	case "transfer":
		q = `mutation($m: ID!) { transferOwnership(memberId: $m) { id } }`
	case "deactivate":
		q = `mutation($m: ID!) { deactivateMember(memberId: $m) { id } }`
	case "reactivate":
		q = `mutation($m: ID!) { reactivateMember(memberId: $m) { id } }`
	case "remove":
		q = `mutation($m: ID!) { removeMember(memberId: $m) }`
	case "setRoles":
		q = `mutation($m: ID!, $r: [ID!]!) { setMemberRoles(memberId: $m, roleIds: $r) { id } }`
		vars["r"] = []string{roles[call.role]}
	}
	// Not c.do: this runs off the test's goroutine, where t.Fatal may not.
	r, err := c.gql().Post(context.Background(), q, vars)
	if err != nil {
		return "transport error: " + err.Error()
	}
	if len(r.Errors) == 0 {
		return "ok"
	}
	return r.Errors[0].Code()
}

// checkOneOwner asserts the invariants from the store, from GraphQL and
// from SpiceDB.
func checkOneOwner(t *testing.T, e *env, o *org, round int, ownerRoleID string, members []*client) {
	t.Helper()
	ctx := context.Background()
	st := e.srv.Store
	org, err := st.GetOrganization(ctx, o.ID)
	if err != nil {
		t.Fatal(err)
	}
	owner, err := st.GetMember(ctx, o.ID, org.OwnerID)
	if err != nil {
		t.Fatalf("round %d: the organization's owner %s is gone: %v", round, org.OwnerID, err)
	}
	if owner.Status != model.StatusActive || owner.IsGuest {
		t.Errorf("round %d: the owner is %s (guest %v)", round, owner.Status, owner.IsGuest)
	}
	if !owner.HasRole(ownerRoleID) || len(owner.RoleIDs) != 1 {
		t.Errorf("round %d: the owner holds %v, not just the owner role", round, owner.RoleIDs)
	}
	holders := 0
	for _, m := range members {
		got, err := st.GetMember(ctx, o.ID, m.MemberID)
		if err != nil {
			continue // removed
		}
		if got.HasRole(ownerRoleID) {
			holders++
			if got.ID != owner.ID {
				t.Errorf("round %d: %s holds the owner role but %s owns the organization", round, got.ID, owner.ID)
			}
		}
	}
	if holders != 1 {
		t.Errorf("round %d: %d members hold the owner role", round, holders)
	}

	// What clients see.
	oc := e.as(o.ID, owner.ID)
	d := oc.ok(`{ organization { owner { id isOwner roles { key } } members(first: 200) { edges { node { id isOwner status roles { key } } } } } }`, nil)
	if got := str(d, "organization", "owner", "id"); got != owner.ID {
		t.Errorf("round %d: organization.owner is %s, the store says %s", round, got, owner.ID)
	}
	owners := 0
	for _, edge := range get(d, "organization", "members", "edges").([]any) {
		n := get(edge, "node")
		isOwner := get(n, "isOwner") == true
		hasRole := false
		for _, r := range get(n, "roles").([]any) {
			if str(r, "key") == catalog.RoleOwner {
				hasRole = true
			}
		}
		if isOwner {
			owners++
		}
		if isOwner != (str(n, "id") == owner.ID) || hasRole != isOwner {
			t.Errorf("round %d: member %s isOwner=%v, holds owner role=%v; the owner is %s", round, str(n, "id"), isOwner, hasRole, owner.ID)
		}
	}
	if owners != 1 {
		t.Errorf("round %d: %d members have isOwner", round, owners)
	}

	// What SpiceDB decides: account.write is the owner's alone (admins do
	// not hold it), so former owners must have lost it.
	for _, m := range members {
		got, err := st.GetMember(ctx, o.ID, m.MemberID)
		if err != nil || got.Status != model.StatusActive {
			continue
		}
		can := oc.ok(`query($m: ID) { can(permission: "account.write", memberId: $m) }`, map[string]any{"m": m.MemberID})["can"] == true
		if can != (m.MemberID == owner.ID) {
			t.Errorf("round %d: SpiceDB says %s can account.write = %v; the owner is %s", round, m.MemberID, can, owner.ID)
		}
	}
}
