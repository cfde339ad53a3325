-- pgbench: the phone search a till sends (`%` and the last ten digits: an equality over the
-- first ten characters of the reversed normalised phone, `clients_phone_tail`), as the
-- server runs it (bench.sh's floor for the PostgreSQL search row: the database alone, no
-- HTTP).
SELECT id, name, phone, email FROM clients WHERE left(phone_rev, 10) = '8765432197' ORDER BY id LIMIT 200 OFFSET 0;
