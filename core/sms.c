/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * sms.c - counting a text message's septets, units and segments.  See
 * sms.h.  The tables are the GSM 03.38 default alphabet and its
 * extension table as 3GPP TS 23.038, 6.2.1 gives them, by Unicode code
 * point.
 */
#include <string.h>

#include "core/sms.h"

/* The default alphabet beyond printable ASCII's shared part. */
static const unsigned int gsm_basic[] = {
	0x40, 0xa3, 0x24, 0xa5, 0xe8, 0xe9, 0xf9, 0xec, 0xf2, 0xc7, 0x0a,
	0xd8, 0xf8, 0x0d, 0xc5, 0xe5, 0x394, 0x5f, 0x3a6, 0x393, 0x39b,
	0x3a9, 0x3a0, 0x3a8, 0x3a3, 0x398, 0x39e, 0xc6, 0xe6, 0xdf, 0xc9,
	0xa4, 0xa1, 0xc4, 0xd6, 0xd1, 0xdc, 0xa7, 0xbf, 0xe4, 0xf6, 0xf1,
	0xfc, 0xe0,
};
/* The extension table: an escape and the character, two septets. */
static const unsigned int gsm_ext[] = {
	0x0c, 0x5e, 0x7b, 0x7d, 0x5c, 0x5b, 0x7e, 0x5d, 0x7c, 0x20ac,
};

/* Septets for code point c in GSM-7, or 0 when it has none. */
static size_t
gsm_septets(unsigned int c)
{
	size_t	 i;

	for (i = 0; i < sizeof(gsm_ext) / sizeof(gsm_ext[0]); i++)
		if (c == gsm_ext[i])
			return 2;
	for (i = 0; i < sizeof(gsm_basic) / sizeof(gsm_basic[0]); i++)
		if (c == gsm_basic[i])
			return 1;
	/* Space to z, less what the default alphabet puts elsewhere:
	 * ` is not in it; $ @ _ are listed above; [ \ ] ^ { | } ~ are
	 * extensions. */
	if (c >= 0x20 && c <= 0x7a && c != 0x60 && !(c >= 0x5b && c <= 0x5e))
		return 1;
	return 0;
}

/* The next code point of UTF-8 at *p (moved on); false when invalid. */
static bool
next_cp(const unsigned char **p, unsigned int *cp)
{
	const unsigned char	*s = *p;
	unsigned int		 c = s[0], n, i, min;

	if (c < 0x80) {
		*cp = c;
		*p = s + 1;
		return true;
	}
	if ((c & 0xe0) == 0xc0) {
		n = 1;
		c &= 0x1f;
		min = 0x80;
	} else if ((c & 0xf0) == 0xe0) {
		n = 2;
		c &= 0x0f;
		min = 0x800;
	} else if ((c & 0xf8) == 0xf0) {
		n = 3;
		c &= 0x07;
		min = 0x10000;
	} else
		return false;
	for (i = 1; i <= n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return false;
		c = (c << 6) | (s[i] & 0x3f);
	}
	if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return false;
	*cp = c;
	*p = s + n + 1;
	return true;
}

bool
sms_count(const char *text, struct sms_count *out)
{
	const unsigned char	*p = (const unsigned char *)text;
	unsigned int		 c;
	size_t			 septets = 0, units = 0, k;
	bool			 gsm = true;

	memset(out, 0, sizeof(*out));
	while (*p != '\0') {
		if (!next_cp(&p, &c))
			return false;
		units += c > 0xffff ? 2 : 1;
		if (gsm && (k = gsm_septets(c)) > 0)
			septets += k;
		else
			gsm = false;
	}
	out->ucs2 = !gsm;
	out->units = gsm ? septets : units;
	if (gsm)
		out->segments = septets == 0 ? 0 : septets <= 160 ? 1 :
		    (septets + 152) / 153;
	else
		out->segments = units <= 70 ? 1 : (units + 66) / 67;
	return true;
}
