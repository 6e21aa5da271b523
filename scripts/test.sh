#!/usr/bin/env bash
# The README's test command: install what is missing, build, run every suite headless.
#
#   scripts/test.sh              build/ (FLEET_BUILD_DIR), every ctest suite
#   scripts/test.sh --sanitize   build-asan/ (FLEET_ASAN_BUILD_DIR) with -DFLEET_SANITIZE=ON
#                                (AddressSanitizer, LeakSanitizer, UndefinedBehaviorSanitizer),
#                                every ctest suite; the tools the suites start as processes
#                                (fleet-gateway, fleet-device) are the sanitized builds too.
set -euo pipefail
cd "$(dirname "$0")/.."

sanitize=0
case "${1:-}" in
"") ;;
--sanitize) sanitize=1 ;;
*)
    echo "usage: scripts/test.sh [--sanitize]" >&2
    exit 2
    ;;
esac

scripts/deps.sh
export QT_QPA_PLATFORM=offscreen

if [ $sanitize -eq 0 ]; then
    scripts/build.sh
    exec ctest --test-dir "${FLEET_BUILD_DIR:-build}" --output-on-failure --timeout 600 -j 2
fi

build_dir=${FLEET_ASAN_BUILD_DIR:-build-asan}
if ! grep -q '^FLEET_SANITIZE:BOOL=ON$' "$build_dir/CMakeCache.txt" 2>/dev/null; then
    cmake -S . -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DFLEET_SANITIZE=ON
fi
cmake --build "$build_dir" --parallel "$(nproc)"

# ASan and LSan write each report to a file of their own (<dir>/asan.<pid>) as well as failing the
# process: a tool that a suite starts with QProcess may have its stderr swallowed by the suite,
# but its report file is listed below and fails this run all the same. (Next to ASan, GCC's UBSan
# ignores log_path and reports on stderr; -fno-sanitize-recover makes the process exit 1.)
reports=$(realpath "$build_dir")/sanitizer-reports
rm -rf "$reports"
mkdir -p "$reports"
suppressions=$(realpath tests/sanitizer/lsan.supp)
export ASAN_OPTIONS="halt_on_error=1:abort_on_error=0:detect_leaks=1:detect_stack_use_after_return=1:check_initialization_order=1:strict_init_order=1:log_path=$reports/asan"
export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1:log_path=$reports/ubsan"
# Leaks inside Debian's Qt, fontconfig and protobuf libraries, never the project's own frames.
export LSAN_OPTIONS="suppressions=$suppressions:print_suppressions=0"

# Sanitized code runs 2-3x slower. Each suite keeps its own TIMEOUT (tests/CMakeLists.txt, 300 s
# where unset, a few seconds used); --timeout covers tests registered without one.
status=0
ctest --test-dir "$build_dir" --output-on-failure --timeout 1200 -j 2 || status=$?

shopt -s nullglob
found=("$reports"/*)
if [ ${#found[@]} -ne 0 ]; then
    for report in "${found[@]}"; do
        echo "==== sanitizer report $(basename "$report")"
        cat "$report"
    done
    echo "test.sh --sanitize: ${#found[@]} sanitizer report(s) (above, kept in $reports)" >&2
    [ $status -ne 0 ] || status=1
fi
exit $status
