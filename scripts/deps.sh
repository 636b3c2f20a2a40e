#!/bin/sh
# SPDX-License-Identifier: AGPL-3.0-or-later
# deps.sh GROUP... - install the Debian packages securebase needs, when
# missing.  Called by the make targets, so that on a fresh Debian machine
# `make demo` and `make check` do all the set-up themselves.
#
#   build  compiler, make, pkg-config, cmocka, clang (libFuzzer), the
#          libraries, for the mail tests python3-aiosmtpd and openssl,
#          argon2 (a password hash made outside securebase), and libpq
#          with a PostgreSQL server and nginx for tests/pg
#          mandoc (the manual is compiled in), libqrencode and nettle,
#          and for the SMS tests Kannel (bearerbox, smsbox) with its fake
#          SMSC (kannel-extras); pgbouncer for tests/pg/pooler.sh
#   package  what tests/ops builds and checks the Debian package with:
#          dpkg-dev, debhelper, lintian, and systemd (systemd-analyze);
#          debootstrap and systemd-container (systemd-nspawn), to install
#          it into a minimal Debian booted with systemd (package.sh)
#   bench  R with psych, wrk and nginx (the comparisons in bench/)
#   e2e    Chromium (and Node.js, if missing) for the browser tests
#
# Needs root or sudo only when something is missing.
set -eu

pkgs=""
for group in "$@"; do
	case "$group" in
	build)	pkgs="$pkgs gcc make pkg-config libcmocka-dev clang libclang-rt-14-dev libsqlite3-dev libsodium-dev libmicrohttpd-dev libjansson-dev libcairo2-dev libpango1.0-dev librsvg2-dev curl sqlite3 zbar-tools librsvg2-bin libxml2-utils poppler-utils argon2 libcurl4-openssl-dev python3-aiosmtpd openssl libpq-dev postgresql nginx-light mandoc libqrencode-dev nettle-dev kannel kannel-extras libseccomp-dev pgbouncer" ;;
	package)	pkgs="$pkgs dpkg-dev debhelper lintian systemd debootstrap systemd-container procps" ;;
	bench)	pkgs="$pkgs r-base-core r-cran-psych wrk nginx-light" ;;
	e2e)	pkgs="$pkgs chromium fonts-dejavu-core"
		# Node and npm only when the machine has none of its own.
		command -v node > /dev/null 2>&1 || pkgs="$pkgs nodejs"
		command -v npm > /dev/null 2>&1 || pkgs="$pkgs npm" ;;
	*)	echo "deps.sh: unknown group $group" >&2; exit 2 ;;
	esac
done

missing=""
for p in $pkgs; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null |
	    grep -q 'install ok installed'; then
		missing="$missing $p"
	fi
done
[ -z "$missing" ] && exit 0

echo "deps.sh: installing:$missing"
if [ "$(id -u)" -eq 0 ]; then
	SUDO=""
elif command -v sudo >/dev/null 2>&1; then
	SUDO="sudo"
else
	echo "deps.sh: need root or sudo to install:$missing" >&2
	exit 1
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
