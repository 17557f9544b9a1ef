#!/usr/bin/env bash
# CoAP ingest benchmark: the gateway's CoAP connector beside a raw Californium echo server, same load generator.
#
#   itests/bench/coap.sh [runs] [clients] [seconds]        (defaults: 5 runs, 8 clients, 10 s per target and run)
#
# Starts the built assembly (karaf-assembly/target/*.tar.gz, unpacked afresh) and the raw echo server
# (CoapEchoServer: plain Californium 3.14, 2.04 with the request payload), each in its own JVM on free ports. Each
# run drives raw, then gateway, with the same generator (CoapLoad: confirmable JSON posts, each client one request at
# a time after a warm-up), prints msg/s and p50/p99 latency, and the gateway/raw ratio of that run. Ends with medians.
set -euo pipefail
runs=${1:-5}; clients=${2:-8}; seconds=${3:-10}
cd "$(dirname "$0")"
mvn -q -B package -DskipTests
root=$(cd ../.. && pwd)
archive=$(ls "$root"/karaf-assembly/target/edgeai-karaf-assembly-*.tar.gz | sed -n 1p)
work=$(mktemp -d)
cleanup() { [ -n "${echo_pid:-}" ] && kill "$echo_pid" 2>/dev/null; [ -f "$work"/*/karaf.pid ] && kill "$(cat "$work"/*/karaf.pid)" 2>/dev/null; sleep 2; rm -rf "$work"; }
trap cleanup EXIT
free_udp() { python3 -c 'import socket; s=socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("",0)); print(s.getsockname()[1])'; }
free_tcp() { python3 -c 'import socket; s=socket.socket(); s.bind(("",0)); print(s.getsockname()[1])'; }

tar xzf "$archive" -C "$work"; home=$(ls -d "$work"/*/)
gw_port=$(free_udp); echo_port=$(free_udp)
echo "sshPort = $(free_tcp)" >> "$home/etc/org.apache.karaf.shell.cfg"
printf 'rmiRegistryPort = %s\nrmiServerPort = %s\n' "$(free_tcp)" "$(free_tcp)" >> "$home/etc/org.apache.karaf.management.cfg"
printf 'port = %s\ndtlsPort = -1\n' "$gw_port" > "$home/etc/io.edgeai.connector.coap.cfg"
(cd "$home" && bin/karaf server > console.out 2>&1 &)
until grep -q "CoAP connector listening" "$home/data/log/karaf.log" 2>/dev/null; do
  grep -q "CoAP connector DOWN" "$home/data/log/karaf.log" 2>/dev/null && { grep "CoAP connector" "$home/data/log/karaf.log"; exit 1; }
  sleep 0.2
done
cp="target/classes:target/lib/*"
java -cp "$cp" io.edgeai.bench.CoapEchoServer "$echo_port" > "$work/echo.out" 2>&1 & echo_pid=$!
until grep -q "echo server" "$work/echo.out" 2>/dev/null; do
  kill -0 "$echo_pid" 2>/dev/null || { cat "$work/echo.out"; exit 1; }; sleep 0.2
done

rates_raw=(); rates_gw=(); ratios=(); p99_gw=(); p50_gw=()
for run in $(seq 1 "$runs"); do
  out=$(java -cp "$cp" io.edgeai.bench.CoapLoad raw=coap://127.0.0.1:"$echo_port" \
        gateway=coap://127.0.0.1:"$gw_port" "$clients" "$seconds" 3 2>/dev/null)
  echo "run $run:"; echo "$out" | sed 's/^/  /'
  raw=$(echo "$out" | awk '/^raw/ {print $3}'); gw=$(echo "$out" | awk '/^gateway/ {print $3}')
  rates_raw+=("$raw"); rates_gw+=("$gw"); ratios+=("$(awk -v g="$gw" -v r="$raw" 'BEGIN {printf "%.3f", g / r}')")
  p50_gw+=("$(echo "$out" | awk '/^gateway/ {print $6}')"); p99_gw+=("$(echo "$out" | awk '/^gateway/ {print $9}')")
  echo "  gateway/raw = ${ratios[-1]}"
done
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
echo "median of $runs runs, $clients clients: raw $(median "${rates_raw[@]}") msg/s, gateway $(median "${rates_gw[@]}") msg/s" \
     "(p50 $(median "${p50_gw[@]}") ms, p99 $(median "${p99_gw[@]}") ms), gateway/raw $(median "${ratios[@]}")"
echo "machine: $(nproc) cores, $(free -g | awk '/Mem/ {print $2}') GiB, $(java -version 2>&1 | sed -n 1p)"
