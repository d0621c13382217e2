package main

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"time"
)

// Measurement 6 (issue 12): one explain(permission, resourceId) against one
// can on the same kind of question, both through replica C (no decision
// cache), each on fresh questions (half the pairs asked one way, half the
// other, alternating, so SpiceDB's dispatch cache favours neither).
// Target: explain p50 <= 10 × can p50.

const explainQuery = `query($p: String!, $r: ID) { explain(permission: $p, resourceId: $r) {
	allowed summary reasons { kind text scope } remedies { kind callerCanApply } } }`

type explainResults struct {
	can, explain, allowed, denied *sample
	mismatches                    int
}

func (c *gqlClient) explain(ctx context.Context, permission, resourceID string) (bool, error) {
	var out struct {
		Explain struct {
			Allowed bool `json:"allowed"`
		} `json:"explain"`
	}
	err := c.do(ctx, explainQuery, map[string]any{"p": permission, "r": resourceID}, &out)
	return out.Explain.Allowed, err
}

func (b *bench) measureExplain(ctx context.Context, rng *rand.Rand, n int) (*explainResults, error) {
	pairs := b.checkPairs(rng, 2*n)
	res := &explainResults{
		can:     &sample{name: "6. GraphQL can, cache off (C), fresh question"},
		explain: &sample{name: "6. GraphQL explain, cache off (C), fresh question"},
		allowed: &sample{name: "   explain, allowed (reasons only)"},
		denied:  &sample{name: "   explain, denied (reasons + remedy dry runs)"},
	}
	clients := map[string]*gqlClient{}
	for i, p := range pairs {
		c := clients[p.member]
		if c == nil {
			c = b.clientFor(b.c, p.member)
			clients[p.member] = c
		}
		start := time.Now()
		if i%2 == 0 {
			if _, err := c.can(ctx, p.permission, p.resource); err != nil {
				return nil, err
			}
			res.can.add(time.Since(start))
			continue
		}
		allowed, err := c.explain(ctx, p.permission, p.resource)
		if err != nil {
			return nil, err
		}
		d := time.Since(start)
		res.explain.add(d)
		if allowed {
			res.allowed.add(d)
		} else {
			res.denied.add(d)
		}
		// explain.allowed must be can's answer (asked after, not timed).
		if can, err := c.can(ctx, p.permission, p.resource); err != nil {
			return nil, err
		} else if can != allowed {
			res.mismatches++
		}
	}
	return res, nil
}

func reportExplain(out io.Writer, r *explainResults) {
	t := &table{title: "6. explain(permission, resourceId) vs one can, both uncached (C)"}
	t.add(r.can, r.explain, r.allowed, r.denied)
	t.print(out)
	can, ex := p50(r.can), p50(r.explain)
	verdict := "MISS"
	if ratio(ex, can) <= 10 && r.mismatches == 0 {
		verdict = "PASS"
	}
	fmt.Fprintf(out, "  explain / can (p50): %.2f×  (%s / %s ms); explain.allowed differing from can: %d\n", ratio(ex, can), ms(ex), ms(can), r.mismatches)
	fmt.Fprintf(out, "  %s  one explain p50 <= 10 × one uncached can p50 (and the same answer)  %.2f×\n", verdict, ratio(ex, can))
}
