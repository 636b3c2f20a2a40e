/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * pages_narrative.c - narrative work in the browser.  The therapist sees
 * each narrative with its indicators highlighted (one or all), the
 * definition, research, strength and false positives of each one click
 * away, and the change across drafts; the client writes through a link,
 * one prompt a page, each page kept as a draft as they go.  Nothing here
 * classifies or scores: see docs/narrative.md.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/text.h"
#include "render/html.h"
#include "render/narrative_page.h"
#include "web/web_int.h"

/* The prompts of the practice, in order (at most 64 are shown). */
struct prompts {
	char		*key[64], *text[64];
	size_t		 n;
};

static void
prompts_free(struct prompts *p)
{
	size_t	 i;

	for (i = 0; i < p->n; i++) {
		free(p->key[i]);
		free(p->text[i]);
	}
	p->n = 0;
}

static SB_MUST enum sb_err
prompt_keep(void *arg, const struct store_prompt_def *d)
{
	struct prompts	*p = arg;

	if (p->n == 64)
		return SB_OK;
	if ((p->key[p->n] = strdup(d->key)) == NULL)
		return SB_ENOMEM;
	if ((p->text[p->n] = strdup(d->text)) == NULL) {
		free(p->key[p->n]);
		return SB_ENOMEM;
	}
	p->n++;
	return SB_OK;
}

static bool
prompts_load(struct req *r, struct prompts *p)
{
	memset(p, 0, sizeof(*p));
	return store_prompt_each(r->s, prompt_keep, p) == SB_OK;
}

static const char *
prompt_text(const struct prompts *p, const char *key)
{
	size_t	 i;

	for (i = 0; i < p->n; i++)
		if (strcmp(p->key[i], key) == 0)
			return p->text[i];
	return NULL;
}

/* The client's narratives, kept for matching them to the prompts. */
struct written {
	char	 prompt[33];
	int	 drafts;
	char	 saved[11];
};
struct writtens {
	struct written	 v[64];
	size_t		 n;
};

static SB_MUST enum sb_err
written_keep(void *arg, const struct store_narrative_row *n)
{
	struct writtens	*w = arg;

	if (w->n == 64)
		return SB_OK;
	snprintf(w->v[w->n].prompt, sizeof(w->v[0].prompt), "%s", n->prompt);
	w->v[w->n].drafts = n->drafts;
	snprintf(w->v[w->n].saved, sizeof(w->v[0].saved), "%.10s", n->last);
	w->n++;
	return SB_OK;
}

void
narrative_section(struct req *r, int64_t client)
{
	struct prompts	 p;
	struct writtens	 w;
	char		 href[128];
	size_t		 i, k;
	bool		 any = false;

	HTML_LIT(&r->out, "<h2 id=\"narratives\">Narrative work</h2>");
	w.n = 0;
	if (!prompts_load(r, &p) || store_narrative_each(r->s, client,
	    written_keep, &w) != SB_OK) {
		prompts_free(&p);
		HTML_LIT(&r->out, "<p>The narratives could not be read just "
		    "now.</p>");
		return;
	}
	HTML_LIT(&r->out, "<table><tr><th>Prompt</th><th>Drafts</th><th>Last "
	    "saved</th></tr>");
	for (i = 0; i < p.n; i++) {
		for (k = 0; k < w.n && strcmp(w.v[k].prompt, p.key[i]) != 0;
		    k++)
			;
		snprintf(href, sizeof(href), "/clients/%lld/narratives/%s",
		    (long long)client, p.key[i]);
		HTML_LIT(&r->out, "<tr><td><a");
		html_attr(&r->out, "href", href);
		HTML_LIT(&r->out, ">");
		html_text(&r->out, p.text[i]);
		HTML_LIT(&r->out, "</a></td><td>");
		html_int(&r->out, k < w.n ? w.v[k].drafts : 0);
		HTML_LIT(&r->out, "</td><td>");
		if (k < w.n) {
			html_when(&r->out, w.v[k].saved);
			any = true;
		}
		HTML_LIT(&r->out, "</td></tr>");
	}
	HTML_LIT(&r->out, "</table>");
	if (!any)
		HTML_LIT(&r->out, "<p class=\"muted\">Nothing written yet.</p>");
	if (store_actor(r->s)->role == ROLE_THERAPIST) {
		snprintf(href, sizeof(href), "/clients/%lld/links",
		    (long long)client);
		HTML_LIT(&r->out, "<form method=\"post\"");
		html_attr(&r->out, "action", href);
		HTML_LIT(&r->out, "><input type=\"hidden\" name=\"instrument\" "
		    "value=\"" NARRATIVE_LINK "\">");
		csrf_field(r, r->csrf);
		HTML_LIT(&r->out, "<p><button type=\"submit\">Send the prompts "
		    "to the client</button><button type=\"submit\" name=\"now\" "
		    "value=\"1\" class=\"secondary\">Write them now on this "
		    "device</button></p></form>");
	}
	prompts_free(&p);
}

