# SPDX-License-Identifier: AGPL-3.0-or-later
# backend.sh - sourced by the command-line and web suites, which run on
# either engine: on SQLite files with build/securebase, or on PostgreSQL
# with tests/pg/sb.sh in its place (SB_PG set; tests/pg/run.sh),
# which maps each database path to a database of the throw-away cluster.
# What a suite does to a database behind securebase's back goes through
# these, so that the same checks hold on both.
#
#   sb_pg               true on PostgreSQL
#   sb_url PATH         the cluster's database for PATH (made on first use),
#                       through the pooler SB_PG_POOLER names when set
#                       (postgresql://USER@HOST:PORT; tests/pg/pooler.sh)
#   sb_direct PATH      the same database, never through a pooler (psql)
#   sb_shown PATH       the practice as securebase names it in messages
#   sbsql PATH SQL      SQL run beside securebase (sqlite3 or psql)
#   sbcopy FROM TO      a copy of a practice, as `cp` copies a file
#   sb_has_text TEXT FILE...
#                       does TEXT stand as it is in the engine's files (a
#                       practice's file and WAL, or the whole cluster) or
#                       in the backups named?

sb_pg() { [ -n "${SB_PG:-}" ]; }

sb_direct() {
	case "$1" in postgresql://*) echo "$1"; return ;; esac
	_n="sbw_$(realpath -m -- "$1" | md5sum | cut -c1-20)"
	if [ ! -e "$PGT/made.$_n" ]; then
		psql -q -X "$SECUREBASE_TEST_PG" -c "CREATE DATABASE $_n" \
		    > /dev/null 2>&1
		: > "$PGT/made.$_n"
	fi
	echo "postgresql://sb@/$_n?host=$PGT"
}

sb_url() {
	_u=$(sb_direct "$1")
	case "$1" in postgresql://*) echo "$_u"; return ;; esac
	if [ -n "${SB_PG_POOLER:-}" ]; then
		_u=${_u#postgresql://sb@/}
		echo "$SB_PG_POOLER/${_u%%\?*}${SB_PG_POOL_PARAM-?securebase_pool=transaction}"
	else
		echo "$_u"
	fi
}

sb_shown() { if sb_pg; then sb_url "$1"; else echo "$1"; fi; }

sbsql() {
	if sb_pg; then
		psql -q -X -At -v ON_ERROR_STOP=1 "$(sb_direct "$1")" -c "$2"
	else
		sqlite3 -cmd ".timeout 5000" "$1" "$2"
	fi
}

sbcopy() {
	if sb_pg; then
		_to=$(sb_direct "$2")
		_to=${_to#postgresql://sb@/}; _to=${_to%%\?*}
		_from=$(sb_direct "$1")
		_from=${_from#postgresql://sb@/}; _from=${_from%%\?*}
		psql -q -X -v ON_ERROR_STOP=1 "$SECUREBASE_TEST_PG" \
		    -c "DROP DATABASE $_to" \
		    -c "CREATE DATABASE $_to TEMPLATE $_from" > /dev/null
	else
		cp "$1" "$2"
	fi
}

sb_has_text() {
	_t=$1; shift
	if sb_pg; then
		psql -q -X "$SECUREBASE_TEST_PG" -c CHECKPOINT > /dev/null
		grep -rqF -- "$_t" "$SECUREBASE_TEST_PGDATA/base" \
		    "$SECUREBASE_TEST_PGDATA/pg_wal" && return 0
		for _f in "$@"; do
			# A dump is compressed: read it as pg_restore would.
			[ -e "$_f" ] && pg_restore -f - "$_f" 2>/dev/null |
			    grep -qF -- "$_t" && return 0
		done
		return 1
	fi
	for _f in "$@"; do
		grep -qF -- "$_t" "$_f" "$_f-wal" 2>/dev/null && return 0
	done
	return 1
}
