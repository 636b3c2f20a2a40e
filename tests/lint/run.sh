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
. "$ROOT/tests/lib.sh"
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
# An enum sb_err function without SB_MUST is named (a header's
# declaration, a static definition); the sticky appends are not.
put store/must.h 'enum sb_err\t store_thing(struct store *, int);\nenum sb_err\t store_other(struct store *) SB_MUST;\nenum sb_err\t buf_adds(struct buf *, const char *);\n'
put app/must.c 'static enum sb_err\nhelper(int x)\n{\n\treturn x;\n}\nstatic SB_MUST enum sb_err\nchecked(int x)\n{\n\treturn x;\n}\n'
sh "$ROOT/scripts/lint.sh" "$T" > "$T/out" 2>&1 && bad "a function without SB_MUST passes lint" || ok
for want in "store/must.h:2: store_thing" "app/must.c:2: helper"; do
	grep -qF "$want" "$T/out" && ok || bad "lint does not name: $want"
done
grep -q "store_other\|buf_adds\|checked" "$T/out" && bad "lint names a marked function or a sticky append: $(cat "$T/out")" || ok
rm -f "$T/store/must.h" "$T/app/must.c"

# ... and the build fails on an ignored one: the project's warnings on a
# file that drops an SB_MUST result, and passes when it is dropped on
# purpose, (void)!f().
printf '#include "core/err.h"\nenum sb_err f(void) SB_MUST;\nvoid g(void);\nvoid g(void) { f(); }\n' > "$T/ignored.c"
printf '#include "core/err.h"\nenum sb_err f(void) SB_MUST;\nvoid g(void);\nvoid g(void) { (void)!f(); }\n' > "$T/dropped.c"
${CC:-cc} -std=c17 -I"$ROOT" -Wall -Wextra -Werror -c -o "$T/i.o" "$T/ignored.c" 2> "$T/cc.out" &&
    bad "an ignored enum sb_err compiles" || ok
grep -q "warn_unused_result\|unused-result" "$T/cc.out" && ok || bad "the compiler does not say why: $(cat "$T/cc.out")"
${CC:-cc} -std=c17 -I"$ROOT" -Wall -Wextra -Werror -c -o "$T/d.o" "$T/dropped.c" 2> "$T/cc.out" && ok ||
    bad "a result dropped on purpose does not compile: $(cat "$T/cc.out")"
rm -f "$T/ignored.c" "$T/dropped.c" "$T/i.o" "$T/d.o"
# Markup only from literals: html_raw or a direct html_lit_() outside
# render/html.c is named, and so is a web/ append past the writer; a
# request body, a line marked "not HTML" and the macros are not.
mkdir -p "$T/render"
put render/html.c 'void html_lit_(struct buf *b, const char *s) { buf_adds(b, s); }\n'
put render/charts.c 'void f(struct buf *b, const char *v) { html_raw(b, v); }\n'
put web/markup.c 'void g(struct req *r, const char *v)\n{\n\thtml_lit_(&r->out, v);\n\tbuf_adds(&r->out, v);\n\tbuf_add(&r->body, v, 1);\n\tHTML_LIT(&r->out, "<p>");\n\tbuf_printf(&u, "/x?%%s", v);\t/* not HTML: an address */\n\t/* not HTML: an address */\n\tbuf_adds(&u, v);\n}\n'
sh "$ROOT/scripts/lint.sh" "$T" > "$T/out" 2>&1 && bad "markup from a variable passes lint" || ok
for want in "render/charts.c:2:" "web/markup.c:4:" "web/markup.c:5:"; do
	grep -qF "$want" "$T/out" && ok || bad "lint does not name: $want ($(cat "$T/out"))"
done
for not in "render/html.c" "web/markup.c:6:" "web/markup.c:7:" "web/markup.c:8:" "web/markup.c:10:"; do
	grep -qF "$not" "$T/out" && bad "lint names what is allowed: $not" || ok
done
rm -f "$T/render/html.c" "$T/render/charts.c" "$T/web/markup.c"
# A handler that dispatches on its path's rest is named; one that looks
# the rest up (a token) is not.
put web/dispatch.c 'void p(struct req *r, int64_t id, const char *rest)\n{\n\tif (strcmp(rest, "cancel") == 0)\n\t\tcancel(r);\n\tlookup(rest);\n}\n'
sh "$ROOT/scripts/lint.sh" "$T" > "$T/out" 2>&1 && bad "a strcmp dispatch on the path passes lint" || ok
grep -qF "web/dispatch.c:4:" "$T/out" && ok || bad "lint does not name the dispatch: $(cat "$T/out")"
grep -qF "web/dispatch.c:6:" "$T/out" && bad "lint names a lookup of the rest" || ok
rm -f "$T/web/dispatch.c"
# A page that reads a field by hand beyond its allowance is named (the
# fixture tree has no scripts/form_get.allow: none allowed).
put web/pages_new.c 'void h(struct req *r, int64_t id, const char *rest)\n{\n\tconst char *v = form_get(&r->form, "date");\n}\n'
sh "$ROOT/scripts/lint.sh" "$T" > "$T/out" 2>&1 && bad "a handler reading its form by hand passes lint" || ok
grep -qF "web/pages_new.c reads 1 fields by hand" "$T/out" && ok || bad "lint does not name the page: $(cat "$T/out")"
rm -f "$T/web/pages_new.c"
finish "lint fixture"
