-- A stored offset only means something in the log it was read from. When a topic's log is recreated (a new local mock
-- cluster, a topic deleted and made again) the same offsets name other messages, and a new log that has already grown
-- past the stored offset looks like the old one by offsets alone. So each partition's progress also keeps a fingerprint
-- of the last message it stored (the one at next_offset - 1): on assignment the processor reads that message again
-- and compares, before anything else of the partition enters a batch.
ALTER TABLE consumer_offsets ADD COLUMN IF NOT EXISTS last_message_fingerprint bigint NULL;
