# Sourced by the boot benchmarks (startup.sh, boot-turns.sh): boot an unpacked gateway in a network namespace with only
# loopback (offline, as a field gateway often is; its default ports collide with nothing), time it, stop it.
# Needs unshare, nsenter, ip, curl and root or user namespaces.
unshare_opts=(--net)
nsenter_opts=()
[ "$(id -u)" = 0 ] || { unshare_opts+=(--map-root-user); nsenter_opts+=(-U --preserve-credentials); }

# offline_start <home>: launches bin/karaf server; sets boot_started and pid (the fresh karaf.pid, at most 60 s)
offline_start() {
  rm -f "$1/karaf.pid" # a pid file left by an earlier run would name a process that is gone
  boot_started=$(date +%s.%N)
  (cd "$1" && unshare "${unshare_opts[@]}" sh -c 'ip link set lo up && exec bin/karaf server' > console.out 2>&1 &)
  local i
  for i in $(seq 1 1200); do [ -s "$1/karaf.pid" ] && break; sleep 0.05; done
  [ -s "$1/karaf.pid" ] || { echo "no karaf.pid in $1 after 60 s:"; tail -20 "$1/console.out"; exit 1; }
  pid=$(cat "$1/karaf.pid")
}

# since_start: seconds since offline_start launched the gateway
since_start() { awk -v a="$(date +%s.%N)" -v b="$boot_started" 'BEGIN {printf "%.2f", a - b}'; }

# await_health <home>: until GET /api/v1/health answers 200 inside the gateway's namespace (at most 300 s; fails when
# the gateway exits); sets seconds (since offline_start)
await_health() {
  local deadline=$((SECONDS + 300))
  until [ "$(nsenter -t "$pid" -n "${nsenter_opts[@]}" curl -s -o /dev/null -w '%{http_code}' \
      http://127.0.0.1:8181/api/v1/health 2>/dev/null || true)" = 200 ]; do
    kill -0 "$pid" 2>/dev/null || { echo "the gateway in $1 exited:"; tail -20 "$1/console.out"; exit 1; }
    [ "$SECONDS" -lt "$deadline" ] || { echo "no health 200 from the gateway in $1 after 300 s"; exit 1; }
    sleep 0.1
  done
  seconds=$(since_start)
}

# offline_stop: SIGTERM (a clean stop), until the JVM is gone
offline_stop() { kill "$pid"; while kill -0 "$pid" 2>/dev/null; do sleep 0.1; done; }

median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
