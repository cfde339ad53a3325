-- How many operations each card has, per promotion and type, kept by the table's own
-- triggers whoever writes it. REGOS's GetOperations answers `total` with every page, and
-- counting a card's million operations took 138-146 ms a page (every index entry read, all
-- from memory), past the 100 ms a page may take; from here it is a sum of at most two rows.
CREATE TABLE card_operation_counts (
    card_id  BIGINT NOT NULL,
    promo_id BIGINT NOT NULL,
    type     BIGINT NOT NULL,
    n        BIGINT NOT NULL,
    PRIMARY KEY (card_id, promo_id, type)
);

-- A statement's rows are counted once, grouped, through its transition tables: a row
-- trigger would update the same count row once per row of a bulk insert. The keys are taken
-- in order, so two statements touching the same cards lock their counts in the same order.
-- Each event names only the transition tables it has, hence one statement per event.
CREATE FUNCTION card_operations_count() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'TRUNCATE' THEN
        DELETE FROM card_operation_counts;
    ELSIF TG_OP = 'INSERT' THEN
        INSERT INTO card_operation_counts AS c (card_id, promo_id, type, n)
        SELECT card_id, promo_id, type, count(*) FROM added
        GROUP BY card_id, promo_id, type ORDER BY card_id, promo_id, type
        ON CONFLICT (card_id, promo_id, type) DO UPDATE SET n = c.n + excluded.n;
    ELSIF TG_OP = 'DELETE' THEN
        UPDATE card_operation_counts c SET n = c.n - gone.n
        FROM (SELECT card_id, promo_id, type, count(*) AS n FROM removed
              GROUP BY card_id, promo_id, type) gone
        WHERE (c.card_id, c.promo_id, c.type) = (gone.card_id, gone.promo_id, gone.type);
    ELSE
        INSERT INTO card_operation_counts AS c (card_id, promo_id, type, n)
        SELECT card_id, promo_id, type, sum(d) FROM (
            SELECT card_id, promo_id, type, 1 AS d FROM added
            UNION ALL
            SELECT card_id, promo_id, type, -1 FROM removed
        ) moved
        GROUP BY card_id, promo_id, type HAVING sum(d) <> 0 ORDER BY card_id, promo_id, type
        ON CONFLICT (card_id, promo_id, type) DO UPDATE SET n = c.n + excluded.n;
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER card_operations_added AFTER INSERT ON card_operations
    REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION card_operations_count();
CREATE TRIGGER card_operations_removed AFTER DELETE ON card_operations
    REFERENCING OLD TABLE AS removed FOR EACH STATEMENT EXECUTE FUNCTION card_operations_count();
CREATE TRIGGER card_operations_changed AFTER UPDATE ON card_operations
    REFERENCING OLD TABLE AS removed NEW TABLE AS added
    FOR EACH STATEMENT EXECUTE FUNCTION card_operations_count();
CREATE TRIGGER card_operations_emptied AFTER TRUNCATE ON card_operations
    FOR EACH STATEMENT EXECUTE FUNCTION card_operations_count();

INSERT INTO card_operation_counts (card_id, promo_id, type, n)
SELECT card_id, promo_id, type, count(*) FROM card_operations GROUP BY card_id, promo_id, type;

-- Ties in the date order are broken by uuid, so the index holds it, and the type a page may
-- be filtered by rides along: a page then steps over the rows before it in the index alone
-- (`postgres/admin.rs`), with no sort of each date's rows and no read of the table's rows.
-- The middle page of a million operations took 209 ms with that sort, 121-160 ms with
-- uuid but read whole, 40-77 ms so; of its incomes, 78-124 ms without the type, 47-82 ms
-- with it.
DROP INDEX card_operations_card;
CREATE INDEX card_operations_card ON card_operations (card_id, promo_id, date_s, uuid)
    INCLUDE (type);
