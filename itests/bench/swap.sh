#!/usr/bin/env bash
# Hot swaps under load: two versions of a small TorchScript model (an MLP WIDTH-HIDDEN-HIDDEN-1, made here with
# Debian's python3-torch, different weights), uploaded to the gateway; while an open loop of predict requests runs at
# RATE requests/s, the model is swapped SWAPS times (promote v2, roll back to v1, alternately, evenly spread).
#
#   itests/bench/swap.sh [runs] [seconds] [rate] [swaps]      (defaults: 3 runs, 30 s, 2000 requests/s, 10 swaps)
#   CONNS=32 (clients of the open loop), WIDTH=16 HIDDEN=64
#
# Per run: sent, answered 200, failed (another status) and lost (no answer), and p50/p99 of the requests due during a
# swap (from its start to one second after it answered) and of the others, in the same run: the goal is 0 failed,
# 0 lost, and p99 during swaps - p99 without < 50 ms.
source "$(dirname "$0")/lib.sh"
runs=${1:-3}; seconds=${2:-30}; rate=${3:-2000}; swaps=${4:-10}
width=${WIDTH:-16}; hidden=${HIDDEN:-64}; conns=${CONNS:-32}
unpack_gateway
for v in 1 2; do # different weights
  mkdir -p "$work/model-$v"; /usr/bin/python3 torchscript_model.py "$work/model-$v" "$width" "$hidden" mlp 0 "$v"
done
start_gateway "MQTT connector up"
api="http://127.0.0.1:$http_port/api/v1/models"
until curl -s "$api" | grep -q models; do sleep 0.2; done
for v in 1 2; do
  until [ "$(curl -s -o /dev/null -w '%{http_code}' --data-binary @"$work/model-$v/model.zip" \
      -H 'Content-Type: application/zip' "$api/swap/versions")" = 201 ]; do sleep 1; done
done
curl -s -o /dev/null -X POST "$api/swap/versions/1/promote"
until curl -s "$api/swap" | grep -q serving; do sleep 0.2; done
declare -a diffs failures
for run in $(seq 1 "$runs"); do
  out=$(java -cp "$cp" io.edgeai.bench.SwapBench "$api/swap" "$width" "$conns" "$seconds" "$rate" "$swaps" 1 2 \
    2>/dev/null)
  echo "run $run: $out"
  diffs+=("$(echo "$out" | sed 's/.*during - without //; s/ ms//')")
  failures+=("$(echo "$out" | sed 's/.*failed \([0-9]*\), lost \([0-9]*\).*/\1 \2/' | awk '{print $1 + $2}')")
  # back on v1 for the next run (an even number of swaps ends there already)
  curl -s -o /dev/null -X POST "$api/swap/versions/1/promote"
done
echo "medians over $runs runs ($(nproc) cores, $rate requests/s, $swaps swaps a run):"
echo "  p99 during swaps - p99 without: $(median "${diffs[@]}") ms (runs: ${diffs[*]})"
echo "  failed + lost per run: ${failures[*]}"
