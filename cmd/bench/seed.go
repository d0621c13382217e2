package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"iter"
	"math/rand/v2"
	"slices"
	"time"

	v1 "github.com/authzed/authzed-go/proto/authzed/api/v1"
	authzed "github.com/authzed/authzed-go/v1"

	"github.com/rolegraph/rolegraph/authz"
	"github.com/rolegraph/rolegraph/domain"
	"github.com/rolegraph/rolegraph/ids"
	"github.com/rolegraph/rolegraph/model"
	"github.com/rolegraph/rolegraph/rels"
	"github.com/rolegraph/rolegraph/server"
	"github.com/rolegraph/rolegraph/store/postgres"
)

// world is the seeded organization, as much of it as the measurements need
// (the entity values themselves are dropped after seeding).
type world struct {
	org       *model.Organization
	owner     string
	probeRole string // custom role with no grants: measurement 4 grants and revokes on it
	probe     string // holds only probeRole, in no team, owns nothing
	// previewRole is a custom role that the first --preview-holders
	// recorders hold besides recorder: measurement 6 previews edits of it.
	previewRole    string
	previewHolders int

	analysts, managers, recorders []string // ALL, TEAM and OWN holders
	// teamManagers[i] manages teams[i]; teams[0] is top-level with sub-teams.
	teamManagers []string
	teams        []string
	subtree      map[string][]string // team → itself and every team below it

	interactions []slimInteraction
	byOwner      map[string][]int32 // member → interactions they own or are assigned
	byTeam       map[string][]int32 // team → its interactions

	relationships uint64 // imported into SpiceDB
}

type slimInteraction struct{ id, owner, team string }

// idgen makes ids shaped like ids.New from the run's seeded RNG, so the
// same seed gives the same organization.
type idgen struct{ rng *rand.Rand }

const idAlphabet = "abcdefghijklmnopqrstuvwxyz234567"

func (g idgen) new(k ids.Kind) string {
	b := make([]byte, 20)
	for i := range b {
		b[i] = idAlphabet[g.rng.IntN(len(idAlphabet))]
	}
	return string(k) + "_" + string(b)
}

// seedTimes are the phases of seeding.
type seedTimes struct {
	org, generate, entities, spicedb, mark, analyze, total time.Duration
}

