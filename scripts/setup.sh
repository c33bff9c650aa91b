#!/usr/bin/env bash
# Installs everything Strongroom needs to build and test, from Debian 12 packages only.
# Idempotent: skips apt entirely when every package is already present.
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config
  libssl-dev libsqlite3-dev sqlite3 nlohmann-json3-dev libcli11-dev
  libgtest-dev libgmock-dev librapidcheck-dev libbenchmark-dev
  clang libclang-rt-14-dev
  golang-go golang-golang-x-mod-dev
  openssl curl libcurl4-openssl-dev python3 libargon2-dev
  libboost-dev libjemalloc-dev wrk testssl.sh
  libp11-kit-dev softhsm2
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}" >&2
  sudo_cmd=""
  [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $sudo_cmd apt-get update -qq
  $sudo_cmd apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
