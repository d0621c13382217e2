-- compose.yaml: the second database on the shared Postgres, for SpiceDB's
-- datastore (the first, rolegraph, holds the entities and the outbox).
CREATE DATABASE spicedb;
