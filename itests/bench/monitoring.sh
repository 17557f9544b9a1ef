#!/usr/bin/env bash
# Monitoring overhead on ingest: the CoAP benchmark against two gateways side by side, one with the edgeai-monitoring
# bundle running (metrics, latency histograms of connectors, routes and model versions, drift, live accuracy, the
# dashboard's sampler) and one with it stopped, plus the raw Californium echo server, with the same load generator.
#
#   itests/bench/monitoring.sh [runs] [clients] [seconds]   (defaults: 5 runs, 8 clients, 10 s per target and run)
#
# Both gateways run the shipped defaults (the anomaly watch scores every bench device's readings once it learnt them;
# WATCH=0 turns it off in both). Each run drives the three targets in turns (Load's slices, the two gateways'
# order alternating), prints msg/s and p50/p99, and the ratio on/off; the end prints medians. The figures go to
# docs/measurements.md.
source "$(dirname "$0")/lib.sh"
runs=${1:-5}; clients=${2:-8}; seconds=${3:-10}

# the gateway without monitoring: booted, then its monitoring bundle stopped at the console (it stays stopped)
unpack_gateway; off_home=$home; off_port=$coap_port
start_gateway "CoAP connector listening"
off_ssh=$(awk -F' *= *' '/^sshPort/ {p=$2} END {print p}' "$off_home/etc/org.apache.karaf.shell.cfg")
console() { echo "$3" | "$1/bin/client" -a "$2" -u karaf -p karaf -r 30 -d 1 -b 2>/dev/null; }
monitoring_state() { console "$off_home" "$off_ssh" "bundle:list -s" | grep "io.edgeai.monitoring"; }
until monitoring_state | grep -q Active; do sleep 1; done
console "$off_home" "$off_ssh" "bundle:stop io.edgeai.monitoring" > /dev/null
monitoring_state | grep -q Resolved || { echo "could not stop edgeai-monitoring"; exit 1; }
echo "gateway off: edgeai-monitoring stopped (coap port $off_port)"

unpack_gateway; on_home=$home; on_port=$coap_port
start_gateway "CoAP connector listening"
on_ssh=$(awk -F' *= *' '/^sshPort/ {p=$2} END {print p}' "$on_home/etc/org.apache.karaf.shell.cfg")
echo "gateway on: edgeai-monitoring running (coap port $on_port)"

# warm-up, not reported: enough readings for the anomaly watch to learn every bench stream on both gateways, then
# wait until their training jobs are done, so that the measured runs compare steady states
java -cp "$cp" io.edgeai.bench.Load coap off=coap://127.0.0.1:"$off_port" on=coap://127.0.0.1:"$on_port" \
  "$clients" 20 3 > /dev/null 2>&1
busy() { console "$1" "$2" "edgeai:job-list" | grep -Eq "RUNNING|QUEUED"; }
while busy "$off_home" "$off_ssh" || busy "$on_home" "$on_ssh"; do sleep 2; done
echo "warmed up: $(console "$on_home" "$on_ssh" "edgeai:watch-list" | grep -c WATCHING) streams watched on the gateway on"

side_by_side "$runs" "$clients" "$seconds" "$off_port" "$on_port" "monitoring"
