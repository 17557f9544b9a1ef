#!/usr/bin/env bash
# Later boots of a gateway that serves models: the time from bin/karaf to GET /api/v1/health 200, and to the first and
# last model answering a prediction.
#
#   itests/bench/boot-models.sh [models] [boots]      (defaults: 5 models, 3 boots)
#
# Unpacks the built assembly on free ports, boots it, uploads and promotes N small TorchScript MLPs (made with Debian's
# python3-torch, as memory.sh does) right after the first health 200 (which comes only once every API answers), stops
# the gateway, then boots it again B times and times each boot. Prints every boot and the medians.
source "$(dirname "$0")/lib.sh"
models=${1:-5}; boots=${2:-3}
unpack_gateway
for m in $(seq 1 "$models"); do
  mkdir -p "$work/model$m"
  /usr/bin/python3 torchscript_model.py "$work/model$m" 8 32 mlp 2 "$m" > /dev/null
done
api="http://127.0.0.1:$http_port/api/v1"
status() { curl -s -o /dev/null -w '%{http_code}' "$@" || true; }
predict() { status -H 'Content-Type: application/json' -d '{"inputs": [[1, 2, 3, 4, 5, 6, 7, 8]]}' "$api/models/mem$1/predict"; }
since() { awk -v a="$(date +%s.%N)" -v b="$1" 'BEGIN {printf "%.2f", a - b}'; }
start_gateway "MQTT connector up"
until [ "$(status "$api/health")" = 200 ]; do sleep 0.1; done
for m in $(seq 1 "$models"); do
  code=$(status --data-binary @"$work/model$m/model.zip" -H 'Content-Type: application/zip' "$api/models/mem$m/versions")
  [ "$code" = 201 ] || { echo "upload of model $m right after health 200: $code"; exit 1; }
  code=$(status -X POST "$api/models/mem$m/versions/1/promote")
  [ "$code" = 200 ] || { echo "promote of model $m: $code"; exit 1; }
done
until [ "$(predict "$models")" = 200 ]; do sleep 0.2; done
healths=(); firsts=(); lasts=()
for boot in $(seq 1 "$boots"); do
  pid=$(cat "$home/karaf.pid"); kill "$pid"; while kill -0 "$pid" 2>/dev/null; do sleep 0.1; done
  start=$(date +%s.%N)
  (cd "$home" && bin/karaf server > console.out 2>&1 &)
  until [ "$(status "$api/health")" = 200 ]; do sleep 0.05; done
  healths+=("$(since "$start")")
  until [ "$(predict 1)" = 200 ]; do sleep 0.05; done
  firsts+=("$(since "$start")")
  until [ "$(predict "$models")" = 200 ]; do sleep 0.05; done
  lasts+=("$(since "$start")")
  echo "later boot $boot with $models models: health 200 after ${healths[-1]} s, model 1 answers after ${firsts[-1]} s," \
    "model $models after ${lasts[-1]} s"
done
echo "median of $boots boots: health 200 after $(median "${healths[@]}") s, model 1 after $(median "${firsts[@]}") s," \
  "model $models after $(median "${lasts[@]}") s"
echo "machine: $(nproc) cores, $(free -g | awk '/Mem/ {print $2}') GiB, $(java -version 2>&1 | sed -n 1p)"
