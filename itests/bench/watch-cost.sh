#!/usr/bin/env bash
# What the anomaly watch costs on ingest: the CoAP benchmark against two gateways side by side, one with the watch off
# (enabled = false) and one with the shipped defaults (every reading scored by the statistical detectors), plus the raw
# Californium echo server, with the same load generator, so that the ratio on/off is measured within each run.
#
#   itests/bench/watch-cost.sh [runs] [clients] [seconds]   (defaults: 5 runs, 8 clients, 10 s per target and run)
#
# VARIED=1 makes each bench device send varied values (a daily cycle with noise) instead of one constant reading, on
# which the detectors' order statistics are at their cheapest. FORECASTER=1 switches each stream's learned forecaster on in the gateway "on". Each run drives the three targets
# in turns (Load's slices, the two gateways' order alternating), prints msg/s and p50/p99, and the ratio on/off; the
# end prints medians. The figures go to docs/anomaly.md.
source "$(dirname "$0")/lib.sh"
runs=${1:-5}; clients=${2:-8}; seconds=${3:-10}
[ "${VARIED:-0}" = 1 ] && export LOAD_OPTS="-Dbench.varied=true"

WATCH=0 unpack_gateway; off_home=$home; off_port=$coap_port
start_gateway "CoAP connector listening"
echo "gateway off: the anomaly watch disabled (coap port $off_port)"
unpack_gateway; on_home=$home; on_port=$coap_port
start_gateway "CoAP connector listening"
echo "gateway on: the anomaly watch with $( [ "${FORECASTER:-0}" = 1 ] && echo "its forecaster" || echo "the shipped defaults") (coap port $on_port)"

# warm-up, not reported: every bench stream past the detectors' warm-up (and, with FORECASTER=1, its first training)
java ${LOAD_OPTS:-} -cp "$cp" io.edgeai.bench.Load coap off=coap://127.0.0.1:"$off_port" on=coap://127.0.0.1:"$on_port" \
  "$clients" 20 3 > /dev/null 2>&1
if [ "${FORECASTER:-0}" = 1 ]; then
  on_ssh=$(awk -F' *= *' '/^sshPort/ {p=$2} END {print p}' "$on_home/etc/org.apache.karaf.shell.cfg")
  busy() { echo "edgeai:job-list" | "$on_home/bin/client" -a "$on_ssh" -u karaf -p karaf -r 30 -d 1 -b 2>/dev/null \
    | grep -Eq "RUNNING|QUEUED"; }
  while busy; do sleep 2; done
fi
side_by_side "$runs" "$clients" "$seconds" "$off_port" "$on_port" "watch"
