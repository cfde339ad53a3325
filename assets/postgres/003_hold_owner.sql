-- A hold belongs to the principal whose key made it: only that principal, or an admin, may
-- write it off, cancel or refund it. Holds made before this step have no principal and
-- are left to an admin. A refund records who asked and when (a refund of a coupon-only
-- hold writes no ledger row that would say so).
ALTER TABLE holds
    ADD COLUMN principal   TEXT,
    ADD COLUMN refunded_by TEXT,
    ADD COLUMN refunded_ms BIGINT;
