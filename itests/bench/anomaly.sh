#!/usr/bin/env bash
# Anomaly detection quality: the anomaly watch's detectors (as the gateway runs them per reading, at the shipped
# threshold) beside a windowed Gaussian and a random detector (each at the threshold that suits it best), on a labelled
# corpus of real series (Debian's python3-vega-datasets) and artificial ones with injected anomalies, scored with the
# NAB rules (standard, low FP, low FN profiles) and per episode (precision, recall, F1, alerts per detected episode,
# false alerts per 1,000 normal readings). Not the NAB corpus: that one is kept for held-out acceptance.
# With GATEWAY=1 the assembly is also booted and every series streamed through it (POST /api/v1/anomaly/{id}/replay),
# scored from its answers, with the replays' rate.
# With LIVE=1 as well, every series is also sent reading by reading (POST /api/v1/telemetry/{id}), as devices do: with
# FORECASTER=1 each stream's learned forecaster takes part, each training paced to finish before the stream goes on.
#   itests/bench/anomaly.sh [first seed] [seeds]      (defaults 1 4; needs `mvn install -DskipITs` at the top first)
#   GATEWAY=1 itests/bench/anomaly.sh
#   GATEWAY=1 LIVE=1 FORECASTER=1 itests/bench/anomaly.sh 1 1
set -euo pipefail
if ! python3 -c 'import vega_datasets' 2>/dev/null; then
  echo "the corpus needs Debian's python3-vega-datasets: apt-get install python3-vega-datasets (.ci/test installs it)" >&2
  exit 1
fi
if [ "${GATEWAY:-0}" = 1 ]; then
  source "$(dirname "$0")/lib.sh"
  unpack_gateway
  start_gateway "MQTT connector up"
  until curl -s -o /dev/null -w '%{http_code}' -X POST "http://127.0.0.1:$http_port/api/v1/anomaly/x/replay" \
      | grep -q 415; do sleep 0.5; done
  java -cp "$cp" io.edgeai.bench.anomaly.AnomalyEval "${1:-1}" "${2:-4}" "http://127.0.0.1:$http_port" \
    $([ "${LIVE:-0}" = 1 ] && echo live)
else
  cd "$(dirname "$0")"
  mvn -q -B package -DskipTests
  java -cp "target/classes:target/lib/*" io.edgeai.bench.anomaly.AnomalyEval "$@"
fi
