#!/usr/bin/env bash
# Interoperability: a tree published by `strongroom publish` is verified by an
# implementation that shares no code with Strongroom (Go's sumdb/note and
# sumdb/tlog, from Debian), including consistency with an earlier checkpoint;
# and by `strongroom verify --log` over real HTTP. Tampering is caught by both.
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
echo "c2sp interop: OK"
