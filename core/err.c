/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * err.c - names of error codes.  See err.h.
 */
#include "err.h"

const char *
sb_strerror(enum sb_err e)
{
	static const char *const names[] = {
		"ok", "out of memory", "invalid input", "limit exceeded",
		"input/output error", "not found", "not permitted",
		"end of input", "in use", "needs an upgrade"
	};

	return e < SB_ERR__MAX ? names[e] : "unknown error";
}
