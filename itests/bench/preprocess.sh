#!/usr/bin/env bash
# Readings/s through clean + normalize + window on one core (JMH): the gateway's serving path (live), the steps called
# directly (steps) and a hand-written loop doing the same arithmetic (raw), in one run, then the ratios.
#   itests/bench/preprocess.sh [forks] [extra JMH options]    (needs `mvn install -DskipITs` at the top first)
set -euo pipefail
cd "$(dirname "$0")"
forks=${1:-3}
shift || true
mvn -q -B package -DskipTests
out=$(mktemp)
trap 'rm -f "$out"' EXIT
java -cp "target/classes:target/lib/*" org.openjdk.jmh.Main 'PreprocessBenchmark' -f "$forks" -rf json -rff "$out" "$@"
python3 - "$out" <<'PY'
import json, sys
runs = {r["benchmark"].rsplit(".", 1)[1]: r["primaryMetric"] for r in json.load(open(sys.argv[1]))}
def score(name):
    return runs[name]["score"], runs[name]["scoreError"]
print()
for name in ("live", "steps", "raw"):
    if name in runs:
        s, e = score(name)
        print(f"{name:6s} {s:12,.0f} readings/s  (+/- {e:,.0f}, 99.9% CI over forks x iterations)")
if "live" in runs and "raw" in runs:
    print(f"live / raw  = {score('live')[0] / score('raw')[0]:.2f}")
    print(f"steps / raw = {score('steps')[0] / score('raw')[0]:.2f}")
    print(f"goal: live >= 500,000 readings/s on one core -> {'met' if score('live')[0] >= 500_000 else 'NOT met'}")
PY
