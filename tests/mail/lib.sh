# SPDX-License-Identifier: AGPL-3.0-or-later
# lib.sh - the real mail server the mail tests share (sourced; needs ROOT,
# SB, MPORT and T, the current directory the test's own, and bad()):
#
#   smtpd_setup   a certificate for 127.0.0.1, the directory mail/, the
#                 server started (smtpd), and the practice told of it as
#                 its admin boss (SMTP URL, user, password, sender, CA)
#   smtpd         (re)starts the server on MPORT: STARTTLS and AUTH
#                 required; each message in mail/N.eml; while ./reject
#                 exists every message is refused with a 554; while
#                 ./hold exists a message's DATA hangs
smtpd() {
	/usr/bin/python3 "$ROOT/tests/mail/smtpd.py" --port $MPORT --dir mail \
	    --cert cert.pem --key key.pem --user sbmail --password "mail pass" \
	    --reject reject --hold hold > smtpd.log 2>&1 &
	MPID=$!
	i=0
	until grep -q listening smtpd.log; do
		i=$((i + 1)); [ $i -gt 100 ] && { echo "smtpd did not start"; cat smtpd.log; exit 1; }
		sleep 0.1
	done
}
smtpd_setup() {
	openssl req -x509 -newkey rsa:2048 -nodes -subj /CN=127.0.0.1 \
	    -addext "subjectAltName=IP:127.0.0.1" -days 2 -keyout key.pem \
	    -out cert.pem > /dev/null 2>&1 || { bad "openssl"; exit 1; }
	mkdir mail
	smtpd
	printf 'mail pass\n' > mpw
	$SB --user boss settings set smtp-url smtp://127.0.0.1:$MPORT
	$SB --user boss settings set smtp-user sbmail
	$SB --user boss settings set smtp-password --file mpw
	$SB --user boss settings set smtp-from securebase@clinic.test
	$SB --user boss settings set smtp-ca "$T/cert.pem"
}
