#!/bin/sh
# run.sh - scripts/lint.sh rejects an include against the layers: a
# fixture tree with one file per case, checked as lint checks the
# repository.  A clean tree passes; each wrong-way include is named.
set -u
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
passed=0; failed=0
ok() { passed=$((passed + 1)); }
bad() { echo "FAIL $*"; failed=$((failed + 1)); }
mkdir -p "$T/core" "$T/store" "$T/app" "$T/render" "$T/web" "$T/cli"
printf '#include "core/buf.h"\n' > "$T/store/ok.c"
printf '#include "store/store.h"\n#include "core/buf.h"\n' > "$T/app/ok.c"
printf '#include "app/record.h"\n' > "$T/render/ok.c"
printf '#include "render/html.h"\n' > "$T/web/ok.c"
printf '#include "web/web.h"\n' > "$T/cli/cmd_serve.c"
printf '#include "buf.h"\n' > "$T/core/ok.c"
sh "$ROOT/scripts/lint.sh" "$T" > "$T/out" 2>&1 && ok || { bad "a clean tree fails lint"; cat "$T/out"; }
printf '#include "store/store.h"\n' > "$T/core/up.c"
printf '#include "cli/cli.h"\n' > "$T/web/sideways.c"
printf '#include "web/web_int.h"\n' > "$T/cli/cmd_other.c"
printf '#include "render/html.h"\n' > "$T/app/up.c"
sh "$ROOT/scripts/lint.sh" "$T" > "$T/out" 2>&1 && bad "wrong-way includes pass lint" || ok
for want in "core/up.c includes store/" "web/sideways.c includes cli/" \
    "cli/cmd_other.c includes web/" "app/up.c includes render/"; do
	grep -qF "$want" "$T/out" && ok || bad "lint does not name: $want"
done
grep -q "cmd_serve.c" "$T/out" && bad "cmd_serve.c may start the web" || ok
echo "lint fixture: $passed passed, $failed failed"
echo "lint fixture: $passed passed, $failed failed" >> "$ROOT/build/results.txt"
[ $failed -eq 0 ]
