#!/usr/bin/env bash
# Interoperability: a tree published by `strongroom publish` is verified by an
# implementation that shares no code with Strongroom (Go's sumdb/note and
# sumdb/tlog, from Debian), including consistency with an earlier checkpoint;
# and by `strongroom verify --log` over real HTTP. Tampering is caught by both.
# Then the same Go client verifies strongroomd's live log over HTTPS (its own
# TLS stack, trusting only the store's certificate): checkpoint signature,
# tiles, entry bundles read with an inspector's session, and consistency
# between two checkpoints fetched while events are added through the API.
set -euo pipefail
strongroom=$1 tool_src=$2 work=$3
rm -rf "$work" && mkdir -p "$work"
export HOME="$work/home" GOCACHE="$work/gocache" GO111MODULE=off GOPATH=/usr/share/gocode
go build -o "$work/c2sp-verify" "$tool_src/main.go"

data="$work/data" pub="$work/pub"
"$strongroom" init --data "$data" --origin interop.example/log >/dev/null
vkey=$(cat "$data/log.vkey")
"$strongroom" demo --data "$data" --events 3000 --seed 11 >/dev/null
"$strongroom" publish --data "$data" --to "$pub" >/dev/null
cp "$pub/checkpoint" "$work/earlier-checkpoint"
"$work/c2sp-verify" "$pub" "$vkey"
# Confidential entries: the store has the demo's titles, the published tree
# only their commitments; verify checks every signature without them.
"$strongroom" holding list --data "$data" --json | grep -q "seized in case" || { echo "no demo titles in the store"; exit 1; }
if grep -rqa -e "seized in case" -e '"classification":"SECRET"' "$pub"; then
  echo "cleartext in the published tree"; exit 1
fi
sealed=$("$strongroom" verify --log "$pub" --key "$vkey" --json)
[[ $sealed == *'"sealed":'* ]] || { echo "verify --log read nothing sealed: $sealed"; exit 1; }

# Grow the log, publish incrementally, and prove consistency with the earlier checkpoint.
"$strongroom" demo --data "$data" --events 1234 --seed 12 >/dev/null
earlier_size=$(sed -n 2p "$work/earlier-checkpoint")
published=$("$strongroom" publish --data "$data" --to "$pub" --json)
[[ $published == *"\"previous_size\":$earlier_size,"* ]] || { echo "publish was not incremental: $published"; exit 1; }
result=$("$work/c2sp-verify" "$pub" "$vkey" "$work/earlier-checkpoint")
[[ $result == *"consistent with the earlier checkpoint of size $earlier_size"* ]] || { echo "$result"; exit 1; }
"$strongroom" verify --log "$pub" --key "$vkey" --prev "$work/earlier-checkpoint" >/dev/null

# The same tree over HTTP.
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
python3 -m http.server "$port" --bind 127.0.0.1 --directory "$pub" >/dev/null 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$port/checkpoint" >/dev/null && break; sleep 0.1; done
result=$("$strongroom" verify --log "http://127.0.0.1:$port/" --key "$vkey" --prev "$work/earlier-checkpoint")
[[ $result == OK:* ]] || { echo "$result"; exit 1; }

# Tampering with one entry bundle is caught by both verifiers.
bundle="$pub/tile/entries/005"
printf 'X' | dd of="$bundle" bs=1 seek=40 conv=notrunc status=none
if "$work/c2sp-verify" "$pub" "$vkey" 2>/dev/null; then echo "Go verifier accepted a tampered bundle"; exit 1; fi
if "$strongroom" verify --log "$pub" --key "$vkey" 2>/dev/null; then echo "strongroom accepted a tampered bundle"; exit 1; fi
# A checkpoint from a forked history is refused as inconsistent.
other="$work/other"
"$strongroom" init --data "$other" --origin interop.example/log >/dev/null
if "$work/c2sp-verify" "$pub" "$(cat "$other/log.vkey")" 2>/dev/null; then echo "accepted a foreign key"; exit 1; fi

# A log whose key is in a PKCS#11 token (Debian's SoftHSM2, a token made
# here as an operator would): its checkpoints are the same C2SP signed notes,
# verified by the Go client with nothing but the verifier key.
export SOFTHSM2_CONF="$work/softhsm2.conf"
# (Under the sanitizers: full stacks, so that tests/lsan.supp names SoftHSM2's own leak.)
export ASAN_OPTIONS=fast_unwind_on_malloc=0
mkdir -p "$work/tokens"
printf 'directories.tokendir = %s\nobjectstore.backend = file\nlog.level = ERROR\n' "$work/tokens" >"$SOFTHSM2_CONF"
softhsm2-util --init-token --free --label interop --so-pin so-pin-5678 --pin user-pin-1234 >/dev/null
export SR_INTEROP_PIN=user-pin-1234
token_data="$work/token-data" token_pub="$work/token-pub"
"$strongroom" init --data "$token_data" --origin token.example/log --log-passphrase-env SR_INTEROP_PIN \
  --log-key-pkcs11 "pkcs11:token=interop;object=log-key?module-path=/usr/lib/softhsm/libsofthsm2.so" >/dev/null
