// Package model holds rolegraph's entities: plain values that the store
// persists, the domain package changes and the GraphQL layer shows. Enums are
// strings spelled exactly as the GraphQL contract spells them, so they cross
// every boundary (SQL, JSON, GraphQL) without translation tables.
package model

import (
	"fmt"
	"io"
	"strconv"
	"time"
)

// Scope says how far a grant reaches. ALL implies TEAM implies OWN.
type Scope string

const (
	ScopeDisabled Scope = "DISABLED"
	ScopeOwn      Scope = "OWN"
	ScopeTeam     Scope = "TEAM"
	ScopeAll      Scope = "ALL"
)

// Rank orders scopes so that "within the caller's grants" is a comparison.
func (s Scope) Rank() int {
	switch s {
	case ScopeOwn:
		return 1
	case ScopeTeam:
		return 2
	case ScopeAll:
		return 3
	}
	return 0
}

// Covers reports whether a grant at scope s includes scope o.
func (s Scope) Covers(o Scope) bool { return s.Rank() >= o.Rank() }

func (s Scope) Valid() bool {
	switch s {
	case ScopeDisabled, ScopeOwn, ScopeTeam, ScopeAll:
		return true
	}
	return false
}

type Plan string

const (
	PlanStarter    Plan = "STARTER"
	PlanPro        Plan = "PRO"
	PlanEnterprise Plan = "ENTERPRISE"
)

func (p Plan) Valid() bool { return p == PlanStarter || p == PlanPro || p == PlanEnterprise }

// AllowsCustomRoles is the plan rule of seed 003: custom roles are a Pro and
// Enterprise feature.
func (p Plan) AllowsCustomRoles() bool { return p == PlanPro || p == PlanEnterprise }

type Product string

const (
	ProductConversations Product = "CONVERSATIONS"
	ProductQuality       Product = "QUALITY"
	ProductAI            Product = "AI"
	ProductTelephony     Product = "TELEPHONY"
	ProductContactCenter Product = "CONTACT_CENTER"
	ProductKnowledgeBase Product = "KNOWLEDGE_BASE"
	ProductMessaging     Product = "MESSAGING"
)

// AllProducts lists every product in a stable order.
var AllProducts = []Product{ProductConversations, ProductQuality, ProductAI, ProductTelephony,
	ProductContactCenter, ProductKnowledgeBase, ProductMessaging}

func (p Product) Valid() bool {
	for _, q := range AllProducts {
		if p == q {
			return true
		}
	}
	return false
}

type SeatKind string

const (
	SeatRecorder      SeatKind = "RECORDER"
	SeatVoice         SeatKind = "VOICE"
	SeatContactCenter SeatKind = "CONTACT_CENTER"
)

// AllSeatKinds lists every seat kind in a stable order.
var AllSeatKinds = []SeatKind{SeatRecorder, SeatVoice, SeatContactCenter}

func (k SeatKind) Valid() bool {
	return k == SeatRecorder || k == SeatVoice || k == SeatContactCenter
}

// Requires names the seat a member must hold before this one (seed 004:
// Voice is available only in conjunction with a Recorder seat).
func (k SeatKind) Requires() SeatKind {
	if k == SeatVoice {
		return SeatRecorder
	}
	return ""
}

type MemberStatus string

const (
	StatusInvited     MemberStatus = "INVITED"
	StatusActive      MemberStatus = "ACTIVE"
	StatusDeactivated MemberStatus = "DEACTIVATED"
)

func (s MemberStatus) Valid() bool {
	return s == StatusInvited || s == StatusActive || s == StatusDeactivated
}

type Organization struct {
	ID       string
	Name     string
	Plan     Plan
	Products []Product // enabled products, in AllProducts order
	OwnerID  string
	// ExternalID is the organization's id at the OIDC issuer (the value of
	// its organization claim); "" for none, unique when set.
	ExternalID string
	CreatedAt  time.Time
	// Revision counts applied relationship writes; decisions cached under an
	// older revision are never read again.
	Revision int64
	// ZedToken is what SpiceDB returned for the last applied write; reads ask
	// for answers at least as fresh as it.
	ZedToken string
	// Pending says that committed changes wait in the outbox: SpiceDB does
	// not have them yet, so neither its answers nor decisions cached under
	// Revision may be trusted until they are applied. Stores compute it on
	// read; writes ignore it.
	Pending bool
	// NextExpiry is the soonest expiry of a temporary role assignment still
	// ahead at the moment of the read (zero: none): decisions about the
	// organization may not be cached past it.
	NextExpiry time.Time
	// LastExpiry is the latest expiry already past at the read (zero: none).
	LastExpiry time.Time
}

