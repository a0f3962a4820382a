-- Read-side indexes for the API and dashboard.
-- "Trips per second over the last minute" counts rows by stored_at; without this index it scans every trip.
CREATE INDEX IF NOT EXISTS trips_stored_at_idx ON trips (stored_at);
