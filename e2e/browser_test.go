package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/accessibility"
	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/dom"
	"github.com/chromedp/cdproto/input"
	cdplog "github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// The console's browser tests drive Debian's Chromium through the DevTools
// protocol (chromedp) and find every control as a screen reader does: by
// role and accessible name in Chromium's accessibility tree. A control
// only a mouse can find, or one with the wrong name, fails them.

// screenshotDir is where the browser tests leave their screenshots, for a
// person to look at (ignored by git).
const screenshotDir = "testdata/screenshots"

// chromium finds the browser: $ROLEGRAPH_CHROMIUM or Debian's. Without one
// the browser tests skip, except in CI, where scripts/test.sh installs it.
func chromium(t *testing.T) string {
	t.Helper()
	if p := os.Getenv("ROLEGRAPH_CHROMIUM"); p != "" {
		return p
	}
	for _, p := range []string{"/usr/bin/chromium", "/usr/bin/chromium-browser"} {
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	if os.Getenv("CI") != "" {
		t.Fatal("no Chromium at /usr/bin/chromium: scripts/test.sh installs Debian's chromium package")
	}
	t.Skip("no Chromium at /usr/bin/chromium (apt-get install chromium, or run scripts/test.sh): browser tests skipped")
	return ""
}

// newChromium starts one headless Chromium for a test and its subtests.
func newChromium(t *testing.T) context.Context {
	t.Helper()
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromium(t)),
		chromedp.NoSandbox, // root in CI
		chromedp.DisableGPU,
		chromedp.UserDataDir(t.TempDir()),
		// This machine has no network but loopback: nothing may call out.
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("no-pings", true),
	)
	ctx, cancel := chromedp.NewExecAllocator(context.Background(), opts...)
	t.Cleanup(cancel)
	return ctx
}

// page is one tab, at one viewport size, with its console watched.
type page struct {
	t    *testing.T
	ctx  context.Context
	base string

	mu       sync.Mutex
	problems []string
	expected []string // console lines a test provokes on purpose
}

// expect lets console errors containing s pass: a test that makes the
// server refuse a request on purpose (the browser logs every 401).
func (p *page) expect(s string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.expected = append(p.expected, s)
}

// newPage opens a tab of alloc on base (the server's URL) at w×h.
func newPage(t *testing.T, alloc context.Context, base string, w, h int64) *page {
	t.Helper()
	ctx, cancel := chromedp.NewContext(alloc)
	ctx, cancelTime := context.WithTimeout(ctx, 3*time.Minute)
	t.Cleanup(func() { cancelTime(); cancel() })
	p := &page{t: t, ctx: ctx, base: base}
	var viewport []chromedp.EmulateViewportOption
	if w < 600 {
		viewport = append(viewport, chromedp.EmulateMobile)
	}
	p.do(chromedp.EmulateViewport(w, h, viewport...))
	if _, err := chromedp.Call(ctx, accessibility.Enable, cdp.Empty{}); err != nil {
		t.Fatalf("accessibility: %v", err)
	}
	if _, err := chromedp.Call(ctx, cdplog.Enable, cdp.Empty{}); err != nil {
		t.Fatalf("log: %v", err)
	}
	p.watch()
	return p
}

// watch records console errors, uncaught exceptions and failed loads:
// the console must not produce any.
func (p *page) watch() {
	calls := chromedp.Events(p.ctx, runtime.ConsoleAPICalled)
	thrown := chromedp.Events(p.ctx, runtime.ExceptionThrown)
	entries := chromedp.Events(p.ctx, cdplog.EntryAdded)
	add := func(s string) { p.mu.Lock(); p.problems = append(p.problems, s); p.mu.Unlock() }
	go func() {
		for ev, err := range calls {
			if err != nil {
				return
			}
			if ev.Type == runtime.ConsoleAPICalledTypeError || ev.Type == runtime.ConsoleAPICalledTypeAssert {
				var parts []string
				for _, a := range ev.Args {
					parts = append(parts, string(a.Value)+a.Description)
				}
				add("console." + string(ev.Type) + ": " + strings.Join(parts, " "))
			}
		}
	}()
	go func() {
		for ev, err := range thrown {
			if err != nil {
				return
			}
			d := ev.ExceptionDetails
			msg := d.Text
			if d.Exception != nil {
				msg += " " + d.Exception.Description
			}
			add("uncaught: " + msg)
		}
	}()
	go func() {
		for ev, err := range entries {
			if err != nil {
				return
			}
			if ev.Entry.Level == cdplog.EntryLevelError {
				add("log: " + ev.Entry.Text + " " + ev.Entry.URL)
			}
		}
	}()
}

