-- Identity mapping (API.md, "Real identity, browsers and clients"): an
-- OIDC token's organization claim names Organization.externalId, its sub
-- Member.externalId. NULL is "none"; set ones are unique (per organization
-- for members), which also makes binding a sub twice a conflict.
ALTER TABLE organizations ADD COLUMN external_id text COLLATE "C";
CREATE UNIQUE INDEX organizations_external_id ON organizations (external_id);
ALTER TABLE members ADD COLUMN external_id text COLLATE "C";
CREATE UNIQUE INDEX members_external_id ON members (org_id, external_id);
