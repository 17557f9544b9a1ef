# Shared by the protocol benchmarks (sourced): build the load generator, boot the assembly on free ports, run the
# same generator against a raw baseline and the gateway, print per-run figures, ratios and medians.
set -euo pipefail
cd "$(dirname "$0")"
mvn -q -B package -DskipTests
root=$(cd ../.. && pwd)
archive=$(ls "$root"/karaf-assembly/target/edgeai-karaf-assembly-*.tar.gz | sed -n 1p)
work=$(mktemp -d)
baseline_pid=""
cleanup() {
  local pids=() pid file
  [ -n "$baseline_pid" ] && kill "$baseline_pid" 2>/dev/null && pids+=("$baseline_pid")
  for file in "$work"/*/karaf.pid "$work"/*/*/karaf.pid; do
    [ -f "$file" ] && pid=$(cat "$file") && kill "$pid" 2>/dev/null && pids+=("$pid")
  done
  # until they are gone (at most 60 s): a gateway still stopping writes into the folder removed below
  local alive
  for _ in $(seq 1 300); do
    alive=""
    for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null && alive=1; done
    [ -z "$alive" ] && break
    sleep 0.2
  done
  if [ -n "${KEEP:-}" ]; then echo "kept: $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT
# free ports below the ephemeral range (32768-60999), where outgoing connections would take them again
free_port() {
  python3 -c 'import random, socket, sys
kind = socket.SOCK_DGRAM if sys.argv[1] == "udp" else socket.SOCK_STREAM
while True:
    port = random.randrange(20000, 32700)
    s = socket.socket(socket.AF_INET, kind)
    try:
        s.bind(("", port)); print(port); break
    except OSError:
        pass
    finally:
        s.close()' "$1"
}
free_udp() { free_port udp; }
free_tcp() { free_port tcp; }
cp="target/classes:target/lib/*"

# Unpacks the assembly with every listener on a free port: sets home, coap_port, http_port, mqtt_port.
unpack_gateway() {
  local into; into=$(mktemp -d "$work/gateway.XXXX")
  tar xzf "$archive" -C "$into"; home=$(ls -d "$into"/*/)
  coap_port=$(free_udp); http_port=$(free_tcp); mqtt_port=$(free_tcp)
  echo "sshPort = $(free_tcp)" >> "$home/etc/org.apache.karaf.shell.cfg"
  printf 'port = %s\ndtlsPort = -1\n' "$coap_port" > "$home/etc/io.edgeai.connector.coap.cfg"
  echo "org.osgi.service.http.port = $http_port" >> "$home/etc/org.ops4j.pax.web.cfg"
  printf 'port = %s\ntlsPort = -1\n' "$mqtt_port" > "$home/etc/io.edgeai.connector.mqtt.cfg"
  # an application account: the load generator acts for many devices (bench1, bench2, ...)
  echo "bench = bench-secret, edgeai-app" >> "$home/etc/users.properties"
  # WATCH=0: the anomaly watch off, readings are answered without a score (the ingest path alone)
  if [ "${WATCH:-1}" = 0 ]; then echo "enabled = false" > "$home/etc/io.edgeai.anomaly.cfg"; fi
  # FORECASTER=1: each stream also learns a forecaster (off in the shipped defaults); FORECASTER=0: explicitly off
  case "${FORECASTER:-}" in
    1) echo "forecaster = true" >> "$home/etc/io.edgeai.anomaly.cfg" ;;
    0) echo "forecaster = false" >> "$home/etc/io.edgeai.anomaly.cfg" ;;
  esac
}

# Starts the gateway and waits for a line in its log.
start_gateway() {
  (cd "$home" && bin/karaf server > console.out 2>&1 &)
  until grep -q "$1" "$home/data/log/karaf.log" 2>/dev/null; do sleep 0.2; done
}

# Starts a baseline process and waits for a line on its output.
start_baseline() {
  local ready=$1; shift
  "$@" > "$work/baseline.out" 2>&1 & baseline_pid=$!
  until grep -q "$ready" "$work/baseline.out" 2>/dev/null; do
    kill -0 "$baseline_pid" 2>/dev/null || { cat "$work/baseline.out"; exit 1; }; sleep 0.2
  done
}

source ./offline-boot.sh # median

# warm_up PROTOCOL CLIENTS NAME=TARGET...: drives every target GATEWAY_WARMUP seconds (default 180; 0 skips it), in
# 10 s turns, before any run is measured, so that the runs compare settled JVMs. The gateway's JIT takes minutes of
# full load to settle: bin/setenv raises C2's thresholds tenfold for faster boots, and side by side with the JVM's
# defaults a gateway served CoAP at 0.68-1.05 of their rate (median 0.93) over its first two minutes of load (MQTT,
# per minute: 0.80, 0.91, 0.99, 1.01 over the first four); the JVM baselines (Californium, Jetty, Artemis) need their
# own warm-up too. A gateway runs for months: the settled rate is the one to compare.
warm_up() {
  local protocol=$1 clients=$2; shift 2
  local seconds=${GATEWAY_WARMUP:-180}
  [ "$seconds" -gt 0 ] || return 0
  echo "== warming up: ${seconds} s of load on each target, in turns"
  java -Dbench.slice=10 -cp "$cp" io.edgeai.bench.Load "$protocol" "$@" "$clients" "$seconds" 0 2>/dev/null \
    | sed 's/^/  /'
}

# runs_against PROTOCOL RUNS CLIENTS SECONDS raw=TARGET gateway=TARGET [NAME=TARGET]: per run raw, the second
# baseline NAME when given, then the gateway; ratios gateway/raw (and gateway/NAME); then medians. Each target is
# driven WARMUP seconds (default 3) before the first target is measured.
runs_against() {
  local protocol=$1 runs=$2 clients=$3 seconds=$4 raw_target=$5 gw_target=$6 second_target=${7:-}
  local second=${second_target%%=*}
  local rates_raw=() rates_gw=() rates_2=() ratios=() ratios_2=() p50_gw=() p99_gw=() p50_raw=() p99_raw=()
  local targets=("$raw_target"); [ -n "$second_target" ] && targets+=("$second_target"); targets+=("$gw_target")
  for run in $(seq 1 "$runs"); do
    out=$(java -cp "$cp" io.edgeai.bench.Load "$protocol" "${targets[@]}" "$clients" "$seconds" "${WARMUP:-3}" \
          2>/dev/null)
    echo "run $run:"; echo "$out" | sed 's/^/  /'
    field() { echo "$out" | awk -v n="$1" -v f="$2" '$1 == n {print $f}'; }
    raw=$(field raw 3); gw=$(field gateway 3)
    rates_raw+=("$raw"); rates_gw+=("$gw"); ratios+=("$(awk -v g="$gw" -v r="$raw" 'BEGIN {printf "%.3f", g / r}')")
    p50_raw+=("$(field raw 6)"); p99_raw+=("$(field raw 9)"); p50_gw+=("$(field gateway 6)"); p99_gw+=("$(field gateway 9)")
    if [ -n "$second" ]; then
      rates_2+=("$(field "$second" 3)")
      ratios_2+=("$(awk -v g="$gw" -v r="${rates_2[-1]}" 'BEGIN {printf "%.3f", g / r}')")
      echo "  gateway/raw = ${ratios[-1]}, gateway/$second = ${ratios_2[-1]}"
    else
      echo "  gateway/raw = ${ratios[-1]}"
    fi
  done
  echo "$protocol, median of $runs runs, $clients clients:" \
       "raw $(median "${rates_raw[@]}") msg/s (p50 $(median "${p50_raw[@]}") ms, p99 $(median "${p99_raw[@]}") ms)," \
       "gateway $(median "${rates_gw[@]}") msg/s (p50 $(median "${p50_gw[@]}") ms, p99 $(median "${p99_gw[@]}") ms)," \
       "gateway/raw $(median "${ratios[@]}") (runs: ${ratios[*]})"
  if [ -n "$second" ]; then
    echo "  $second $(median "${rates_2[@]}") msg/s, gateway/$second $(median "${ratios_2[@]}") (runs: ${ratios_2[*]})"
  fi
  echo "machine: $(nproc) cores, $(free -g | awk '/Mem/ {print $2}') GiB, $(java -version 2>&1 | sed -n 1p)"
}

# side_by_side RUNS CLIENTS SECONDS OFF_PORT ON_PORT WHAT: two gateways that differ in WHAT (off, on) beside the raw
# echo server (started here), same generator: each run drives raw, then the two gateways in alternating order, and
# prints msg/s, p50/p99 and the ratio on/off of that run; the end prints medians.
side_by_side() {
  local runs=$1 clients=$2 seconds=$3 off_port=$4 on_port=$5 what=$6
  local echo_port; echo_port=$(free_udp)
  start_baseline "echo server" java -cp "$cp" io.edgeai.bench.CoapEchoServer "$echo_port"
  warm_up coap "$clients" raw=coap://127.0.0.1:"$echo_port" off=coap://127.0.0.1:"$off_port" on=coap://127.0.0.1:"$on_port"
  local rates_on=() rates_off=() rates_raw=() ratios=() p50_on=() p50_off=() p99_on=() p99_off=()
  for run in $(seq 1 "$runs"); do
    local targets=(off=coap://127.0.0.1:"$off_port" on=coap://127.0.0.1:"$on_port")
    [ $((run % 2)) = 0 ] && targets=("${targets[1]}" "${targets[0]}")
    out=$(java ${LOAD_OPTS:-} -cp "$cp" io.edgeai.bench.Load coap raw=coap://127.0.0.1:"$echo_port" "${targets[@]}" \
          "$clients" "$seconds" 3 2>/dev/null)
    echo "run $run:"; echo "$out" | sed 's/^/  /'
    field() { echo "$out" | awk -v n="$1" -v f="$2" '$1 == n {print $f}'; }
    rates_raw+=("$(field raw 3)"); rates_on+=("$(field on 3)"); rates_off+=("$(field off 3)")
    p50_on+=("$(field on 6)"); p99_on+=("$(field on 9)"); p50_off+=("$(field off 6)"); p99_off+=("$(field off 9)")
    ratios+=("$(awk -v a="${rates_on[-1]}" -v b="${rates_off[-1]}" 'BEGIN {printf "%.3f", a / b}')")
    echo "  on/off = ${ratios[-1]}"
  done
  echo "coap, median of $runs runs, $clients clients: raw $(median "${rates_raw[@]}") msg/s," \
       "$what off $(median "${rates_off[@]}") msg/s (p50 $(median "${p50_off[@]}") ms, p99 $(median "${p99_off[@]}") ms)," \
       "on $(median "${rates_on[@]}") msg/s (p50 $(median "${p50_on[@]}") ms, p99 $(median "${p99_on[@]}") ms)," \
       "on/off $(median "${ratios[@]}") (runs: ${ratios[*]})"
  echo "machine: $(nproc) cores, $(free -g | awk '/Mem/ {print $2}') GiB, $(java -version 2>&1 | sed -n 1p)"
}
