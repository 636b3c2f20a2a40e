#!/bin/sh
# SPDX-License-Identifier: AGPL-3.0-or-later
# lint.sh - project rules a compiler does not check (curl's checksrc idea).
# Comment lines are not checked, so that a rule can be explained in place.
#
#   - banned functions: unbounded or unreportable (sprintf, strcpy, strcat,
#     strncpy, gets, strtok, atoi, atol, atof, rand, random, system)
#   - no exit() below main: library and command code returns errors
#   - the database API only in store/ (so that PostgreSQL can be added
#     there later without touching the other layers), and within store/
#     only in the backend's own files (store/sqlite*, store/pg*): the record
#     modules reach the engine through the table of store/backend.h
#   - includes run one way, down the layers: core <- store <- app <-
#     render <- web, cli (docs/architecture.md); web and cli never include
#     each other, but for cli/cmd_serve.c, which starts the web server
#   - reads of administrations and alerts through the live_ views, which
#     leave out an import still being stored (store/README.md); only
#     import.c (its own rows), schema.c, rows.c (the seals cover every
#     row, an open import's too) and the backends' files (migrations,
#     the ids after a copy) name the tables
#
# lint.sh [DIR]: DIR is the tree to check (default: this repository; the
# test of the include rule gives it a fixture tree).
set -eu
cd "${1:-$(dirname "$0")/..}"
status=0
files=$(find core app cli store render web tools fuzz tests bench -name '*.[ch]' 2>/dev/null || true)

banned='\b(sprintf|vsprintf|strcpy|strcat|strncpy|gets|strtok|atoi|atol|atof|rand|srand|random|system)[[:space:]]*\('
if [ -n "$files" ] &&
    out=$(grep -nE "$banned" $files | grep -vE 'snprintf|vsnprintf' |
    grep -vE '^[^:]*:[0-9]+:[[:space:]]*(/?\*|//)'); then
	echo "lint: banned functions:"
	echo "$out"
	status=1
fi
if out=$(grep -nE '\bexit[[:space:]]*\(' $(find core app cli store render web -name '*.c' 2>/dev/null) 2>/dev/null); then
	echo "lint: exit() below main (return an error instead):"
	echo "$out"
	status=1
fi
if out=$(grep -nE '\bsqlite3_|\bPQexec' \
    $(find core app cli web -name '*.[ch]' 2>/dev/null) 2>/dev/null); then
	echo "lint: SQL outside store/:"
	echo "$out"
	status=1
fi
if [ -d store ] && out=$(grep -nE '\bsqlite3_|\bSQLITE_|<sqlite3\.h>|\bPQ[a-z]' \
    $(find store -name '*.[ch]' ! -name 'sqlite*' ! -name 'pg*') 2>/dev/null |
    grep -vE '^[^:]*:[0-9]+:[[:space:]]*(/?\*|//)'); then
	echo "lint: an engine's API outside its backend (use store/backend.h):"
	echo "$out"
	status=1
fi
# layer: the directories it may include from (besides its own).
allowed() {
	case $1 in
	core) echo "" ;;
	store) echo "core" ;;
	app) echo "core store" ;;
	render) echo "core store app" ;;
	web) echo "core store app render" ;;
	cli) echo "core store app render" ;;
	esac
}
for layer in core store app render web cli; do
	[ -d "$layer" ] || continue
	ok_dirs="$layer $(allowed $layer)"
	for f in $(find "$layer" -name '*.[ch]'); do
		for inc in $(sed -n 's/^#include "\([a-z]*\)\/.*/\1/p' "$f" | sort -u); do
			case " $ok_dirs " in *" $inc "*) continue ;; esac
			[ "$f" = cli/cmd_serve.c ] && [ "$inc" = web ] && continue
			echo "lint: $f includes $inc/, against the layers ($layer may include: $ok_dirs)"
			status=1
		done
	done
done
if [ -d store ] && out=$(grep -nE '(FROM|JOIN)[[:space:]]+(administrations|alerts)\b' \
    $(find store -name '*.c' ! -name import.c ! -name schema.c ! -name rows.c ! -name 'sqlite*' \
    ! -name 'pg*') |
    grep -v 'coalesce(max(id), 0) FROM alerts'); then
	echo "lint: a read of administrations or alerts not through live_:"
	echo "$out"
	status=1
fi
# Markup only from literals (render/html.h): html_lit_() only through
# HTML_LIT/HTML_PICK, html_raw nowhere; and web/ appends to no buffer
# but through the HTML writer, except a request's body and what a line
# (or the one above it) marks "not HTML" (an address before html_attr
# escapes it, the stylesheet, a text/plain body).
if out=$(grep -nE '\bhtml_raw\b|\bhtml_lit_[[:space:]]*\(' \
    $(find core app store render web cli -name '*.[ch]' ! -path render/html.c \
    ! -path render/html.h 2>/dev/null) 2>/dev/null |
    grep -vE '^[^:]*:[0-9]+:[[:space:]]*(/?\*|//)'); then
	echo "lint: markup not from a literal (use HTML_LIT or HTML_PICK, html_text for text):"
	echo "$out"
	status=1