/* ---- one narrative ---- */









static void
narrative_view(struct req *r, int64_t client, const char *key)
{
	struct prompts		 p;
	struct narrative_view	 nv;
	const char		*text;

	memset(&p, 0, sizeof(p));
	/* Only a key of one of the practice's prompts gets this far. */
	if (!prompts_load(r, &p) || (text = prompt_text(&p, key)) == NULL) {
		prompts_free(&p);
		error_page(r, 404, "There is no such prompt.");
		return;
	}
	if (narrative_view_build(r->s, r->srv->cfg->lex, client, key, text,
	    http_query(r, "v"), http_query(r, "show"), &nv) != SB_OK) {
		narrative_view_free(&nv);
		prompts_free(&p);
		error_page(r, 404, "There is no such client on your caseload.");
		return;
	}
	page_begin(r, "Narrative");
	narrative_html(&r->out, &nv);
	if (store_actor(r->s)->role == ROLE_THERAPIST) {
		HTML_LIT(&r->out, "<h2>A new draft</h2><form method=\"post\"");
		html_attr(&r->out, "action", nv.base);
		HTML_LIT(&r->out, "><label for=\"nt\">The text (a transcript, "
		    "or a revision of the last draft; every draft is kept)"
		    "</label><textarea id=\"nt\" name=\"text\" rows=\"12\">");
		if (nv.ds.n > 0)
			html_text(&r->out, nv.ds.d[nv.ds.n - 1].text);
		HTML_LIT(&r->out, "</textarea>");
		csrf_field(r, r->csrf);
		HTML_LIT(&r->out, "<p class=\"muted\">You are signed out "
		    "after 30 minutes without sending anything. Text sent "
		    "after that is not lost: sign in again and it is shown to "
		    "you to send once more.</p><p><button type=\"submit\">"
		    "Keep this draft</button></p></form>");
	}
	page_end(r);
	narrative_view_free(&nv);
	prompts_free(&p);
}

void
narrative_page(struct req *r, int64_t client, const char *key)
{
	if (!view_begin(r))
		return;
	narrative_view(r, client, key);
	view_end(r);
}

const struct field_def narrative_fields[] = {
	{ .name = "text", .kind = FIELD_TEXT }, { .name = NULL } };

/* POST /clients/N/narratives/KEY (narrative_fields checked). */
void
narrative_post(struct req *r, int64_t client, const char *key)
{
	const char	*text = r->in[0].text;
	char		 to[128];
	int		 version;
	enum sb_err	 e;

	/* The store refuses a key that is no prompt of the practice. */
	e = store_narrative_save(r->s, client, key, text ? text : "", false,
	    &version);
	if (e == SB_EPERM) {
		error_page(r, 404, "There is no such client on your caseload.");
		return;
	}
	if (e != SB_OK) {
		error_page(r, 400, store_errmsg(r->s));
		return;
	}
	snprintf(to, sizeof(to), "/clients/%lld/narratives/%s#text",
	    (long long)client, key);
	http_redirect_saying(r, to, "saved");
}

/* ---- the client, through a link ---- */

/*
 * The client's own latest draft: what the therapist transcribed or wrote
 * is never put in the client's box, where it would be saved again as the
 * client's own writing.
 */
static SB_MUST enum sb_err
last_text(void *arg, const struct store_draft *d)
{
	char	**out = arg;

	if (d->author == NULL || strcmp(d->author, "client") != 0)
		return SB_OK;
	if (*out != NULL) {
		mem_wipe(*out, strlen(*out));
		free(*out);
	}
	*out = strdup(d->text);
	return *out ? SB_OK : SB_ENOMEM;
}

/* What a narrative link's page is: its prompt, and what the client
 * sees in the box (what they just sent when it was not kept, else
 * their last draft) with the words why (problem, or NULL). */
struct story_page {
	const struct prompts	*p;
	size_t			 page;
	const char		*csrf, *problem, *kept, *before;
};

