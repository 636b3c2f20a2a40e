#!/bin/sh
# SPDX-License-Identifier: AGPL-3.0-or-later
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
# put FILE TEXT: a fixture file, with the licence line every file carries.
put() { printf '/* SPDX-License-Identifier: AGPL-3.0-or-later */\n%b' "$2" > "$T/$1"; }
mkdir -p "$T/core" "$T/store" "$T/app" "$T/render" "$T/web" "$T/cli"
put store/ok.c '#include "core/buf.h"\n'
put app/ok.c '#include "store/store.h"\n#include "core/buf.h"\n'
put render/ok.c '#include "app/record.h"\n'
put web/ok.c '#include "render/html.h"\n'
put cli/cmd_serve.c '#include "web/web.h"\n'
put core/ok.c '#include "buf.h"\n'
put store/sqlite.c '#include <sqlite3.h>\nint f(sqlite3_stmt *st) { return sqlite3_step(st); }\n'
put store/records.c '#include "store/backend.h"\n/* not sqlite3_step: st_step */\n'
sh "$ROOT/scripts/lint.sh" "$T" > "$T/out" 2>&1 && ok || { bad "a clean tree fails lint"; cat "$T/out"; }
put core/up.c '#include "store/store.h"\n'
put web/sideways.c '#include "cli/cli.h"\n'
put cli/cmd_other.c '#include "web/web_int.h"\n'
put app/up.c '#include "render/html.h"\n'
put store/users.c 'int g(struct stmt *st) { return sqlite3_step(st->h); }\n'
sh "$ROOT/scripts/lint.sh" "$T" > "$T/out" 2>&1 && bad "wrong-way includes pass lint" || ok
for want in "core/up.c includes store/" "web/sideways.c includes cli/" \
    "cli/cmd_other.c includes web/" "app/up.c includes render/" \
    "store/users.c:2:int g"; do
	grep -qF "$want" "$T/out" && ok || bad "lint does not name: $want"
done
grep -q "cmd_serve.c" "$T/out" && bad "cmd_serve.c may start the web" || ok
grep -q "store/sqlite.c\|store/records.c" "$T/out" &&
    bad "the backend's own file, or a comment, is flagged" || ok

# A source without its licence line is named; one with it is not.
rm -f "$T/core/up.c" "$T/web/sideways.c" "$T/cli/cmd_other.c" "$T/app/up.c" "$T/store/users.c"
printf '/* no licence line */\nint h(void);\n' > "$T/core/nolicence.c"
printf '#!/bin/sh\necho hi\n' > "$T/core/nolicence.sh"
sh "$ROOT/scripts/lint.sh" "$T" > "$T/out" 2>&1 && bad "a file without a licence passes lint" || ok
for want in "./core/nolicence.c" "./core/nolicence.sh"; do
	grep -qxF "$want" "$T/out" && ok || bad "lint does not name the unlicensed $want"
done
grep -qxF "./core/ok.c" "$T/out" && bad "a licensed file is named" || ok
rm -f "$T/core/nolicence.c" "$T/core/nolicence.sh"
echo "lint fixture: $passed passed, $failed failed"
echo "lint fixture: $passed passed, $failed failed" >> "$ROOT/build/results.txt"
[ $failed -eq 0 ]
