/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * buf.c - growable byte buffer with a cap.  See buf.h.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"

void
buf_init(struct buf *b, size_t max)
{
	b->data = NULL;
	b->len = 0;
	b->cap = 0;
	b->max = max;
	b->err = SB_OK;
}

void
buf_free(struct buf *b)
{
	free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
	b->err = SB_OK;
}

void
mem_wipe(void *p, size_t n)
{
	if (p == NULL || n == 0)
		return;
	memset(p, 0, n);
	/*
	 * The empty asm takes p and clobbers memory, so the compiler must
	 * assume the zeros are read and cannot drop the memset before
	 * free() (explicit_bzero does the same).  A volatile byte loop did
	 * it too, a byte at a time: a tenth of a caseload page's time once
	 * growing buffers were wiped.
	 */
	__asm__ __volatile__("" : : "r"(p) : "memory");
}

void
buf_wipe(struct buf *b)
{
	if (b->data != NULL)
		mem_wipe(b->data, b->cap);
	buf_free(b);
}

void
buf_reset(struct buf *b)
{
	b->len = 0;
	b->err = SB_OK;
	if (b->data != NULL)
		b->data[0] = '\0';
}

static SB_MUST enum sb_err
buf_reserve(struct buf *b, size_t extra)
{
	size_t	 need, ncap;
	char	*p;

	if (b->err != SB_OK)
		return (enum sb_err)b->err;
	if (extra > b->max || b->len > b->max - extra)
		return (enum sb_err)(b->err = SB_ELIMIT);
	need = b->len + extra + 1;
	if (need <= b->cap)
		return SB_OK;
	ncap = b->cap ? b->cap : 64;
	while (ncap < need)
		ncap = ncap > SIZE_MAX / 2 ? need : ncap * 2;
	/* Not realloc: it may free the old block with the text still in
	 * it, and buffers hold decrypted notes and names.  The old copy is
	 * wiped before it is freed. */
	if ((p = malloc(ncap)) == NULL)
		return (enum sb_err)(b->err = SB_ENOMEM);
	if (b->data != NULL) {
		memcpy(p, b->data, b->len + 1);
		mem_wipe(b->data, b->cap);
		free(b->data);
	}
	b->data = p;
	b->cap = ncap;
	return SB_OK;
}

enum sb_err
buf_add(struct buf *b, const void *src, size_t n)
{
	enum sb_err	 e;

	if ((e = buf_reserve(b, n)) != SB_OK)
		return e;
	if (n > 0)
		memcpy(b->data + b->len, src, n);
	b->len += n;
	b->data[b->len] = '\0';
	return SB_OK;
}

enum sb_err
buf_grow(struct buf *b, size_t n)
{
	return buf_reserve(b, n);
}

enum sb_err
buf_extend(struct buf *b, size_t n, char **p)
{
	enum sb_err	 e;

	if ((e = buf_reserve(b, n)) != SB_OK)
		return e;
	*p = b->data + b->len;
	memset(*p, 0, n);
	b->len += n;
	b->data[b->len] = '\0';
	return SB_OK;
}

enum sb_err
buf_adds(struct buf *b, const char *s)
{
	return buf_add(b, s, strlen(s));
}

enum sb_err
buf_addc(struct buf *b, char c)
{
	return buf_add(b, &c, 1);
}

enum sb_err
buf_vprintf(struct buf *b, const char *fmt, va_list ap)
{
	va_list		 cp;
	int		 n;
	enum sb_err	 e;

	va_copy(cp, ap);
	n = vsnprintf(NULL, 0, fmt, cp);
	va_end(cp);
	if (n < 0)
		return (enum sb_err)(b->err = SB_EINVAL);
	if ((e = buf_reserve(b, (size_t)n)) != SB_OK)
		return e;
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
	return SB_OK;
}

enum sb_err
buf_printf(struct buf *b, const char *fmt, ...)
{
	va_list		 ap;
	enum sb_err	 e;

	va_start(ap, fmt);
	e = buf_vprintf(b, fmt, ap);
	va_end(ap);
	return e;
}

char *
buf_take(struct buf *b)
{
	char	*p = b->data;

	if (p == NULL)
		p = calloc(1, 1);
	b->data = NULL;
	b->len = b->cap = 0;
	b->err = SB_OK;
	return p;
}
