"""Reads a whole topic with kafka-python (a non-.NET client) and writes one JSON line per message.

usage: read_topic.py BOOTSTRAP TOPIC EXPECTED OUT_FILE
Each line: {"partition", "offset", "key", "value_b64", "parsed"} where parsed is the JSON object if the value parses
as one, else null. Exits 2 if fewer than EXPECTED messages arrive within the time limit. EXPECTED 0 reads until the
topic has been quiet for two seconds.
"""
import base64
import json
import sys
import time

from kafka import KafkaConsumer, TopicPartition

bootstrap, topic, expected, out_file = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
consumer = KafkaConsumer(bootstrap_servers=bootstrap.split(","), enable_auto_commit=False, group_id=None,
                         auto_offset_reset="earliest", max_partition_fetch_bytes=4 * 1024 * 1024)
deadline = time.time() + 60
partitions = None
while partitions is None and time.time() < deadline:
    partitions = consumer.partitions_for_topic(topic)
    if partitions is None:
        time.sleep(0.2)
if partitions is None:
    sys.exit(f"topic {topic} not found")
consumer.assign([TopicPartition(topic, p) for p in sorted(partitions)])
consumer.seek_to_beginning()

count = 0
last_message = time.time()
with open(out_file, "w", encoding="utf-8") as out:
    while (count < expected or (expected == 0 and time.time() - last_message < 2)) and time.time() < deadline:
        for tp, records in consumer.poll(timeout_ms=500).items():
            last_message = time.time()
            for r in records:
                try:
                    parsed = json.loads(r.value.decode("utf-8"))
                    if not isinstance(parsed, dict):
                        parsed = None
                except (ValueError, UnicodeDecodeError):
                    parsed = None
                out.write(json.dumps({
                    "partition": tp.partition, "offset": r.offset,
                    "key": r.key.decode("utf-8") if r.key is not None else None,
                    "value_b64": base64.b64encode(r.value).decode("ascii"), "parsed": parsed}) + "\n")
                count += 1
consumer.close()
print(count)
sys.exit(0 if count >= expected else 2)
