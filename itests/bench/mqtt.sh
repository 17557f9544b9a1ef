#!/usr/bin/env bash
# MQTT ingest benchmark: the gateway's MQTT connector beside a raw mosquitto and a raw ActiveMQ Artemis (the broker
# the gateway embeds, alone), same load generator.
#
#   itests/bench/mqtt.sh [runs] [clients] [seconds]        (defaults: 5 runs, 8 clients, 10 s per target and run)
#   GATEWAY_WARMUP=180 (default): seconds the gateway, and Artemis alone, are each driven (in turns) before the runs.
#   A JVM broker's JIT takes minutes of load to settle: C2 compiler threads still took 25-45 % of this 2-core machine's
#   CPU 30-70 s into the load, and the gateway's rate rose from ~2,000 msg/s after 60 s to ~3,500 after 4 min (Artemis
#   alone, warmed only by the runs, went from 2,410 msg/s in the first run to 4,114 in the third; mosquitto needs no
#   warm-up). A gateway runs for months: the settled rate is the one that counts.
#   WARMUP=10 (default): seconds each target is driven, in each run, before the first is measured.
#
# Boots the built assembly, a mosquitto (Debian's, no persistence) and Artemis (ArtemisEchoServer, the gateway's
# journal settings) on free ports. The generator (Load mqtt: Paho clients, each publishing a JSON reading and waiting
# for the answer before the next) measures, for the gateway, publish on edgeai/telemetry/benchN until the result
# arrives on edgeai/predictions/benchN (broker, durable queue, Camel route, answer), and for mosquitto and Artemis,
# publish until the same message comes back on a subscription (broker round trip); once with QoS 1 publishes (the
# gateway writes each to its journal, fsync, before PUBACK; mosquitto keeps them in memory; Artemis journals a message
# only for a durable queue, so its clients keep persistent sessions, whose subscriptions are durable queues: each QoS 1
# publish is synced before PUBACK there too, and acknowledged by the subscriber), once with QoS 0. Clients use TCP_NODELAY,
# as libmosquitto does. Prints msg/s, p50/p99 latency and the ratios gateway/mosquitto (raw) and gateway/artemis per
# run, then medians.
source "$(dirname "$0")/lib.sh"
runs=${1:-5}; clients=${2:-8}; seconds=${3:-10}
command -v mosquitto >/dev/null || { echo "needs mosquitto (apt-get install mosquitto)"; exit 1; }
unpack_gateway
start_gateway "MQTT connector up"
raw_port=$(free_tcp)
printf 'listener %s 127.0.0.1\nallow_anonymous true\n' "$raw_port" > "$work/mosquitto.conf"
start_baseline "running" mosquitto -v -c "$work/mosquitto.conf"
mosquitto_pid=$baseline_pid
artemis_port=$(free_tcp)
start_baseline "echo broker" java -cp "$cp" io.edgeai.bench.ArtemisEchoServer "$artemis_port" "$work/artemis"
trap 'kill "$mosquitto_pid" 2>/dev/null; cleanup' EXIT
export WARMUP=${WARMUP:-10}
# QoS 1 readings; mosquitto needs no warm-up
warm_up mqtt "$clients" \
  "gateway=tcp://bench:bench-secret@127.0.0.1:$mqtt_port|edgeai/telemetry/bench{n}|edgeai/predictions/bench{n}|1" \
  "artemis=tcp://127.0.0.1:$artemis_port|bench/{n}|bench/{n}|1|persistent"
for qos in 1 0; do
  echo "== readings published with QoS $qos"
  runs_against mqtt "$runs" "$clients" "$seconds" \
    "raw=tcp://127.0.0.1:$raw_port|bench/{n}|bench/{n}|$qos" \
    "gateway=tcp://bench:bench-secret@127.0.0.1:$mqtt_port|edgeai/telemetry/bench{n}|edgeai/predictions/bench{n}|$qos" \
    "artemis=tcp://127.0.0.1:$artemis_port|bench/{n}|bench/{n}|$qos|persistent"
done