fi
if out=$(for f in $(find web -name '*.c' 2>/dev/null); do
	awk -v f="$f" '
	/(^|[^a-z_])buf_(add|adds|addc|printf|vprintf|extend)[ \t]*\(/ &&
	    !/buf_[a-z]*\(&r->body/ && !/not HTML/ && prev !~ /not HTML/ &&
	    $0 !~ /^[ \t]*(\/?\*|\/\/)/ { print f ":" FNR ":" $0 }
	{ prev = $0 }' "$f"
done) && [ -n "$out" ]; then
	echo "lint: web/ writes bytes past the HTML writer (render/html.h), or mark the line \"not HTML\":"
	echo "$out"
	status=1
fi
# Every endpoint is a row of web/routes.c: a handler never compares its
# path's rest (a token or a key it looks up) with a word to pick what to
# do; the row's .op says it.
if out=$(grep -nE '\bstrn?cmp[[:space:]]*\(rest,[[:space:]]*"' \
    $(find web -name '*.c' 2>/dev/null) 2>/dev/null); then
	echo "lint: a handler dispatches on its path (give the endpoint its own row in web/routes.c):"
	echo "$out"
	status=1
fi
# The shell suites count and close through tests/lib.sh alone.
if [ -d tests ] && out=$(grep -nE '^(ok|bad|run|has|finish)\(\)' \
    $(find tests -name '*.sh' ! -path tests/lib.sh 2>/dev/null) 2>/dev/null); then
	echo "lint: a suite defines what tests/lib.sh has:"
	echo "$out"
	status=1
fi
# A POST's fields are checked by its route's table before the handler
# runs (web/fields.c); the pages still reading fields by hand may not
# read more than scripts/form_get.allow says, and no other may.
if [ -d web ]; then
	for f in $(find web -name 'pages_*.c' 2>/dev/null); do
		n=$(grep -c 'form_get[[:space:]]*(' "$f" || true)
		allow=$(awk -v p="$(basename "$f")" '$1 == p { print $2 }' \
		    scripts/form_get.allow 2>/dev/null || true)
		if [ "$n" -gt "${allow:-0}" ]; then
			echo "lint: $f reads $n fields by hand (form_get), ${allow:-0} allowed: give its route a field table (web/fields.c)"
			status=1
		fi
	done
fi
# Every enum sb_err function is SB_MUST (core/err.h: the build fails on
# an ignored one), but the sticky appends whose failure stays in the
# buffer.  A declaration in a header or a static definition without it
# is named here, so that a new function cannot slip past the compiler.
sticky='buf_add buf_adds buf_addc buf_printf buf_vprintf text_add_number text_add_csv_field csv_header'
if out=$(for f in $(find core app store render web cli -name '*.[ch]' 2>/dev/null); do
	awk -v sticky=" $sticky " -v f="$f" '
	/^(static )?enum sb_err([ \t]|$)/ && !/SB_MUST/ && !/^enum sb_err \{/ {
		decl = $0; n = FNR
		name = $0; sub(/^(static )?enum sb_err[ \t]*\**/, "", name)
		sub(/^__attribute__\(\(.*\)\)[ \t]*/, "", name)
		if (name == "") { getline nx; name = nx }
		sub(/\(.*/, "", name)
		if (name == "" || index(sticky, " " name " ") > 0) next
		# A declaration runs to its ";"; a static definition carries
		# SB_MUST on its first line.
		if (f ~ /\.h$/)
			while (decl !~ /;/ && (getline nx) > 0) decl = decl " " nx
		if (decl ~ /SB_MUST/) next
		if (f ~ /\.h$/ || decl ~ /^static/) print f ":" n ": " name
	}' "$f"
done) && [ -n "$out" ]; then
	echo "lint: an enum sb_err function without SB_MUST (core/err.h):"
	echo "$out"
	status=1
fi
# Every source, script and manual page says its licence in its first
# lines (LICENSE; debian/copyright for what is not ours).  Instrument
# definitions and third-party data keep their own terms and are not
# checked here.
spdx='SPDX-License-Identifier: AGPL-3.0-or-later'
missing=$(find . \( -path ./build -o -path ./.git -o -name node_modules \
    -o -path ./fuzz/corpus -o -path ./tests/data \) -prune -o -type f \
    \( -name '*.[ch]' -o -name '*.sh' -o -name '*.py' -o -name '*.mjs' \
    -o -name '*.cjs' -o -name '*.R' -o -name '*.[1-8]' -o -name '*.css' \
    -o -name '*.service' -o -name '*.timer' -o -name '*.conf' \
    -o -name '*.default' -o -name '*.prompts' -o -name '*.lexicon' \
    -o -name '*.supp' -o -name '*.postinst' -o -name '*.postrm' \
    -o -name '*.prerm' -o -name Makefile -o -path ./debian/rules \
    -o -path ./.ci/run \) -print | sort | while read -r f; do
	head -n 3 "$f" | grep -qF "$spdx" || echo "$f"
done)
if [ -n "$missing" ]; then
	echo "lint: no '$spdx' line in the first three lines of:"
	echo "$missing"
	status=1
fi
if [ $status -eq 0 ]; then
	echo "lint: ok"
	[ -n "${1:-}" ] || echo "lint: 1 passed, 0 failed" >> build/results.txt 2>/dev/null || true
fi
exit $status
