#!/usr/bin/env bash
# Fuzzing probe: mutated CoAP datagrams, MQTT packets and HTTP JSON bodies against the built assembly.
#
#   itests/bench/fuzz.sh [inputs] [seed]        (defaults: 100000 inputs per protocol, seed 14)
#
# Boots the assembly (karaf-assembly/target/*.tar.gz, unpacked afresh, free ports, the MQTT application account
# bench/bench-secret) and runs Fuzz coap, mqtt and http one after the other. For each it prints the inputs, the answers
# by class (anything not a protocol-correct answer is counted as "bad:..."), whether the gateway still runs and
# answers, and how much karaf.log grew (bytes, lines, ERROR lines, stack traces).
source "$(dirname "$0")/lib.sh"
inputs=${1:-100000}; seed=${2:-14}
unpack_gateway
start_gateway "MQTT connector up"
until curl -s -o /dev/null "http://127.0.0.1:$http_port/api/v1/health"; do sleep 0.5; done
log="$home/data/log/karaf.log"
pid=$(cat "$home/karaf.pid" 2>/dev/null || pgrep -f "$home" | head -1)
probe() {
  local name=$1; shift
  local bytes lines errors traces
  bytes=$(cat "$log"* | wc -c); lines=$(cat "$log"* | wc -l)
  errors=$(cat "$log"* | grep -c '| ERROR |' || true); traces=$(cat "$log"* | grep -c '^\s*at ' || true)
  java -cp "$cp" io.edgeai.bench.Fuzz "$@"
  local alive=no health
  kill -0 "$pid" 2>/dev/null && alive=yes
  health=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$http_port/api/v1/health")
  echo "  $name: gateway running: $alive, health answers $health;" \
       "log +$(( $(cat "$log"* | wc -c) - bytes )) bytes, +$(( $(cat "$log"* | wc -l) - lines )) lines," \
       "+$(( $(cat "$log"* | grep -c '| ERROR |' || true) - errors )) ERROR lines," \
       "+$(( $(cat "$log"* | grep -c '^\s*at ' || true) - traces )) stack trace lines"
}
probe coap coap 127.0.0.1 "$coap_port" "$inputs" "$seed"
probe mqtt mqtt 127.0.0.1 "$mqtt_port" "$inputs" "$seed" bench bench-secret
probe http http "http://127.0.0.1:$http_port" "$inputs" "$seed"
echo "machine: $(nproc) cores, $(free -g | awk '/Mem/ {print $2}') GiB, $(java -version 2>&1 | sed -n 1p)"
