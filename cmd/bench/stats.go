package main

import (
	"fmt"
	"io"
	"math"
	"slices"
	"strings"
	"time"
)

// sample is one measurement's latencies.
type sample struct {
	name string
	d    []time.Duration
}

func (s *sample) add(d time.Duration) { s.d = append(s.d, d) }

// time runs f and records how long it took.
func (s *sample) time(f func() error) error {
	start := time.Now()
	err := f()
	s.add(time.Since(start))
	return err
}

// summary is a sample's statistics (nearest-rank percentiles).
type summary struct {
	n                   int
	mean, p50, p95, p99 time.Duration
	min, max            time.Duration
}

func (s *sample) summary() summary {
	if len(s.d) == 0 {
		return summary{}
	}
	d := slices.Clone(s.d)
	slices.Sort(d)
	var total time.Duration
	for _, x := range d {
		total += x
	}
	rank := func(p float64) time.Duration {
		i := int(math.Ceil(p*float64(len(d)))) - 1
		return d[min(max(i, 0), len(d)-1)]
	}
	return summary{n: len(d), mean: total / time.Duration(len(d)), p50: rank(0.50), p95: rank(0.95), p99: rank(0.99),
		min: d[0], max: d[len(d)-1]}
}

func ms(d time.Duration) string { return fmt.Sprintf("%.3f", float64(d)/float64(time.Millisecond)) }

// table prints samples as aligned rows, in milliseconds.
type table struct {
	title string
	rows  []*sample
}

func (t *table) add(s ...*sample) { t.rows = append(t.rows, s...) }

func (t *table) print(w io.Writer) {
	width := len("measurement")
	for _, r := range t.rows {
		width = max(width, len(r.name))
	}
	fmt.Fprintf(w, "\n%s\n", t.title)
	head := fmt.Sprintf("  %-*s %6s %10s %10s %10s %10s %10s", width, "measurement (ms)", "n", "mean", "p50", "p95", "p99", "max")
	fmt.Fprintln(w, head)
	fmt.Fprintln(w, "  "+strings.Repeat("-", len(head)-2))
	for _, r := range t.rows {
		s := r.summary()
		fmt.Fprintf(w, "  %-*s %6d %10s %10s %10s %10s %10s\n", width, r.name, s.n, ms(s.mean), ms(s.p50), ms(s.p95), ms(s.p99), ms(s.max))
	}
}

func ratio(a, b time.Duration) float64 {
	if b == 0 {
		return math.Inf(1)
	}
	return float64(a) / float64(b)
}
