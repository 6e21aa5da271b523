#!/usr/bin/env bash
# Fails when an #include crosses the layers of docs/architecture.md#layers the wrong way.
# Link-level upward dependencies already fail at configure time (fleet_add_layer in the top-level
# CMakeLists.txt); this catches what linking cannot see: a header-only include upward, a private
# header used from another layer, and Qt Widgets outside the widget folders.
#
# Layers, lowest first (folder → rank):
#   proto/ (generated *.pb.h)                 0
#   client/protocol/{include,src}             1
#   client/{include,src}                      2
#   gateway/{include,src}                     3
#   ui/core/{include,src}                     4
#   ui/<area>/  and  app/common/<part>/       5   (two layers of one rank: neither includes the other)
#   app/<executable>/                         6
#   tests/ (tests/bench too), fuzz/           7   (may include anything, private headers too)
# Rules, for every #include of a project header (resolved by its file name in the tree):
#   - a file includes only headers of its own layer or a lower one;
#   - a header in <layer>/src/ is private: only its own layer and tests include it;
#   - Qt Widgets (<QtWidgets/…>, <QWidget>, <qwidget.h>, …) only in ui/<area>/, app/console/
#     and tests/.
# A source or header outside these folders is reported too (no target would build it).
set -euo pipefail
cd "$(dirname "$0")/.."

# The Qt Widgets header names, from the installed Qt (scripts/deps.sh installs qt6-base-dev).
qt_headers=$(qtpaths6 --query QT_INSTALL_HEADERS 2>/dev/null ||
    qmake6 -query QT_INSTALL_HEADERS 2>/dev/null || echo /usr/include/x86_64-linux-gnu/qt6)
if [ ! -d "$qt_headers/QtWidgets" ]; then
    echo "check-layers: no QtWidgets headers under $qt_headers (run scripts/deps.sh)" >&2
    exit 2
fi
widget_headers=$(mktemp)
trap 'rm -f "$widget_headers"' EXIT
ls "$qt_headers/QtWidgets" >"$widget_headers"

# Every project source and header; build directories and moc output inside the tree are skipped.
mapfile -d '' files < <(find proto client gateway ui app tests fuzz \
    \( -type d \( -name 'build*' -o -name '*_autogen' \) -prune \) -o \
    -type f \( -name '*.cpp' -o -name '*.h' -o -name '*.proto' \) -print0 | sort -z)

printf '%s\n' "${files[@]}" | awk -v widgets="$widget_headers" '
function base(p) { sub(/.*\//, "", p); return p }
function dir(p) { if (p !~ /\//) return ""; sub(/\/[^\/]*$/, "", p); return p }
# Sets L_name, L_rank, L_private for path p; returns 0 when p is in no layer folder.
function classify(p) {
    L_private = (p ~ /\/src\/[^\/]+$/)
    if (p ~ /^proto\/[^\/]+$/) { L_name = "proto"; L_rank = 0; return 1 }
    if (p ~ /^client\/protocol\//) {
        L_name = "client/protocol"; L_rank = 1
        return p ~ /^client\/protocol\/(include|src)\/[^\/]+$/
    }
    if (p ~ /^client\/(include|src)\/[^\/]+$/) { L_name = "client"; L_rank = 2; return 1 }
    if (p ~ /^gateway\/(include|src)\/[^\/]+$/) { L_name = "gateway"; L_rank = 3; return 1 }
    if (p ~ /^ui\/core\//) {
        L_name = "ui/core"; L_rank = 4
        return p ~ /^ui\/core\/(include|src)\/[^\/]+$/
    }
    if (p ~ /^ui\/[^\/]+\/[^\/]+$/) { L_name = "ui"; L_rank = 5; return 1 }
    if (p ~ /^app\/common\//) {
        L_name = "app/common"; L_rank = 5
        return p ~ /^app\/common\/[^\/]+\/[^\/]+$/
    }
    if (p ~ /^app\/[^\/]+\/[^\/]+$/) { L_name = "app"; L_rank = 6; return 1 }
    if (p ~ /^(tests|fuzz)\//) { L_name = "tests"; L_rank = 7; return 1 }
    return 0
}
function widgets_allowed(p) { return p ~ /^ui\/[^\/]+\/[^\/]+$/ && p !~ /^ui\/core\// ||
                                     p ~ /^app\/console\// || p ~ /^tests\// }
function report(where, message) { print where ": " message; failures++ }

BEGIN {
    while ((getline name < widgets) > 0) widget[name] = 1
    failures = 0; includes = 0
}
{ files[NR] = $0 }
END {
    for (i = 1; i <= NR; i++) {
        p = files[i]
        if (!classify(p)) { report(p, "not in a layer folder (docs/architecture.md#layers)"); continue }
        if (p ~ /\.proto$/) { sub(/\.proto$/, ".pb.h", p); files[i] = p }
        b = base(p)
        count[b]++
        where[b, count[b]] = p
        if (p ~ /\.h$/) inDir[dir(p), b] = p
    }
    for (i = 1; i <= NR; i++) {
        from = files[i]
        if (from ~ /\.pb\.h$/ || !classify(from)) continue
        fromName = L_name; fromRank = L_rank
        line = 0
        while ((getline text < from) > 0) {
            line++
            if (text !~ /^[ \t]*#[ \t]*include[ \t]*[<"]/) continue
            target = text
            sub(/^[ \t]*#[ \t]*include[ \t]*[<"]/, "", target)
            sub(/[>"].*$/, "", target)
            at = from ":" line
            includes++
            if ((target ~ /^QtWidgets(\/|$)/ || (base(target) in widget)) && !widgets_allowed(from))
                report(at, "includes <" target ">: Qt Widgets only in ui/<area>/, app/console/ and tests/")
            b = base(target)
            if (!(b in count)) continue
            # The compiler finds a quoted include beside the includer first; otherwise the name
            # must be unique in the tree for the include to mean one file.
            if ((dir(from), b) in inDir) to = inDir[dir(from), b]
            else if (count[b] == 1) to = where[b, 1]
            else {
                to = ""
                for (k = 1; k <= count[b]; k++) {
                    classify(where[b, k])
                    if (L_name == fromName) to = where[b, k]
                }
                if (to == "") {
                    report(at, "includes \"" target "\", a name " count[b] " headers share; rename one")
                    continue
                }
            }
            if (fromName == "tests" || to == from) continue
            classify(to)
            if (L_rank > fromRank)
                report(at, fromName " includes " to " of the higher layer " L_name)
            else if (L_rank == fromRank && L_name != fromName)
                report(at, fromName " includes " to " of " L_name ": neither includes the other")
            else if (L_private && L_name != fromName)
                report(at, fromName " includes " to ", a private header of " L_name \
                           " (only its own layer and tests do)")
        }
        close(from)
    }
    if (failures) {
        print "check-layers: " failures " violation(s) in " includes " includes (docs/architecture.md#layers)"
        exit 1
    }
    print "check-layers: " includes " includes in " NR " files respect the layers"
}'
