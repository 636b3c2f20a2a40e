#!/bin/sh
# SPDX-License-Identifier: AGPL-3.0-or-later
# summary.sh FILE - add up the "N passed, N failed" lines of every test
# stage and print the total as the closing line, after a line for what
# ran on PostgreSQL (the stages named "pg" or "postgresql") and one for
# the rest (SQLite, and what needs no database).
set -u
p=0; f=0; pp=0; pf=0
while IFS= read -r line; do
	echo "$line"
	n=$(printf '%s\n' "$line" | sed -n 's/.*: \([0-9]*\) passed, \([0-9]*\) failed.*/\1 \2/p')
	[ -n "$n" ] || continue
	set -- $n
	p=$((p + $1)); f=$((f + $2))
	case "$line" in
	pg*|*postgresql*) pp=$((pp + $1)); pf=$((pf + $2)) ;;
	esac
done < "$1"
echo "on PostgreSQL: $pp passed, $pf failed"
echo "on SQLite and without a database: $((p - pp)) passed, $((f - pf)) failed"
echo "total: $p passed, $f failed"
[ "$f" -eq 0 ]
