-- The fingerprint of the permission catalog an organization's grant,
-- product and seat relationships were last derived from (rels.CatalogFingerprint).
-- '' (organizations made before this column) never matches: they are
-- reconciled once at the next start.
ALTER TABLE organizations ADD COLUMN catalog text NOT NULL DEFAULT '';
