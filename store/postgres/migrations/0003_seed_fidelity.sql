-- Seed fidelity (issue 9).
--
-- A member's personal settings: NULL until first set (the defaults then).
ALTER TABLE members ADD COLUMN preferences jsonb;

-- members(search:) is a case-insensitive substring match on name or email
-- (seed 001 Supersearch): ILIKE '%…%', which a btree cannot serve and a
-- trigram GIN index can (for needles of three characters or more), one per
-- column so the OR becomes a BitmapOr. pg_trgm ships with Postgres (contrib)
-- and is a trusted extension: a database owner may create it.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX members_name_trgm ON members USING gin (name gin_trgm_ops);
CREATE INDEX members_email_trgm ON members USING gin (email gin_trgm_ops);
