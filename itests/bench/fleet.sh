#!/usr/bin/env bash
# Fleet benchmark: several gateways on this machine, each with the fleet link (edgeai-fleet-kafka) to one Kafka broker
# (KRaft, kafka_2.13 3.9.1, a JVM of its own), driven at once over HTTP by the same generator as http.sh.
#
#   itests/bench/fleet.sh [gateways] [clients] [seconds] [runs]   (defaults: 2 gateways, 8 clients each, 10 s, 3 runs)
#
# First the gateways' own ingest rate with the fleet feature not installed (runs times), then the feature installed
# (bin/client feature:install edgeai-fleet-kafka, results to edgeai.results with 12 partitions) and the same load
# while a consumer counts what reaches the topic: the gateways' ingest rate with the link, the end-to-end rate (the
# acknowledged readings over the time until the last of them was in the cluster), the lag after the load ended, and
# the ratio end-to-end / ingest without the link, by run and as medians. Prints the machine.
source "$(dirname "$0")/lib.sh"
gateways=${1:-2}; clients=${2:-8}; seconds=${3:-10}; runs=${4:-3}

kafka_dir="$work/kafka"; mkdir -p "$kafka_dir"
kafka_port=$(free_tcp); controller_port=$(free_tcp)
cat > "$kafka_dir/server.properties" <<PROPS
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$controller_port
listeners=PLAINTEXT://127.0.0.1:$kafka_port,CONTROLLER://127.0.0.1:$controller_port
advertised.listeners=PLAINTEXT://127.0.0.1:$kafka_port
controller.listener.names=CONTROLLER
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
inter.broker.listener.name=PLAINTEXT
log.dirs=$kafka_dir/logs
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
group.initial.rebalance.delay.ms=0
auto.create.topics.enable=false
PROPS
java -cp "$cp" kafka.tools.StorageTool format -t "$(python3 -c 'import base64,uuid; print(base64.urlsafe_b64encode(uuid.uuid4().bytes).decode().rstrip("="))')" \
  -c "$kafka_dir/server.properties" > "$kafka_dir/format.out" 2>&1
java -Xmx512m -cp "$cp" -Dorg.slf4j.simpleLogger.defaultLogLevel=warn kafka.Kafka "$kafka_dir/server.properties" \
  > "$kafka_dir/kafka.out" 2>&1 & baseline_pid=$!
until java -cp "$cp" io.edgeai.bench.FleetBench topics "127.0.0.1:$kafka_port" 12 2>/dev/null; do
  kill -0 "$baseline_pid" 2>/dev/null || { cat "$kafka_dir/kafka.out"; exit 1; }; sleep 1
done

homes=(); urls=()
for g in $(seq 1 "$gateways"); do
  unpack_gateway
  printf 'bootstrapServers = 127.0.0.1:%s\ngatewayId = bench-gw-%s\nsend = results\nmodelsTopic =\n' "$kafka_port" "$g" \
    > "$home/etc/io.edgeai.fleet.kafka.cfg"
  start_gateway "MQTT connector up"
  until curl -s -o /dev/null -w '%{content_type}' "http://127.0.0.1:$http_port/api/v1/predictions/x" | grep -q problem; do
    sleep 0.2
  done
  homes+=("$home"); urls+=("http://127.0.0.1:$http_port")
done

off=()
for run in $(seq 1 "$runs"); do
  out=$(java -cp "$cp" io.edgeai.bench.FleetBench ingest "$clients" "$seconds" "${urls[@]}" 2>/dev/null)
  echo "without the fleet link, run $run: $out"; off+=("$(echo "$out" | awk '{print $2}')")
done
for home in "${homes[@]}"; do
  (cd "$home" && echo "feature:install edgeai-fleet-kafka" | bin/client -u karaf -p karaf -b > /dev/null)
  until grep -q "Fleet link to" "$home/data/log/karaf.log"; do sleep 0.2; done
done
on=(); e2e=(); ratios=(); lags=()
for run in $(seq 1 "$runs"); do
  out=$(java -cp "$cp" io.edgeai.bench.FleetBench fleet "127.0.0.1:$kafka_port" "$clients" "$seconds" "${urls[@]}" 2>/dev/null)
  echo "with the fleet link, run $run:"; echo "$out" | sed 's/^/  /'
  on+=("$(echo "$out" | awk '/ingest/ {print $3}')"); e2e+=("$(echo "$out" | awk '/end-to-end/ {print $3}')")
  lags+=("$(echo "$out" | awk '/end-to-end/ {print $(NF-1)}')")
  ratios+=("$(awk -v a="${e2e[-1]}" -v b="${off[$((run - 1))]}" 'BEGIN {printf "%.3f", a / b}')")
  echo "  end-to-end / ingest without the link (run $run) = ${ratios[-1]}"
done
echo "fleet, $gateways gateways x $clients clients, median of $runs runs: ingest without the link $(median "${off[@]}") msg/s," \
     "with it $(median "${on[@]}") msg/s, end-to-end into Kafka $(median "${e2e[@]}") msg/s (lag $(median "${lags[@]}") s)," \
     "end-to-end / ingest without $(median "${ratios[@]}")"
echo "machine: $(nproc) cores, $(free -g | awk '/Mem/ {print $2}') GiB, $(java -version 2>&1 | sed -n 1p)"
