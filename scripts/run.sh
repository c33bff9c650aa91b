#!/usr/bin/env bash
# The main job on the embedded default (SQLite, no other service): install,
# build, create a store, record a synthetic organisation's custody events,
# plant misconduct in it and catch it (detections, an unannounced inspection
# whose sample nobody chose), publish the log as a static C2SP tlog-tiles tree and verify it twice — as
# the custodian's self-audit and as an outside auditor holding only the key —
# then start strongroomd on https://127.0.0.1:8443/ and print how to log in.
# Ctrl-C (or SIGTERM) stops the service cleanly.
#
#   ./scripts/run.sh [DATA_DIR] [EVENTS] [LISTEN]
#
# The demo people's credential is $STRONGROOM_CREDENTIAL if set, else a new
# random one, printed below (it is a demonstration). The log key is sealed
# under $STRONGROOM_LOG_PASSPHRASE if set, else under a new random
# passphrase, printed below: the demo and strongroomd are given it.
set -euo pipefail
cd "$(dirname "$0")/.."
data=${1:-strongroom-data}
events=${2:-10000}
listen=${3:-127.0.0.1:8443}
scripts/setup.sh
scripts/build.sh
sr=build/src/strongroom
if [ -z "${STRONGROOM_LOG_PASSPHRASE:-}" ]; then
  if [ -e "$data/log.key.sealed" ]; then
    echo "the log key of $data is sealed: set STRONGROOM_LOG_PASSPHRASE to the passphrase" \
      "printed when it was sealed" >&2
    exit 2
  fi
  STRONGROOM_LOG_PASSPHRASE=$(python3 -c 'import secrets; print(secrets.token_urlsafe(18))')
fi
export STRONGROOM_LOG_PASSPHRASE
if [ ! -e "$data/strongroom.db" ]; then
  echo "== init: a new store in $data, its log key sealed under a passphrase"
  $sr init --data "$data" --origin strongroom.example/log --seal-log-key
  echo "   (the log key's passphrase: $STRONGROOM_LOG_PASSPHRASE)"
elif [ -e "$data/log.key" ]; then
  echo "== seal-log-key: the store's plaintext log key, sealed under a passphrase"
  $sr seal-log-key --data "$data"
  echo "   (the log key's passphrase: $STRONGROOM_LOG_PASSPHRASE)"
fi
echo "== verifier key (give this to auditors)"
$sr key --data "$data"
if [ -z "${STRONGROOM_CREDENTIAL:-}" ]; then
  STRONGROOM_CREDENTIAL=$(python3 -c 'import secrets; print(secrets.token_urlsafe(15))')
fi
export STRONGROOM_CREDENTIAL
echo "== demo: $events custody events through the normal command path"
$sr demo --data "$data" --events "$events" --logins --misconduct
echo "== planted misconduct (docs/oversight.md): phones kept past their destruction deadline"
story="$data/demo-misconduct.json"
cat "$story"
echo "== detect: the inspector I-001 raises every detection due now, each cause once"
$sr detect --data "$data" --actor I-001
echo "== an unannounced inspection of the destruction cage: I-001 commits to a secret reveal,"
echo "   the log's root after the open entry fixes the rest, the sample follows from both"
cage=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["location"])' "$story")
# The reveal is the inspector's, kept outside the store's directory.
reveal_dir=$(mktemp -d)
reveal="$reveal_dir/inspection.reveal"
insp=$($sr inspection open --data "$data" --actor I-001 --facility F-NORTH --locations "$cage" \
  --announced false --occasion campaign --method full --reveal-file "$reveal" --json |
  python3 -c 'import json,sys; print("INSP-%d" % json.load(sys.stdin)["index"])')
$sr inspection draw --data "$data" --actor I-001 --inspection "$insp" --reveal-file "$reveal"
rm -rf "$reveal_dir"  # in the log now, with the draw
# On the shelf (the demo's physical truth): the phones the custodian kept are not there.
$sr inspection show --data "$data" --inspection "$insp" --json |
  python3 -c 'import json,sys
kept = set(json.load(open(sys.argv[1]))["kept"])
for h in json.load(sys.stdin)["sample"]: print(h, "missing" if h in kept else "found")' "$story" |
  while read -r holding result; do
    $sr inspection record --data "$data" --actor I-001 --inspection "$insp" --holding "$holding" \
      --result "$result"
  done
$sr inspection close --data "$data" --actor I-001 --inspection "$insp" --finding-owner P-ADMIN \
  --findings-due "$(date -u -d '+14 days' +%Y-%m-%dT%H:%M:%SZ)"
$sr inspection show --data "$data" --inspection "$insp"
$sr inspection verify-sample --data "$data" --inspection "$insp"
echo "== detect again: the missing phones are open findings"
$sr detect --data "$data" --actor I-001
echo "== publish: static tlog-tiles tree in $data-published"
$sr publish --data "$data" --to "$data-published"
echo "== verify: full self-audit of the store"
$sr verify --data "$data"
echo "== verify: offline, from the published tree and the key alone"
$sr verify --log "$data-published" --key "$($sr key --data "$data")"
echo "== a holding and its custody chain, with inclusion proofs"
first=$($sr holding list --data "$data" --status checked_out --limit 1 --json | python3 -c 'import json,sys; l=json.load(sys.stdin)["holdings"]; print(l[0]["id"] if l else "")')
[ -n "$first" ] && $sr holding show --data "$data" --holding "$first" --proofs
echo "== latest checkpoint"
$sr checkpoint --data "$data"
echo "== strongroomd: the HTTPS service on this store"
cat <<EOF
Log in as any of the demo people below with the credential
  $STRONGROOM_CREDENTIAL
  P-ADMIN (administrator, security manager)  C-HQ-1, C-NORTH-1 (custodians)
  O-001 (officer)  I-001 (inspector, may read the log's entries)
for example:
  curl --cacert $data/tls.crt -d '{"person":"C-HQ-1","credential":"$STRONGROOM_CREDENTIAL"}' https://$listen/api/v1/login
  curl --cacert $data/tls.crt https://$listen/checkpoint
The API is described in docs/http-api.md. Ctrl-C stops the service.
EOF
exec $sr serve --data "$data" --listen "$listen"
