-- SQLite, version 3: a hold's owner, its refunder and its integer id. The columns come
-- first (`sqlite/migrate.rs`: SQLite cannot add a column only if it is missing), and holds
-- made before are numbered there, in the order they were made.
CREATE UNIQUE INDEX IF NOT EXISTS holds_id ON holds (id);
