/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * qr.c - QR Codes for the questionnaire links, by libqrencode (Debian's
 * libqrencode4): byte mode, level M, the smallest version that holds the
 * data, up to 10.  See qr.h.
 *
 * The matrix is copied out of libqrencode's, whose low bit of each byte
 * is the module's colour; the rest of its bits describe how the module
 * was made and are not ours to read.
 */
#include <errno.h>
#include <string.h>

#include <qrencode.h>

#include "core/qr.h"

enum sb_err
qr_encode(const void *data, size_t n, struct qr *q)
{
	QRcode	*c;
	int	 r, k;

	memset(q, 0, sizeof(*q));
	if (n == 0 || n > 2953)
		return n == 0 ? SB_EINVAL : SB_ELIMIT;
	errno = 0;
	/* Version 0: the smallest that holds the data. */
	if ((c = QRcode_encodeData((int)n, data, 0, QR_ECLEVEL_M)) == NULL)
		return errno == ENOMEM ? SB_ENOMEM : SB_ELIMIT;
	if (c->version > QR_MAX_VERSION || c->width != 17 + 4 * c->version) {
		QRcode_free(c);
		return SB_ELIMIT;
	}
	q->version = c->version;
	q->size = c->width;
	for (r = 0; r < c->width; r++)
		for (k = 0; k < c->width; k++)
			q->m[r][k] = c->data[r * c->width + k] & 1;
	QRcode_free(c);
	return SB_OK;
}