// noConsoleErrors fails the test on anything watch recorded.
func (p *page) noConsoleErrors() {
	p.t.Helper()
	time.Sleep(200 * time.Millisecond) // events in flight
	p.mu.Lock()
	defer p.mu.Unlock()
next:
	for _, s := range p.problems {
		for _, e := range p.expected {
			if strings.Contains(s, e) {
				continue next
			}
		}
		p.t.Errorf("browser console: %s", s)
	}
}

func (p *page) do(actions ...chromedp.Action[chromedp.Void]) {
	p.t.Helper()
	if err := chromedp.Do(p.ctx, actions...); err != nil {
		p.t.Fatalf("browser: %v", err)
	}
}

func (p *page) open(path string) {
	p.t.Helper()
	p.do(chromedp.Navigate(p.base + path))
}

// eval runs JavaScript in the page and decodes its result.
func eval[T any](p *page, js string) T {
	p.t.Helper()
	v, err := chromedp.Run(p.ctx, chromedp.Evaluate[T](js))
	if err != nil {
		p.t.Fatalf("evaluating %s: %v", js, err)
	}
	return v
}

// axNode is one node of the accessibility tree.
type axNode struct {
	role, name string
	props      map[string]string
	backend    cdp.BackendNodeID
}

func axString(v *accessibility.Value) string {
	if v == nil || len(v.Value) == 0 {
		return ""
	}
	var x any
	if err := json.Unmarshal([]byte(v.Value), &x); err != nil {
		return string(v.Value)
	}
	return fmt.Sprint(x)
}

// query lists the nodes of role below within (0: the document) whose
// accessible name satisfies match; ignored (hidden) nodes are left out.
func (p *page) query(within cdp.BackendNodeID, role string, match func(string) bool) []axNode {
	p.t.Helper()
	// Each question gets a few seconds: one asked while the page navigates
	// (an OIDC sign-in leaves for the issuer and comes back) may never be
	// answered, and the caller polls anyway.
	ctx, cancel := context.WithTimeout(p.ctx, 5*time.Second)
	defer cancel()
	if within == 0 {
		depth := int64(0)
		doc, err := chromedp.Call(ctx, dom.GetDocument, dom.GetDocumentParams{Depth: &depth})
		if err != nil {
			if p.ctx.Err() != nil {
				p.t.Fatalf("document: %v", err)
			}
			return nil // between two documents: the caller polls
		}
		within = doc.Root.BackendNodeID
	}
	res, err := chromedp.Call(ctx, accessibility.QueryAXTree, accessibility.QueryAXTreeParams{BackendNodeID: within, Role: role})
	if err != nil {
		return nil // the node went away under a re-render: the caller polls
	}
	var out []axNode
	for _, n := range res.Nodes {
		if n.Ignored {
			continue
		}
		name := axString(n.Name)
		if !match(name) {
			continue
		}
		props := map[string]string{}
		for _, pr := range n.Properties {
			props[string(pr.Name)] = axString(pr.Value)
		}
		out = append(out, axNode{role: axString(n.Role), name: name, props: props, backend: n.BackendDOMNodeID})
	}
	return out
}

func exactly(name string) func(string) bool { return func(s string) bool { return s == name } }
func containing(sub string) func(string) bool {
	return func(s string) bool { return strings.Contains(s, sub) }
}

