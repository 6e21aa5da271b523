#!/usr/bin/env bash
# Fails when a project source (*.cpp, *.h under client gateway ui app tests fuzz) differs from what
# clang-format makes of it with the root .clang-format. Lists the files that deviate; fix them
# with `scripts/check-format.sh --fix` (clang-format -i over the same files).
# Generated code (protobuf's, moc's) lives in build directories and is never checked.
set -euo pipefail
cd "$(dirname "$0")/.."

clang_format=${CLANG_FORMAT:-clang-format}
if ! command -v "$clang_format" >/dev/null; then
    echo "check-format: $clang_format not found (scripts/deps.sh installs it)" >&2
    exit 2
fi

mode=check
case "${1:-}" in
"") ;;
--fix) mode=fix ;;
*)
    echo "usage: scripts/check-format.sh [--fix]" >&2
    exit 2
    ;;
esac

# The folders are walked (not `git ls-files`) so that a new, not yet added file is checked too,
# and a scratch copy of the tree without .git works; a build directory inside one is skipped.
mapfile -d '' files < <(find client gateway ui app tests fuzz \
    \( -type d \( -name 'build*' -o -name '*_autogen' \) -prune \) -o \
    -type f \( -name '*.cpp' -o -name '*.h' \) -print0 | sort -z)
if [ ${#files[@]} -eq 0 ]; then
    echo "check-format: no sources found" >&2
    exit 2
fi

if [ "$mode" = fix ]; then
    "$clang_format" -i "${files[@]}"
    echo "check-format: formatted ${#files[@]} files"
    exit 0
fi

# One clang-format run over all files (a process per file is slow on a busy machine); every
# deviation is reported as "FILE:LINE:COL: error: code should be clang-formatted".
status=0
report=$("$clang_format" --dry-run -Werror "${files[@]}" 2>&1) || status=$?
mapfile -t deviating < <(grep -oE "^[^ :]+:[0-9]+:[0-9]+: (error|warning)" <<<"$report" | cut -d: -f1 | sort -u)
if [ $status -ne 0 ] && [ ${#deviating[@]} -eq 0 ]; then
    echo "$report" >&2
    echo "check-format: $clang_format failed" >&2
    exit 2
fi

if [ ${#deviating[@]} -ne 0 ]; then
    printf '  %s\n' "${deviating[@]}" >&2
    echo "check-format: ${#deviating[@]} of ${#files[@]} files deviate from .clang-format" \
        "($("$clang_format" --version | sed 's/.*version //')); see one with" \
        "'clang-format --dry-run FILE', fix all with 'scripts/check-format.sh --fix'" >&2
    exit 1
fi
echo "check-format: ${#files[@]} files match .clang-format"
