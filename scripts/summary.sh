#!/bin/sh
# summary.sh FILE - add up the "N passed, N failed" lines of every test
# stage and print the total as the closing line.
set -u
p=0; f=0
while IFS= read -r line; do
	echo "$line"
	n=$(printf '%s\n' "$line" | sed -n 's/.*: \([0-9]*\) passed, \([0-9]*\) failed.*/\1 \2/p')
	[ -n "$n" ] || continue
	set -- $n
	p=$((p + $1)); f=$((f + $2))
done < "$1"
echo "total: $p passed, $f failed"
[ "$f" -eq 0 ]
