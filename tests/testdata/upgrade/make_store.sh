#!/usr/bin/env bash
# Made the store in store-v2/ with the release of commit 0efbf44 (entry
# schema 2, store schema 2), once, through its command line: a demo
# organisation plus one command for every entry type the demo does not make.
# upgrade_test opens it with today's release. Kept for the record; re-running
# it with a newer binary would make a newer store, not this one.
#   make_store.sh STRONGROOM_BINARY OUT_DIR
set -euo pipefail
sr=$1
d=$2
export STRONGROOM_CREDENTIAL=upgrade-fixture-credential
export STRONGROOM_NEW_CREDENTIAL=upgrade-fixture-credential
rm -rf "$d"
$sr init --data "$d" --origin upgrade.example/log >/dev/null
$sr demo --data "$d" --events 3000 --seed 7 --logins >/dev/null
c() { $sr "$1" "$2" --data "$d" "${@:3}" --json >/dev/null; }
j() { $sr "$1" "$2" --data "$d" "${@:3}" --json; }
first() { $sr holding list --data "$d" "$@" --limit 1 --json |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["holdings"][0]["id"])'; }
c person add --actor P-ADMIN --id SM2 --name "Second Manager" --unit Security \
  --roles security_manager --clearance "TOP SECRET" --compartments ORCHID,LANTERN,GRANITE
c person update --actor P-ADMIN --id O-002 --unit Cyber
c person suspend --actor P-ADMIN --id O-003 --reason "inquiry"
c person reinstate --actor P-ADMIN --id O-003 --reason "inquiry closed"
c person dismiss --actor P-ADMIN --id O-004 --reason "misconduct"
g=$(j grant add --actor P-ADMIN --person O-005 --scope case --target CASE-UPG --expires 2030-01-01 |
  python3 -c 'import json,sys; print("G-%d" % json.load(sys.stdin)["index"])')
c grant revoke --actor P-ADMIN --grant "$g" --reason "case closed"
r=$(j holding register --actor C-HQ-1 --id DOC-UPG --kind document --title "Liaison minutes" \
  --location HQ-vault-1 --classification RESTRICTED | python3 -c 'import json,sys; print(json.load(sys.stdin)["holding"])')
c holding register --actor C-HQ-1 --id BAG-UPG --kind container --title "Evidence bag" --location HQ-vault-1
c holding seal --actor C-HQ-1 --holding BAG-UPG --seal S-UPG-1 --contents DOC-UPG
c holding unseal --actor C-HQ-1 --holding BAG-UPG --seal S-UPG-1 --condition intact
c holding inspect --actor I-001 --holding DOC-UPG --result seen
c holding distribute --actor C-HQ-1 --holding DOC-UPG --units Legal,Fraud --return-by 2030-01-01
c grant add --actor P-ADMIN --person O-001 --scope holding --target DOC-UPG --expires 2030-01-01
c holding acknowledge --actor O-001 --holding DOC-UPG-C1
c holding recall --actor C-HQ-1 --holding DOC-UPG-C1
c grant add --actor P-ADMIN --person C-HQ-1 --scope holding --target DOC-UPG --expires 2030-01-01
p=$(j holding reproduce --actor C-HQ-1 --holding DOC-UPG --copies 1 | python3 -c 'import json,sys; print(json.load(sys.stdin)["request"])')
c request cancel --actor C-HQ-1 --request "$p" --reason "not needed"
p=$(j holding reproduce --actor C-HQ-1 --holding DOC-UPG --copies 1 | python3 -c 'import json,sys; print(json.load(sys.stdin)["request"])')
c request approve --actor P-ADMIN --request "$p"
c holding register --actor C-HQ-1 --id PHONE-UPG --kind evidence --title "Phone" --location HQ-vault-1 \
  --case CASE-UPG --item-type "mobile phone" --imei 356938035643809 --disposition return
c holding seal --actor C-HQ-1 --holding PHONE-UPG --seal S-UPG-2
s=$(j holding dispatch --actor C-HQ-1 --holdings PHONE-UPG --to-facility F-NORTH --courier "Courier K" |
  python3 -c 'import json,sys; j=json.load(sys.stdin); print(j.get("request") or "D-%d" % j["index"])')
c holding receive --actor C-NORTH-1 --holdings PHONE-UPG --dispatch "$s" --location NORTH-safe-2 \
  --seals PHONE-UPG=S-UPG-2
q=$(j holding release --actor C-NORTH-1 --holding PHONE-UPG --to owner --recipient "J. Doe" |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["request"])')
c request approve --actor P-ADMIN --request "$q"
c record correct --actor P-ADMIN --entry 690 --reason "wrong courier name"
c facility control --actor P-ADMIN --facility F-NORTH --heightened on --reason audit
c holding move --actor C-NORTH-1 --holding "$(first --facility F-NORTH --status in_store)" --location NORTH-shelf-4
