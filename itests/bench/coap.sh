#!/usr/bin/env bash
# CoAP ingest benchmark: the gateway's CoAP connector beside a raw Californium echo server, same load generator.
#
#   itests/bench/coap.sh [runs] [clients] [seconds]        (defaults: 5 runs, 8 clients, 10 s per target and run)
#   GATEWAY_WARMUP=180 (default): seconds each target is driven, in turns, before the runs (lib.sh, warm_up).
#
# Boots the built assembly (karaf-assembly/target/*.tar.gz, unpacked afresh) and the raw echo server (CoapEchoServer:
# plain Californium 3.14, 2.04 with the request payload), each in its own JVM on free ports. Each run drives raw, then
# gateway, with the same generator (Load coap: confirmable JSON posts, each client one request at a time after a
# warm-up), prints msg/s and p50/p99 latency, and the gateway/raw ratio of that run. Ends with medians.
# The gateway runs its shipped defaults: each bench device's stream is scored by the anomaly watch's statistical
# detectors. WATCH=0 turns the watch off (the ingest path alone); FORECASTER=1 adds each stream's learned forecaster
# (every reading also forecast by its model once trained).
source "$(dirname "$0")/lib.sh"
runs=${1:-5}; clients=${2:-8}; seconds=${3:-10}
unpack_gateway
start_gateway "CoAP connector listening"
echo_port=$(free_udp)
start_baseline "echo server" java -cp "$cp" io.edgeai.bench.CoapEchoServer "$echo_port"
warm_up coap "$clients" raw=coap://127.0.0.1:"$echo_port" gateway=coap://127.0.0.1:"$coap_port"
runs_against coap "$runs" "$clients" "$seconds" raw=coap://127.0.0.1:"$echo_port" gateway=coap://127.0.0.1:"$coap_port"
