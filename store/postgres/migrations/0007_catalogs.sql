-- What each catalog a release ran with derives for a probe organization
-- (Tx.SaveCatalog, package reconcile), by its fingerprint: a later release
-- brings organizations marked with one to its own catalog by the difference
-- of the two derivations, without reading each organization's graph back.
CREATE TABLE catalogs (
    fingerprint text PRIMARY KEY,
    derivation  text[] NOT NULL
);
