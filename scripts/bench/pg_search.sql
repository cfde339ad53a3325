-- pgbench: the exact phone search's own statement, as the server sends it (bench.sh's
-- floor for the PostgreSQL search row: the database alone, no HTTP).
SELECT id, name, phone, email FROM clients WHERE phone_norm = '77912345678' ORDER BY id LIMIT 200;
