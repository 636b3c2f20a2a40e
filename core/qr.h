/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * qr.h - QR Code (ISO/IEC 18004) for the questionnaire links, made by
 * libqrencode: byte mode, error correction level M, versions 1-10 (up to
 * 213 bytes, enough for any origin plus /q/ and a 64-character token).
 *
 * Pure: data in, a matrix of dark (1) and light (0) modules out; the web
 * layer draws it as SVG with the four-module quiet zone.
 */
#ifndef SB_QR_H
#define SB_QR_H

#include <stddef.h>

#include "core/err.h"

#define QR_MAX_VERSION	10
#define QR_MAX_SIZE	(17 + 4 * QR_MAX_VERSION)

struct qr {
	int		 version;
	int		 size;		/* modules per side */
	unsigned char	 m[QR_MAX_SIZE][QR_MAX_SIZE];	/* [row][col] */
};

/* SB_ELIMIT when the data does not fit in version 10-M. */
enum sb_err	 qr_encode(const void *data, size_t n, struct qr *) SB_MUST;

#endif
