#!/usr/bin/env bash
# Soak: moderate mixed load (CoAP NON posts, HTTP, MQTT QoS 1) over many devices, resident memory sampled.
#
#   itests/bench/soak.sh [minutes] [rate] [devices] [sample-seconds]     (defaults: 60 min, 60 readings/s, 300 devices,
#                                                                         60 s)
#
# Boots the built assembly with its defaults (the anomaly watch keeps 64 streams: 300 devices are beyond it) and drives
# it with Soak for the given time, printing RSS and the readings sent and answered every sample; ends with RSS at the
# start, the largest, at the end and the slope over the last third of the run.
source "$(dirname "$0")/lib.sh"
minutes=${1:-60}; rate=${2:-60}; devices=${3:-300}; sample=${4:-60}
unpack_gateway
start_gateway "MQTT connector up"
until curl -s -o /dev/null "http://127.0.0.1:$http_port/api/v1/health"; do sleep 0.5; done
pid=$(cat "$home/karaf.pid" 2>/dev/null || pgrep -f "$home" | head -1)
java -cp "$cp" io.edgeai.bench.Soak "$pid" "$coap_port" "http://127.0.0.1:$http_port" "tcp://127.0.0.1:$mqtt_port" \
  bench bench-secret "$rate" "$devices" "$minutes" "$sample"
echo "errors in karaf.log: $(grep -c '| ERROR |' "$home/data/log/karaf.log" || true)"
echo "machine: $(nproc) cores, $(free -g | awk '/Mem/ {print $2}') GiB, $(java -version 2>&1 | sed -n 1p)"
