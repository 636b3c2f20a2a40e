#!/bin/sh
# run.sh - scripts/lint.sh rejects an include against the layers, and an
# engine's call outside its backend: a fixture tree with one file per
# case, checked as lint checks the repository.  A clean tree passes; each
# wrong-way include and each stray engine call is named.
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
printf '#include <sqlite3.h>\nint f(sqlite3_stmt *st) { return sqlite3_step(st); }\n' > "$T/store/sqlite.c"
printf '#include "store/backend.h"\n/* not sqlite3_step: st_step */\n' > "$T/store/records.c"
sh "$ROOT/scripts/lint.sh" "$T" > "$T/out" 2>&1 && ok || { bad "a clean tree fails lint"; cat "$T/out"; }
printf '#include "store/store.h"\n' > "$T/core/up.c"
printf '#include "cli/cli.h"\n' > "$T/web/sideways.c"
printf '#include "web/web_int.h"\n' > "$T/cli/cmd_other.c"
printf '#include "render/html.h"\n' > "$T/app/up.c"
printf 'int g(struct stmt *st) { return sqlite3_step(st->h); }\n' > "$T/store/users.c"
sh "$ROOT/scripts/lint.sh" "$T" > "$T/out" 2>&1 && bad "wrong-way includes pass lint" || ok
for want in "core/up.c includes store/" "web/sideways.c includes cli/" \
    "cli/cmd_other.c includes web/" "app/up.c includes render/" \
    "store/users.c:1:int g"; do
	grep -qF "$want" "$T/out" && ok || bad "lint does not name: $want"
done
grep -q "cmd_serve.c" "$T/out" && bad "cmd_serve.c may start the web" || ok
grep -q "store/sqlite.c\|store/records.c" "$T/out" &&
    bad "the backend's own file, or a comment, is flagged" || ok
echo "lint fixture: $passed passed, $failed failed"
echo "lint fixture: $passed passed, $failed failed" >> "$ROOT/build/results.txt"
[ $failed -eq 0 ]
