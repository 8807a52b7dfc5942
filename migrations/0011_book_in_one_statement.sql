-- A resident's booking in one statement (issue 4, DESIGN §8): the facts it is checked against, and
-- the locks, standing and insert that follow the check.
--
-- Which versions of the rows a booking is checked against — the court, its venue, the city's resident
-- rules and the exceptions around the date — are: their xmin (the transaction that last wrote each
-- row; PostgreSQL's own row version, as optimistic-concurrency tokens use it) and, for the
-- exceptions, each one's id too, so that removing or adding one changes the text as well. Any write
-- to any of them changes it. (PL/pgSQL rather than SQL so that the plan is kept per connection:
-- PostgreSQL 15 plans a SQL function's query on every call.)
CREATE FUNCTION booking_facts_version(p_resource uuid, p_from date, p_to date) RETURNS text
LANGUAGE plpgsql STABLE AS $$
BEGIN
  RETURN (SELECT v.xmin::text || '.' || vr.xmin::text || '.'
                 || coalesce((SELECT c.xmin::text FROM city_booking_rules c WHERE c.city_code = v.city_code), '-') || '.'
                 || coalesce((SELECT string_agg(e.xmin::text || ':' || e.id::text, ',' ORDER BY e.id)
                                FROM venue_hours_exceptions e
                               WHERE e.venue_id = v.id AND (e.resource_id IS NULL OR e.resource_id = vr.id)
                                 AND e.date BETWEEN p_from AND p_to), '')
            FROM venue_resources vr JOIN venues v ON v.id = vr.venue_id
           WHERE vr.id = p_resource);
END;
$$;
--> statement-breakpoint
-- The facts themselves, as one JSON text with their version. The API reads it, checks the request
-- against it and may keep it; reserve_checked below reads the version again under the locks and
-- inserts only if it has not changed since, so a kept copy can never let a booking through on rules
-- that no longer hold.
CREATE FUNCTION booking_facts(p_resource uuid, p_from date, p_to date) RETURNS text
LANGUAGE plpgsql STABLE AS $$
BEGIN
  RETURN (SELECT json_build_object(
           'version', booking_facts_version(p_resource, p_from, p_to),
           'resource', json_build_object('id', vr.id, 'name', vr.name, 'sport', vr.sport, 'status', vr.status,
                                         'weeklyHours', vr.weekly_hours, 'bookingSettings', vr.booking_settings),
           'venue', json_build_object('id', v.id, 'name', v.name, 'address', v.address, 'timeZone', v.time_zone,
                                      'isPublic', v.is_public, 'organisationId', v.organisation_id, 'cityCode', v.city_code,
                                      'holidayRule', v.holiday_rule, 'weeklyHours', v.weekly_hours,
                                      'bookingSettings', v.booking_settings),
           'cityRules', (SELECT c.rules FROM city_booking_rules c WHERE c.city_code = v.city_code),
           'exceptions', (SELECT coalesce(json_agg(json_build_object('date', e.date, 'kind', e.kind, 'ranges', e.ranges,
                                                                     'reason', e.reason, 'resourceId', e.resource_id)
                                                   ORDER BY e.date, e.resource_id NULLS FIRST, e.id), '[]'::json)
                            FROM venue_hours_exceptions e
                           WHERE e.venue_id = v.id AND (e.resource_id IS NULL OR e.resource_id = vr.id)
                             AND e.date BETWEEN p_from AND p_to))::text
    FROM venue_resources vr JOIN venues v ON v.id = vr.venue_id
   WHERE vr.id = p_resource);
END;
$$;
--> statement-breakpoint
-- Books a court for a resident whose request the API has checked against the facts of the given
-- version, as one autocommit statement:
--   1. the resident's advisory lock (the key school registrations take too), so the resident's
--      requests take turns; then the court's lock, shared, and a lock for each clock hour the booking
--      touches, in order. Staff writers of a court's bookings (blocks, series, repairs) take the
--      court's lock alone and exclusively. So two bookings that could overlap take turns, bookings of
--      other hours of the same court do not wait for each other, and none of them waits on another's
--      insert into the exclusion constraint's index — which PostgreSQL would otherwise end as a
--      deadlock after a second under a rush at one slot;
--   2. the booking made earlier with this Idempotency-Key, if any: answered, nothing inserted;
--   3. the facts' version again: if it changed, answered with the facts as they are now, nothing
--      inserted;
--   4. the resident's standing — suspension, upcoming bookings in the city, minutes of this sport on
--      this local day — and the booking, inserted only when those allow it.
-- 2–4 are one statement after the locks' (each statement of a volatile function takes a new
-- snapshot, so it sees every booking committed before the locks were granted), the insert another.
-- The exclusion constraint on reservations still decides who gets a slot. Returns JSON: {earlier} |
-- {stale, place (the facts' text as booking_facts writes it, or null)} | {suspendedUntil, upcoming,
-- minutes, created}.
CREATE FUNCTION reserve_checked(
  p_user uuid, p_key text, p_hash text, p_resource uuid, p_facts_from date, p_facts_to date, p_facts_version text,
  p_venue uuid, p_city text, p_sport text, p_now timestamptz, p_day_start timestamptz, p_day_end timestamptz,
  p_max_upcoming float8, p_minutes float8, p_max_minutes float8, p_code text, p_during tstzrange, p_price_fen int
) RETURNS json LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  v_earlier json;
  v_version text;
  v_until timestamptz;
  v_upcoming bigint;
  v_minutes float8;
  v_created json;
BEGIN
  PERFORM pg_advisory_xact_lock(hashtext('reservations:' || p_user::text)), pg_advisory_xact_lock_shared(1, hashtext(p_resource::text));
  PERFORM pg_advisory_xact_lock(hashtext(p_resource::text)::bigint * 4294967296 + hour)
     FROM generate_series(floor(extract(epoch FROM lower(p_during)) / 3600)::bigint,
                          ceil(extract(epoch FROM upper(p_during)) / 3600)::bigint - 1) AS hour
    ORDER BY hour;

  SELECT (SELECT json_build_object('id', x.id, 'requestHash', x.request_hash)
            FROM reservations x WHERE x.user_id = p_user AND x.idempotency_key = p_key),
         booking_facts_version(p_resource, p_facts_from, p_facts_to),
         (SELECT s.until FROM booking_suspensions s
           WHERE s.user_id = p_user AND s.city_code = p_city AND s.until > p_now
           ORDER BY s.until DESC LIMIT 1),
         -- A booking lies within one local day, so one not yet ended began less than two days ago:
         -- the bound lets the resident's index skip their history.
         (SELECT count(*) FROM reservations x
           WHERE x.user_id = p_user AND x.kind = 'booking' AND x.status IN ('confirmed', 'checked_in')
             AND lower(x.during) > p_now - interval '2 days' AND upper(x.during) > p_now
             AND x.venue_id IN (SELECT id FROM venues WHERE city_code = p_city)),
         (SELECT coalesce(sum(extract(epoch FROM upper(x.during) - lower(x.during)) / 60), 0) FROM reservations x
           WHERE x.user_id = p_user AND x.sport = p_sport AND x.status IN ('confirmed', 'checked_in')
             AND lower(x.during) >= p_day_start AND lower(x.during) < p_day_end
             AND x.venue_id IN (SELECT id FROM venues WHERE city_code = p_city))
    INTO v_earlier, v_version, v_until, v_upcoming, v_minutes;
  IF v_earlier IS NOT NULL THEN
    RETURN json_build_object('earlier', v_earlier);
  END IF;
  IF v_version IS DISTINCT FROM p_facts_version THEN
    RETURN json_build_object('stale', true, 'place', booking_facts(p_resource, p_facts_from, p_facts_to));
  END IF;

  IF v_until IS NULL AND v_upcoming < p_max_upcoming AND v_minutes + p_minutes <= p_max_minutes THEN
    INSERT INTO reservations (code, resource_id, venue_id, user_id, during, sport, price_fen, idempotency_key, request_hash, created_by)
    VALUES (p_code, p_resource, p_venue, p_user, p_during, p_sport, p_price_fen, p_key, p_hash, p_user)
    RETURNING json_build_object('id', id, 'code', code, 'kind', kind, 'status', status, 'paymentStatus', payment_status,
                                'cancelReason', cancel_reason, 'createdAt', created_at, 'start', lower(during), 'end', upper(during))
    INTO v_created;
  END IF;

  RETURN json_build_object('suspendedUntil', v_until, 'upcoming', v_upcoming, 'minutes', v_minutes, 'created', v_created);
END;
$$;
