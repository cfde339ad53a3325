-- No index of the spends by lot: only `--check` reads them so, in one grouped scan, and every
-- write-off wrote one more index entry at a random place for it.
DROP INDEX IF EXISTS lot_spends_lot;
