/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * err.h - the error codes every securebase layer returns.
 *
 * Functions return an enum sb_err (SB_OK == 0) rather than printing deep
 * inside; the caller that talks to a person turns the code and any message
 * into words.  Keeping one small enum for the whole program lets the command
 * line map errors to exit codes in one place.
 */
#ifndef SB_ERR_H
#define SB_ERR_H

enum sb_err {
	SB_OK = 0,
	SB_ENOMEM,	/* allocation failed */
	SB_EINVAL,	/* malformed input; a message says where */
	SB_ELIMIT,	/* input larger than a documented limit */
	SB_EIO,		/* read or write failed */
	SB_ENOENT,	/* named thing does not exist */
	SB_EPERM,	/* not allowed (e.g. instrument licence not recorded) */
	SB_EOF,		/* end of input, not an error for readers */
	SB_EBUSY,	/* in use by another (a running server) */
	SB_EUPGRADE,	/* an older schema: `securebase upgrade` first */
	SB_ERR__MAX
};

/*
 * SB_MUST marks a function whose enum sb_err the caller must look at
 * (warn_unused_result; with -Werror an ignored one fails the build).
 * Every enum sb_err function carries it but the sticky appends of
 * core/buf.h (and text_add_number, text_add_csv_field over them), whose
 * first failure stays in the buffer for the one check at the end.  GCC
 * does not take a (void) cast as consent: a result dropped on purpose is
 * written (void)!f(), with a comment saying why.
 */
#define SB_MUST	__attribute__((warn_unused_result))

/* A short English name for an error code; never NULL. */
const char	*sb_strerror(enum sb_err);

#endif
