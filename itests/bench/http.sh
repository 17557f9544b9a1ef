#!/usr/bin/env bash
# HTTP ingest benchmark: the gateway's HTTP connector beside a raw HTTP echo server, same load generator.
#
#   itests/bench/http.sh [runs] [clients] [seconds]        (defaults: 5 runs, 8 clients, 10 s per target and run)
#   GATEWAY_WARMUP=180 (default): seconds each target is driven, in turns, before the runs (lib.sh, warm_up).
#
# Boots the built assembly and JettyEchoServer (plain Jetty 9.4, the server under Karaf's HTTP service, answering 200
# with the body) on free ports.
# The generator (Load http: the JDK HTTP/1.1 client, keep-alive, each client one POST at a time) prints msg/s, p50/p99
# latency and the gateway/raw ratio per run, then medians.
source "$(dirname "$0")/lib.sh"
runs=${1:-5}; clients=${2:-8}; seconds=${3:-10}
unpack_gateway
start_gateway "MQTT connector up"
until curl -s -o /dev/null -w '%{content_type}' "http://127.0.0.1:$http_port/api/v1/predictions/x" | grep -q problem; do
  sleep 0.2
done
raw_port=$(free_tcp)
start_baseline "Jetty echo server" java -cp "$cp" io.edgeai.bench.JettyEchoServer "$raw_port"
warm_up http "$clients" raw=http://127.0.0.1:"$raw_port" gateway=http://127.0.0.1:"$http_port"
runs_against http "$runs" "$clients" "$seconds" raw=http://127.0.0.1:"$raw_port" gateway=http://127.0.0.1:"$http_port"