// seed builds the organization through replica a: the organization, its
// system roles and the probe role through the domain service (one normal
// write each); members, teams, memberships and interactions with COPY into
// the entity store (postgres.Store.BulkLoad) and their relationships
// straight into SpiceDB with ImportBulkRelationships; then one final
// WriteRelationships whose ZedToken MarkApplied records as the
// organization's new revision, so every later read is at least as fresh as
// the import.
func seed(ctx context.Context, cfg *config, a *server.Server, dbs []*database, log io.Writer) (*world, seedTimes, error) {
	var t seedTimes
	start := time.Now()
	rng := rand.New(rand.NewPCG(cfg.seed, 0x5eed))
	gen := idgen{rng}
	w := &world{subtree: map[string][]string{}, byOwner: map[string][]int32{}, byTeam: map[string][]int32{}}

	pg, ok := a.Store.(*postgres.Store)
	if !ok {
		return nil, t, errors.New("the entity store is not Postgres")
	}

	// 1. The organization, through the domain service.
	nAnalyst := max(1, cfg.members/10)
	nManager := min(max(cfg.teams, cfg.members/10), cfg.members-nAnalyst-1)
	nRecorder := cfg.members - nAnalyst - nManager
	if cfg.teams < 1 || nManager < cfg.teams || nRecorder < 1 {
		return nil, t, fmt.Errorf("--members %d is too few for --teams %d: need a manager per team, 10%% analysts and some recorders", cfg.members, cfg.teams)
	}
	org, owner, err := a.Service.CreateOrganization(ctx, domain.CreateOrganizationInput{
		Name: "Bench Org", Plan: model.PlanEnterprise, OwnerEmail: "owner@bench.example", OwnerName: "Bench Owner",
		SeatTotals: map[model.SeatKind]int{model.SeatRecorder: cfg.members + 10},
	})
	if err != nil {
		return nil, t, fmt.Errorf("createOrganization: %w", err)
	}
	w.owner = owner.ID
	oc := domain.Caller{OrgID: org.ID, MemberID: owner.ID}
	probeRole, err := a.Service.CreateRole(ctx, oc, domain.CreateRoleInput{Name: "Bench probe",
		Description: "granted and revoked by the revoke-then-check trials"})
	if err != nil {
		return nil, t, fmt.Errorf("createRole: %w", err)
	}
	w.probeRole = probeRole.ID
	previewRole, err := a.Service.CreateRole(ctx, oc, domain.CreateRoleInput{Name: "Bench preview",
		Description: "held with recorder by --preview-holders recorders; measurement 6 previews edits of it",
		Grants:      previewBaseGrants})
	if err != nil {
		return nil, t, fmt.Errorf("createRole: %w", err)
	}
	w.previewRole = previewRole.ID
	roles, err := a.Service.Roles(ctx, oc)
	if err != nil {
		return nil, t, err
	}
	roleID := map[string]string{}
	for _, r := range roles {
		roleID[r.Key] = r.ID
	}
	for _, k := range []string{"analyst", "manager", "recorder"} {
		if roleID[k] == "" {
			return nil, t, fmt.Errorf("no system role %q", k)
		}
	}
	t.org = time.Since(start)

	// 2. Generate the entities.
	phase := time.Now()
	now := time.Now().UTC()
	var b postgres.Bulk
	// Teams: a breadth-first binary forest, parents first: a fifth are
	// top-level, each with two sub-teams, the first of those with two more.
	nTop := max(1, cfg.teams/5)
	parent := map[string]string{}
	for i := 0; i < cfg.teams; i++ {
		tm := &model.Team{ID: gen.new(ids.Team), OrgID: org.ID, Name: fmt.Sprintf("Team %03d", i)}
		if i >= nTop {
			tm.ParentID = w.teams[(i-nTop)/2]
		}
		parent[tm.ID] = tm.ParentID
		w.teams = append(w.teams, tm.ID)
		b.Teams = append(b.Teams, tm)
	}
	for _, id := range w.teams {
		for p := id; p != ""; p = parent[p] {
			w.subtree[p] = append(w.subtree[p], id)
		}
	}
	// Members: 10% analysts (ALL, no team), a manager per team (TEAM, its
	// manager) plus more managers as plain team members up to 10%, the rest
	// recorders (OWN) in a team; managers and recorders hold RECORDER seats.
	memberTeam := map[string]string{}
	addMember := func(i int, role string, seats []model.SeatKind) *model.Member {
		m := &model.Member{ID: gen.new(ids.Member), OrgID: org.ID, Email: fmt.Sprintf("m%05d@bench.example", i),
			Name: fmt.Sprintf("Member %05d", i), Status: model.StatusActive, RoleIDs: []string{role}, Seats: seats,
			CreatedAt: now.Add(-time.Duration(cfg.members-i) * time.Minute)}
		b.Members = append(b.Members, m)
		return m
	}
	recorderSeat := []model.SeatKind{model.SeatRecorder}
	for i := 0; i < cfg.members; i++ {
		switch {
		case i < nAnalyst:
			w.analysts = append(w.analysts, addMember(i, roleID["analyst"], nil).ID)
		case i < nAnalyst+nManager:
			m := addMember(i, roleID["manager"], recorderSeat)
			w.managers = append(w.managers, m.ID)
			k := i - nAnalyst
			ms := &model.TeamMembership{OrgID: org.ID, MemberID: m.ID, Manager: k < cfg.teams}
			if k < cfg.teams {
				ms.TeamID = w.teams[k]
				w.teamManagers = append(w.teamManagers, m.ID)
			} else {
				ms.TeamID = w.teams[rng.IntN(len(w.teams))]
			}
			memberTeam[m.ID] = ms.TeamID
			b.Memberships = append(b.Memberships, ms)
		default:
			m := addMember(i, roleID["recorder"], recorderSeat)
			if len(w.recorders) < cfg.previewHolders {
				m.RoleIDs = append(m.RoleIDs, w.previewRole)
				slices.Sort(m.RoleIDs)
				w.previewHolders++
			}
			w.recorders = append(w.recorders, m.ID)
			ms := &model.TeamMembership{OrgID: org.ID, MemberID: m.ID, TeamID: w.teams[rng.IntN(len(w.teams))]}
			memberTeam[m.ID] = ms.TeamID
			b.Memberships = append(b.Memberships, ms)
		}
	}
	probe := addMember(cfg.members, w.probeRole, nil)
	probe.Email, probe.Name = "probe@bench.example", "Bench Probe"
	w.probe = probe.ID
	// Interactions: owned by a manager or recorder, in the owner's team,
	// some assigned to a recorder too, spread over the last year.
	owners := append(append([]string{}, w.managers...), w.recorders...)
	b.Interactions = make([]*model.Interaction, 0, cfg.interactions)
	w.interactions = make([]slimInteraction, 0, cfg.interactions)
	for i := 0; i < cfg.interactions; i++ {
		o := owners[rng.IntN(len(owners))]
		it := &model.Interaction{ID: gen.new(ids.Interaction), OrgID: org.ID, Title: fmt.Sprintf("Call %06d", i),
			OwnerID: o, TeamID: memberTeam[o],
			CreatedAt: now.Add(-time.Duration(rng.Int64N(int64(365 * 24 * time.Hour)))).Truncate(time.Microsecond)}
		if rng.Float64() < cfg.assigneeFrac {
			if a := w.recorders[rng.IntN(len(w.recorders))]; a != o {
				it.AssigneeIDs = []string{a}
				w.byOwner[a] = append(w.byOwner[a], int32(i))
			}
		}
		w.byOwner[o] = append(w.byOwner[o], int32(i))
		w.byTeam[it.TeamID] = append(w.byTeam[it.TeamID], int32(i))
		b.Interactions = append(b.Interactions, it)
		w.interactions = append(w.interactions, slimInteraction{id: it.ID, owner: o, team: it.TeamID})
	}
	// Evaluations: of random interactions, the owner evaluated by a
	// manager, spread over the last year.
	b.Evaluations = make([]*model.Evaluation, 0, cfg.evaluations)
	for i := 0; i < cfg.evaluations; i++ {
		it := b.Interactions[rng.IntN(len(b.Interactions))]
		b.Evaluations = append(b.Evaluations, &model.Evaluation{ID: gen.new(ids.Evaluation), OrgID: org.ID,
			InteractionID: it.ID, AgentID: it.OwnerID, EvaluatorID: w.managers[rng.IntN(len(w.managers))],
			Score:     rng.IntN(101),
			CreatedAt: now.Add(-time.Duration(rng.Int64N(int64(365 * 24 * time.Hour)))).Truncate(time.Microsecond)})
	}
	t.generate = time.Since(phase)

	// 3. Entities: COPY in one transaction.
	phase = time.Now()
	if err := pg.BulkLoad(ctx, b); err != nil {
		return nil, t, err
	}
	t.entities = time.Since(phase)
	fmt.Fprintf(log, "  entities: %d members, %d teams, %d memberships, %d interactions, %d evaluations copied in %s\n",
		len(b.Members), len(b.Teams), len(b.Memberships), len(b.Interactions), len(b.Evaluations), t.entities.Round(time.Millisecond))

	// 4. Relationships: ImportBulkRelationships, straight to SpiceDB.
	phase = time.Now()
	n, err := importRelationships(ctx, a.SpiceDB.Client, relationshipsOf(&b))
	if err != nil {
		return nil, t, err
	}
	w.relationships = n
	t.spicedb = time.Since(phase)
	fmt.Fprintf(log, "  spicedb: %d relationships imported in %s (%.0f/s)\n", n, t.spicedb.Round(time.Millisecond),
		float64(n)/t.spicedb.Seconds())

	// 5. One final write (re-touching an imported relationship), whose
	// ZedToken becomes the organization's revision: every read from here on
	// is at least as fresh as the import, and cached decisions of earlier
	// revisions are never read again.
	phase = time.Now()
	touch := rels.Team(b.Teams[0]).Sorted()[0]
	resp, err := a.SpiceDB.Client.WriteRelationships(ctx, &v1.WriteRelationshipsRequest{Updates: []*v1.RelationshipUpdate{
		{Operation: v1.RelationshipUpdate_OPERATION_TOUCH, Relationship: authz.ToV1(touch)}}})
	if err != nil {
		return nil, t, fmt.Errorf("final write: %w", err)
	}
	if err := a.Store.MarkApplied(ctx, org.ID, 0, resp.WrittenAt.GetToken()); err != nil {
		return nil, t, fmt.Errorf("mark applied: %w", err)
	}
	t.mark = time.Since(phase)

	phase = time.Now()
	for _, d := range dbs {
		if err := d.analyze(ctx); err != nil {
			return nil, t, fmt.Errorf("analyze %s: %w", d.name, err)
		}
	}
	t.analyze = time.Since(phase)

	if w.org, err = a.Store.GetOrganization(ctx, org.ID); err != nil {
		return nil, t, err
	}
	t.total = time.Since(start)
	return w, t, nil
}

