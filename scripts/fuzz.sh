#!/usr/bin/env bash
# Builds the libFuzzer targets of fuzz/ with clang (-DFLEET_FUZZ=ON: coverage, ASan, UBSan) into
# build-fuzz/ (FLEET_FUZZ_BUILD_DIR) and runs each for SECONDS (default 60) on its seed corpus
# fuzz/corpus/<target>/ plus what earlier runs found (build-fuzz/corpus/<target>/, never the
# repository's folder). Fails on the first finding: a crash, a sanitizer report, a failed
# property, a leak, one input taking over 10 s or the process over 2 GB.
#
#   scripts/fuzz.sh [SECONDS]   build, then run every target
#   scripts/fuzz.sh --seeds     rewrite fuzz/corpus/ with fuzz_corpus (the project's encoders)
#
# A finding is saved as build-fuzz/findings/<target>/crash-… (or leak-, timeout-, oom-); replay it
# with build-fuzz/fuzz/<target> FILE. Needs clang-14 and libclang-rt-14-dev (CXX=… for another
# clang).
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=60
seeds=0
case "${1:-}" in
"") ;;
--seeds) seeds=1 ;;
*[!0-9]* | 0)
    echo "usage: scripts/fuzz.sh [SECONDS | --seeds]" >&2
    exit 2
    ;;
*) seconds=$1 ;;
esac

cxx=${CXX:-clang++-14}
cc=${CC:-clang-14}
if ! command -v "$cxx" >/dev/null; then
    echo "fuzz: $cxx not found (apt-get install clang-14 libclang-rt-14-dev)" >&2
    exit 2
fi
targets=(fuzz_framecodec fuzz_modulecatalog fuzz_gatewaysession)
build_dir=${FLEET_FUZZ_BUILD_DIR:-build-fuzz}

launcher=()
if command -v ccache >/dev/null; then
    launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
fi
if ! grep -q '^FLEET_FUZZ:BOOL=ON$' "$build_dir/CMakeCache.txt" 2>/dev/null; then
    CXX=$cxx CC=$cc cmake -S . -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
        -DFLEET_FUZZ=ON "${launcher[@]}"
fi
cmake --build "$build_dir" --target "${targets[@]}" fuzz_corpus --parallel "$(nproc)"

if [ $seeds -eq 1 ]; then
    rm -rf fuzz/corpus
    "$build_dir/fuzz/fuzz_corpus" fuzz/corpus
    echo "fuzz: seeds written to fuzz/corpus/"
    exit 0
fi

# Leaks count; a timeout or out-of-memory is a finding too. libprotobuf's and Qt's log lines
# are silenced inside the targets (fuzz/fuzzcheck.cpp).
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
export QT_QPA_PLATFORM=offscreen
failed=()
for target in "${targets[@]}"; do
    work=$build_dir/corpus/$target
    findings=$build_dir/findings/$target
    mkdir -p "$work" "$findings"
    echo "fuzz: $target for ${seconds} s"
    if ! "$build_dir/fuzz/$target" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
        -artifact_prefix="$findings/" -print_final_stats=1 "$work" "fuzz/corpus/$target" \
        >"$build_dir/$target.log" 2>&1; then
        echo "fuzz: $target FOUND something; see $build_dir/$target.log and $findings/" >&2
        grep -E 'ERROR|SUMMARY|fuzz property failed|Test unit written' "$build_dir/$target.log" |
            head -20 >&2 || true
        failed+=("$target")
        continue
    fi
    grep -E '^stat::number_of_executed_units|^Done' "$build_dir/$target.log" | sed "s/^/  /" || true
done
if [ ${#failed[@]} -gt 0 ]; then
    echo "fuzz: findings in ${failed[*]}" >&2
    exit 1
fi
echo "fuzz: ${#targets[@]} targets, ${seconds} s each, no finding"
