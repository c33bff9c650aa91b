#!/usr/bin/env bash
# Configures and builds Strongroom into build/ (the "release" preset of
# CMakePresets.json: RelWithDebInfo).
set -euo pipefail
cd "$(dirname "$0")/.."
cmake --preset release >/dev/null
cmake --build --preset release -j "$(nproc)"