func (o *Organization) HasProduct(p Product) bool {
	for _, q := range o.Products {
		if q == p {
			return true
		}
	}
	return false
}

type SeatPool struct {
	OrgID string
	Kind  SeatKind
	Total int
}

type Member struct {
	ID      string
	OrgID   string
	Email   string // lower-cased, unique per organization
	Name    string
	Status  MemberStatus
	IsGuest bool
	RoleIDs []string   // sorted; held until taken away
	Seats   []SeatKind // in AllSeatKinds order
	// ExternalID is the person's "sub" at the OIDC issuer, bound when they
	// accept their invitation with the issuer's token; "" for none, unique
	// per organization when set.
	ExternalID string
	CreatedAt  time.Time
	// TempRoles are roles held until an instant (issue 13), sorted by
	// RoleID; a role is never in both RoleIDs and TempRoles. Expired ones
	// stay until removed: readers filter with Active.
	TempRoles []RoleAssignment
	// Preferences are the member's personal settings; nil until first set,
	// which reads as DefaultPreferences.
	Preferences *MemberPreferences
}

// RoleAssignment is a role held until ExpiresAt, who granted it and why.
type RoleAssignment struct {
	RoleID    string    `json:"roleId"`
	ExpiresAt time.Time `json:"expiresAt"`
	GrantedBy string    `json:"grantedBy,omitempty"`
	Reason    string    `json:"reason,omitempty"`
}

// ActiveTempRoles are the temporary roles not expired at now.
func (m *Member) ActiveTempRoles(now time.Time) []RoleAssignment {
	var out []RoleAssignment
	for _, a := range m.TempRoles {
		if now.Before(a.ExpiresAt) {
			out = append(out, a)
		}
	}
	return out
}

// TempRole returns the member's temporary assignment of the role, expired or not.
func (m *Member) TempRole(roleID string) (RoleAssignment, bool) {
	for _, a := range m.TempRoles {
		if a.RoleID == roleID {
			return a, true
		}
	}
	return RoleAssignment{}, false
}

// MemberPreferences are personal settings (seed 001 "Personal settings",
// seed 002 "User Preferences"): a BCP 47 locale, an IANA time zone.
type MemberPreferences struct {
	Locale             string `json:"locale"`
	Timezone           string `json:"timezone"`
	EmailNotifications bool   `json:"emailNotifications"`
}

// DefaultPreferences are a member's preferences before they set any.
func DefaultPreferences() MemberPreferences {
	return MemberPreferences{Locale: "en", Timezone: "UTC", EmailNotifications: true}
}

// Prefs is the member's preferences, defaults filled in.
func (m *Member) Prefs() MemberPreferences {
	if m.Preferences == nil {
		return DefaultPreferences()
	}
	return *m.Preferences
}

func (m *Member) HasSeat(k SeatKind) bool {
	for _, s := range m.Seats {
		if s == k {
			return true
		}
	}
	return false
}

func (m *Member) HasRole(id string) bool {
	for _, r := range m.RoleIDs {
		if r == id {
			return true
		}
	}
	return false
}

type Team struct {
	ID       string
	OrgID    string
	Name     string // unique per organization, case-insensitively
	ParentID string // "" for a top-level team
}

// TeamMembership places a member in a team; Manager marks a team manager.
type TeamMembership struct {
	OrgID    string
	TeamID   string
	MemberID string
	Manager  bool
}

type Grant struct {
	Permission string `json:"permission"`
	Scope      Scope  `json:"scope"`
}

type Role struct {
	ID          string
	OrgID       string
	Key         string // system role key ("admin", …); "" for custom roles
	Name        string // unique per organization, case-insensitively
	Description string
	System      bool
	Grants      []Grant // non-DISABLED grants, sorted by permission
}

// Invitation is a pending way into an organization: either for one invited
// member (MemberID set) or a guest link for a role (RoleID set), which any
// number of guests may accept until it expires.
type Invitation struct {
	TokenHash string // sha256 of the token; the token itself is never stored
	OrgID     string
	MemberID  string
	RoleID    string
	CreatedBy string
	ExpiresAt time.Time
	UsedAt    *time.Time
	// AccessExpiresAt, for a guest link, is when the guest's role ends
	// (zero: it does not).
	AccessExpiresAt time.Time
}

