// Package catalog is the permission catalog as data: modules (grouped by
// product) → actions → the scopes each action supports and the seat it
// needs, plus the system roles' default grants. Adding an ALL-only action is
// a line here; an action with OWN or TEAM scopes also needs its traversal in
// schema.zed (the catalog test checks that both agree).
package catalog

import (
	"fmt"
	"sort"
	"strings"

	"github.com/rolegraph/rolegraph/model"
)

// PermissionExplore lets a member introspect the GraphQL schema and see
// field suggestions on a --production server (GraphiQL in production).
const PermissionExplore = "api.explore"

// Resource says what kind of object an action's OWN/TEAM scopes are about.
type Resource string

const (
	// ResourceOrg: actions not about one resource — organization settings
	// (ALL only) and personal abilities such as recording one's own calls
	// (OWN only) — checked on the grant object itself.
	ResourceOrg         Resource = "organization"
	ResourceInteraction Resource = "interaction"
	ResourceEvaluation  Resource = "evaluation"
	ResourceMember      Resource = "member"
	ResourceTeam        Resource = "team"
)

type Action struct {
	Key        string // "read"
	Permission string // "interactions.read"
	Name       string
	Scopes     []model.Scope // supported scopes, narrowest first, DISABLED not listed
	Seat       model.SeatKind
	Resource   Resource
}

// Supports reports whether the action can be granted at scope s
// (DISABLED always can).
func (a *Action) Supports(s model.Scope) bool {
	if s == model.ScopeDisabled {
		return true
	}
	for _, x := range a.Scopes {
		if x == s {
			return true
		}
	}
	return false
}

// Max is the widest scope the action supports.
func (a *Action) Max() model.Scope { return a.Scopes[len(a.Scopes)-1] }

// Clamp returns the widest supported scope that s covers, DISABLED if none:
// a role holding TEAM on an ALL-only action holds nothing of it.
func (a *Action) Clamp(s model.Scope) model.Scope {
	best := model.ScopeDisabled
	for _, x := range a.Scopes {
		if s.Covers(x) {
			best = x
		}
	}
	return best
}

// ObjectKey is the permission key as SpiceDB names allow it: "." becomes "_".
func (a *Action) ObjectKey() string { return strings.ReplaceAll(a.Permission, ".", "_") }

type Module struct {
	Key     string
	Name    string
	Product model.Product // "" for modules every organization has
	Actions []*Action
}

var (
	own  = []model.Scope{model.ScopeOwn}
	ota  = []model.Scope{model.ScopeOwn, model.ScopeTeam, model.ScopeAll}
	ta   = []model.Scope{model.ScopeTeam, model.ScopeAll}
	oa   = []model.Scope{model.ScopeOwn, model.ScopeAll}
	all_ = []model.Scope{model.ScopeAll}
)

type act struct {
	key, name string
	scopes    []model.Scope
	seat      model.SeatKind
	res       Resource
}

func mod(key, name string, p model.Product, acts ...act) *Module {
	m := &Module{Key: key, Name: name, Product: p}
	for _, a := range acts {
		res := a.res
		if res == "" {
			res = ResourceOrg
		}
		m.Actions = append(m.Actions, &Action{Key: a.key, Permission: key + "." + a.key, Name: a.name,
			Scopes: a.scopes, Seat: a.seat, Resource: res})
	}
	return m
}

// crud is read/write/delete at ALL, the shape of most settings modules.
func crud(key, name string, p model.Product) *Module {
	return mod(key, name, p, act{"read", "Read", all_, "", ""}, act{"write", "Write", all_, "", ""},
		act{"delete", "Delete", all_, "", ""})
}

// Catalog is the whole permission catalog.
type Catalog struct {
	Modules []*Module
	actions map[string]*Action
	module  map[string]*Module
	roles   []SystemRole
}

