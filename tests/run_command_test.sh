#!/usr/bin/env bash
# The README's first command, run as a new user runs it: scripts/run.sh with
# a small demo on a free port. It must get through init, demo, publish, both
# verifications and the custody-chain step, start strongroomd, and print a
# demo person and a credential with which that person logs in; the planted
# misconduct must be caught by detections and by the inspection; SIGTERM then
# stops the service cleanly. (It once died at the chain step and nothing
# noticed: this test is why it cannot again.)
#   run_command_test.sh SOURCE_DIR WORK_DIR
set -euo pipefail
src=$1 work=$2
rm -rf "$work" && mkdir -p "$work"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
out="$work/run.out"
unset STRONGROOM_CREDENTIAL STRONGROOM_LOG_PASSPHRASE
"$src/scripts/run.sh" "$work/data" 300 "127.0.0.1:$port" >"$out" 2>&1 &
pid=$!
fail() { echo "FAIL: $*"; echo "--- run.sh printed:"; cat "$out"; kill "$pid" 2>/dev/null || true; exit 1; }

for _ in $(seq 1 600); do
  grep -q "strongroomd listening on" "$out" && break
  kill -0 "$pid" 2>/dev/null || fail "run.sh ended before strongroomd listened"
  sleep 0.5
done
grep -q "strongroomd listening on" "$out" || fail "strongroomd never listened"
for step in "== planted misconduct" "== detect: the inspector" "== an unannounced inspection" \
            "== detect again" "== verify: full self-audit" "== verify: offline" "== a holding and its custody chain" \
            "== latest checkpoint"; do
  grep -q -- "$step" "$out" || fail "no step '$step'"
done
grep -q "^OK: " "$out" || fail "no verification said OK"
# The planted misconduct is caught: the custodian's activity past the
# deadline, the inspection's three missing phones, recomputable by anyone.
grep -q "activity_after_deadline PHONE-.* (high, concerns C-NORTH-1) raised at entry" "$out" ||
  fail "no activity_after_deadline detection raised"
grep -q "INSP-.* closed by I-001 in F-NORTH: full, 6 of 6 on hand; 6 recorded, 3 discrepant" "$out" ||
  fail "the inspection did not find the three kept phones"
[ "$(grep -c "inspection_missing INSP-[0-9]*:PHONE-" "$out")" = 3 ] || fail "not three inspection_missing detections"
grep -q "drawn from the root and the reveal: both match" "$out" || fail "the sample did not recompute"
# The log key exists only sealed: reading the data directory is not signing as the log.
[ -e "$work/data/log.key.sealed" ] && [ ! -e "$work/data/log.key" ] || fail "the log key is not sealed"
grep -q "the log key's passphrase: " "$out" || fail "no log key passphrase printed"

# The credential and the people it printed.
credential=$(grep -A1 "with the credential" "$out" | tail -1 | tr -d ' ')
[ -n "$credential" ] || fail "no credential printed"
grep -q "C-HQ-1" "$out" || fail "C-HQ-1 not printed as a demo person"
ca="$work/data/tls.crt"
curl -sf --cacert "$ca" "https://127.0.0.1:$port/checkpoint" | grep -q "^strongroom.example/log$" ||
  fail "GET /checkpoint did not answer with the log's checkpoint"
login=$(curl -s --cacert "$ca" -o "$work/login.json" -w '%{http_code}' \
  -d "{\"person\":\"C-HQ-1\",\"credential\":\"$credential\"}" "https://127.0.0.1:$port/api/v1/login")
[ "$login" = 200 ] || fail "C-HQ-1 could not log in with the printed credential (HTTP $login)"
python3 -c 'import json,sys; assert json.load(open(sys.argv[1]))["token"]' "$work/login.json" ||
  fail "the login answer has no token"
bad=$(curl -s --cacert "$ca" -o /dev/null -w '%{http_code}' \
  -d '{"person":"C-HQ-1","credential":"not it"}' "https://127.0.0.1:$port/api/v1/login")
[ "$bad" = 401 ] || fail "a wrong credential got HTTP $bad, not 401"

kill -TERM "$pid"
status=0
wait "$pid" || status=$?
[ "$status" = 0 ] || fail "strongroomd exited $status on SIGTERM"
grep -q "stopped on SIGTERM" "$out" || fail "no clean stop"
echo "run.sh: served, C-HQ-1 logged in with the printed credential, stopped cleanly"
