// Package demo builds a realistic demo organization through the domain
// service, so every rule applies to it exactly as to a real one: an owner,
// an admin, managers of nested teams, recorders, analysts, an auditor, a
// guest, ~200 interactions and their evaluations.
package demo

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/rolegraph/rolegraph/domain"
	"github.com/rolegraph/rolegraph/model"
)

// Person is one demo member and why they are there.
type Person struct {
	Label string // "owner", "manager-sales", …
	Role  string
	ID    string
	Email string
	Note  string
}

type Demo struct {
	OrgID  string
	People []Person
	Teams  map[string]string // name → id
}

// Interactions is how many calls the demo records.
const Interactions = 200

// Load creates the demo organization.
func Load(ctx context.Context, svc *domain.Service) (*Demo, error) {
	org, owner, err := svc.CreateOrganization(ctx, domain.CreateOrganizationInput{
		Name: "Acme Support & Sales", Plan: model.PlanEnterprise,
		OwnerEmail: "olivia.owner@acme.example", OwnerName: "Olivia Owner",
		SeatTotals: map[model.SeatKind]int{model.SeatRecorder: 20, model.SeatVoice: 10, model.SeatContactCenter: 5},
	})
	if err != nil {
		return nil, err
	}
	d := &Demo{OrgID: org.ID, Teams: map[string]string{}}
	d.People = append(d.People, Person{Label: "owner", Role: "owner", ID: owner.ID, Email: owner.Email, Note: "every permission"})
	as := domain.Caller{OrgID: org.ID, MemberID: owner.ID}

	roles, err := svc.Roles(ctx, as)
	if err != nil {
		return nil, err
	}
	roleID := map[string]string{}
	for _, r := range roles {
		roleID[r.Key] = r.ID
	}

	team := func(name, parent string) error {
		t, err := svc.CreateTeam(ctx, as, domain.CreateTeamInput{Name: name, ParentID: d.Teams[parent]})
		if err != nil {
			return fmt.Errorf("team %s: %w", name, err)
		}
		d.Teams[name] = t.ID
		return nil
	}
	for _, t := range [][2]string{{"Sales", ""}, {"Sales EMEA", "Sales"}, {"Sales US", "Sales"}, {"Support", ""}} {
		if err := team(t[0], t[1]); err != nil {
			return nil, err
		}
	}

	type spec struct {
		label, name, role, team string
		manager                 bool
		seats                   []model.SeatKind
		note                    string
	}
	R, V := model.SeatRecorder, model.SeatVoice
	specs := []spec{
		{"admin", "Adam Admin", "admin", "", false, nil, "everything but custom roles and the account"},
		{"manager-sales", "Mia Manager", "manager", "Sales", true, []model.SeatKind{R}, "manages Sales, sees Sales EMEA and Sales US too"},
		{"manager-emea", "Emil Lead", "manager", "Sales EMEA", true, []model.SeatKind{R}, "manages Sales EMEA only"},
		{"recorder-emea-1", "Rita Rep", "recorder", "Sales EMEA", false, []model.SeatKind{R, V}, "records own calls, Voice dialer"},
		{"recorder-emea-2", "Ravi Rep", "recorder", "Sales EMEA", false, []model.SeatKind{R}, "records own calls"},
		{"recorder-us", "Uma Rep", "recorder", "Sales US", false, []model.SeatKind{R}, "records own calls"},
		{"recorder-noseat", "Nina Noseat", "recorder", "Sales US", false, nil, "recorder role without a seat: cannot record"},
		{"agent-support", "Sam Support", "agent", "Support", false, nil, "sees only own and assigned interactions"},
		{"analyst-plus", "Pat Plus", "analyst_plus", "", false, nil, "reads, coaches and downloads everything"},
		{"analyst", "Ann Analyst", "analyst", "", false, nil, "reads and coaches everything, no downloads"},
		{"auditor", "Aud Itor", "auditor", "", false, nil, "reads everything, evaluates"},
	}
	ids := map[string]string{"owner": owner.ID}
	for _, s := range specs {
		email := s.label + "@acme.example"
		in := domain.InviteMemberInput{Email: email, Name: s.name, RoleIDs: []string{roleID[s.role]}, Seats: s.seats}
		if s.team != "" {
			in.TeamIDs = []string{d.Teams[s.team]}
		}
		m, token, err := svc.InviteMember(ctx, as, in)
		if err != nil {
			return nil, fmt.Errorf("invite %s: %w", s.label, err)
		}
		if _, err := svc.AcceptInvitation(ctx, token, "", ""); err != nil {
			return nil, fmt.Errorf("accept %s: %w", s.label, err)
		}
		if s.manager {
			if _, err := svc.AddTeamMember(ctx, as, d.Teams[s.team], m.ID, true); err != nil {
				return nil, fmt.Errorf("manager %s: %w", s.label, err)
			}
		}
		ids[s.label] = m.ID
		d.People = append(d.People, Person{Label: s.label, Role: s.role, ID: m.ID, Email: email, Note: s.note})
	}

	// A guest who joined through an expiring link.
	tok, _, err := svc.CreateGuestInvite(ctx, as, roleID["guest"], time.Now().Add(30*24*time.Hour).UTC().Format(time.RFC3339), nil)
	if err != nil {
		return nil, fmt.Errorf("guest link: %w", err)
	}
	guest, err := svc.AcceptInvitation(ctx, tok, "gus.guest@partner.example", "Gus Guest")
	if err != nil {
		return nil, fmt.Errorf("guest: %w", err)
	}
	d.People = append(d.People, Person{Label: "guest", Role: "guest", ID: guest.ID, Email: guest.Email, Note: "sees only interactions assigned to them"})

	// Calls, spread over the reps, some assigned to the support agent or the guest.
	owners := []string{"recorder-emea-1", "recorder-emea-2", "recorder-us", "manager-sales", "manager-emea", "recorder-noseat", "agent-support"}
	titles := []string{"Discovery call", "Renewal", "Demo", "Pricing follow-up", "Escalation", "Onboarding", "QBR"}
	companies := []string{"Globex", "Initech", "Umbrella", "Hooli", "Stark", "Wayne", "Soylent", "Tyrell"}
	var created []string
	for i := 0; i < Interactions; i++ {
		in := domain.CreateInteractionInput{
			Title:   fmt.Sprintf("%s with %s #%d", titles[i%len(titles)], companies[i%len(companies)], i+1),
			OwnerID: ids[owners[i%len(owners)]],
		}
		switch {
		case i%10 == 3:
			in.AssigneeIDs = []string{ids["agent-support"]}
		case i%25 == 7:
			in.AssigneeIDs = []string{guest.ID}
		}
		it, err := svc.CreateInteraction(ctx, as, in)
		if err != nil {
			return nil, fmt.Errorf("interaction %d: %w", i, err)
		}
		created = append(created, it.ID)
	}
	// QA evaluations by the auditor and the sales manager.
	auditor := domain.Caller{OrgID: org.ID, MemberID: ids["auditor"]}
	for i := 0; i < 40; i++ {
		agent := ids[owners[(i*5)%len(owners)]]
		if _, err := svc.CreateEvaluation(ctx, auditor, domain.CreateEvaluationInput{
			InteractionID: created[i*5], AgentID: agent, Score: 55 + (i*7)%45,
		}); err != nil {
			return nil, fmt.Errorf("evaluation %d: %w", i, err)
		}
	}
	return d, nil
}

// PrintTokens prints a bearer token per demo member and how to use one.
func (d *Demo) PrintTokens(w io.Writer, issue func(orgID, memberID string, ttl time.Duration) (string, error), baseURL string) error {
	fmt.Fprintf(w, "\nDemo organization %s — tokens valid for 24h:\n", d.OrgID)
	for _, p := range d.People {
		t, err := issue(d.OrgID, p.ID, 24*time.Hour)
		if err != nil {
			return err
		}
		fmt.Fprintf(w, "\n  %-16s %-13s %s\n    %s\n    %s\n", p.Label, p.Role, p.Email, p.Note, t)
	}
	fmt.Fprintf(w, "\nOpen %s/graphiql, add the header  Authorization: Bearer <token>  and try:\n", baseURL)
	fmt.Fprintln(w, `  { viewer { name roles { name } grants { permission scope } }
    interactions(first: 5) { totalCount edges { node { title owner { name } viewerCan { read download delete } } } } }`)
	fmt.Fprintln(w)
	return nil
}
