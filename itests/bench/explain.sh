#!/usr/bin/env bash
# What an explanation costs: the gateway's predict endpoint with and without ?explain=true, on a model the gateway
# trained (an MLP WIDTH-64-64-1: Integrated Gradients, 50 Gauss-Legendre nodes in one batched forward and backward
# pass), in one run per repetition.
#
#   itests/bench/explain.sh [runs] [seconds] [rate]     (defaults: 3 runs, 10 s, 200 requests/s)
#   WIDTH=8 (model inputs)
#
# Per run:
#   - one client, closed loop: plain and explained requests of 1 row and of 32 rows (p50/p99 in ms; the ratio of the
#     explained request's median latency over the plain one's: the goal is <= 3 at batch 1);
#   - open loop at RATE requests/s from 8 clients: all plain, then with every 10th request explained: the p99 of the
#     plain requests alone (explanations run on a thread of their own beside the model's queue: the goal is no change).
source "$(dirname "$0")/lib.sh"
runs=${1:-3}; seconds=${2:-10}; rate=${3:-200}
width=${WIDTH:-8}
unpack_gateway
start_gateway "MQTT connector up"
api="http://127.0.0.1:$http_port/api/v1"
until curl -s "$api/models" | grep -q models; do sleep 0.2; done
# a model trained here, on y = sum of sin(x_i) (inline rows), promoted when done
/usr/bin/python3 - "$work/train.json" "$width" <<'PY'
import json, math, random, sys
random.seed(1)
width = int(sys.argv[2])
rows = [[random.gauss(0, 1) for _ in range(width)] for _ in range(2048)]
json.dump({"model": "why", "architecture": {"name": "mlp", "hidden": [64, 64]}, "epochs": 30, "batchSize": 64,
           "data": {"source": "inline", "inputs": rows, "targets": [[sum(math.sin(v) for v in r)] for r in rows]}},
          open(sys.argv[1], "w"))
PY
job=""
for try in 1 2 3 4 5; do # an answer lost while Pax Web still registers servlets after the start: ask again
  job=$(curl -s -H 'Content-Type: application/json' --data-binary @"$work/train.json" "$api/training-jobs" \
    | python3 -c 'import json,sys
try: print(json.load(sys.stdin)["id"])
except Exception: pass')
  [ -n "$job" ] && break; sleep 1
done
until curl -s "$api/training-jobs/$job" | grep -qE '"state":"(SUCCEEDED|FAILED|CANCELLED|INTERRUPTED)"'; do sleep 0.5; done
curl -s "$api/training-jobs/$job" | grep -q SUCCEEDED || { curl -s "$api/training-jobs/$job"; exit 1; }
curl -s -o /dev/null -X POST "$api/models/why/versions/1/promote"
until curl -s "$api/models/why" | grep -q serving; do sleep 0.2; done
curl -s -H 'Content-Type: application/json' --data-binary "{\"inputs\": [[$(seq -s, 1 "$width")]]}" \
  "$api/models/why/predict?explain=true" | grep -q integrated-gradients || { echo "no explanation"; exit 1; }
# bench CLIENTS SECONDS [RATE], with InferenceBench's options (-Dbatch, -DexplainEvery) in $opts
bench() { java -cp "$cp" ${opts:-} io.edgeai.bench.InferenceBench http "$api/models/why" "$width" "$@" 2>/dev/null; }
field() { awk -v k="$1" '{for (i = 1; i < NF; i++) if ($i == k) {print $(i + 1); exit}}'; }
declare -A ratio p99s
for run in $(seq 1 "$runs"); do
  echo "run $run:"
  for b in 1 32; do
    plain=$(opts="-Dbatch=$b" bench 1 "$seconds")
    explained=$(opts="-Dbatch=$b -DexplainEvery=1" bench 1 "$seconds")
    r=$(awk -v e="$(echo "$explained" | sed 's/.*explained//' | field p50)" -v p="$(echo "$plain" | field p50)" \
      'BEGIN {printf "%.2f", e / p}')
    echo "  batch $b, one client: plain    $plain"
    echo "  batch $b, one client: explained $explained"
    echo "  batch $b: explained / plain median latency = $r"
    ratio[$b]+="$r "
  done
  alone=$(bench 8 "$seconds" "$rate")
  mixed=$(opts="-DexplainEvery=10" bench 8 "$seconds" "$rate")
  echo "  open loop $rate/s, all plain:           $alone"
  echo "  open loop $rate/s, every 10th explained: $mixed"
  d=$(awk -v m="$(echo "$mixed" | field p99)" -v a="$(echo "$alone" | field p99)" 'BEGIN {printf "%.3f", m - a}')
  echo "  plain requests' p99 with explanations - without = $d ms"
  p99s[d]+="$d "
done
echo "medians over $runs runs (model $width-64-64-1, trained here; $(nproc) cores):"
for b in 1 32; do
  # shellcheck disable=SC2086
  echo "  batch $b: explained / plain median latency $(median ${ratio[$b]})"
done
# shellcheck disable=SC2086
echo "  open loop $rate/s: plain p99 with 10 % explained - without: $(median ${p99s[d]}) ms"
