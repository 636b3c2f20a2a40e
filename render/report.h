/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * report.h - the printable progress report (A4 PDF) of one client.
 */
#ifndef SB_REPORT_H
#define SB_REPORT_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "app/registry.h"
#include "core/buf.h"
#include "store/store.h"

/* Biggest report kept in memory: far above any real record. */
#define REPORT_MAX	(64 * 1024 * 1024)

/*
 * Draws the client's report into doc (a buffer the caller made with a
 * limit, e.g. REPORT_MAX, and wipes: it is a clinical record), dated
 * now; *pages its pages.  for_client: the variant to hand over (no
 * alerts, no statistics).  Reads through the store, so access is
 * checked and audited there; a store error's words are in
 * store_errmsg().  SB_EIO: cairo could not make the PDF.  Safe to call
 * from several threads: the drawing (cairo, pango, librsvg, not
 * thread-safe) is done under one lock inside.
 */
enum sb_err	 report_pdf(struct store *, const struct registry *,
		    int64_t client, bool for_client, time_t now,
		    struct buf *doc, int *pages) SB_MUST;

#endif