// waitFor polls until cond holds or fails the test after 30s (a loaded
// two-core machine runs SpiceDB, the build and Chromium at once).
func (p *page) waitFor(what string, cond func() bool) {
	p.t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			p.shot("failed-" + strings.NewReplacer(" ", "-", "/", "-", "\"", "").Replace(what))
			p.t.Fatalf("waited 30s for %s; page text:\n%s", what, p.text())
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// find waits for exactly one node of role whose name matches, below within.
func (p *page) find(within cdp.BackendNodeID, role string, match func(string) bool, what string) axNode {
	p.t.Helper()
	var got []axNode
	p.waitFor(fmt.Sprintf("one %s %s", role, what), func() bool {
		got = p.query(within, role, match)
		return len(got) == 1
	})
	return got[0]
}

// absent waits until no node of role whose name matches is in the tree.
func (p *page) absent(role string, match func(string) bool, what string) {
	p.t.Helper()
	p.waitFor(fmt.Sprintf("no %s %s", role, what), func() bool { return len(p.query(0, role, match)) == 0 })
}

// click clicks the middle of a node with the mouse, as a person would: an
// overlay or a zero-size box makes it miss.
func (p *page) click(n axNode) {
	p.t.Helper()
	if _, err := chromedp.Call(p.ctx, dom.ScrollIntoViewIfNeeded, dom.ScrollIntoViewIfNeededParams{BackendNodeID: n.backend}); err != nil {
		p.t.Fatalf("scrolling to %s %q: %v", n.role, n.name, err)
	}
	box, err := chromedp.Call(p.ctx, dom.GetBoxModel, dom.GetBoxModelParams{BackendNodeID: n.backend})
	if err != nil {
		p.t.Fatalf("box of %s %q: %v", n.role, n.name, err)
	}
	q := box.Model.Border
	x, y := (q[0]+q[2]+q[4]+q[6])/4, (q[1]+q[3]+q[5]+q[7])/4
	p.do(chromedp.MouseClickXY(x, y))
}

// clickRole finds and clicks a control by role and exact name.
func (p *page) clickRole(role, name string) {
	p.t.Helper()
	n := p.find(0, role, exactly(name), fmt.Sprintf("named %q", name))
	if n.props["disabled"] == "true" {
		p.t.Fatalf("%s %q is disabled", role, name)
	}
	p.click(n)
}

// key presses one key (kb constants or a character) on the focused
// element, holding it down for a moment as a person does: some widgets act
// between keydown and keyup (a roving focus moves on a timer).
func (p *page) key(k string, mods ...chromedp.Modifier) {
	p.t.Helper()
	for _, r := range k {
		for _, ev := range kb.Encode(r) {
			for _, m := range mods {
				ev.Modifiers |= int64(m)
			}
			if ev.Type == kb.KeyChar && ev.Modifiers&^int64(chromedp.ModifierShift) != 0 {
				continue // a shortcut types no character
			}
			if ev.Type == kb.KeyUp {
				time.Sleep(40 * time.Millisecond)
			}
			if _, err := chromedp.Call(p.ctx, input.DispatchKeyEvent, *ev); err != nil {
				p.t.Fatalf("key %q: %v", k, err)
			}
		}
	}
}

// paste puts text into the focused field as a paste (or an input method)
// does: one insertion, no key events.
func (p *page) paste(text string) {
	p.t.Helper()
	if _, err := chromedp.Call(p.ctx, input.InsertText, input.InsertTextParams{Text: text}); err != nil {
		p.t.Fatalf("paste: %v", err)
	}
}

// tabTo presses Tab (Shift+Tab with back) until focused() holds, at most
// limit times.
func (p *page) tabTo(what string, back bool, limit int, focused func() bool) {
	p.t.Helper()
	for i := 0; i < limit; i++ {
		if focused() {
			return
		}
		if back {
			p.key(kb.Tab, chromedp.ModifierShift)
		} else {
			p.key(kb.Tab)
		}
	}
	if !focused() {
		p.t.Fatalf("%d Tab presses did not reach %s; focus is on %s", limit, what,
			eval[string](p, `document.activeElement ? document.activeElement.outerHTML.slice(0, 200) : 'nothing'`))
	}
}

func (p *page) text() string {
	s, err := chromedp.Run(p.ctx, chromedp.Evaluate[string](`document.body ? document.body.innerText : ''`))
	if err != nil {
		return "(unreadable: " + err.Error() + ")"
	}
	return s
}

// waitText waits until the page shows s.
func (p *page) waitText(s string) {
	p.t.Helper()
	p.waitFor(fmt.Sprintf("text %q", s), func() bool { return strings.Contains(p.text(), s) })
}

// everyControlNamed fails the test for a control a screen reader would
// announce without a name (an input without its label, an icon button).
func (p *page) everyControlNamed(where string) {
	p.t.Helper()
	for _, role := range []string{"button", "link", "textbox", "searchbox", "combobox", "checkbox", "radio", "spinbutton", "radiogroup", "navigation", "dialog"} {
		for _, n := range p.query(0, role, func(s string) bool { return strings.TrimSpace(s) == "" }) {
			html := ""
			if obj, err := chromedp.Call(p.ctx, dom.ResolveNode, dom.ResolveNodeParams{BackendNodeID: n.backend}); err == nil {
				html, _ = chromedp.Run(p.ctx, chromedp.CallFunctionOn[string](`function() { return this.outerHTML.slice(0, 160) }`,
					func(cp *runtime.CallFunctionOnParams) { cp.ObjectID = obj.Object.ObjectID }))
			}
			p.t.Errorf("%s: a %s without an accessible name: %s", where, role, html)
		}
	}
}

// shot saves a screenshot of the viewport as screenshotDir/name.png.
func (p *page) shot(name string) {
	p.t.Helper()
	buf, err := chromedp.Run(p.ctx, chromedp.CaptureScreenshot())
	if err != nil {
		p.t.Logf("screenshot %s: %v", name, err)
		return
	}
	if err := os.MkdirAll(screenshotDir, 0o755); err != nil {
		p.t.Fatal(err)
	}
	path := filepath.Join(screenshotDir, name+".png")
	if err := os.WriteFile(path, buf, 0o644); err != nil {
		p.t.Fatal(err)
	}
	p.t.Logf("screenshot: e2e/%s", path)
}
