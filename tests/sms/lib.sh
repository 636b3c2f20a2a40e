# SPDX-License-Identifier: AGPL-3.0-or-later
# lib.sh - a real SMS gateway for the tests (sourced; needs SB, a port
# base KPORT with KPORT..KPORT+3 free, the current directory the test's
# own, and bad()): Kannel's bearerbox and smsbox from Debian's kannel,
# over the fake SMSC from kannel-extras, which prints every message the
# gateway delivers to it (fakesmsc.log: "Got message N: <from to text
# ...>").
#
#   kannel_setup   kannel.conf written, the three started, and the
#                  practice told of the gateway as its admin boss
#                  (sms-url, sms-user, sms-password, sms-from)
#   sms_count      how many messages the fake SMSC has received
#   KPIDS          the processes, for the caller's cleanup
FAKESMSC=/usr/lib/kannel/test/fakesmsc
kannel_setup() {
	mkdir -p spool
	cat > kannel.conf <<EOC
group = core
admin-port = $KPORT
admin-password = kannel-admin
smsbox-port = $((KPORT + 1))
log-file = "$PWD/bearerbox.log"
log-level = 1
box-allow-ip = "127.0.0.1"
store-type = spool
store-location = "$PWD/spool"

group = smsc
smsc = fake
smsc-id = fake
port = $((KPORT + 2))
connect-allow-ip = "127.0.0.1"

group = smsbox
bearerbox-host = 127.0.0.1
bearerbox-port = $((KPORT + 1))
sendsms-port = $((KPORT + 3))
sendsms-interface = 127.0.0.1
log-file = "$PWD/smsbox.log"
log-level = 1

group = sendsms-user
username = sbsms
password = sms-pass
concatenation = true
max-messages = 2

group = sms-service
keyword = default
text = "This number takes no replies."
EOC
	/usr/sbin/bearerbox kannel.conf > bearerbox.out 2>&1 &
	KPIDS="$!"
	i=0
	until grep -q "smsbox connection\|Start-up done\|MAIN: Start-up" bearerbox.log 2>/dev/null; do
		i=$((i + 1)); [ $i -gt 100 ] && { echo "bearerbox did not start"; cat bearerbox.out bearerbox.log; exit 1; }
		sleep 0.1
	done
	/usr/sbin/smsbox kannel.conf > smsbox.out 2>&1 &
	KPIDS="$KPIDS $!"
	$FAKESMSC -H 127.0.0.1 -r $((KPORT + 2)) -i 1 -m 0 "1 2 text x" > fakesmsc.log 2>&1 &
	KPIDS="$KPIDS $!"
	i=0
	until curl -s -o /dev/null "http://127.0.0.1:$((KPORT + 3))/" && grep -q "Connecting" fakesmsc.log; do
		i=$((i + 1)); [ $i -gt 100 ] && { echo "smsbox did not start"; cat smsbox.out; exit 1; }
		sleep 0.1
	done
	printf 'sms-pass\n' > smspw
	$SB --user boss settings set sms-url "http://127.0.0.1:$((KPORT + 3))/cgi-bin/sendsms"
	$SB --user boss settings set sms-user sbsms
	$SB --user boss settings set sms-password --file smspw
	$SB --user boss settings set sms-from Harbour
}
sms_count() { grep -c "Got message" fakesmsc.log; }
# wait_sms N: until the fake SMSC has N messages (10 s at most).
wait_sms() {
	i=0
	while [ "$(sms_count)" -lt "$1" ]; do
		i=$((i + 1)); [ $i -gt 100 ] && { bad "waited for SMS $1, have $(sms_count)"; return 1; }
		sleep 0.1
	done
}
