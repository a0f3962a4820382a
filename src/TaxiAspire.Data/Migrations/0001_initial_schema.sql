-- The taxidb schema: trips, hopping-window aggregates, stored consumer progress and rejected messages.
-- Exactly-once rests on three facts encoded here: trips are unique by trip_id, window sums are additive,
-- and a partition's next offset lives in the same database as the results it stands for.

CREATE TABLE trips (
    trip_id           text PRIMARY KEY,
    -- Ingestion order: "newest first" in the API means most recently stored.
    ingest_seq        bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
    vendor_id         smallint      NOT NULL,
    pickup_at         timestamptz   NOT NULL,
    dropoff_at        timestamptz   NULL,
    passenger_count   smallint      NOT NULL,
    trip_distance     double precision NOT NULL,
    pickup_longitude  double precision NULL,
    pickup_latitude   double precision NULL,
    dropoff_longitude double precision NULL,
    dropoff_latitude  double precision NULL,
    payment_type      smallint      NOT NULL,
    rate_code_id      smallint      NULL,
    fare_amount       numeric(12,2) NOT NULL,
    tip_amount        numeric(12,2) NOT NULL,
    total_amount      numeric(12,2) NOT NULL,
    source_topic      text          NOT NULL,
    source_partition  integer       NOT NULL,
    source_offset     bigint        NOT NULL,
    kafka_timestamp   timestamptz   NULL,
    stored_at         timestamptz   NOT NULL DEFAULT now()
);

CREATE INDEX trips_pickup_at_idx ON trips (pickup_at DESC);
CREATE INDEX trips_vendor_pickup_idx ON trips (vendor_id, pickup_at DESC);

CREATE TABLE trip_windows (
    vendor_id       smallint      NOT NULL,
    window_start    timestamptz   NOT NULL,
    window_end      timestamptz   NOT NULL,
    trip_count      bigint        NOT NULL,
    fare_sum        numeric(16,2) NOT NULL,
    tip_sum         numeric(16,2) NOT NULL,
    total_sum       numeric(16,2) NOT NULL,
    distance_sum    double precision NOT NULL,
    -- Room for the model: the sum of |fare - prediction| over the scored trips.
    scored_count    bigint        NOT NULL DEFAULT 0,
    abs_error_sum   numeric(16,2) NOT NULL DEFAULT 0,
    updated_at      timestamptz   NOT NULL DEFAULT now(),
    PRIMARY KEY (vendor_id, window_start)
);

CREATE INDEX trip_windows_start_idx ON trip_windows (window_start DESC);

CREATE TABLE consumer_offsets (
    consumer_group  text        NOT NULL,
    topic           text        NOT NULL,
    partition       integer     NOT NULL,
    next_offset     bigint      NOT NULL,
    -- Bumped when the broker's log for this partition was found shorter than the stored offset (a local-mode
    -- restart empties the mock cluster): offsets restart at zero, so ids derived from offsets must differ.
    log_epoch       integer     NOT NULL DEFAULT 0,
    updated_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (consumer_group, topic, partition)
);

CREATE TABLE rejected_messages (
    topic           text        NOT NULL,
    partition       integer     NOT NULL,
    log_epoch       integer     NOT NULL,
    "offset"        bigint      NOT NULL,
    reason          text        NOT NULL,
    detail          text        NOT NULL,
    payload         bytea       NOT NULL,
    kafka_timestamp timestamptz NULL,
    rejected_at     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (topic, partition, log_epoch, "offset")
);

CREATE INDEX rejected_messages_reason_idx ON rejected_messages (reason);
CREATE INDEX rejected_messages_rejected_at_idx ON rejected_messages (rejected_at DESC);
