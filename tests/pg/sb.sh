#!/bin/sh
# SPDX-License-Identifier: AGPL-3.0-or-later
# sb.sh ARGS... - securebase on PostgreSQL for the command-line and web
# suites: the same scripts that run build/securebase on SQLite files run
# this in its place (tests/pg/run.sh).  A --db PATH (or SECUREBASE_DB)
# that names a file becomes a database of the throw-away cluster, one per
# path (tests/backend.sh, sb_url), and its key file stays where SQLite's
# would be (PATH.key), so that the suites' own checks of key files hold.
# Everything else goes to the binary SB_PG_REAL unchanged.
set -u
. "$(dirname "$0")/../backend.sh"

keyed=false
[ -n "${SECUREBASE_KEY_FILE:-}" ] && keyed=true
[ -n "${SECUREBASE_PASSPHRASE_FILE:-}" ] && keyed=true
path=${SECUREBASE_DB:-}
n=$#
prev=""
for a in "$@"; do
	if [ "$prev" = "--db" ]; then
		path=$a
		a=$(sb_url "$a")
	fi
	case "$a" in
	--key-file|--passphrase-file|--key-file=*|--passphrase-file=*)
		keyed=true ;;
	esac
	set -- "$@" "$a"
	prev=$a
done
shift "$n"
if [ -n "${SECUREBASE_DB:-}" ]; then
	SECUREBASE_DB=$(sb_url "$SECUREBASE_DB")
	export SECUREBASE_DB
fi
if [ -n "$path" ] && ! $keyed; then
	case "$path" in
	postgresql://*) ;;
	*) set -- "$@" --key-file "$path.key" ;;
	esac
fi
exec "$SB_PG_REAL" "$@"