// Default is rolegraph's catalog. It is built once per call: callers keep it.
func Default() *Catalog {
	I, E, M, T := ResourceInteraction, ResourceEvaluation, ResourceMember, ResourceTeam
	modules := []*Module{
		// Conversation intelligence (seeds 000, 002, 004).
		mod("interactions", "Interactions", model.ProductConversations,
			act{"read", "View and listen", ota, "", I},
			act{"write", "Edit", ota, "", I},
			act{"delete", "Delete", ota, "", I},
			act{"download", "Download recordings", ota, "", I},
			act{"record", "Record and stream own calls", own, model.SeatRecorder, ""},
			act{"join_live", "Join calls live", ta, "", I},
			act{"coach", "Coach and comment", ta, "", I}),
		mod("analytics", "Analytics", model.ProductConversations,
			act{"read", "View reports and insights", ota, "", M}),
		mod("observability", "Observability", model.ProductConversations,
			act{"read", "View observability reports", all_, "", ""}),
		mod("labels", "Labels", model.ProductConversations,
			act{"read", "Read", all_, "", ""}, act{"write", "Manage automatic labels and alerts", all_, "", ""}),
		// Quality (seed 002).
		mod("evaluations", "Quality evaluations", model.ProductQuality,
			act{"read", "Read", ota, "", E},
			act{"write", "Evaluate", ota, "", E},
			act{"delete", "Delete", ta, "", E}),
		crud("scorecards", "Coaching scorecards", model.ProductQuality),
		// AI (seed 002, seed 001 "AI in the app").
		mod("ai_transcription", "AI Transcription", model.ProductAI,
			act{"read", "Read", all_, "", ""}, act{"write", "Write", all_, "", ""}),
		mod("ai_metrics", "AI Metrics", model.ProductAI,
			act{"read", "Read", all_, "", ""}, act{"write", "Write", all_, "", ""}),
		mod("ai_tagging", "AI Tagging", model.ProductAI,
			act{"read", "Read", all_, "", ""}, act{"write", "Write", all_, "", ""}),
		mod("ai_process", "AI Process", model.ProductAI,
			act{"read", "Read", all_, "", ""}, act{"write", "Write", all_, "", ""}),
		mod("ai_assist", "AI in the app", model.ProductAI,
			act{"use", "Summaries, suggested answers and AI support", all_, "", ""}),
		// Telephony (seeds 001, 004).
		mod("voice", "Voice dialer", model.ProductTelephony,
			act{"dial", "Place calls with the dialer", own, model.SeatVoice, ""}),
		mod("telephony", "Telephony system", model.ProductTelephony,
			act{"read", "Read", all_, "", ""}, act{"write", "Numbers, response groups and call recordings", all_, "", ""}),
		mod("opening_hours", "Opening hours", model.ProductTelephony,
			act{"read", "Read", all_, "", ""}, act{"write", "Configure opening hours", all_, "", ""}),
		// Contact center (seed 001).
		mod("contact_center", "Contact Center", model.ProductContactCenter,
			act{"read", "Read", all_, model.SeatContactCenter, ""},
			act{"write", "Administer Contact Center", all_, model.SeatContactCenter, ""}),
		mod("wallboards", "Wallboards", model.ProductContactCenter,
			act{"read", "Read", all_, "", ""}, act{"write", "Create and manage wallboards", all_, "", ""}),
		// Knowledge base and messaging (seed 003).
		crud("knowledge_base", "Knowledge base and FAQs", model.ProductKnowledgeBase),
		mod("messaging", "Customer conversations", model.ProductMessaging,
			act{"reply", "Reply to customers", ota, "", I},
			act{"private_note", "Add private notes", ota, "", I}),
		crud("campaigns", "Campaigns", model.ProductMessaging),
		// Administration, every organization (seeds 000, 001, 002).
		mod("members", "Users", "",
			act{"read", "Read", all_, "", ""}, act{"write", "Invite and edit", ta, "", M},
			act{"delete", "Remove", all_, "", ""}),
		mod("teams", "Teams", "",
			act{"read", "Read", all_, "", ""}, act{"write", "Create and manage", ta, "", T},
			act{"delete", "Delete", all_, "", ""}),
		crud("roles", "Roles & permissions", ""),
		mod("seats", "Licenses", "",
			act{"read", "See licenses in use", all_, "", ""}, act{"write", "Assign and purchase licenses", all_, "", ""}),
		crud("guests", "Guests", ""),
		crud("integrations", "Integrations", ""),
		mod("account", "Account", "",
			act{"read", "Read", all_, "", ""}, act{"write", "Manage account settings and plan", all_, "", ""}),
		mod("audit_log", "Audit log", "",
			act{"read", "Read", all_, "", ""}),
		crud("contacts", "Contacts and people", ""),
		mod("cost_centers", "Cost centers", "",
			act{"read", "Read", all_, "", ""}, act{"write", "Administer cost centers on invoices", all_, "", ""}),
		mod("survey", "Survey", "",
			act{"read", "Read survey results", all_, "", ""}, act{"write", "Distribute survey licenses", all_, "", ""}),
		mod("preferences", "Personal settings", "",
			act{"write", "Edit personal settings", oa, "", M}),
		// The API itself (issue 16): with --production, introspection and
		// field suggestions answer only holders of api.explore.
		mod("api", "API", "",
			act{"explore", "Explore the API in GraphiQL (introspection and field suggestions in production)", all_, "", ""}),
	}
	return New(modules...)
}

