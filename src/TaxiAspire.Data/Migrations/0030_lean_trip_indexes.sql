-- Every stored trip passes through each index on trips, and index upkeep was two thirds of PostgreSQL's work in the
-- stream (perf, bench/TaxiAspire.Bench). Trips arrive roughly in pickup and storage order, so block-range (BRIN)
-- indexes serve the time-range reads at a fraction of a B-tree's insert cost. The newest pickup is looked for among
-- the trips stored last (StatsQueries); the trainer's "newest pickups" read sorts instead, once per retraining.
DROP INDEX IF EXISTS trips_pickup_at_idx;
DROP INDEX IF EXISTS trips_vendor_pickup_idx;
DROP INDEX IF EXISTS trips_stored_at_idx;
CREATE INDEX IF NOT EXISTS trips_pickup_at_brin ON trips USING brin (pickup_at) WITH (pages_per_range = 16);
CREATE INDEX IF NOT EXISTS trips_stored_at_brin ON trips USING brin (stored_at) WITH (pages_per_range = 16);
