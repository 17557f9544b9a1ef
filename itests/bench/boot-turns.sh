#!/usr/bin/env bash
# Later boots of two builds in turns, to compare them on a shared, noisy machine: the time from bin/karaf to the first
# GET /api/v1/health 200, for build A then build B, round after round, and the ratio B/A of each round.
#
#   itests/bench/boot-turns.sh A.tar.gz B.tar.gz [rounds]      (default: 10 rounds)
#
# A and B are assembly archives (karaf-assembly/target/edgeai-karaf-assembly-*.tar.gz, one of them copied aside before
# the change is built). Each is unpacked once and booted once (its first boot: features resolved, journal created;
# resident memory printed after 15 s), then each round boots A and B once more in turns, every boot in a network
# namespace with only loopback (unshare -n, as startup.sh), stopped with SIGTERM before the next. Prints every round and
# the medians. Needs unshare, nsenter, ip, curl and root or user namespaces.
set -euo pipefail
[ $# -ge 2 ] || { sed -n 2,11p "$0"; exit 2; }
archives=("$(readlink -f "$1")" "$(readlink -f "$2")")
rounds=${3:-10}
work=$(mktemp -d)
trap 'pkill -f "karaf.home=$work" 2>/dev/null || true; rm -rf "$work"' EXIT
unshare_opts=(--net)
nsenter_opts=()
[ "$(id -u)" = 0 ] || { unshare_opts+=(--map-root-user); nsenter_opts+=(-U --preserve-credentials); }

homes=()
for i in 0 1; do
  mkdir -p "$work/$i" && tar xzf "${archives[$i]}" -C "$work/$i"
  homes+=("$(ls -d "$work/$i"/*/)")
done

# boot <home>: sets seconds (launch to health 200) and pid
boot() {
  local start; start=$(date +%s.%N)
  (cd "$1" && unshare "${unshare_opts[@]}" sh -c 'ip link set lo up && exec bin/karaf server' > console.out 2>&1 &)
  until [ -s "$1/karaf.pid" ]; do sleep 0.05; done
  pid=$(cat "$1/karaf.pid")
  until [ "$(nsenter -t "$pid" -n "${nsenter_opts[@]}" curl -s -o /dev/null -w '%{http_code}' \
      http://127.0.0.1:8181/api/v1/health 2>/dev/null || true)" = 200 ]; do
    kill -0 "$pid" 2>/dev/null || { echo "the gateway in $1 exited:"; tail -20 "$1/console.out"; exit 1; }
    sleep 0.1
  done
  seconds=$(awk -v a="$(date +%s.%N)" -v b="$start" 'BEGIN {printf "%.2f", a - b}')
}
stop() {
  kill "$pid"; while kill -0 "$pid" 2>/dev/null; do sleep 0.1; done
  rm -f "$1/karaf.pid" # the next boot waits for a fresh one
}
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

for i in 0 1; do
  boot "${homes[$i]}"; sleep 15
  echo "$( [ "$i" = 0 ] && echo A || echo B ) (${archives[$i]}): first boot health 200 after $seconds s," \
    "RSS $(awk '/VmRSS/ {print int($2/1024)}' "/proc/$pid/status") MB after 15 s"
  stop "${homes[$i]}"
done
a_times=(); b_times=(); ratios=()
for r in $(seq 1 "$rounds"); do
  boot "${homes[0]}"; a=$seconds; stop "${homes[0]}"
  boot "${homes[1]}"; b=$seconds; stop "${homes[1]}"
  ratio=$(awk -v a="$a" -v b="$b" 'BEGIN {printf "%.3f", b / a}')
  a_times+=("$a"); b_times+=("$b"); ratios+=("$ratio")
  echo "round $r: later boot A $a s, B $b s, B/A $ratio"
done
echo "median of $rounds rounds: A $(median "${a_times[@]}") s, B $(median "${b_times[@]}") s, B/A $(median "${ratios[@]}")"
