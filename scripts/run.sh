#!/usr/bin/env bash
# The main job on the embedded default (SQLite, no other service): install,
# build, create a store, record a synthetic organisation's custody events,
# publish the log as a static C2SP tlog-tiles tree and verify it twice — as
# the custodian's self-audit and as an outside auditor holding only the key.
#
#   ./scripts/run.sh [DATA_DIR] [EVENTS]
set -euo pipefail
cd "$(dirname "$0")/.."
data=${1:-strongroom-data}
events=${2:-10000}
scripts/setup.sh
scripts/build.sh
sr=build/src/strongroom
if [ ! -e "$data/strongroom.db" ]; then
  echo "== init: a new store in $data"
  $sr init --data "$data" --origin strongroom.example/log
fi
echo "== verifier key (give this to auditors)"
$sr key --data "$data"
echo "== demo: $events custody events through the normal command path"
$sr demo --data "$data" --events "$events"
echo "== publish: static tlog-tiles tree in $data-published"
$sr publish --data "$data" --to "$data-published"
echo "== verify: full self-audit of the store"
$sr verify --data "$data"
echo "== verify: offline, from the published tree and the key alone"
$sr verify --log "$data-published" --key "$($sr key --data "$data")"
echo "== a holding and its custody chain, with inclusion proofs"
first=$($sr holding list --data "$data" --status checked_out --limit 1 --json | python3 -c 'import json,sys; l=json.load(sys.stdin); print(l[0]["id"] if l else "")')
[ -n "$first" ] && $sr holding show --data "$data" --holding "$first" --proofs
echo "== latest checkpoint"
$sr checkpoint --data "$data"
