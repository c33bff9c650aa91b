#!/usr/bin/env bash
# Installs what is needed, builds, and runs the whole test suite (ctest):
# first on the release build that ships, then under AddressSanitizer +
# UndefinedBehaviorSanitizer (debug build). The release build comes first
# because run_command_test runs the README's run command, which builds (and
# then finds up to date) the release tree in build/.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/build.sh
(cd build && ctest --output-on-failure -j "$(nproc)")
cmake -S . -B build-asan -G Ninja -DCMAKE_BUILD_TYPE=Debug -DSTRONGROOM_SANITIZE=ON >/dev/null
cmake --build build-asan -j "$(nproc)"
cd build-asan
ctest --output-on-failure -j "$(nproc)"
