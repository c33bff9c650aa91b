#!/usr/bin/env bash
# Installs what is needed, builds, and runs the whole test suite (ctest):
# first under AddressSanitizer + UndefinedBehaviorSanitizer (debug build),
# then on the release build that ships.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
cmake -S . -B build-asan -G Ninja -DCMAKE_BUILD_TYPE=Debug -DSTRONGROOM_SANITIZE=ON >/dev/null
cmake --build build-asan -j "$(nproc)"
(cd build-asan && ctest --output-on-failure -j "$(nproc)")
scripts/build.sh
cd build
ctest --output-on-failure -j "$(nproc)"
