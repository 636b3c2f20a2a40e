/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * narrative_view.c - one narrative as its page shows it.  See
 * narrative_view.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/narrative_view.h"
#include "core/clock.h"
#include "core/text.h"

static SB_MUST enum sb_err
keep_draft(void *arg, const struct store_draft *d)
{
	struct drafts	*ds = arg;
	size_t		 i;

	if (ds->n == DRAFTS_SHOWN) {
		/* Keep the newest: drop the oldest. */
		mem_wipe(ds->d[0].text, strlen(ds->d[0].text));
		free(ds->d[0].text);
		for (i = 1; i < DRAFTS_SHOWN; i++)
			ds->d[i - 1] = ds->d[i];
		ds->n--;
		ds->skipped++;
	}
	ds->d[ds->n].version = d->version;
	snprintf(ds->d[ds->n].created, sizeof(ds->d[0].created), "%s",
	    d->created);
	snprintf(ds->d[ds->n].author, sizeof(ds->d[0].author), "%s",
	    d->author);
	if ((ds->d[ds->n].text = strdup(d->text)) == NULL)
		return SB_ENOMEM;
	ds->n++;
	return SB_OK;
}

static void
drafts_free(struct drafts *ds)
{
	size_t	 i;

	for (i = 0; i < ds->n; i++) {
		mem_wipe(ds->d[i].text, strlen(ds->d[i].text));
		free(ds->d[i].text);
	}
	ds->n = 0;
}

enum sb_err
narrative_view_build(struct store *s, const struct lexicon *lex,
    int64_t client, const char *key, const char *prompt, const char *v,
    const char *show, struct narrative_view *nv)
{
	size_t	 i;
	long	 want = 0;
	enum sb_err	 e;

	memset(nv, 0, sizeof(*nv));
	nv->now = clock_now();
	nv->lex = lex;
	nv->prompt = prompt;
	nv->only = -1;
	if ((e = store_narrative_drafts(s, client, key, keep_draft, &nv->ds)) !=
	    SB_OK)
		return e;
	for (i = 0; show != NULL && i < NARR_INDICATORS; i++)
		if (strcmp(show, narr_ids[i]) == 0)
			nv->only = (int)i;
	if (v != NULL && !text_int(v, strlen(v), &want))
		want = 0;
	nv->sel = nv->ds.n ? nv->ds.n - 1 : 0;
	for (i = 0; i < nv->ds.n; i++)
		if (nv->ds.d[i].version == want)
			nv->sel = i;
	snprintf(nv->base, sizeof(nv->base), "/clients/%lld/narratives/%s",
	    (long long)client, key);
	nv->analysed = nv->ds.n > 0 && narrative_analyze(lex,
	    nv->ds.d[nv->sel].text, strlen(nv->ds.d[nv->sel].text),
	    &nv->res) == SB_OK;
	return SB_OK;
}

void
narrative_view_free(struct narrative_view *nv)
{
	if (nv->analysed)
		narr_result_free(&nv->res);
	drafts_free(&nv->ds);
	memset(nv, 0, sizeof(*nv));
}