/* A narrative link's page: the prompt, the box, the buttons. */
static void
story_form(struct req *r, const struct story_page *sp)
{
	char	 n[24];

	page_begin(r, "Your story");
	client_from(r);
	if (sp->problem != NULL) {
		HTML_LIT(&r->out, "<div class=\"unsaved\" role=\"alert\"><p>"
		    "<strong>");
		html_text(&r->out, sp->problem);
		HTML_LIT(&r->out, "</strong></p></div>");
	}
	HTML_LIT(&r->out, "<h1>In your own words</h1><p class=\"muted\">Prompt ");
	html_int(&r->out, (int64_t)sp->page + 1);
	HTML_LIT(&r->out, " of ");
	html_int(&r->out, (int64_t)sp->p->n);
	HTML_LIT(&r->out, ". Write as much or as little as you like; each page "
	    "is kept when you move on, and this link brings you back here."
	    "</p>");
	/* These prompts ask about losses and hurt, written alone. */
	support_box(r);
	HTML_LIT(&r->out, "<form method=\"post\"><label for=\"t\" "
	    "class=\"prompt\">");
	html_text(&r->out, sp->p->text[sp->page]);
	HTML_LIT(&r->out, "</label><textarea id=\"t\" name=\"text\" "
	    "rows=\"14\">");
	if (sp->kept != NULL)
		html_text(&r->out, sp->kept);
	else if (sp->before != NULL)
		html_text(&r->out, sp->before);
	HTML_LIT(&r->out, "</textarea><input type=\"hidden\" name=\"p\"");
	snprintf(n, sizeof(n), "%zu", sp->page);
	html_attr(&r->out, "value", n);
	HTML_LIT(&r->out, ">");
	csrf_field(r, sp->csrf);
	HTML_LIT(&r->out, "<p>");
	if (sp->page > 0)
		HTML_LIT(&r->out, "<button type=\"submit\" name=\"go\" "
		    "value=\"back\" class=\"secondary\">Back</button>");
	if (sp->page + 1 < sp->p->n)
		HTML_LIT(&r->out, "<button type=\"submit\" name=\"go\" "
		    "value=\"next\">Save and continue</button>");
	HTML_LIT(&r->out, "<button type=\"submit\" name=\"go\" value=\"finish\""
	    " class=\"secondary\">Save and finish</button></p></form>");
	page_end(r);
}

/*
 * A page sent: its text kept as a draft, then the next page, the one
 * before, or the end.  False when the page must be shown again (its
 * words in sp->problem, what was sent in sp->kept); true when the
 * answer is written.
 */
static bool
story_sent(struct req *r, const char *token, const struct store_link *l,
    struct story_page *sp)
{
	const char	*text = in_text(r, "text"), *go = in_text(r, "go");
	char		 href[128];
	int		 version;
	size_t		 page = sp->page;
	enum sb_err	 e;

	/* Each page is kept as a draft as the client goes: closing the tab
	 * loses nothing. */
	if (text != NULL && text[0] != '\0' && (e = store_narrative_save(r->s,
	    l->client, sp->p->key[page], text, true, &version)) != SB_OK) {
		/* The same page again with what they wrote in it; a client
		 * reads only what is about their text. */
		r->status = e == SB_EINVAL ? 400 : 503;
		sp->problem = e == SB_EINVAL ? store_errmsg(r->s) : "What you "
		    "wrote on this page could not be saved just now. It is "
		    "still in the box below: please press the button again in "
		    "a moment.";
		sp->kept = text;
		return false;
	}
	if (go != NULL && strcmp(go, "finish") == 0) {
		if ((e = store_link_finish(r->s, l->id)) == SB_EPERM) {
			error_page(r, 409, "This link is already finished. "
			    "Thank you.");
			return true;
		}
		if (e != SB_OK) {
			r->status = 503;
			sp->problem = "This could not be finished just now; what "
			    "you wrote is kept. Please press Save and finish "
			    "again in a moment.";
			sp->kept = text;
			return false;
		}
		page_begin(r, "Thank you");
		HTML_LIT(&r->out, "<h1>Thank you</h1><p>What you wrote is kept "
		    "for your next session. You can close this page.</p>");
		page_end(r);
		return true;
	}
	if (go != NULL && strcmp(go, "back") == 0 && page > 0)
		page--;
	else if (page + 1 < sp->p->n)
		page++;
	snprintf(href, sizeof(href), "/q/%s?p=%zu", token, page);
	http_redirect(r, href);
	return true;
}

