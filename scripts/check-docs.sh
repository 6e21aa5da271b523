#!/usr/bin/env bash
# Fails when a comment, script, CMake file or README cites documentation that does not exist.
#
#   scripts/check-docs.sh [ROOT]     (ROOT: the source tree, default: this script's repository)
#
# Checked, in *.cpp, *.h, *.proto, CMakeLists.txt, scripts/*.sh, README.md and docs/*.md:
# - every docs/<name>.md and docs/<name>.md#<anchor>: the file must exist and, with an anchor,
#   one of its headings must have that GitHub-style slug (docs/architecture.md#house-style);
# - every relative Markdown link inside docs/*.md, e.g. (modules.md#io-module) or (#schema);
# - no citation of the design notes that live outside the repository (the upper-case *.md files
#   the project was specified from), nor of their numbered sections (a section sign and a
#   number): code must cite docs/ instead.
# Prints one line per dead reference, `file:line: reference: problem`, and exits 1 if any.
# Needs bash, GNU grep, GNU sed and awk only (all part of the build image, see scripts/deps.sh).
set -uo pipefail
export LC_ALL=C.UTF-8

root=${1:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}
cd "$root" || exit 2

# Files to scan: tracked and new files (build trees and other ignored files excluded) in a git
# checkout, otherwise everything but build*/ folders.
list_files() {
    if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
        git ls-files --cached --others --exclude-standard
    else
        find . -path ./.git -prune -o -path './build*' -prune -o -type f -print | sed 's|^\./||'
    fi
}
scanned='(^|/)(CMakeLists\.txt|README\.md)$|\.(cpp|h|proto)$|^scripts/[^/]*\.sh$|^docs/[^/]*\.md$'
mapfile -t files < <(list_files | grep -E "$scanned" | sort -u)

# GitHub's heading slugs of a Markdown file, one a line: ATX headings outside code fences,
# lower-cased, everything but letters, digits, spaces, '-' and '_' dropped, spaces to '-';
# a repeated slug gets -1, -2, ...
slugs_of() {
    # (No {m,n} intervals: Debian's mawk does not know them.)
    awk '/^ ? ? ?(```|~~~)/ { fence = !fence; next }
         !fence && /^ ? ? ?##?#?#?#?#?([ \t]|$)/ {
             sub(/^ *#+[ \t]*/, ""); sub(/[ \t]+#+[ \t]*$/, ""); sub(/[ \t]+$/, "")
             print }' "$1" |
        sed -E 's/.*/\L&/; s/[^[:alnum:] _-]//g; s/ /-/g' |
        awk '{ n = seen[$0]++; print (n ? $0 "-" n : $0) }'
}

declare -A slug_cache
failures=0
checked=0

# check_ref WHERE TARGET ANCHOR SHOWN: TARGET is a path from the root, ANCHOR may be empty.
check_ref() {
    local where=$1 target=$2 anchor=$3 shown=$4
    checked=$((checked + 1))
    if [[ ! -f $target ]]; then
        echo "$where: $shown: no such file"
        failures=$((failures + 1))
        return
    fi
    [[ -z $anchor ]] && return
    if [[ -z ${slug_cache[$target]+set} ]]; then
        slug_cache[$target]=$'\n'"$(slugs_of "$target")"$'\n'
    fi
    if [[ ${slug_cache[$target]} != *$'\n'"$anchor"$'\n'* ]]; then
        echo "$where: $shown: no such anchor"
        failures=$((failures + 1))
    fi
}

# Files that exist (a listed file may have been deleted but not yet committed), docs/ pages apart.
existing=()
pages=()
for file in "${files[@]}"; do
    [[ -f $file ]] || continue
    existing+=("$file")
    [[ $file == docs/*.md ]] && pages+=("$file")
done
((${#existing[@]} > 0)) || { echo "check-docs: no files to check in $root" >&2; exit 2; }

# docs/<name>.md[#anchor], anywhere in any of the files.
while IFS=: read -r file line ref; do
    target=${ref%%#*}
    anchor=
    [[ $ref == *#* ]] && anchor=${ref#*#}
    check_ref "$file:$line" "$target" "$anchor" "$ref"
done < <(grep -HnoE 'docs/[[:alnum:]_./-]+\.md(#[[:alnum:]_-]+)?' "${existing[@]}")

# Relative Markdown links inside docs/: (other.md#anchor), (other.md), (#anchor).
if ((${#pages[@]} > 0)); then
    while IFS=: read -r file line link; do
        ref=${link#](}
        ref=${ref%)}
        [[ $ref == *://* || $ref == mailto:* ]] && continue
        path=${ref%%#*}
        anchor=
        [[ $ref == *#* ]] && anchor=${ref#*#}
        if [[ -z $path ]]; then
            target=$file
        else
            target=docs/$path
        fi
        if [[ $target != *.md ]]; then
            [[ -e $target ]] && continue # an image or other non-page file that exists
        fi
        check_ref "$file:$line" "$target" "$anchor" "$ref"
    done < <(grep -HnoE '\]\([^)[:space:]]+\)' "${pages[@]}")
fi

# Design notes from outside the repository must not be cited, nor their numbered sections.
while IFS=: read -r file line name; do
    if [[ $name == §* ]]; then
        [[ $file == docs/* ]] && continue # the docs may number things their own way
        echo "$file:$line: $name: a section of a document outside the repository (cite docs/)"
    else
        echo "$file:$line: $name: cites a file outside the repository (cite docs/ instead)"
    fi
    failures=$((failures + 1))
done < <(grep -HnoE '\b(PROTOCOL|MODULES|DESIGN|EMULATION)\.md|§[0-9]+' "${existing[@]}")

if ((failures > 0)); then
    echo "check-docs: $failures dead documentation reference(s) in ${#existing[@]} files" >&2
    exit 1
fi
echo "check-docs: $checked documentation references in ${#existing[@]} files, all resolve"
