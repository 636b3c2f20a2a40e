#!/bin/sh
# SPDX-License-Identifier: AGPL-3.0-or-later
# package.sh DEB - the Debian package's maintainer scripts under a real
# systemd (issue 32): a minimal Debian made with debootstrap from Debian's
# packages, booted with systemd-nspawn -b, and the package installed,
# upgraded and removed in it with dpkg, as an administrator would.
#   - installed: both units enabled, neither started; started before
#     there is a practice, the service is skipped (ConditionPathExists=),
#     not failed;
#   - upgraded with the practice at the new release's schema: the running
#     service is restarted (a new main pid), active;
#   - upgraded when the practice needs `securebase upgrade`: the service
#     and the timer are stopped and stay stopped, and dpkg's output and
#     the journal say to run securebase upgrade;
#   - /etc/default/securebase is a conffile, kept across the upgrade;
#   - removed: the service stops; the practice stays.
# The second and third releases are the first with another version in
# its control file (dpkg-deb -R and -b): the same binary, so the schema
# the third meets is made older by taking the newest row out of the
# practice's schema_version (sqlite3), as a database made by the
# previous release would have it.
#
# Where this machine cannot boot a container (no systemd-nspawn -b), the
# maintainer scripts are read instead, case by case, and the run says so.
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
DEB=$1
. "$ROOT/tests/lib.sh"
T=$(mktemp -d /var/tmp/sbpkg.XXXXXX)
NS=
cleanup() {
	[ -n "$NS" ] && kill "$NS" 2>/dev/null && wait "$NS" 2>/dev/null
	rm -rf "$T"
}
trap cleanup EXIT
# say HOW: the closing line, and the end of the suite.
say() {
	finish "package ($1)"
	exit
}

# --- the package's three versions -----------------------------------------
v=$(dpkg-deb -f "$DEB" Version)
dpkg-deb -R "$DEB" "$T/x" || { bad "dpkg-deb -R"; say "no package"; }
for n in 2 3; do
	sed -i "s/^Version: .*/Version: $v+t$n/" "$T/x/DEBIAN/control"
	dpkg-deb -b --root-owner-group "$T/x" "$T/sb$n.deb" > /dev/null || bad "dpkg-deb -b"
done
cp "$DEB" "$T/sb1.deb"

# Read: what each maintainer script calls, for the case it is in.
read_scripts() {
	c=$T/x/DEBIAN
	[ ! -e "$c/preinst" ] || ! grep -q 'deb-systemd-invoke stop' "$c/preinst" && ok ||
	    bad "the preinst stops the service on upgrade"
	grep -q 'remove|deconfigure' "$c/prerm" && grep -q 'deb-systemd-invoke stop securebase.service' "$c/prerm" && ok ||
	    bad "the prerm does not stop the units on remove"
	awk '/hold_for_upgrade$/ { h = NR } /try-restart/ { r = NR } END { exit !(h && r && h < r) }' "$c/postinst" && ok ||
	    bad "the postinst does not ask for the schema before debhelper's try-restart"
	grep -q 'upgrade --check' "$c/postinst" && grep -q 'logger -t securebase' "$c/postinst" && ok ||
	    bad "the postinst neither asks the schema nor tells the journal"
	grep -qx '/etc/default/securebase' "$c/conffiles" && ok || bad "/etc/default/securebase is no conffile"
	for u in securebase.service securebase-backup.timer; do
		grep -q '^ConditionPathExists=|/var/lib/securebase/practice.db' \
		    "$(find "$T/x" -name "$u" | head -1)" && ok || bad "$u starts without a practice"
	done
}
read_scripts

# --- a minimal Debian, booted ----------------------------------------------
MIRROR=$(sed -n 's/^URIs: *\(http[^ ]*debian\)$/\1/p' /etc/apt/sources.list.d/debian.sources 2>/dev/null | head -1)
[ -n "$MIRROR" ] || MIRROR=http://deb.debian.org/debian
# A machine that may not make one (no mknod or chroot in a container)
# has the scripts read, above, and says so.
if ! debootstrap --variant=minbase --include=systemd,systemd-sysv,dbus,sqlite3 \
    bookworm "$T/root" "$MIRROR" > "$T/debootstrap.log" 2>&1; then
	echo "  debootstrap could not make a Debian here ($(tail -1 "$T/debootstrap.log")): the maintainer scripts were read instead"
	say "maintainer scripts read; no container"
fi
cp /etc/resolv.conf "$T/root/etc/resolv.conf"
# What the package depends on, from Debian, before the boot.
deps=$(dpkg-deb -f "$DEB" Depends | tr ',' '\n' | sed 's/|.*//;s/(.*//;s/ //g' | grep -v '^$')
chroot "$T/root" sh -c "DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $(echo $deps)" \
    > "$T/deps.log" 2>&1 || { bad "the package's dependencies in the minimal Debian: $(tail -3 "$T/deps.log")"; say "no container"; }
cp "$T/sb1.deb" "$T/sb2.deb" "$T/sb3.deb" "$T/root/root/"
# systemd-nspawn wants /run a tmpfs of its own, and no host systemd to
# register with: a mount namespace of its own, --register=no.
unshare -m sh -c "mount -t tmpfs tmpfs /run && exec systemd-nspawn -q -D '$T/root' \
    --register=no --keep-unit -b" < /dev/null > "$T/boot.log" 2>&1 &
NS=$!
# The container's systemd: the child of systemd-nspawn (unshare and sh
# exec it, so it is $NS).
CPID=
i=0
while [ -z "$CPID" ] && [ $i -lt 100 ]; do
	CPID=$(pgrep -P "$NS" -x systemd | head -1)
	sleep 0.2; i=$((i + 1))