[ ! -e "$token_data/log.key" ] && [ ! -e "$token_data/log.key.sealed" ] || { echo "a key file beside the token's"; exit 1; }
"$strongroom" demo --data "$token_data" --events 500 --seed 13 --log-passphrase-env SR_INTEROP_PIN >/dev/null
"$strongroom" publish --data "$token_data" --to "$token_pub" >/dev/null
result=$("$work/c2sp-verify" "$token_pub" "$(cat "$token_data/log.vkey")")
[[ $result == *OK* ]] || { echo "the token's log: $result"; exit 1; }
unset SR_INTEROP_PIN ASAN_OPTIONS

# The live log, over HTTPS.
live="$work/live"
export STRONGROOM_CREDENTIAL="interop demo passphrase"
"$strongroom" init --data "$live" --origin live.example/log >/dev/null
"$strongroom" demo --data "$live" --events 600 --seed 5 --logins >/dev/null
live_vkey=$(cat "$live/log.vkey")
w1=$("$strongroom" witness keygen --name audit.example/w1 --out "$work/w1.key")
w2=$("$strongroom" witness keygen --name audit.example/w2 --out "$work/w2.key")
w3=$("$strongroom" witness keygen --name rogue.example/w3 --out "$work/w3.key")
serve_live() {
  "$strongroom" serve --plaintext-log-key --data "$live" --listen "${1:-127.0.0.1:0}" --witness "$w1" --witness "$w2" \
    >"$work/serve.out" 2>"$work/serve.log" &
}
serve_live
serve=$!
trap 'kill $server $serve 2>/dev/null || true' EXIT
url=
for _ in $(seq 100); do
  url=$(sed -n 's|^strongroomd listening on \(https://[^ ]*\).*|\1|p' "$work/serve.out")
  [ -n "$url" ] && break
  sleep 0.1
done
[ -n "$url" ] || { echo "strongroomd did not start"; cat "$work/serve.log"; exit 1; }
export SSL_CERT_FILE="$live/tls.crt"
curl -sf --cacert "$live/tls.crt" "${url}checkpoint" >"$work/live-earlier"
login() {
  curl -sf --cacert "$live/tls.crt" -d "{\"person\":\"$1\",\"credential\":\"$STRONGROOM_CREDENTIAL\"}" \
    "${url}api/v1/login" | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])'
}
admin=$(login P-ADMIN) inspector=$(login I-001) officer=$(login O-001)
export STRONGROOM_CREDENTIAL
for i in $(seq 40); do
  curl -sf --cacert "$live/tls.crt" -H "Authorization: Bearer $admin" \
    -d "{\"type\":\"facility.add\",\"fields\":{\"facility\":\"F-LIVE-$i\",\"name\":\"Annex $i\"}}" \
    "${url}api/v1/events" >/dev/null
done
earlier_size=$(sed -n 2p "$work/live-earlier")
result=$(C2SP_BEARER_TOKEN=$inspector "$work/c2sp-verify" "$url" "$live_vkey" "$work/live-earlier")
[[ $result == *"consistent with the earlier checkpoint of size $earlier_size"* ]] || { echo "$result"; exit 1; }
[[ $result == *"OK: $((earlier_size + 40)) entries verified against live.example/log"* ]] || { echo "$result"; exit 1; }
# Entry bundles reveal content: without a session, or as an officer, they are refused.
if "$work/c2sp-verify" "$url" "$live_vkey" 2>"$work/anon.err"; then echo "entry bundles served without a session"; exit 1; fi
grep -q "401 Unauthorized" "$work/anon.err" || { cat "$work/anon.err"; exit 1; }
if C2SP_BEARER_TOKEN=$officer "$work/c2sp-verify" "$url" "$live_vkey" 2>"$work/officer.err"; then echo "an officer read the entry bundles"; exit 1; fi
grep -q "403 Forbidden" "$work/officer.err" || { cat "$work/officer.err"; exit 1; }

