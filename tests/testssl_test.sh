#!/usr/bin/env bash
# testssl.sh (Debian's package) against strongroomd over TLS: no finding of
# medium severity or above, bar the one a self-signed local certificate has
# by nature (no CRL or OCSP URI: a deployment's own --cert from its CA has
# them). The suites and protocols are also tested directly (TlsTest).
#   testssl_test.sh STRONGROOM_BINARY WORK_DIR
set -euo pipefail
bin=$1 work=$2
rm -rf "$work" && mkdir -p "$work"
export STRONGROOM_CREDENTIAL="testssl credential 1"
"$bin" init --data "$work/d" --origin testssl.example/log >/dev/null
"$bin" serve --plaintext-log-key --data "$work/d" --listen 127.0.0.1:0 >"$work/serve.out" 2>"$work/serve.err" &
pid=$!
trap 'kill $pid 2>/dev/null || true' EXIT
for _ in $(seq 100); do grep -q listening "$work/serve.out" && break; sleep 0.1; done
hostport=$(sed -n 's|.*listening on https://\([^/]*\)/.*|\1|p' "$work/serve.out")
[ -n "$hostport" ] || { echo "strongroomd did not listen"; cat "$work/serve.err"; exit 1; }
# (testssl's exit status counts findings of every severity: the JSON decides.)
testssl --quiet --color 0 --warnings off --add-ca "$work/d/tls.crt" \
  --jsonfile "$work/findings.json" "$hostport" >"$work/testssl.out" 2>&1 || true
python3 - "$work/findings.json" <<'PY'
import json, sys
allowed = {"cert_revocation"}  # self-signed: no CRL or OCSP URI to give
findings = json.load(open(sys.argv[1]))
ids = {f.get("id") for f in findings}
if "cipher_order" not in ids and "TLS1_3" not in ids and len(findings) < 5:
    sys.exit("testssl ran no checks: %r" % findings)
bad = [f for f in findings
       if f.get("severity") in ("MEDIUM", "HIGH", "CRITICAL") and f.get("id") not in allowed]
for f in bad:
    print("%s %s: %s" % (f["severity"], f["id"], f.get("finding")))
if bad:
    sys.exit(1)
print("testssl: %d checks, no finding of medium severity or above" % len(findings))
PY
