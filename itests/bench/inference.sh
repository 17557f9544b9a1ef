#!/usr/bin/env bash
# Inference benchmark: the gateway's predict endpoint (HTTP, dynamic batching) beside a raw DJL predictor called in a
# tight loop, on the same TorchScript model (made here with Debian's python3-torch), in one run.
#
#   itests/bench/inference.sh [runs] [seconds] [batch settings...]   (defaults: 3 runs, 10 s, maxBatchSize 1 8 32)
#   WIDTH=16 HIDDEN=64 itests/bench/inference.sh ...                 (a light model instead of 512-2048-2048-1)
#   DELAY=2000 QUIET=1000 itests/bench/inference.sh ...               (maxQueueDelayMicros, batchQuietMicros)
#   TRAIN=1 WIDTH=16 HIDDEN=64 itests/bench/inference.sh 3 8 32  (p99 at 1000 req/s also while a training job runs)
#   ARCH=cnn WIDTH=256 HIDDEN=64 DEPTH=4 CONNS=64 RATES= itests/bench/inference.sh 3 10 64
#        (compute-bound: a 1-D CNN over a 256-sample window, ~16 M multiply-adds a row from 62 k weights; no open loops)
#
# Engine threads: the raw predictor runs with THREADS (default: the cores) intra-op threads and one caller, then with 1
# thread and one caller per core; the gateway with its shipped settings (1 intra-op thread, one batch worker per core)
# unless GW_THREADS / WORKERS say otherwise.
# Needs ApacheBench (Debian: apache2-utils) for the closed loop.
# Per run: raw DJL at batch 1, 8, 32, 64 (one calling thread with THREADS engine threads, then one single-threaded
# caller per core, each with its own predictor; the best of all is the baseline); then for each
# gateway batch setting (etc/io.edgeai.inference.cfg maxBatchSize; the gateway restarts with it): closed loop with
# CONNS clients (default 16; ab: throughput, p50/p99 in whole ms), and open loop at 500 and 1000 requests/s (the JDK client: p50/p99). Ratio: gateway closed-loop rows/s
# over the best raw rows/s.
source "$(dirname "$0")/lib.sh"
runs=${1:-3}; seconds=${2:-10}; shift 2 || true
settings=("${@:-1 8 32}"); [ $# -eq 0 ] && settings=(1 8 32)
width=${WIDTH:-512}; hidden=${HIDDEN:-2048}   # MLP width -> hidden -> hidden -> 1 (WIDTH=16 HIDDEN=64: a light model)
arch=${ARCH:-mlp}; depth=${DEPTH:-4}          # ARCH=cnn: 1-D convolutions over a window of WIDTH, DEPTH x HIDDEN channels
threads=${THREADS:-$(nproc)}
conns=${CONNS:-16}
rates=${RATES-500 1000}   # open-loop request rates; RATES= skips them (a compute-bound model cannot take 1000/s)
unpack_gateway
model_dir="$work/model"; mkdir -p "$model_dir"
/usr/bin/python3 torchscript_model.py "$model_dir" "$width" "$hidden" "$arch" "$depth"
raw_java=(java -DPYTORCH_LIBRARY_PATH="$home/lib/pytorch" -Dai.djl.offline=true -DDJL_CACHE_DIR="$work/djl"
  -Dai.djl.pytorch.num_threads="$threads" -Dai.djl.pytorch.num_interop_threads=1 -cp "$cp")
start_ready() {
  start_gateway "MQTT connector up"
  until curl -s "http://127.0.0.1:$http_port/api/v1/models" | grep -q models; do sleep 0.2; done
  # once the model is registered: until its active version is loaded and warm again
  if curl -s "http://127.0.0.1:$http_port/api/v1/models" | grep -q '"active":1'; then
    until curl -s "http://127.0.0.1:$http_port/api/v1/models/bench" | grep -q serving; do sleep 0.2; done
  fi
}
stop_gateway() {
  local pid; pid=$(cat "$home/karaf.pid")
  kill "$pid"; while kill -0 "$pid" 2>/dev/null; do sleep 0.2; done
  mv "$home/data/log/karaf.log" "$home/data/log/karaf-$(date +%s%N).log" # start_ready waits for a fresh "up" line
}
set_batch() {
  sed -i "s/^maxBatchSize = .*/maxBatchSize = $1/" "$home/etc/io.edgeai.inference.cfg"
  [ -n "${DELAY:-}" ] && sed -i "s/^maxQueueDelayMicros = .*/maxQueueDelayMicros = $DELAY/" "$home/etc/io.edgeai.inference.cfg"
  [ -n "${WORKERS:-}" ] && sed -i "s/^workers = .*/workers = $WORKERS/" "$home/etc/io.edgeai.inference.cfg"
  [ -n "${QUIET:-}" ] && sed -i "s/^batchQuietMicros = .*/batchQuietMicros = $QUIET/" "$home/etc/io.edgeai.inference.cfg"
  return 0
}
start_ready
curl -s -o /dev/null --data-binary @"$model_dir/model.zip" -H 'Content-Type: application/zip' \
  "http://127.0.0.1:$http_port/api/v1/models/bench/versions"
curl -s -o /dev/null -X POST "http://127.0.0.1:$http_port/api/v1/models/bench/versions/1/promote"
stop_gateway
# the same engine threads on both sides (libtorch's OpenMP threads spin; more threads than free cores slow it down);
# the configuration files exist after the first start
# the gateway keeps its shipped engine threads (1 per operator, one batch worker per core) unless GW_THREADS is set
if [ -n "${GW_THREADS:-}" ]; then sed -i "s/^intraOpThreads = .*/intraOpThreads = $GW_THREADS/" "$home/etc/io.edgeai.djl.cfg"; fi
declare -A closed p99_1k service p99_train
# TRAIN=1: a training job to run beside the open loop at 1000 requests/s
/usr/bin/python3 - "$work/train.json" <<'PY'
import json, random, sys
random.seed(1)
rows = [[random.gauss(0, 1) for _ in range(16)] for _ in range(4096)]
json.dump({"model": "bench-training", "architecture": {"name": "mlp", "hidden": [64, 64]}, "epochs": 1000000,
           "batchSize": 64, "earlyStopping": {"patience": 0},
           "data": {"source": "inline", "inputs": rows, "targets": [[sum(r)] for r in rows]}}, open(sys.argv[1], "w"))
PY
for run in $(seq 1 "$runs"); do
  echo "run $run:"
  # raw at its best: one caller with THREADS engine threads, and one single-threaded caller per core
  raw_out=$("${raw_java[@]}" io.edgeai.bench.InferenceBench raw "$model_dir" "$width" 5 1 8 32 64 2>/dev/null
    "${raw_java[@]/-Dai.djl.pytorch.num_threads=$threads/-Dai.djl.pytorch.num_threads=1}" -Dcallers="$(nproc)" \
      io.edgeai.bench.InferenceBench raw "$model_dir" "$width" 5 1 8 32 64 2>/dev/null)
  echo "$raw_out" | sed 's/^/  /'
  best=$(echo "$raw_out" | awk '{print $5}' | sort -g | tail -1)
  # the inference service without a transport (the gateway's ModelServer + Batcher + DjlModels, as routes use it):
  # CONNS client threads, one row each, at each batch setting, engine and workers as the gateway ships them
  for b in "${settings[@]}"; do
    svc=$("${raw_java[@]/-Dai.djl.pytorch.num_threads=$threads/-Dai.djl.pytorch.num_threads=${GW_THREADS:-1}}" \
      io.edgeai.inference.internal.ServiceBench "$model_dir" "$width" "$seconds" "$conns" "$b" "${WORKERS:-$(nproc)}" 2>/dev/null)
    echo "  $svc, service / best raw = $(awk -v g="$(echo "$svc" | awk '{print $6}')" -v r="$best" 'BEGIN {printf "%.3f", g / r}')"
    service[$b]+="$(awk -v g="$(echo "$svc" | awk '{print $6}')" -v r="$best" 'BEGIN {printf "%.3f", g / r}') "
  done
  for b in "${settings[@]}"; do
    set_batch "$b"; start_ready
    url="http://127.0.0.1:$http_port/api/v1/models/bench"
    # closed loop with ApacheBench (C, keep-alive, -l: outputs of batched rows differ in their last digits): the JDK
    # client itself capped near 2.7k requests/s on 2 cores, ab does not
    /usr/bin/python3 -c "import sys; w=int(sys.argv[1]); print('{\"inputs\": [[' + ','.join('%.3f' % (i % 7 - 3) for i in range(w)) + ']]}')" "$width" > "$work/row.json"
    ab -q -k -l -c "$conns" -t 3 -n 100000000 -p "$work/row.json" -T application/json "$url/predict" > /dev/null 2>&1 # warm-up
    abo=$(ab -q -k -l -c "$conns" -t "$seconds" -n 100000000 -p "$work/row.json" -T application/json "$url/predict" 2>/dev/null)
    out="gateway clients=$conns rate=closed rows/s $(echo "$abo" | awk '/Requests per second/ {printf "%.0f", $4}')"
    out+=" p50 $(echo "$abo" | awk '$1 == "50%" {print $2}') p99 $(echo "$abo" | awk '$1 == "99%" {print $2}')"
    out+=" non-2xx $(echo "$abo" | awk '/Non-2xx/ {print $3}')"
    for rate in $rates; do
      out+=$'\n'$(java -cp "$cp" io.edgeai.bench.InferenceBench http "$url" "$width" 8 "$seconds" "$rate" 2>/dev/null)
    done
    if [ -n "${TRAIN:-}" ]; then
      # the same open loop at 1000 requests/s while a training job runs (an MLP on 4096 inline rows, until cancelled)
      job=""
      for try in 1 2 3 4 5; do # an answer lost while Pax Web still registers servlets after the start: ask again
        job=$(curl -s -H 'Content-Type: application/json' --data-binary @"$work/train.json" \
          "http://127.0.0.1:$http_port/api/v1/training-jobs" | python3 -c 'import json,sys
try: print(json.load(sys.stdin)["id"])
except Exception: pass')
        [ -n "$job" ] && break; sleep 1
      done
      until curl -s "http://127.0.0.1:$http_port/api/v1/training-jobs/$job" | grep -q '"epoch":[1-9]'; do sleep 0.2; done
      out+=$'\n'$(java -cp "$cp" io.edgeai.bench.InferenceBench http "$url" "$width" 8 "$seconds" 1000 2>/dev/null \
        | sed 's/rate=1000/rate=1000+training/')
      epochs=$(curl -s -X DELETE "http://127.0.0.1:$http_port/api/v1/training-jobs/$job" | python3 -c 'import json,sys
try: print(json.load(sys.stdin)["epoch"])
except Exception: print("?")')
      out+=" (the job ran $epochs epochs meanwhile)"
      p99_train[$b]+="$(echo "$out" | awk '/rate=1000\+training/ {print $9}') "
    fi
    stats=$(curl -s "$url" | python3 -c 'import json,sys; s=json.load(sys.stdin).get("serving")
print("mean batch %.1f, largest %d" % (s["rows"]/max(1,s["batches"]), s["largestBatch"]) if s else "NOT SERVING at the end")')
    if [[ $stats == NOT* ]]; then grep -E "WARN|ERROR|Inference|ready on" "$home/data/log/karaf.log" | tail -20 | cut -c1-240; fi
    stop_gateway
    echo "  maxBatchSize=$b ($stats):"; echo "$out" | sed 's/^/    /'
    gw=$(echo "$out" | awk '/rate=closed/ {print $5}')
    ratio=$(awk -v g="$gw" -v r="$best" 'BEGIN {printf "%.3f", g / r}')
    echo "    gateway closed-loop / best raw = $ratio"
    closed[$b]+="$ratio "; p99_1k[$b]+="$(echo "$out" | awk '/rate=1000 / {print $9}') "
  done
done
for b in "${settings[@]}"; do
  # shellcheck disable=SC2086
  echo "maxBatchSize=$b: median service/raw-best $(median ${service[$b]}), median gateway/raw-best $(median ${closed[$b]}), median p99 at 1000 req/s $(median ${p99_1k[$b]}) ms${TRAIN:+, with a training job $(median ${p99_train[$b]}) ms}"
done
echo "machine: $(nproc) cores, $(free -g | awk '/Mem/ {print $2}') GiB, $(java -version 2>&1 | sed -n 1p)"