// relationshipsOf yields what each bulk-loaded entity contributes to the
// graph (package rels, exactly as the domain's writes derive it).
func relationshipsOf(b *postgres.Bulk) iter.Seq[rels.Relationship] {
	return func(yield func(rels.Relationship) bool) {
		emit := func(s rels.Set) bool {
			for _, r := range s {
				if !yield(r) {
					return false
				}
			}
			return true
		}
		for _, m := range b.Members {
			if !emit(rels.Member(m)) {
				return
			}
		}
		for _, t := range b.Teams {
			if !emit(rels.Team(t)) {
				return
			}
		}
		for _, m := range b.Memberships {
			if !emit(rels.Membership(m)) {
				return
			}
		}
		for _, i := range b.Interactions {
			if !emit(rels.Interaction(i)) {
				return
			}
		}
		for _, e := range b.Evaluations {
			if !emit(rels.Evaluation(e)) {
				return
			}
		}
	}
}

// Import sizing: messages of importBatch relationships, and a new stream
// (one datastore transaction) every importPerStream.
const (
	importBatch     = 1000
	importPerStream = 100_000
)

// importRelationships streams relationships into SpiceDB with
// ImportBulkRelationships (COPY into the Postgres datastore).
func importRelationships(ctx context.Context, client *authzed.Client, all iter.Seq[rels.Relationship]) (uint64, error) {
	var total uint64
	var stream v1.PermissionsService_ImportBulkRelationshipsClient
	inStream := 0
	batch := make([]*v1.Relationship, 0, importBatch)
	finish := func() error {
		if stream == nil {
			return nil
		}
		resp, err := stream.CloseAndRecv()
		stream, inStream = nil, 0
		if err != nil {
			return fmt.Errorf("import bulk relationships: %w", err)
		}
		total += resp.NumLoaded
		return nil
	}
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		if stream == nil {
			var err error
			if stream, err = client.ImportBulkRelationships(ctx); err != nil {
				return fmt.Errorf("import bulk relationships: %w", err)
			}
		}
		if err := stream.Send(&v1.ImportBulkRelationshipsRequest{Relationships: batch}); err != nil {
			// The server's reason comes with CloseAndRecv.
			if ferr := finish(); ferr != nil {
				return ferr
			}
			return fmt.Errorf("import bulk relationships: %w", err)
		}
		inStream += len(batch)
		batch = make([]*v1.Relationship, 0, importBatch)
		if inStream >= importPerStream {
			return finish()
		}
		return nil
	}
	for r := range all {
		batch = append(batch, authz.ToV1(r))
		if len(batch) == importBatch {
			if err := flush(); err != nil {
				return total, err
			}
		}
	}
	if err := flush(); err != nil {
		return total, err
	}
	return total, finish()
}
