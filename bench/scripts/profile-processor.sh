#!/bin/bash
# Profiles the stream processor during one phase of the pipeline bench: runs the bench, attaches dotnet-trace to the
# processor child four seconds into the phase for ten seconds, writes a Speedscope file and prints where the CPU went
# (bench/scripts/cpu-by-frame.py). Needs: dotnet tool install -g dotnet-trace; a Release build of bench/TaxiAspire.Bench.
# Usage: bench/scripts/profile-processor.sh [phase text, default "end to end with scoring"] [trips, default 600000] [registry]
set -euo pipefail
cd "$(dirname "$0")/../.."
phase=${1:-end to end with scoring}
trips=${2:-600000}
registry=${3:-/tmp/bench-registry}
out=$(mktemp -d /tmp/processor-profile.XXXXXX)
export PATH="$PATH:$HOME/.dotnet/tools"
bench/TaxiAspire.Bench/bin/Release/net10.0/TaxiAspire.Bench "$trips" 5000 20 --scoring-registry "$registry" \
  > "$out/bench.json" 2> "$out/bench.err" &
bench=$!
until grep -q "processor: $phase" "$out/bench.err"; do kill -0 $bench; sleep 0.2; done
sleep 4
pid=$(pgrep -f TaxiAspire.StreamProcessor.dll | head -1)
dotnet-trace collect -p "$pid" --format Speedscope --duration 00:00:00:10 -o "$out/processor.nettrace" > "$out/trace.log"
wait $bench
python3 bench/scripts/cpu-by-frame.py "$out/processor.speedscope.json"
echo "files: $out (bench.json is the bench's report of this disturbed run)"
