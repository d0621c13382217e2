package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"os"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/rolegraph/rolegraph/domain"
	"github.com/rolegraph/rolegraph/internal/gqlclient"
	"github.com/rolegraph/rolegraph/server"
	"github.com/rolegraph/rolegraph/store/postgres/pgtest"
)

// expiryTolerance is how far from the expiry instant an answer may still be
// the old one in TestTimeboundExpiryProperty. The test, rolegraph, its
// embedded SpiceDB and Postgres read one clock (one machine), so no skew is
// to be allowed for; an allow is counted when the request was sent past
// the instant plus this much, a denial when its answer was back before the
// instant minus this much, which leaves the request's own time in flight
// out of the judgement. 100 ms (the ceiling) is what would cover
// clocks of separate machines kept by NTP within a few ms; the test also
// reports the figures at zero tolerance, which should be zero too.
const expiryTolerance = 100 * time.Millisecond

// expiryTrials is ROLEGRAPH_EXPIRY_TRIALS, 200 by default.
func expiryTrials(t *testing.T) int {
	if v := os.Getenv("ROLEGRAPH_EXPIRY_TRIALS"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			t.Fatalf("ROLEGRAPH_EXPIRY_TRIALS=%q: want a positive number", v)
		}
		return n
	}
	return 200
}

// gq sends one request as token and decodes data, for the test's own
// goroutines (the harness's clients fail the test from the caller's).
func gq(ctx context.Context, hc *http.Client, url, token, q string, vars map[string]any) (map[string]any, error) {
	r, err := gqlclient.Client{URL: url, HTTP: hc}.Bearer(token).Post(ctx, q, vars)
	if err != nil {
		return nil, err
	}
	if err := r.Err(); err != nil {
		return nil, fmt.Errorf("%w: %s", err, r.Raw)
	}
	var d map[string]any
	return d, json.Unmarshal(r.Data, &d)
}

// expiryStats are one trial's observations.
type expiryStats struct {
	checks, allowsAfter, deniesBefore, allowsAfterZero, deniesBeforeZero int
	late                                                                 bool // warmed too late to judge
}

