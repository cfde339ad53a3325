-- pgbench: the phone search a till sends (`%` and the last ten digits: a suffix over the
-- reversed normalised phone, one index range), as the server runs it (bench.sh's floor for
-- the PostgreSQL search row: the database alone, no HTTP).
SELECT id, name, phone, email FROM clients WHERE phone_rev LIKE '8765432197%' ESCAPE '\' ORDER BY id LIMIT 200 OFFSET 0;