# Witnesses (C2SP tlog-cosignature): two configured, one not.
cosign() { "$strongroom" witness cosign --log "$url" --key "$live_vkey" --key-file "$work/$1.key" --cacert "$live/tls.crt"; }
quorum2=(--log "$url" --key "$live_vkey" --cacert "$live/tls.crt" --login I-001 --witness "$w1" --witness "$w2")
result=$(cosign w1)
[[ $result == *"as audit.example/w1 (first checkpoint this witness has seen)"* ]] || { echo "$result"; exit 1; }
if "$strongroom" verify "${quorum2[@]}" --quorum 2 2>"$work/quorum.err"; then echo "verified without a quorum"; exit 1; fi
grep -q "cosigned by 1 of the 2 trusted witnesses; the quorum is 2" "$work/quorum.err" || { cat "$work/quorum.err"; exit 1; }
cosign w2 >/dev/null
result=$("$strongroom" verify "${quorum2[@]}" --quorum 2)
[[ $result == *"cosigned by audit.example/w1 audit.example/w2"* ]] || { echo "$result"; exit 1; }
# The Go client checks the same cosignatures with its own code.
result=$(C2SP_BEARER_TOKEN=$inspector "$work/c2sp-verify" -witness "$w1" -witness "$w2" "$url" "$live_vkey")
[[ $result == *"cosigned by audit.example/w1 audit.example/w2"* ]] || { echo "$result"; exit 1; }
if "$work/c2sp-verify" -witness "$w3" "$url" "$live_vkey" 2>/dev/null; then echo "Go counted a stranger"; exit 1; fi
# A busy log moves past what the witnesses cosigned: /checkpoint no longer
# carries their lines, and verify falls back to the latest cosigned
# checkpoint and proves the live tree consistent with it.
cosigned_size=$(curl -sf --cacert "$live/tls.crt" "${url}api/v1/cosigned-checkpoint" | sed -n 2p)
curl -sf --cacert "$live/tls.crt" -H "Authorization: Bearer $admin" \
  -d '{"type":"facility.add","fields":{"facility":"F-BUSY","name":"Busy annex"}}' "${url}api/v1/events" >/dev/null
if curl -sf --cacert "$live/tls.crt" "${url}checkpoint" | grep -q "^— audit.example/w1 "; then
  echo "a cosignature served on a checkpoint it does not cosign"; exit 1
fi
result=$("$strongroom" verify "${quorum2[@]}" --quorum 2)
[[ $result == *"cosigned by audit.example/w1 audit.example/w2 at tree size $cosigned_size"* ]] || { echo "$result"; exit 1; }
# A witness the log does not know is refused (exit 6: refused).
set +e; cosign w3 2>"$work/w3.err"; code=$?; set -e
[ $code -eq 6 ] && grep -q "no cosignature by a witness this log accepts" "$work/w3.err" || { echo "exit $code"; cat "$work/w3.err"; exit 1; }
# The log grows; a witness cosigns again only after proving consistency.
before=$cosigned_size  # the size w1 last cosigned
curl -sf --cacert "$live/tls.crt" -H "Authorization: Bearer $admin" \
  -d '{"type":"facility.add","fields":{"facility":"F-LATE","name":"Late annex"}}' "${url}api/v1/events" >/dev/null
result=$(cosign w1)
[[ $result == *"(consistent with size $before)"* ]] || { echo "$result"; exit 1; }
# A witness whose remembered checkpoint is not this log's refuses to cosign.
cp "$pub/checkpoint" "$work/w2.key.state"
if cosign w2 2>"$work/w2.err"; then echo "cosigned after a foreign checkpoint"; exit 1; fi
grep -q "w2.key.state: note has no signature by key live.example/log" "$work/w2.err" || { cat "$work/w2.err"; exit 1; }
# Cosignatures survive a restart, served with the checkpoint they cosign.
port=${url##*:}; port=${port%/}
kill -TERM $serve
wait $serve
serve_live "127.0.0.1:$port"
serve=$!
for _ in $(seq 100); do curl -sf --cacert "$live/tls.crt" "${url}healthz" >/dev/null && break; sleep 0.1; done
curl -sf --cacert "$live/tls.crt" "${url}checkpoint" | grep -q "^— audit.example/w1 " || { echo "cosignature lost at restart"; exit 1; }
kill -TERM $serve
wait $serve
"$strongroom" verify --data "$live" >/dev/null
# A store cut back below what its witnesses cosigned (entries and checkpoints
# deleted by someone with the database file) is not served, nor rebuilt from.
cp -r "$live" "$work/cut"
python3 - "$work/cut/strongroom.db" <<'PY'
import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
c.execute("DELETE FROM checkpoints WHERE size > 1")
c.execute("DELETE FROM entries WHERE idx >= 1")
c.execute("DELETE FROM meta WHERE key = 'committed_head'")
c.commit()
PY
set +e; "$strongroom" serve --plaintext-log-key --data "$work/cut" --listen 127.0.0.1:0 >/dev/null 2>"$work/cut.err"; code=$?; set -e
[ $code -eq 7 ] && grep -q "its witnesses cosigned: it was cut back, and is not served" "$work/cut.err" || { echo "exit $code"; cat "$work/cut.err"; exit 1; }
echo "c2sp interop: OK"
