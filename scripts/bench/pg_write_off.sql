-- pgbench: the database's part of a keyed write-off of 0.01 points, as the server calls it,
-- over the first `span` demo clients, as wrk's write-offs (bench.sh's floor for the PostgreSQL
-- write-off row: the database alone, no HTTP): no receipt, no manager, no reason. Needs
-- -D now_ms=<epoch ms> -D nonce=<a number> -D span=<clients, at most the seeded ones>: a
-- client past the seeded ones answers `not_found` without writing, and such calls once made
-- the floor of a 20,000-client run mostly calls that wrote nothing.
\set c random(1234567, 1234566 + :span)
\set r random(1, 2000000000)
SELECT outcome FROM write_off(:c, 1, 0, '{}', :now_ms, NULL, 'bench', 'pgbench',
                              'pgbench-' || :nonce || '-' || :client_id || '-' || :r,
                              'fingerprint', 200, '', NULL, NULL, NULL, NULL, NULL);
