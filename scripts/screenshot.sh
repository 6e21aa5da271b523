#!/usr/bin/env bash
# Writes the README's screenshots to docs/screenshots/: starts fleet-console in a real X
# window under Xvfb with throw-away settings, and lets its --screenshot-demo drive it
# (the demo tour in presentation mode, connect, send, a rival device on the same slot, a
# takeover, a broken payload, devices that behave), saving a PNG of the window after each
# step. Needs no running gateway: the console brings its own.
# Usage: scripts/screenshot.sh [WIDTHxHEIGHT]   (the screen size; default 1366x768, a laptop)
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh xvfb xauth x11-apps imagemagick
scripts/build.sh

build_dir=${FLEET_BUILD_DIR:-build}
screen=${1:-1366x768}
out_dir=docs/screenshots
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Never the operator's own settings, and a fixed locale for stable texts.
export XDG_CONFIG_HOME="$work/config"
export LC_ALL=C.UTF-8
export QT_QPA_PLATFORM=xcb
unset QT_SCALE_FACTOR QT_SCREEN_SCALE_FACTORS

xvfb-run --auto-servernum --server-args="-screen 0 ${screen}x24 -dpi 96" \
    "$build_dir/app/console/fleet-console" \
    --settings "$work/console.ini" --screenshot-demo "$work/shots"

mkdir -p "$out_dir"
for shot in "$work"/shots/*.png; do
    # -strip drops timestamps and other metadata, so unchanged pictures stay unchanged files.
    convert "$shot" -strip "$out_dir/$(basename "$shot")"
    echo "wrote $out_dir/$(basename "$shot")"
done
