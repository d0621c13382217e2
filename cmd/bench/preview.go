package main

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/rolegraph/rolegraph/model"
)

// previewBaseGrants are the bench preview role's grants as seeded: what a
// recorder reads anyway, so the edit measurement 6 previews (the same at
// TEAM) moves every holder's read scopes and makes the preview count what
// each would newly see.
var previewBaseGrants = []model.Grant{
	{Permission: "interactions.read", Scope: model.ScopeOwn},
	{Permission: "evaluations.read", Scope: model.ScopeOwn},
}

type previewResults struct {
	holders, affected int
	gained            int // interactions the affected members would newly read, in all
	s                 sample
}

const previewQuery = `query($r: ID!, $g: [GrantInput!]!) { previewRoleGrants(roleId: $r, grants: $g) {
	membersAffected members { member { id } gained { permission from to } lost { permission from to }
	interactionsGained interactionsLost evaluationsGained evaluationsLost } } }`

// measurePreview times previewRoleGrants on the bench preview role (held by
// --preview-holders members) widening its reads to TEAM, as the owner via
// replica C (no decision cache: the guards ask SpiceDB every time).
// Nothing is saved; every run previews the same edit.
func (b *bench) measurePreview(ctx context.Context, out io.Writer) (*previewResults, error) {
	res := &previewResults{holders: b.w.previewHolders, s: sample{name: "previewRoleGrants (C)"}}
	grants := []map[string]string{
		{"permission": "interactions.read", "scope": "TEAM"},
		{"permission": "evaluations.read", "scope": "TEAM"},
	}
	vars := map[string]any{"r": b.w.previewRole, "g": grants}
	c := b.clientFor(b.c, b.w.owner)
	var d struct {
		PreviewRoleGrants struct {
			MembersAffected int
			Members         []struct{ InteractionsGained int }
		}
	}
	// One untimed run: connections, prepared statements.
	if err := c.do(ctx, previewQuery, vars, &d); err != nil {
		return nil, err
	}
	stop, err := startCPUProfile(b.cfg.previewProfile)
	if err != nil {
		return nil, err
	}
	defer stop()
	for range b.cfg.previewRuns {
		if err := res.s.time(func() error { return c.do(ctx, previewQuery, vars, &d) }); err != nil {
			return nil, err
		}
	}
	res.affected = d.PreviewRoleGrants.MembersAffected
	for _, m := range d.PreviewRoleGrants.Members {
		res.gained += m.InteractionsGained
	}
	sm := res.s.summary()
	fmt.Fprintf(out, "  %d members affected (of %d holders), %d interactions newly readable in all; p50 %s ms, p95 %s ms, max %s ms\n",
		res.affected, res.holders, res.gained, ms(sm.p50), ms(sm.p95), ms(sm.max))
	return res, nil
}

// report prints the preview target (issue 12: ≤ 2 s p50).
func (r *previewResults) report(out io.Writer) {
	if r == nil {
		return
	}
	const target = 2 * time.Second
	p50 := r.s.summary().p50
	verdict := "MISS"
	if p50 <= target && r.affected > 0 {
		verdict = "PASS"
	}
	fmt.Fprintf(out, "  %s  preview of a grant edit on a role held by %d members <= 2 s p50  %s ms p50 (%d affected)\n",
		verdict, r.holders, ms(p50), r.affected)
}
