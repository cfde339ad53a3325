-- A write-off as one statement. A till's write-off used to be seven round trips (begin, claim
-- the key, lock, read, write, store the answer, commit); on a busy chain the backends' time
-- went to waking up for each. Here the rules run where the rows are, in one call. They are
-- PL/pgSQL, not SQL, functions: PL/pgSQL keeps its statements' plans for the session,
-- where a SQL function with subqueries is parsed and planned again at every call.

-- What a client may spend in a currency now: the balance less what open holds reserve.
CREATE FUNCTION spendable(p_client BIGINT, p_currency TEXT, p_now_ms BIGINT) RETURNS BIGINT
LANGUAGE plpgsql STABLE AS $$
BEGIN
    RETURN coalesce((SELECT amount FROM balances
                     WHERE client_id = p_client AND currency = p_currency), 0)
         - (SELECT coalesce(sum(amount), 0)::bigint FROM holds
            WHERE client_id = p_client AND currency = p_currency
              AND state = 'held' AND expires_ms > p_now_ms);
END
$$;

-- Why a client may not spend a coupon now (the refusal's code), or NULL if they may: it is
-- theirs, not redeemed, not expired and not held by an open transaction.
CREATE FUNCTION coupon_refusal(p_client BIGINT, p_coupon BIGINT, p_now_ms BIGINT) RETURNS TEXT
LANGUAGE plpgsql STABLE AS $$
DECLARE
    v_coupon coupons%ROWTYPE;
BEGIN
    SELECT * INTO v_coupon FROM coupons WHERE id = p_coupon;
    RETURN CASE
        WHEN NOT FOUND OR v_coupon.client_id <> p_client THEN 'coupon_not_found'
        WHEN v_coupon.redeemed_ms IS NOT NULL THEN 'coupon_redeemed'
        WHEN v_coupon.expire_ms < p_now_ms THEN 'coupon_expired'
        WHEN EXISTS (SELECT 1 FROM hold_coupons hc JOIN holds h USING (transaction_id)
                     WHERE hc.coupon_id = p_coupon AND h.state = 'held'
                       AND h.expires_ms > p_now_ms) THEN 'coupon_held'
    END;
END
$$;

-- Writes off points, roubles (hundredths; 0 for none) and coupons of a client, all or
-- nothing, under the client's row lock. With a key (scope, key, fingerprint), the key is
-- claimed with the answer a success gets, in the same transaction as the money: a key
-- already used answers `known` with what it holds, and nothing moves.
--
-- outcome: 'done' (ids: the ledger rows), 'known' (known_*), 'not_found', or 'refused'
-- (refusal: the code; refused_*: what it concerns). Refusals write nothing: the caller
-- stores a refusal's answer under the key itself.
--
-- A PL/pgSQL function takes a fresh snapshot for each statement, so the reads after the
-- lock see the movement the lock waited for.
CREATE FUNCTION write_off(
    p_client BIGINT, p_points BIGINT, p_rubles BIGINT, p_coupons BIGINT[], p_now_ms BIGINT,
    p_login TEXT, p_principal TEXT,
    p_scope TEXT, p_key TEXT, p_fingerprint TEXT, p_status BIGINT, p_body TEXT,
    OUT outcome TEXT, OUT ids BIGINT[], OUT refusal TEXT, OUT refused_currency TEXT,
    OUT refused_available BIGINT, OUT refused_requested BIGINT, OUT refused_coupon BIGINT,
    OUT known_fingerprint TEXT, OUT known_status BIGINT, OUT known_body TEXT)
LANGUAGE plpgsql AS $$
DECLARE
    v_currency TEXT;
    v_amount BIGINT;
    v_available BIGINT;
    v_id BIGINT;
BEGIN
    ids := '{}';
    IF p_key IS NOT NULL THEN
        SELECT k.fingerprint, k.status, k.body INTO known_fingerprint, known_status, known_body
        FROM idempotency_keys k WHERE k.scope = p_scope AND k.key = p_key;
        IF FOUND THEN
            outcome := 'known';
            RETURN;
        END IF;
    END IF;
    PERFORM 1 FROM clients WHERE id = p_client FOR UPDATE;
    IF NOT FOUND THEN
        outcome := 'not_found';
        RETURN;
    END IF;
    -- Points are checked before roubles, as on SQLite, so both stores give one refusal.
    -- The loops run over an array in memory: a loop over a query's rows (tried first) ran
    -- that query each time and cost a third of the call.
    FOREACH v_currency IN ARRAY ARRAY['points', 'rubles'] LOOP
        v_amount := CASE v_currency WHEN 'points' THEN p_points ELSE p_rubles END;
        CONTINUE WHEN v_amount <= 0;
        v_available := spendable(p_client, v_currency, p_now_ms);
        IF v_amount > v_available THEN
            outcome := 'refused';
            refusal := 'insufficient_balance';
            refused_currency := v_currency;
            refused_available := v_available;
            refused_requested := v_amount;
            RETURN;
        END IF;
    END LOOP;
    FOR i IN 1 .. coalesce(array_length(p_coupons, 1), 0) LOOP
        -- A coupon given twice is spent by its first listing.
        refusal := CASE WHEN p_coupons[i] = ANY (p_coupons[1 : i - 1]) THEN 'coupon_redeemed'
                        ELSE coupon_refusal(p_client, p_coupons[i], p_now_ms) END;
        IF refusal IS NOT NULL THEN
            outcome := 'refused';
            refused_coupon := p_coupons[i];
            RETURN;
        END IF;
    END LOOP;
    IF p_key IS NOT NULL THEN
        -- Another instance may have claimed the key since the look above: the insert waits
        -- for its transaction, and then the key is known after all.
        INSERT INTO idempotency_keys (scope, key, fingerprint, status, body, created_ms)
        VALUES (p_scope, p_key, p_fingerprint, p_status, p_body, p_now_ms)
        ON CONFLICT (scope, key) DO NOTHING;
        IF NOT FOUND THEN
            SELECT k.fingerprint, k.status, k.body INTO known_fingerprint, known_status, known_body
            FROM idempotency_keys k WHERE k.scope = p_scope AND k.key = p_key;
            outcome := 'known';
            RETURN;
        END IF;
    END IF;
    IF cardinality(p_coupons) > 0 THEN
        UPDATE coupons SET redeemed_ms = p_now_ms
        WHERE id = ANY (p_coupons) AND redeemed_ms IS NULL;
    END IF;
    FOREACH v_currency IN ARRAY ARRAY['points', 'rubles'] LOOP
        v_amount := CASE v_currency WHEN 'points' THEN p_points ELSE p_rubles END;
        CONTINUE WHEN v_amount <= 0;
        INSERT INTO ledger (client_id, currency, amount, at_ms, kind, login, principal)
        VALUES (p_client, v_currency, -v_amount, p_now_ms, 'write_off', p_login, p_principal)
        RETURNING id INTO v_id;
        ids := ids || v_id;
    END LOOP;
    outcome := 'done';
END
$$;

-- The balance row exists for all but a client's first movement in a currency: update it
-- in one statement, and make it only when there is none. Two first movements at once both
-- find none; the insert lets one make it and the other wait, and the second update then
-- applies each in turn, as before. The CHECK still refuses an overdraw.
CREATE OR REPLACE FUNCTION ledger_to_balance() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE balances SET amount = amount + NEW.amount
    WHERE client_id = NEW.client_id AND currency = NEW.currency;
    IF NOT FOUND THEN
        INSERT INTO balances (client_id, currency, amount)
        VALUES (NEW.client_id, NEW.currency, 0)
        ON CONFLICT (client_id, currency) DO NOTHING;
        UPDATE balances SET amount = amount + NEW.amount
        WHERE client_id = NEW.client_id AND currency = NEW.currency;
    END IF;
    RETURN NEW;
END
$$;
