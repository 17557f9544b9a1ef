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
source "$(dirname "$0")/offline-boot.sh"

homes=()
for i in 0 1; do
  mkdir -p "$work/$i" && tar xzf "${archives[$i]}" -C "$work/$i"
  homes+=("$(ls -d "$work/$i"/*/)")
done

# boot <home>: sets seconds (launch to health 200) and pid
boot() { offline_start "$1"; await_health "$1"; }

for i in 0 1; do
  boot "${homes[$i]}"; sleep 15
  echo "$( [ "$i" = 0 ] && echo A || echo B ) (${archives[$i]}): first boot health 200 after $seconds s," \
    "RSS $(awk '/VmRSS/ {print int($2/1024)}' "/proc/$pid/status") MB after 15 s"
  offline_stop
done
a_times=(); b_times=(); ratios=()
for r in $(seq 1 "$rounds"); do
  boot "${homes[0]}"; a=$seconds; offline_stop
  boot "${homes[1]}"; b=$seconds; offline_stop
  ratio=$(awk -v a="$a" -v b="$b" 'BEGIN {printf "%.3f", b / a}')
  a_times+=("$a"); b_times+=("$b"); ratios+=("$ratio")
  echo "round $r: later boot A $a s, B $b s, B/A $ratio"
done
echo "median of $rounds rounds: A $(median "${a_times[@]}") s, B $(median "${b_times[@]}") s, B/A $(median "${ratios[@]}")"