// AccessRequestStatus is where an access request stands. EXPIRED is never
// stored: a PENDING request older than AccessRequestTTL reads as EXPIRED.
type AccessRequestStatus string

const (
	AccessPending  AccessRequestStatus = "PENDING"
	AccessApproved AccessRequestStatus = "APPROVED"
	AccessDenied   AccessRequestStatus = "DENIED"
	AccessExpired  AccessRequestStatus = "EXPIRED"
)

// AccessRequestTTL is how long a request waits for a decision.
const AccessRequestTTL = 7 * 24 * time.Hour

// AccessRequest is a member asking for a permission they were denied.
type AccessRequest struct {
	ID          string
	OrgID       string
	RequesterID string
	Permission  string
	ResourceID  string // "" for none
	Reason      string
	Status      AccessRequestStatus // as stored: PENDING, APPROVED or DENIED
	DecidedBy   string
	// DecisionReason is why it was denied; RoleID and ExpiresAt what an
	// approval granted.
	DecisionReason string
	RoleID         string
	ExpiresAt      time.Time
	CreatedAt      time.Time
	DecidedAt      time.Time
}

// StatusAt is the request's status as read at now.
func (r *AccessRequest) StatusAt(now time.Time) AccessRequestStatus {
	if r.Status == AccessPending && !now.Before(r.CreatedAt.Add(AccessRequestTTL)) {
		return AccessExpired
	}
	return r.Status
}

// ExpiringRole is one temporary role assignment of one member.
type ExpiringRole struct {
	OrgID    string
	MemberID string
	RoleAssignment
}

type Interaction struct {
	ID          string
	OrgID       string
	Title       string
	OwnerID     string
	TeamID      string
	AssigneeIDs []string // sorted
	CreatedAt   time.Time
}

type Evaluation struct {
	ID            string
	OrgID         string
	InteractionID string
	AgentID       string
	EvaluatorID   string
	Score         int
	CreatedAt     time.Time
}

type AuditEvent struct {
	ID       string
	OrgID    string
	At       time.Time
	ActorID  string
	Action   string
	TargetID string
	Before   string // JSON, "" when nothing existed
	After    string // JSON, "" when nothing remains
}

// --- GraphQL marshalling: enums travel as their own names. ---

func marshalEnum(w io.Writer, s string) { io.WriteString(w, strconv.Quote(s)) }

func unmarshalEnum(v any, valid func(string) bool, name string) (string, error) {
	s, ok := v.(string)
	if !ok || !valid(s) {
		return "", fmt.Errorf("%v is not a valid %s", v, name)
	}
	return s, nil
}

func (s Scope) MarshalGQL(w io.Writer) { marshalEnum(w, string(s)) }
func (s *Scope) UnmarshalGQL(v any) error {
	x, err := unmarshalEnum(v, func(x string) bool { return Scope(x).Valid() }, "Scope")
	*s = Scope(x)
	return err
}
func (p Plan) MarshalGQL(w io.Writer) { marshalEnum(w, string(p)) }
func (p *Plan) UnmarshalGQL(v any) error {
	x, err := unmarshalEnum(v, func(x string) bool { return Plan(x).Valid() }, "Plan")
	*p = Plan(x)
	return err
}
func (p Product) MarshalGQL(w io.Writer) { marshalEnum(w, string(p)) }
func (p *Product) UnmarshalGQL(v any) error {
	x, err := unmarshalEnum(v, func(x string) bool { return Product(x).Valid() }, "Product")
	*p = Product(x)
	return err
}
func (k SeatKind) MarshalGQL(w io.Writer) { marshalEnum(w, string(k)) }
func (k *SeatKind) UnmarshalGQL(v any) error {
	x, err := unmarshalEnum(v, func(x string) bool { return SeatKind(x).Valid() }, "SeatKind")
	*k = SeatKind(x)
	return err
}
func (s MemberStatus) MarshalGQL(w io.Writer) { marshalEnum(w, string(s)) }
func (s *MemberStatus) UnmarshalGQL(v any) error {
	x, err := unmarshalEnum(v, func(x string) bool { return MemberStatus(x).Valid() }, "MemberStatus")
	*s = MemberStatus(x)
	return err
}
