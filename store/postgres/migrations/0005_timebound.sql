-- Time-bound access (issue 13).
--
-- A temporary role assignment is a member_roles row with an expiry: the
-- same foreign keys (a role that goes takes its loans with it), the same
-- CountRoleHolders. A permanent one has expires_at NULL.
ALTER TABLE member_roles
    ADD COLUMN expires_at timestamptz,
    ADD COLUMN granted_by text COLLATE "C" NOT NULL DEFAULT '',
    ADD COLUMN reason     text NOT NULL DEFAULT '';
-- NextExpiry (per organization, on every request) and the gauge of
-- assignments expiring soon (all organizations).
CREATE INDEX member_roles_org_expiry ON member_roles (org_id, expires_at) WHERE expires_at IS NOT NULL;
CREATE INDEX member_roles_expiry ON member_roles (expires_at) WHERE expires_at IS NOT NULL;

-- A guest link may end the guest's access at an instant.
ALTER TABLE invitations ADD COLUMN access_expires_at timestamptz;

-- Requests for access made at the point of denial. EXPIRED is not stored:
-- a PENDING request older than seven days reads as EXPIRED.
CREATE TABLE access_requests (
    org_id          text COLLATE "C" NOT NULL,
    id              text COLLATE "C" NOT NULL,
    requester_id    text COLLATE "C" NOT NULL,
    permission      text        NOT NULL,
    resource_id     text COLLATE "C" NOT NULL DEFAULT '',
    reason          text        NOT NULL,
    status          text        NOT NULL,
    decided_by      text COLLATE "C" NOT NULL DEFAULT '',
    decision_reason text        NOT NULL DEFAULT '',
    role_id         text COLLATE "C" NOT NULL DEFAULT '',
    expires_at      timestamptz,
    created_at      timestamptz NOT NULL,
    decided_at      timestamptz,
    PRIMARY KEY (org_id, id),
    FOREIGN KEY (org_id, requester_id) REFERENCES members (org_id, id) ON DELETE CASCADE
);
CREATE INDEX access_requests_newest ON access_requests (org_id, created_at DESC, id DESC);
