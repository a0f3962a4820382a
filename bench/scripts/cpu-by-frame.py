#!/usr/bin/env python3
"""Where a process's CPU went, from a dotnet-trace Speedscope file (sampled thread time): of the samples that were on
CPU, the share of each innermost managed frame (self) and of each frame anywhere on the stack (inclusive)."""
import collections
import json
import sys

trace = json.load(open(sys.argv[1]))
top = int(sys.argv[2]) if len(sys.argv) > 2 else 25
frames = trace["shared"]["frames"]
inclusive, own, total = collections.Counter(), collections.Counter(), 0.0
for profile in trace["profiles"]:
    stack, last = [], None
    for event in profile["events"]:
        if last is not None and stack and frames[stack[-1]]["name"] == "CPU_TIME":
            weight = event["at"] - last
            total += weight
            for frame in set(stack):
                inclusive[frame] += weight
            if len(stack) > 1:
                own[stack[-2]] += weight
        last = event["at"]
        if event["type"] == "O":
            stack.append(event["frame"])
        else:
            stack.pop()

for title, counter in (("self", own), ("inclusive", inclusive)):
    print(f"--- {title} (share of on-CPU samples)")
    for frame, weight in counter.most_common(top):
        print(f"{100 * weight / total:6.1f} %  {frames[frame]['name'][:150]}")
