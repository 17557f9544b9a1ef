#!/usr/bin/env bash
# Start-up benchmark of the assembly: time until the engine runtime is up and until the HTTP API answers with every component
# up (GET /api/v1/health 200, asked inside the gateway's network namespace), and resident memory once idle.
#
#   itests/bench/startup.sh [runs] [idle-seconds]      (defaults: 5 runs, 30 s idle)
#
# Each run unpacks karaf-assembly/target/*.tar.gz afresh (a first boot, as on a new gateway), starts bin/karaf in a
# network namespace with only loopback (unshare -n), takes the time from launch to the engine's log line (standby: it
# loads libtorch when a model first needs it; "ready on" with preload = true),
# waits idle-seconds, reads VmRSS of the JVM, and stops it; then boots the same gateway again (a later boot) and times
# it the same way. Prints every run and the medians.
# Needs: a built assembly (mvn install -DskipTests), unshare, ip, root or user namespaces.
set -euo pipefail
runs=${1:-5}
idle=${2:-30}
bench=$(cd "$(dirname "$0")" && pwd)
cd "$bench/../.."
archive=$(ls karaf-assembly/target/edgeai-karaf-assembly-*.tar.gz | sed -n 1p)
work=$(mktemp -d)
trap 'pkill -f "$work" 2>/dev/null || true; rm -rf "$work"' EXIT
source "$bench/offline-boot.sh"

boot() {
  offline_start "$home"
  until grep -qE "ready on|engine in standby" "$home/data/log/karaf.log" 2>/dev/null; do
    grep -q "could not be loaded" "$home/data/log/karaf.log" 2>/dev/null && { echo "engine failed"; exit 1; }
    kill -0 "$pid" 2>/dev/null || { echo "the gateway exited:"; tail -20 "$home/console.out"; exit 1; }
    sleep 0.05
  done
  ready=$(since_start)
  # the HTTP API with every component up (GET /api/v1/health 200)
  await_health "$home"
  api=$seconds
}
stop() {
  offline_stop
  mv "$home/data/log/karaf.log" "$home/data/log/karaf-$(date +%s%N).log" # the next boot waits for a fresh line
}

ready_times=(); api_times=(); rss_values=(); later_ready=(); later_api=()
for run in $(seq 1 "$runs"); do
  rm -rf "$work"/*; tar xzf "$archive" -C "$work"; home=$(ls -d "$work"/*/)
  free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("",0)); print(s.getsockname()[1])'; }
  echo "sshPort = $(free_port)" >> "$home/etc/org.apache.karaf.shell.cfg"
  boot
  sleep "$idle"
  rss=$(awk '/VmRSS/ {print int($2/1024)}' "/proc/$pid/status")
  stop
  ready_times+=("$ready"); api_times+=("$api"); rss_values+=("$rss")
  # a later boot of the same gateway: features resolved, natives extracted, journal created by the first
  boot
  stop
  later_ready+=("$ready"); later_api+=("$api")
  printf 'run %d: first boot: engine up after %.2f s, health 200 after %.2f s, idle RSS %d MB; later boot: engine up after %.2f s, health 200 after %.2f s\n' \
    "$run" "${ready_times[-1]}" "${api_times[-1]}" "$rss" "$ready" "$api"
done
printf 'median of %d runs: first boot: engine up after %.2f s, health 200 after %.2f s, idle RSS %d MB (after %d s idle); later boot: engine up after %.2f s, health 200 after %.2f s\n' \
  "$runs" "$(median "${ready_times[@]}")" "$(median "${api_times[@]}")" "$(median "${rss_values[@]}")" "$idle" \
  "$(median "${later_ready[@]}")" "$(median "${later_api[@]}")"
echo "machine: $(nproc) cores, $(free -g | awk '/Mem/ {print $2}') GiB, $(java -version 2>&1 | sed -n 1p)"
