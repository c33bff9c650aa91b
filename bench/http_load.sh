#!/usr/bin/env bash
# Load on strongroomd over HTTPS with keep-alive, from wrk (Debian's package):
# custody events (holding.register, each a new holding, acknowledged once
# durable), hash-tile reads and inclusion-proof reads.
# Then the same events at fixed rates from bench/http_open_loop (open loop:
# latency from each request's due time, so queueing is not hidden).
#   bench/http_load.sh [STRONGROOM_BINARY] [SECONDS] [CONNECTIONS] [RATES]
# RATES: space-separated events/s for the open-loop runs (default "5000").
# Prints the summaries; figures go to docs/performance.md.
set -euo pipefail
bin=${1:-build/src/strongroom}
secs=${2:-10}
conns=${3:-64}
rates=${4:-5000}
open_loop=$(dirname "$bin")/../bench/http_open_loop
work=$(mktemp -d)
trap 'kill $pid 2>/dev/null || true; rm -rf "$work"' EXIT
export STRONGROOM_CREDENTIAL="bench credential 1" STRONGROOM_NEW_CREDENTIAL="bench credential 1"
d=$work/data
$bin init --data "$d" --origin bench.example/log >/dev/null
$bin person add --data "$d" --actor ADM --id ADM --name A --unit U --roles administrator --clearance SECRET >/dev/null
code=$($bin person add --data "$d" --actor ADM --id CUS --name C --unit U --roles custodian --clearance SECRET |
  sed -n 's/.*enrolment code for CUS: \([0-9a-f]*\).*/\1/p')
STRONGROOM_ENROLMENT_CODE=$code $bin person enrol --data "$d" --actor CUS >/dev/null
$bin facility add --data "$d" --actor ADM --id HQ --name HQ >/dev/null
$bin location add --data "$d" --actor ADM --id V1 --facility HQ --name V --kind vault >/dev/null
$bin serve --plaintext-log-key --data "$d" --listen 127.0.0.1:0 > "$work/serve.out" 2>&1 &
pid=$!
for _ in $(seq 100); do grep -q listening "$work/serve.out" && break; sleep 0.1; done
url=$(sed -n 's/.*listening on \(https:[^ ]*\)/\1/p' "$work/serve.out")
token=$(curl -s --cacert "$d/tls.crt" -d '{"person":"CUS","credential":"bench credential 1"}' \
  "${url}api/v1/login" | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')
body='{"type":"holding.register","fields":{"kind":"document","title":"Bench","location":"V1"}}'
cat > "$work/post.lua" <<LUA
wrk.method = "POST"
wrk.headers["Authorization"] = "Bearer $token"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '$body'
done = function(summary, latency, requests)
  io.write(string.format("events: %d requests, %d non-2xx, p50 %.2f ms, p99 %.2f ms\n",
    summary.requests, summary.errors.status, latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
LUA
echo "== custody events: $conns connections, ${secs}s"
wrk -t2 -c"$conns" -d"${secs}s" -s "$work/post.lua" "${url}api/v1/events"
echo "== hash tile reads: $conns connections, ${secs}s"
wrk -t2 -c"$conns" -d"${secs}s" "${url}tile/0/000.p/4"
echo "== inclusion proof reads: $conns connections, ${secs}s"
wrk -t2 -c"$conns" -d"${secs}s" "${url}api/v1/proofs/inclusion?index=1234&size=5000"
for rate in $rates; do
  echo "== fixed rate, open loop: $rate events/s, $conns connections, ${secs}s"
  "$open_loop" --url "${url}api/v1/events" --rate "$rate" --seconds "$secs" \
    --connections "$conns" --cacert "$d/tls.crt" --token "$token" --body "$body" || true
done
$bin verify --data "$d" >/dev/null 2>&1 || true
