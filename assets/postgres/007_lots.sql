-- Points as lots that expire and activate (SQLite's version 6).
SELECT 1;
