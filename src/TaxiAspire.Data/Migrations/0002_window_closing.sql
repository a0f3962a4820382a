-- Event-time progress and closed-window bookkeeping (the "publish each closed window once" outbox).
-- The watermark is the slowest partition's newest pickup minus the allowed lateness, so a replica reading a lagging
-- partition never sees its windows closed under it by a faster one.

ALTER TABLE consumer_offsets ADD COLUMN max_event_time timestamptz NULL;

ALTER TABLE trip_windows ADD COLUMN closed_at timestamptz NULL;
CREATE INDEX trip_windows_open_idx ON trip_windows (window_end) WHERE closed_at IS NULL;

-- One row per closed window, written in the batch transaction that closed it: the snapshot reported downstream.
-- publish_seq is assigned by the single publisher (advisory lock) just before it produces, in its own committed
-- transaction, so sequence order is produce order; a crash between produce and published_at is resolved by reading
-- the topic's tail for the highest sequence that arrived (see WindowPublisher).
CREATE TABLE window_publications (
    vendor_id       smallint      NOT NULL,
    window_start    timestamptz   NOT NULL,
    window_end      timestamptz   NOT NULL,
    trip_count      bigint        NOT NULL,
    fare_sum        numeric(16,2) NOT NULL,
    tip_sum         numeric(16,2) NOT NULL,
    total_sum       numeric(16,2) NOT NULL,
    distance_sum    double precision NOT NULL,
    watermark       timestamptz   NOT NULL,
    closed_at       timestamptz   NOT NULL DEFAULT now(),
    publish_seq     bigint        NULL UNIQUE,
    publish_partition integer     NULL,
    published_at    timestamptz   NULL,
    PRIMARY KEY (vendor_id, window_start)
);

CREATE INDEX window_publications_pending_idx ON window_publications (closed_at) WHERE published_at IS NULL;

CREATE SEQUENCE window_publish_seq;

-- Names this database in the published messages: a topic that outlived its database (a fresh taxidb against an old
-- broker) must not make the publisher believe new sequences were already delivered.
CREATE TABLE window_publisher_identity (
    singleton   boolean PRIMARY KEY DEFAULT true CHECK (singleton),
    instance_id uuid    NOT NULL DEFAULT gen_random_uuid()
);
INSERT INTO window_publisher_identity DEFAULT VALUES;
