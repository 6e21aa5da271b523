#!/usr/bin/env bash
# The README's test command: install what is missing, build, run every suite headless.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh
scripts/build.sh
export QT_QPA_PLATFORM=offscreen
ctest --test-dir "${FLEET_BUILD_DIR:-build}" --output-on-failure --timeout 600 -j 2
