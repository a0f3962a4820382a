-- The fare model's verdict on each trip, stored with it in the batch transaction (NULL: scored by no model, e.g.
-- before the first champion existed). trip_windows.scored_count/abs_error_sum (0001) aggregate the same rows.
ALTER TABLE trips ADD COLUMN prediction numeric(12,2) NULL;
ALTER TABLE trips ADD COLUMN model_version text NULL;
ALTER TABLE trips ADD COLUMN is_fare_anomaly boolean NULL;

-- The anomaly list reads newest first; only flagged trips are indexed.
CREATE INDEX trips_fare_anomaly_idx ON trips (pickup_at DESC) WHERE is_fare_anomaly;
