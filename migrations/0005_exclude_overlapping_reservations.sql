-- No two active reservations of one resource overlap in time (DESIGN §3). This is the guard; the
-- application's own checks only make the error friendlier.
ALTER TABLE reservations
  ADD CONSTRAINT reservations_no_overlap
  EXCLUDE USING gist (resource_id WITH =, during WITH &&)
  WHERE (status IN ('confirmed', 'checked_in'));
--> statement-breakpoint
-- A reservation is a real span of time.
ALTER TABLE reservations ADD CONSTRAINT reservations_during_bounded
  CHECK (NOT isempty(during) AND NOT lower_inf(during) AND NOT upper_inf(during));
