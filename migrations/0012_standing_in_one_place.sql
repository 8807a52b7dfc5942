-- The resident standing rules in one place (issue 14).
--
-- Advisory lock key spaces, by name: the one registry that SQL functions and the API's TypeScript
-- (`LOCK_SPACES` in packages/db/src/locks.ts) both use; a test compares the two. A two-key lock
-- (space, hashtext(id)) never meets a one-key lock, so the spaces only need to differ from each other.
CREATE FUNCTION lock_space(p_name text) RETURNS int
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE p_name
    WHEN 'court' THEN 1
    WHEN 'school_plan' THEN 2
    WHEN 'resident' THEN 3
    WHEN 'sweep' THEN 4
    WHEN 'kpi_rollup' THEN 7
    WHEN 'login_phone' THEN 1001
    WHEN 'login_ip' THEN 1002
  END
$$;
--> statement-breakpoint
-- A resident's standing in a city at p_now: the latest suspension in force, their bookings there not
-- yet ended, and the minutes of p_sport they hold on the local day [p_day_start, p_day_end) (0 when
-- no sport is given). Court bookings (reserve_checked) and school registrations read it alike, under
-- the resident's lock. A SQL function returning a table, so that PostgreSQL inlines it into the
-- statement that calls it (planned and kept with reserve_checked's own statement, no call of its own).
CREATE FUNCTION resident_standing(p_user uuid, p_city text, p_now timestamptz, p_sport text, p_day_start timestamptz, p_day_end timestamptz)
RETURNS TABLE (suspended_until timestamptz, upcoming bigint, minutes float8) LANGUAGE sql STABLE AS $$
  SELECT (SELECT s.until FROM booking_suspensions s
           WHERE s.user_id = p_user AND s.city_code = p_city AND s.until > p_now
           ORDER BY s.until DESC LIMIT 1),
         -- A booking lies within one local day, so one not yet ended began less than two days ago:
         -- the bound lets the resident's index skip their history.
         (SELECT count(*) FROM reservations x
           WHERE x.user_id = p_user AND x.kind = 'booking' AND x.status IN ('confirmed', 'checked_in')
             AND lower(x.during) > p_now - interval '2 days' AND upper(x.during) > p_now
             AND x.venue_id IN (SELECT id FROM venues WHERE city_code = p_city)),
         CASE WHEN p_sport IS NULL THEN 0::float8 ELSE
         (SELECT coalesce(sum(extract(epoch FROM upper(x.during) - lower(x.during)) / 60), 0)::float8 FROM reservations x
           WHERE x.user_id = p_user AND x.sport = p_sport AND x.status IN ('confirmed', 'checked_in')
             AND lower(x.during) >= p_day_start AND lower(x.during) < p_day_end
             AND x.venue_id IN (SELECT id FROM venues WHERE city_code = p_city)) END
$$;
--> statement-breakpoint
-- The standing rules' decision, the same as `standingRefusal` in packages/domain/src/booking/standing.ts
-- (a property test drives both with random standings): null when the request may go ahead, else the
-- rule that refuses it. p_kind is 'court' (p_minutes asked for) or 'school' (a suspension only).
CREATE FUNCTION standing_refusal(p_suspended_until timestamptz, p_upcoming bigint, p_held_minutes float8,
                                 p_max_upcoming int, p_max_hours_per_day_per_sport int, p_kind text, p_minutes float8)
RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE
    WHEN p_suspended_until IS NOT NULL THEN 'suspended'
    WHEN p_kind = 'school' THEN NULL
    WHEN p_upcoming >= p_max_upcoming THEN 'max_upcoming'
    WHEN p_held_minutes + p_minutes > p_max_hours_per_day_per_sport * 60 THEN 'max_sport_hours_per_day'
  END
$$;
--> statement-breakpoint
-- What the API sends reserve_checked: one JSON object whose keys are all required (a missing one is
-- an error, never a null that some comparison would read as "allowed"). Written by `reserveRequest`
-- in apps/api/src/services/booking/reserve.ts, typed there as ReserveRequest.
CREATE DOMAIN reserve_request AS jsonb CHECK (
  jsonb_typeof(VALUE) = 'object' AND VALUE ?& ARRAY['user', 'key', 'hash', 'resource', 'factsFrom', 'factsTo', 'factsVersion',
    'venue', 'city', 'sport', 'now', 'dayStart', 'dayEnd', 'maxUpcoming', 'maxHoursPerDayPerSport', 'minutes', 'code', 'start', 'end', 'priceFen']
);
--> statement-breakpoint
DROP FUNCTION reserve_checked(uuid, text, text, uuid, date, date, text, uuid, text, text, timestamptz, timestamptz, timestamptz, float8, float8, float8, text, tstzrange, int);
--> statement-breakpoint
-- Books a court for a resident whose request the API has checked against the facts of the given
-- version, as one autocommit statement, keeping only what must be in it:
--   1. locks: the resident's (the key school registrations take too), so the resident's requests take
--      turns; then the court's, shared, and one for each clock hour the booking touches, in order.
--      Staff writers of a court's bookings (blocks, series, repairs) take the court's lock alone and
--      exclusively. So two bookings that could overlap take turns, bookings of other hours of the
--      same court do not wait for each other, and none waits on another's insert into the exclusion
--      constraint's index;
--   2. the booking made earlier with this Idempotency-Key, if any: answered, nothing inserted;
--   3. the facts' version again: if it changed, answered with the facts as they are now, nothing
--      inserted;
--   4. the resident's standing (resident_standing) and the insert, made only when standing_refusal
--      finds nothing against it. The API decides what to tell the resident from the same standing
--      with the same rules (standingRefusal).
-- The exclusion constraint on reservations still decides who gets a slot. Returns JSON: {earlier} |
-- {stale, place} | {standing: {suspendedUntil, upcoming, minutes}, created}.
CREATE FUNCTION reserve_checked(p reserve_request) RETURNS json LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  v_user uuid := (p->>'user')::uuid;
  v_resource uuid := (p->>'resource')::uuid;
  v_during tstzrange := tstzrange((p->>'start')::timestamptz, (p->>'end')::timestamptz, '[)');
  v_from date := (p->>'factsFrom')::date;
  v_to date := (p->>'factsTo')::date;
  v_earlier json;
  v_version text;
  v_until timestamptz;
  v_upcoming bigint;
  v_minutes float8;
  v_created json;
BEGIN
  PERFORM pg_advisory_xact_lock(lock_space('resident'), hashtext(v_user::text)), pg_advisory_xact_lock_shared(lock_space('court'), hashtext(v_resource::text));
  PERFORM pg_advisory_xact_lock(hashtext(v_resource::text)::bigint * 4294967296 + hour)
     FROM generate_series(floor(extract(epoch FROM lower(v_during)) / 3600)::bigint,
                          ceil(extract(epoch FROM upper(v_during)) / 3600)::bigint - 1) AS hour
    ORDER BY hour;

  SELECT (SELECT json_build_object('id', x.id, 'requestHash', x.request_hash)
            FROM reservations x WHERE x.user_id = v_user AND x.idempotency_key = p->>'key'),
         booking_facts_version(v_resource, v_from, v_to),
         st.suspended_until, st.upcoming, st.minutes
    FROM resident_standing(v_user, p->>'city', (p->>'now')::timestamptz, p->>'sport', (p->>'dayStart')::timestamptz, (p->>'dayEnd')::timestamptz) st
    INTO v_earlier, v_version, v_until, v_upcoming, v_minutes;
  IF v_earlier IS NOT NULL THEN
    RETURN json_build_object('earlier', v_earlier);
  END IF;
  IF v_version IS DISTINCT FROM p->>'factsVersion' THEN
    RETURN json_build_object('stale', true, 'place', booking_facts(v_resource, v_from, v_to));
  END IF;

  IF standing_refusal(v_until, v_upcoming, v_minutes, (p->>'maxUpcoming')::int, (p->>'maxHoursPerDayPerSport')::int, 'court', (p->>'minutes')::float8) IS NULL THEN
    INSERT INTO reservations (code, resource_id, venue_id, user_id, during, sport, price_fen, idempotency_key, request_hash, created_by)
    VALUES (p->>'code', v_resource, (p->>'venue')::uuid, v_user, v_during, p->>'sport', (p->>'priceFen')::int, p->>'key', p->>'hash', v_user)
    RETURNING json_build_object('id', id, 'code', code, 'kind', kind, 'status', status, 'paymentStatus', payment_status,
                                'cancelReason', cancel_reason, 'createdAt', created_at, 'start', lower(during), 'end', upper(during))
    INTO v_created;
  END IF;

  RETURN json_build_object('standing', json_build_object('suspendedUntil', v_until, 'upcoming', v_upcoming, 'minutes', v_minutes),
                           'created', v_created);
END;
$$;
