-- rolegraph's schema. Every entity but organizations and invitations is
-- keyed by (org_id, id): ids are unique per organization only, so an id
-- taken elsewhere neither conflicts nor reveals that it exists.
--
-- Ids and names are COLLATE "C" so that ORDER BY and keyset comparisons
-- follow byte order, as the memory backend does, whatever the database's
-- default collation. Case-insensitive uniqueness uses *_key columns the
-- store fills with Go's strings.ToLower, not lower(), whose result depends
-- on the database's ctype (under C it folds ASCII only).

CREATE TABLE organizations (
    id         text COLLATE "C" PRIMARY KEY,
    name       text        NOT NULL,
    plan       text        NOT NULL,
    products   text[]      NOT NULL DEFAULT '{}',
    owner_id   text COLLATE "C" NOT NULL DEFAULT '',
    created_at timestamptz NOT NULL,
    revision   bigint      NOT NULL DEFAULT 0,
    zed_token  text        NOT NULL DEFAULT ''
);
CREATE INDEX organizations_created ON organizations (created_at, id);

CREATE TABLE members (
    org_id     text COLLATE "C" NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    id         text COLLATE "C" NOT NULL,
    email      text        NOT NULL,
    email_key  text COLLATE "C" NOT NULL,
    name       text        NOT NULL,
    status     text        NOT NULL,
    is_guest   boolean     NOT NULL DEFAULT false,
    seats      text[]      NOT NULL DEFAULT '{}',
    created_at timestamptz NOT NULL,
    PRIMARY KEY (org_id, id)
);
CREATE UNIQUE INDEX members_email ON members (org_id, email_key);
CREATE INDEX members_created ON members (org_id, created_at, id);
CREATE INDEX members_status_created ON members (org_id, status, created_at, id);

CREATE TABLE teams (
    org_id    text COLLATE "C" NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    id        text COLLATE "C" NOT NULL,
    name      text        NOT NULL,
    name_key  text COLLATE "C" NOT NULL,
    parent_id text COLLATE "C",
    PRIMARY KEY (org_id, id),
    FOREIGN KEY (org_id, parent_id) REFERENCES teams (org_id, id)
);
CREATE UNIQUE INDEX teams_name ON teams (org_id, name_key);
CREATE INDEX teams_parent ON teams (org_id, parent_id);

CREATE TABLE team_memberships (
    org_id    text COLLATE "C" NOT NULL,
    team_id   text COLLATE "C" NOT NULL,
    member_id text COLLATE "C" NOT NULL,
    manager   boolean NOT NULL DEFAULT false,
    PRIMARY KEY (org_id, team_id, member_id),
    FOREIGN KEY (org_id, team_id) REFERENCES teams (org_id, id) ON DELETE CASCADE,
    FOREIGN KEY (org_id, member_id) REFERENCES members (org_id, id) ON DELETE CASCADE
);
CREATE INDEX team_memberships_member ON team_memberships (org_id, member_id, team_id);

CREATE TABLE roles (
    org_id      text COLLATE "C" NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    id          text COLLATE "C" NOT NULL,
    key         text COLLATE "C" NOT NULL DEFAULT '',
    name        text        NOT NULL,
    name_key    text COLLATE "C" NOT NULL,
    description text        NOT NULL DEFAULT '',
    system      boolean     NOT NULL DEFAULT false,
    grants      jsonb       NOT NULL DEFAULT '[]',
    PRIMARY KEY (org_id, id)
);
CREATE UNIQUE INDEX roles_name ON roles (org_id, name_key);
-- Custom roles have no key; only system keys must be unique.
CREATE UNIQUE INDEX roles_key ON roles (org_id, key) WHERE key <> '';

-- A join table rather than an array: the foreign key keeps members from
-- holding a role that is gone, and CountRoleHolders is an index lookup.
CREATE TABLE member_roles (
    org_id    text COLLATE "C" NOT NULL,
    member_id text COLLATE "C" NOT NULL,
    role_id   text COLLATE "C" NOT NULL,
    PRIMARY KEY (org_id, member_id, role_id),
    FOREIGN KEY (org_id, member_id) REFERENCES members (org_id, id) ON DELETE CASCADE,
    FOREIGN KEY (org_id, role_id) REFERENCES roles (org_id, id) ON DELETE CASCADE
);
CREATE INDEX member_roles_role ON member_roles (org_id, role_id);