done
inside() { nsenter -t "$CPID" -m -u -i -n -p -r -w -- "$@"; }
state=
[ -n "$CPID" ] && state=$(inside systemctl is-system-running --wait 2>/dev/null)
case $state in
running|degraded) ok ;;
*)
	echo "  systemd-nspawn -b did not boot here ($(tail -2 "$T/boot.log" | tr '\n' ' ')): the maintainer scripts were read instead"
	say "maintainer scripts read; no container"
	;;
esac
echo "  a minimal Debian booted with systemd in systemd-nspawn ($state)"
active() { inside systemctl is-active "$1" 2>/dev/null; }
mainpid() { inside systemctl show -p MainPID --value securebase.service; }

# Installed: enabled, not started; no practice, so skipped, not failed.
inside dpkg -i /root/sb1.deb > "$T/i1.log" 2>&1 && ok || bad "dpkg -i: $(tail -3 "$T/i1.log")"
[ "$(inside systemctl is-enabled securebase.service)" = enabled ] && ok || bad "the service is not enabled at install"
[ "$(inside systemctl is-enabled securebase-backup.timer)" = enabled ] && ok || bad "the timer is not enabled at install"
[ "$(active securebase.service)" = inactive ] && ok || bad "the service runs before there is a practice"
inside systemctl start securebase.service
[ "$(inside systemctl show -p ConditionResult --value securebase.service)" = no ] &&
    [ "$(active securebase.service)" = inactive ] && ok ||
    bad "started without a practice: $(active securebase.service), condition $(inside systemctl show -p ConditionResult --value securebase.service)"

# A practice, and the service on it.
printf 'correct horse battery\n' > "$T/root/var/lib/securebase/pw"
inside chown securebase /var/lib/securebase/pw
inside runuser -u securebase -- /usr/bin/securebase --db /var/lib/securebase/practice.db init \
    --admin boss --admin-password-file /var/lib/securebase/pw > "$T/init.log" 2>&1 && ok ||
    bad "init as the securebase user: $(cat "$T/init.log")"
echo "# an administrator's own line" >> "$T/root/etc/default/securebase"
inside systemctl start securebase.service securebase-backup.timer
sleep 1
[ "$(active securebase.service)" = active ] && ok ||
    bad "the service does not run on the practice: $(inside journalctl -u securebase.service -n 5 --no-pager)"
p1=$(mainpid)

# Upgraded, the practice at this release's schema: restarted.
inside dpkg -i /root/sb2.deb > "$T/i2.log" 2>&1 && ok || bad "dpkg -i (upgrade): $(tail -3 "$T/i2.log")"
sleep 1
p2=$(mainpid)
[ "$(active securebase.service)" = active ] && [ "$p2" != "$p1" ] && [ "$p2" != 0 ] && ok ||
    bad "after an upgrade with the same schema: $(active securebase.service), pid $p1 then $p2"
[ "$(active securebase-backup.timer)" = active ] && ok || bad "the timer after an upgrade: $(active securebase-backup.timer)"
echo "  upgrade, same schema: securebase.service pid $p1, then $p2 ($(active securebase.service))"
grep -q "an administrator's own line" "$T/root/etc/default/securebase" && ok ||
    bad "the upgrade replaced /etc/default/securebase"

# Upgraded when the practice is older than the release: stopped, and said.
V=$(inside sqlite3 /var/lib/securebase/practice.db "SELECT max(version) FROM schema_version")
inside sqlite3 /var/lib/securebase/practice.db "DELETE FROM schema_version WHERE version = $V"
inside dpkg -i /root/sb3.deb > "$T/i3.log" 2>&1 && ok || bad "dpkg -i (upgrade, older schema): $(tail -3 "$T/i3.log")"
sleep 1
[ "$(active securebase.service)" = inactive ] && ok ||
    bad "after an upgrade that needs securebase upgrade, the service is $(active securebase.service)"
[ "$(active securebase-backup.timer)" = inactive ] && ok ||
    bad "after an upgrade that needs securebase upgrade, the timer is $(active securebase-backup.timer)"
echo "  upgrade, older schema: securebase.service $(active securebase.service); dpkg said: $(grep -m1 'securebase:' "$T/i3.log" | cut -c1-160)..."
grep -q "run 'sudo -u securebase securebase upgrade'" "$T/i3.log" && ok ||
    bad "dpkg's output does not say to run securebase upgrade: $(cat "$T/i3.log")"
inside journalctl -t securebase --no-pager > "$T/journal.txt" 2>&1
grep -q "securebase upgrade" "$T/journal.txt" && ok || bad "the journal does not say to run securebase upgrade: $(tail -3 "$T/journal.txt")"
inside sqlite3 /var/lib/securebase/practice.db "INSERT INTO schema_version (version, applied) VALUES ($V, '2026-12-07T00:00:00Z')" 2>/dev/null ||
    inside sqlite3 /var/lib/securebase/practice.db "INSERT INTO schema_version (version) VALUES ($V)"
inside systemctl start securebase.service
sleep 1
[ "$(active securebase.service)" = active ] && ok || bad "started again once the schema is right: $(active securebase.service)"

# Removed: stopped; the records stay.
inside dpkg -r securebase > "$T/r.log" 2>&1 && ok || bad "dpkg -r: $(tail -3 "$T/r.log")"
[ "$(active securebase.service)" != active ] && ok || bad "the service still runs after apt remove"
[ -f "$T/root/var/lib/securebase/practice.db" ] && ok || bad "remove took the practice"
say "under systemd in systemd-nspawn"
