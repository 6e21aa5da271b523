#!/usr/bin/env bash
# Installs the Debian 12 packages this project needs, and only those `dpkg -s` reports missing,
# so a second run costs a second, not a download.
set -euo pipefail

packages=(cmake g++ ninja-build pkg-config qt6-base-dev libgl-dev libprotobuf-dev protobuf-compiler
          libqt6svg6 # the console's SVG icons
          qt6-charts-dev libqt6opengl6-dev # the console's Charts dock (docs/charts.md); Debian's
          # qt6-charts-dev needs Qt6OpenGL's CMake files but does not depend on their package
          clang-format) # scripts/check-format.sh (Debian 12: clang-format 14, as .clang-format expects)
# Extra packages a caller needs, e.g. the screenshot script's X server.
packages+=("$@")

missing=()
for package in "${packages[@]}"; do
    if ! dpkg -s "$package" 2>/dev/null | grep -q '^Status: install ok installed'; then
        missing+=("$package")
    fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "Installing missing packages: ${missing[*]}"
sudo_cmd=()
[ "$(id -u)" -ne 0 ] && sudo_cmd=(sudo)
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -q
"${sudo_cmd[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"
