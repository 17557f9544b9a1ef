#!/usr/bin/env bash
# Memory of the gateway: resident set (VmRSS) and heap used, idle after start, then with M uploaded models serving
# (small TorchScript MLPs made with Debian's python3-torch, each answered once), then once N device streams are watched
# by the anomaly watch as well (each sent R readings of two values over HTTP, four senders at a time).
#
#   itests/bench/memory.sh [streams] [readings] [models]   (defaults: 64 streams, 1500 readings each, 5 models)
#   FORECASTER=1 adds each stream's learned forecaster (off by default); WATCH=0 turns the watch off.
#   NMT=1 also prints the JVM's own account of its native memory (-XX:NativeMemoryTracking=summary) at each step.
source "$(dirname "$0")/lib.sh"
streams=${1:-64}; readings=${2:-1500}; models=${3:-5}
unpack_gateway
if [ "${NMT:-0}" = 1 ]; then export EXTRA_JAVA_OPTS="-XX:NativeMemoryTracking=summary $(bash -c ". '$home/bin/setenv'; echo \$EXTRA_JAVA_OPTS")"; fi
for m in $(seq 1 "$models"); do
  mkdir -p "$work/model$m"
  /usr/bin/python3 torchscript_model.py "$work/model$m" 8 32 mlp 2 "$m"
done
start_gateway "MQTT connector up"
until curl -s -o /dev/null -w '%{http_code}' -X POST "http://127.0.0.1:$http_port/api/v1/anomaly/x/replay" \
    | grep -q 415; do sleep 0.5; done
pid=$(pgrep -f "karaf.base=${home%/}" | head -1)
memory() {
  local heap
  curl -s "http://127.0.0.1:$http_port/metrics" > "$work/metrics.txt"
  heap=$(awk 'index($0, "jvm_memory_used_bytes{area=\"heap\"") == 1 {s += $NF} END {printf "%.0f", s / 1048576}' \
    "$work/metrics.txt")
  echo "$1: RSS $(awk '/VmRSS/ {printf "%.0f MB", $2 / 1024}' /proc/"$pid"/status), heap used $heap MB," \
    "threads $(ls /proc/"$pid"/task | wc -l)"
  if [ "${NMT:-0}" = 1 ]; then
    jcmd "$pid" VM.native_memory summary | awk '/^-/ && /committed=/ {sub(/^- */, "  "); print}'
  fi
}
sleep 20
memory "idle, 20 s after the HTTP API answers"
for m in $(seq 1 "$models"); do
  code=$(curl -s -o "$work/upload.json" -w '%{http_code}' --data-binary @"$work/model$m/model.zip" \
    -H 'Content-Type: application/zip' "http://127.0.0.1:$http_port/api/v1/models/mem$m/versions")
  [ "$code" = 201 ] || { echo "upload of model $m: $code $(cat "$work/upload.json")"; exit 1; }
  curl -s -o /dev/null -X POST "http://127.0.0.1:$http_port/api/v1/models/mem$m/versions/1/promote"
  deadline=$((SECONDS + 120))
  until [ "$(curl -s -o "$work/predict.json" -w '%{http_code}' -H 'Content-Type: application/json' \
      -d '{"inputs": [[1, 2, 3, 4, 5, 6, 7, 8]]}' "http://127.0.0.1:$http_port/api/v1/models/mem$m/predict")" = 200 ]; do
    [ "$SECONDS" -lt "$deadline" ] || { echo "model $m does not answer: $(cat "$work/predict.json")"; exit 1; }
    sleep 0.2
  done
done
sleep 10
memory "$models models serving"
python3 - "$http_port" "$streams" "$readings" <<'PY'
import http.client, json, math, random, sys, threading
port, streams, readings = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
def device(d):
    c = http.client.HTTPConnection("127.0.0.1", port)
    rnd = random.Random(d)
    for i in range(readings):
        body = json.dumps({"ts": 1764450000000 + i * 60000, "values": {
            "temperature": 20 + 5 * math.sin(i / 50) + rnd.gauss(0, 0.3), "humidity": 60 + rnd.gauss(0, 1)}})
        c.request("POST", "/api/v1/telemetry/mem-%d" % d, body, {"Content-Type": "application/json"})
        r = c.getresponse(); r.read()
        if r.status != 200:
            raise SystemExit("device %d reading %d: %d" % (d, i, r.status))
senders = [threading.Thread(target=lambda k=k: [device(d) for d in range(k, streams, 4)]) for k in range(4)]
[t.start() for t in senders]
[t.join() for t in senders]
PY
sleep 10
memory "$models models serving and $streams streams watched, $readings readings each"
