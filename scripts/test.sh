#!/usr/bin/env bash
# Installs what is needed, builds, and runs the whole test suite (ctest):
# first on the release build that ships, then under AddressSanitizer +
# UndefinedBehaviorSanitizer (the "release" and "asan" presets of
# CMakePresets.json). The release build comes first because
# run_command_test runs the README's run command, which builds (and then
# finds up to date) the release tree in build/.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/build.sh
ctest --preset release -j "$(nproc)"
cmake --preset asan >/dev/null
cmake --build --preset asan -j "$(nproc)"
ctest --preset asan -j "$(nproc)"