// Property (issue 13): across two replicas sharing Postgres, Redis and
// SpiceDB's datastore, a temporary role ends at its instant whatever
// answers the caches hold. Trials run concurrently: members of a few
// organizations, each granted a role expiring 1–3 s out, the answer warmed
// into both cache layers of both replicas, then polled every 50 ms around
// the instant on the replicas in turn.
func TestTimeboundExpiryProperty(t *testing.T) {
	trials := expiryTrials(t)
	// The sweeper is off: its writes would move the organizations'
	// revisions and so empty the caches this is about.
	cfg := server.Config{RedisURL: redisURL(), PostgresURL: pgtest.NewDatabase(t), SpiceDBDatastore: pgtest.NewDatabase(t), SweepInterval: -1}
	rs := []*replica{serveReplica(t, cfg), serveReplica(t, cfg)}
	hc := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 128}, Timeout: 30 * time.Second}
	ctx := context.Background()

	setup := time.Now()
	const perOrg = 50
	type trial struct {
		org, roleID, member, memberToken, ownerToken string
	}
	var ts []trial
	var orgs []*org
	for i := 0; i*perOrg < trials; i++ {
		orgs = append(orgs, rs[i%2].newOrg(fmt.Sprintf("Property %d", i), "", nil))
	}
	// Members, created concurrently.
	ts = make([]trial, trials)
	work := make(chan int)
	errs := make(chan error, trials)
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range work {
				o, r := orgs[i/perOrg], rs[i%2]
				owner, _ := r.srv.Token(o.ID, o.Owner.MemberID, time.Hour)
				// In process: members are the set-up, not what is tested.
				m, token, err := r.srv.Service.InviteMember(ctx, domain.Caller{OrgID: o.ID, MemberID: o.Owner.MemberID},
					domain.InviteMemberInput{Email: fmt.Sprintf("m%d@property.example", i), Name: fmt.Sprintf("M%d", i), RoleIDs: []string{o.role("agent")}})
				if err == nil {
					_, err = r.srv.Service.AcceptInvitation(ctx, token, "", "")
				}
				if err != nil {
					errs <- err
					continue
				}
				id := m.ID
				tok, _ := r.srv.Token(o.ID, id, time.Hour)
				ts[i] = trial{org: o.ID, roleID: o.role("admin"), member: id, memberToken: tok, ownerToken: owner}
			}
		}()
	}
	for i := range trials {
		work <- i
	}
	close(work)
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatalf("creating members: %v", err)
	}
	t.Logf("%d members in %d organizations (%v)", trials, len(orgs), time.Since(setup).Round(time.Millisecond))

	// The trials, all at once; at most 4 granting and warming at a time
	// (each org's writes queue on its lock), so expiries spread out.
	const canQ = `{ can(permission: "audit_log.read") }`
	can := func(r *replica, token string) (bool, error) {
		d, err := gq(ctx, hc, r.url, token, canQ, nil)
		if err != nil {
			return false, err
		}
		b, _ := d["can"].(bool)
		return b, nil
	}
	granting := make(chan struct{}, 4)
	stats := make([]expiryStats, trials)
	errs = make(chan error, trials)
	start := time.Now()
	for i := range trials {
		wg.Add(1)
		go func() {
			defer wg.Done()
			tr, st := ts[i], &stats[i]
			granting <- struct{}{}
			exp := time.Now().Add(time.Second + rand.N(2*time.Second)).Truncate(time.Millisecond)
			_, err := gq(ctx, hc, rs[i%2].url, tr.ownerToken, grantTemp, map[string]any{"m": tr.member, "r": tr.roleID, "e": rfc(exp), "why": "property"})
			// Warm: each replica asks twice (the first of B's finds A's
			// answer in Redis, the second its own in process).
			for k := 0; err == nil && k < 4; k++ {
				var ok bool
				if ok, err = can(rs[k%2], tr.memberToken); err == nil && !ok && time.Now().Before(exp) {
					err = fmt.Errorf("trial %d: denied while warming, %v before the expiry", i, time.Until(exp))
				}
			}
			<-granting
			if err != nil {
				errs <- fmt.Errorf("trial %d, granting and warming: %w", i, err)
				return
			}
			if time.Until(exp) < 300*time.Millisecond {
				st.late = true
				return
			}
			time.Sleep(time.Until(exp.Add(-250 * time.Millisecond)))
			for k := 0; time.Now().Before(exp.Add(300 * time.Millisecond)); k++ {
				sent := time.Now()
				got, err := can(rs[(i+k)%2], tr.memberToken)
				back := time.Now()
				if err != nil {
					errs <- fmt.Errorf("trial %d, check %d: %w", i, k, err)
					return
				}
				st.checks++
				if got && sent.After(exp) {
					st.allowsAfterZero++
					if sent.After(exp.Add(expiryTolerance)) {
						st.allowsAfter++
					}
				}
				if !got && back.Before(exp) {
					st.deniesBeforeZero++
					if back.Before(exp.Add(-expiryTolerance)) {
						st.deniesBefore++
					}
				}
				time.Sleep(time.Until(sent.Add(50 * time.Millisecond)))
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	var sum expiryStats
	late := 0
	for _, s := range stats {
		sum.checks += s.checks
		sum.allowsAfter += s.allowsAfter
		sum.deniesBefore += s.deniesBefore
		sum.allowsAfterZero += s.allowsAfterZero
		sum.deniesBeforeZero += s.deniesBeforeZero
		if s.late {
			late++
		}
	}
	t.Logf("%d trials (%d warmed too late to judge) in %v: %d checks around the instants; tolerance %v: %d allows after expiry, %d denials before; zero tolerance: %d and %d",
		trials, late, time.Since(start).Round(time.Millisecond), sum.checks, expiryTolerance, sum.allowsAfter, sum.deniesBefore, sum.allowsAfterZero, sum.deniesBeforeZero)
	if sum.allowsAfter != 0 || sum.deniesBefore != 0 {
		t.Fatalf("%d allows after expiry, %d denials before it", sum.allowsAfter, sum.deniesBefore)
	}
	if late > trials/10 {
		t.Fatalf("%d of %d trials could not be warmed in time: the machine is too loaded to judge", late, trials)
	}
}
