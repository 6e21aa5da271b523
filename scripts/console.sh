#!/usr/bin/env bash
# The README's first command: install what is missing, build, and open the console on its
# embedded gateway. Extra arguments go to fleet-console (e.g. --no-gateway).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh
scripts/build.sh
exec "${FLEET_BUILD_DIR:-build}/app/console/fleet-console" "$@"
