package reconcile

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/rolegraph/rolegraph/rels"
)

// Print writes the report; verbose lists every drifted relationship
// (otherwise the first few of each kind).
func (rep *Report) Print(w io.Writer, verbose bool) {
	fmt.Fprintf(w, "organization %s: %d relationships expected, %d in SpiceDB; applied %d pending outbox entries first\n",
		rep.OrgID, rep.Expected, rep.Actual, rep.Pending)
	fmt.Fprintf(w, "  drift: %d missing, %d extra, %d conflicts\n", len(rep.Drift.Missing), len(rep.Drift.Extra), len(rep.Conflicts))
	list := func(what string, rs []rels.Relationship) {
		for i, x := range rs {
			if !verbose && i == 5 {
				fmt.Fprintf(w, "    … %d more %s (--verbose lists them)\n", len(rs)-i, what)
				return
			}
			fmt.Fprintf(w, "    %s %s\n", what, x)
		}
	}
	list("missing", rep.Drift.Missing)
	list("extra", rep.Drift.Extra)
	for _, c := range rep.Conflicts {
		fmt.Fprintf(w, "    conflict %s (left alone)\n", c)
	}
	if rep.Repaired {
		fmt.Fprintf(w, "  repaired: %d deleted, %d written; drift after repair: %d missing, %d extra\n",
			len(rep.Drift.Extra), len(rep.Drift.Missing), len(rep.After.Missing), len(rep.After.Extra))
	}
}

// Summary is the outcome over several organizations.
type Summary struct {
	Orgs       int
	Drifted    int // organizations with drift (before any repair)
	Missing    int
	Extra      int
	Conflicts  int
	Unrepaired int // organizations still drifted after a repair
}

// All reconciles the organizations (every organization when orgIDs is
// empty), printing a report per organization to w.
func (r *Reconciler) All(ctx context.Context, orgIDs []string, repair, verbose bool, w io.Writer) (Summary, error) {
	var sum Summary
	if len(orgIDs) == 0 {
		orgs, err := r.store.ListOrganizations(ctx)
		if err != nil {
			return sum, fmt.Errorf("reconcile: list organizations: %w", err)
		}
		for _, o := range orgs {
			orgIDs = append(orgIDs, o.ID)
		}
	}
	for _, id := range orgIDs {
		rep, err := r.Org(ctx, id, repair)
		if err != nil {
			return sum, fmt.Errorf("organization %s: %w", id, err)
		}
		rep.Print(w, verbose)
		sum.Orgs++
		sum.Missing += len(rep.Drift.Missing)
		sum.Extra += len(rep.Drift.Extra)
		sum.Conflicts += len(rep.Conflicts)
		if !rep.Drift.Empty() {
			sum.Drifted++
		}
		if rep.Repaired && !rep.After.Empty() {
			sum.Unrepaired++
		}
	}
	fmt.Fprintf(w, "%d organizations: %d drifted (%d missing, %d extra), %d conflicts%s\n",
		sum.Orgs, sum.Drifted, sum.Missing, sum.Extra, sum.Conflicts, map[bool]string{true: "; repaired", false: ""}[repair && sum.Drifted > 0])
	return sum, nil
}

// String is a one-line description of a drift, for test failures.
func (d Drift) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d missing, %d extra", len(d.Missing), len(d.Extra))
	for i, r := range d.Missing {
		if i == 10 {
			b.WriteString(" …")
			break
		}
		b.WriteString("\n  missing " + r.String())
	}
	for i, r := range d.Extra {
		if i == 10 {
			b.WriteString(" …")
			break
		}
		b.WriteString("\n  extra " + r.String())
	}
	return b.String()
}