void
narrative_link(struct req *r, const char *token, const struct store_link *l)
{
	struct prompts		 p;
	struct story_page	 sp;
	char			 csrf[TOKEN_HEX + 1], *before = NULL;
	const char		*pg;
	bool			 post = strcmp(r->method, "POST") == 0;
	long			 val;

	if (l->done) {
		error_page(r, 410, "These answers are complete. Thank you.");
		return;
	}
	if (!prompts_load(r, &p) || p.n == 0) {
		prompts_free(&p);
		error_page(r, 404, "This link is not available.");
		return;
	}
	http_link_csrf(token, csrf);
	pg = http_query(r, "p");
	if (post) {
		if (!form_read(r))
			goto out;
		if (!http_csrf_ok(r, csrf)) {
			error_page(r, 403, "This form came from somewhere else.");
			goto out;
		}
		pg = in_text(r, "p");
	}
	if (pg != NULL && (!text_int(pg, strlen(pg), &val) || val < 0 ||
	    (size_t)val >= p.n)) {
		error_page(r, 400, "There is no such page.");
		goto out;
	}
	sp = (struct story_page){ &p, pg ? (size_t)val : 0, csrf, NULL, NULL,
	    NULL };
	if (post && story_sent(r, token, l, &sp))
		goto out;
	/* Without their draft the box would look empty, as if what they
	 * wrote were gone. */
	if (!post && store_narrative_drafts(r->s, l->client, p.key[sp.page],
	    last_text, &before) != SB_OK) {
		read_failed(r);
		goto out;
	}
	sp.before = before;
	story_form(r, &sp);
out:
	if (before != NULL) {
		mem_wipe(before, strlen(before));
		free(before);
	}
	prompts_free(&p);
}

/* ---- the practice's prompts, on the administration page ---- */

void
prompts_admin(struct req *r)
{
	struct prompts	 p;
	char		 id[48];
	size_t		 i;

	HTML_LIT(&r->out, "<h2 id=\"prompts\">Narrative prompts</h2><p "
	    "class=\"muted\">What "
	    "clients are asked to write about, in this order. Changing a "
	    "prompt's words does not change what was written to it.</p>");
	if (!prompts_load(r, &p)) {
		prompts_free(&p);
		return;
	}
	for (i = 0; i < p.n; i++) {
		HTML_LIT(&r->out, "<form method=\"post\" action=\"/admin/"
		    "prompts\"><label");
		snprintf(id, sizeof(id), "pr-%s", p.key[i]);
		html_attr(&r->out, "for", id);
		HTML_LIT(&r->out, ">");
		html_text(&r->out, p.key[i]);
		HTML_LIT(&r->out, "</label><textarea rows=\"3\" name=\"text\"");
		html_attr(&r->out, "id", id);
		HTML_LIT(&r->out, ">");
		html_text(&r->out, p.text[i]);
		HTML_LIT(&r->out, "</textarea><input type=\"hidden\" "
		    "name=\"key\"");
		html_attr(&r->out, "value", p.key[i]);
		HTML_LIT(&r->out, ">");
		csrf_field(r, r->csrf);
		HTML_LIT(&r->out, "<p><button type=\"submit\">Save prompt"
		    "</button></p></form>");
	}
	prompts_free(&p);
}

/* A prompt's key and words, checked before prompts_post (the store
 * checks the key's letters and the words' length again). */
const struct field_def prompt_fields[] = {
	{ .name = "key", .kind = FIELD_TEXT, .required = true, .max = 32,
	    .missing = "Which prompt? The form names it.",
	    .bad = "A prompt key is 1-32 of a-z, 0-9 and -." },
	{ .name = "text", .kind = FIELD_TEXT, .required = true,
	    .missing = "A prompt needs its words." },
	{ .name = NULL }
};

/* POST /admin/prompts (prompt_fields checked). */
void
prompts_post(struct req *r)
{
	char	*one, *c;

	/* A textarea may bring line breaks: a prompt is one line. */
	if ((one = strdup(r->in[1].text)) == NULL) {
		error_page(r, 500, "Out of memory.");
		return;
	}
	for (c = one; *c; c++)
		if (*c == '\r' || *c == '\n' || *c == '\t')
			*c = ' ';
	if (store_prompt_set(r->s, r->in[0].text, one) != SB_OK)
		error_page(r, 400, store_errmsg(r->s));
	else
		http_redirect_saying(r, "/admin#prompts", "saved");
	free(one);
}
