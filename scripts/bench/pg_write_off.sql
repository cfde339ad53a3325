-- pgbench: the database's part of a keyed write-off of 0.01 points, as the server calls it,
-- over the first 50,000 demo clients (bench.sh's floor for the PostgreSQL write-off row: the
-- database alone, no HTTP): no receipt, no manager, no reason. Needs -D now_ms=<epoch ms>
-- -D nonce=<a number>.
\set c random(1234567, 1284566)
\set r random(1, 2000000000)
SELECT outcome FROM write_off(:c, 1, 0, '{}', :now_ms, NULL, 'bench', 'pgbench',
                              'pgbench-' || :nonce || '-' || :client_id || '-' || :r,
                              'fingerprint', 200, '', NULL, NULL, NULL, NULL, NULL);