// New builds a catalog of these modules, with the system roles derived
// from them. Default is rolegraph's; a release that changes it changes
// what every organization's grant objects say (rels.CatalogFingerprint),
// which the server reconciles at start.
func New(modules ...*Module) *Catalog {
	c := &Catalog{Modules: modules, actions: map[string]*Action{}, module: map[string]*Module{}}
	for _, m := range modules {
		c.module[m.Key] = m
		for _, a := range m.Actions {
			c.actions[a.Permission] = a
		}
	}
	c.roles = systemRoles(c)
	return c
}

// Action finds an action by permission key ("interactions.read").
func (c *Catalog) Action(permission string) (*Action, bool) {
	a, ok := c.actions[permission]
	return a, ok
}

// ModuleOf returns the module an action belongs to.
func (c *Catalog) ModuleOf(permission string) *Module {
	key, _, _ := strings.Cut(permission, ".")
	return c.module[key]
}

// Actions lists every action in catalog order.
func (c *Catalog) Actions() []*Action {
	var out []*Action
	for _, m := range c.Modules {
		out = append(out, m.Actions...)
	}
	return out
}

// ProductOf is the product gating an action, "" when ungated.
func (c *Catalog) ProductOf(permission string) model.Product {
	if m := c.ModuleOf(permission); m != nil {
		return m.Product
	}
	return ""
}

// Validate checks a grant set: known permissions, supported scopes, no
// duplicates. It returns the offending index and a message.
func (c *Catalog) Validate(grants []model.Grant) (int, error) {
	seen := map[string]bool{}
	for i, g := range grants {
		a, ok := c.actions[g.Permission]
		if !ok {
			return i, fmt.Errorf("unknown permission %q: see permissionCatalog for the keys", g.Permission)
		}
		if !g.Scope.Valid() {
			return i, fmt.Errorf("unknown scope %q", g.Scope)
		}
		if !a.Supports(g.Scope) {
			return i, fmt.Errorf("%s supports %s, not %s", g.Permission, scopeList(a.Scopes), g.Scope)
		}
		if seen[g.Permission] {
			return i, fmt.Errorf("%s is listed twice", g.Permission)
		}
		seen[g.Permission] = true
	}
	return -1, nil
}

// Normalize drops DISABLED grants and sorts by permission, the form roles
// are stored in.
func Normalize(grants []model.Grant) []model.Grant {
	out := make([]model.Grant, 0, len(grants))
	for _, g := range grants {
		if g.Scope != model.ScopeDisabled {
			out = append(out, g)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Permission < out[j].Permission })
	return out
}

func scopeList(s []model.Scope) string {
	parts := make([]string, len(s))
	for i, x := range s {
		parts[i] = string(x)
	}
	return strings.Join(parts, ", ")
}