CREATE TABLE seat_pools (
    org_id text COLLATE "C" NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    kind   text COLLATE "C" NOT NULL,
    total  integer NOT NULL,
    PRIMARY KEY (org_id, kind)
);

CREATE TABLE interactions (
    org_id     text COLLATE "C" NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    id         text COLLATE "C" NOT NULL,
    title      text        NOT NULL,
    owner_id   text COLLATE "C" NOT NULL DEFAULT '',
    team_id    text COLLATE "C",
    created_at timestamptz NOT NULL,
    PRIMARY KEY (org_id, id),
    -- DeleteTeam clears team_id itself before deleting the team.
    FOREIGN KEY (org_id, team_id) REFERENCES teams (org_id, id)
);
CREATE INDEX interactions_created ON interactions (org_id, created_at, id);
CREATE INDEX interactions_team ON interactions (org_id, team_id);
CREATE INDEX interactions_owner ON interactions (org_id, owner_id);

-- Assignees (like owner_id) are not foreign keys to members: store.go does
-- not say that deleting a member touches interactions, so it does not.
CREATE TABLE interaction_assignees (
    org_id         text COLLATE "C" NOT NULL,
    interaction_id text COLLATE "C" NOT NULL,
    member_id      text COLLATE "C" NOT NULL,
    PRIMARY KEY (org_id, interaction_id, member_id),
    FOREIGN KEY (org_id, interaction_id) REFERENCES interactions (org_id, id) ON DELETE CASCADE
);
CREATE INDEX interaction_assignees_member ON interaction_assignees (org_id, member_id);

CREATE TABLE evaluations (
    org_id         text COLLATE "C" NOT NULL,
    id             text COLLATE "C" NOT NULL,
    interaction_id text COLLATE "C" NOT NULL,
    agent_id       text COLLATE "C" NOT NULL DEFAULT '',
    evaluator_id   text COLLATE "C" NOT NULL DEFAULT '',
    score          integer     NOT NULL,
    created_at     timestamptz NOT NULL,
    PRIMARY KEY (org_id, id),
    FOREIGN KEY (org_id, interaction_id) REFERENCES interactions (org_id, id) ON DELETE CASCADE
);
CREATE INDEX evaluations_created ON evaluations (org_id, created_at, id);
CREATE INDEX evaluations_interaction ON evaluations (org_id, interaction_id);

CREATE TABLE audit_events (
    org_id    text COLLATE "C" NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    id        text COLLATE "C" NOT NULL,
    at        timestamptz NOT NULL,
    actor_id  text COLLATE "C" NOT NULL DEFAULT '',
    action    text        NOT NULL,
    target_id text COLLATE "C" NOT NULL DEFAULT '',
    -- text, not jsonb: the store gives back the JSON exactly as written.
    before    text        NOT NULL DEFAULT '',
    after     text        NOT NULL DEFAULT '',
    PRIMARY KEY (org_id, id)
);
CREATE INDEX audit_events_newest ON audit_events (org_id, at DESC, id DESC);

CREATE TABLE invitations (
    token_hash text COLLATE "C" PRIMARY KEY,
    org_id     text COLLATE "C" NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    member_id  text COLLATE "C" NOT NULL DEFAULT '',
    role_id    text COLLATE "C" NOT NULL DEFAULT '',
    created_by text COLLATE "C" NOT NULL DEFAULT '',
    expires_at timestamptz NOT NULL,
    used_at    timestamptz
);
CREATE INDEX invitations_org ON invitations (org_id);

CREATE TABLE outbox (
    id     bigserial PRIMARY KEY,
    org_id text COLLATE "C" NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    op     text  NOT NULL,
    rel    jsonb NOT NULL
);
CREATE INDEX outbox_org ON outbox (org_id, id);
