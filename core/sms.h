/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * sms.h - how long a text message is as the network counts it (3GPP TS
 * 23.038): in the GSM 7-bit default alphabet when every character is in
 * it (the extension table's ^ { } \ [ ] ~ | and the euro sign take two
 * septets each), else in UCS-2 (UTF-16 code units).  One segment holds
 * 160 septets or 70 units; a longer message is cut into parts of 153
 * septets or 67 units, each part carrying its reassembly header.
 */
#ifndef SB_SMS_H
#define SB_SMS_H

#include <stdbool.h>
#include <stddef.h>

struct sms_count {
	bool	 ucs2;		/* not all GSM-7: sent as UCS-2 */
	size_t	 units;		/* septets (GSM-7) or UTF-16 code units */
	size_t	 segments;	/* parts the network sends */
};

/* Counts text (UTF-8); false when it is not valid UTF-8. */
bool	 sms_count(const char *text, struct sms_count *);

#endif
