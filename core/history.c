/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * history.c - the attachment history model and its JSON form.  See
 * history.h and docs/history-format.md.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "core/history.h"
#include "core/text.h"

static const char *const couple_types[] = { "partner", "married",
    "cohabiting", "separated", "divorced", NULL };
static const char *const parent_types[] = { "parent", "adopted", "foster",
    "step", NULL };
static const char *const structural_types[] = { "parent", "adopted",
    "foster", "step", "partner", "married", "cohabiting", "separated",
    "divorced", "sibling", "twin", "identical-twin", "household", NULL };
static const char *const emotional_types[] = { "close", "fused", "distant",
    "cut-off", "conflictual", "hostile", "abusive", "repaired", NULL };
static const char *const categories[] = { "separation", "loss", "divorce",
    "move", "illness", "neglect", "abuse", "trauma", "repair",
    "achievement", "other", NULL };

static bool
one_of(const char *s, const char *const *list)
{
	for (; s != NULL && *list != NULL; list++)
		if (strcmp(s, *list) == 0)
			return true;
	return false;
}

bool
history_tie_kind(const char *type, enum tie_kind *k)
{
	if (one_of(type, structural_types))
		*k = TIE_STRUCTURAL;
	else if (one_of(type, emotional_types))
		*k = TIE_EMOTIONAL;
	else
		return false;
	return true;
}

bool
history_category_ok(const char *c)
{
	return one_of(c, categories);
}

bool
history_tie_is_parent(const struct hist_tie *t)
{
	return one_of(t->type, parent_types);
}

bool
history_tie_is_couple(const struct hist_tie *t)
{
	return one_of(t->type, couple_types);
}

bool
history_tie_is_twin(const struct hist_tie *t)
{
	return strcmp(t->type, "twin") == 0 ||
	    strcmp(t->type, "identical-twin") == 0;
}

bool
history_tie_is_household(const struct hist_tie *t)
{
	return strcmp(t->type, "household") == 0;
}

void
history_init(struct history *h)
{
	memset(h, 0, sizeof(*h));
}

static void
wipe_str(char *s)
{
	if (s != NULL) {
		mem_wipe(s, strlen(s));
		free(s);
	}
}

void
history_free(struct history *h)
{
	size_t	 i;

	for (i = 0; i < h->npeople; i++) {
		wipe_str(h->people[i].name);
		wipe_str(h->people[i].role);
		wipe_str(h->people[i].gender);
		wipe_str(h->people[i].note);
	}
	for (i = 0; i < h->nties; i++) {
		free(h->ties[i].start);
		free(h->ties[i].end);
		wipe_str(h->ties[i].note);
	}
	for (i = 0; i < h->nevents; i++) {
		free(h->events[i].date);
		free(h->events[i].end_date);
		wipe_str(h->events[i].note);
	}
	free(h->people);
	free(h->ties);
	free(h->events);
	history_init(h);
}

/* A copy of an optional text field, checked; *out NULL for NULL or "". */
static SB_MUST enum sb_err
copy_text(const char *what, const char *s, size_t max, char **out, char *err,
    size_t errsz)
{
	size_t	 n;

	*out = NULL;
	if (s == NULL || s[0] == '\0')
		return SB_OK;
	n = strlen(s);
	if (n > max) {
		snprintf(err, errsz, "%s: longer than %zu bytes", what, max);
		return SB_ELIMIT;
	}
	if (!utf8_valid(s, n)) {
		snprintf(err, errsz, "%s: not valid UTF-8", what);
		return SB_EINVAL;
	}
	if ((*out = strdup(s)) == NULL)
		return SB_ENOMEM;
	return SB_OK;
}

static SB_MUST enum sb_err
copy_date(const char *what, const char *s, char **out, char *err,
    size_t errsz)
{
	*out = NULL;
	if (s == NULL || s[0] == '\0')
		return SB_OK;
	if (!text_date_ok(s)) {
		snprintf(err, errsz, "%s: \"%.32s\" is not a date YYYY, YYYY-MM "
		    "or YYYY-MM-DD", what, s);
		return SB_EINVAL;
	}
	return (*out = strdup(s)) == NULL ? SB_ENOMEM : SB_OK;
}

static bool
year_ok(int y)
{
	return y == 0 || (y >= 1800 && y <= 2200);
}

const struct hist_person *
history_person(const struct history *h, int64_t id)
{
	size_t	 i;

	for (i = 0; i < h->npeople; i++)
		if (h->people[i].id == id)
			return &h->people[i];
	return NULL;
}

const struct hist_tie *
history_tie(const struct history *h, int64_t id)
{
	size_t	 i;

	for (i = 0; i < h->nties; i++)
		if (h->ties[i].id == id)
			return &h->ties[i];
	return NULL;
}

const struct hist_event *
history_event(const struct history *h, int64_t id)
{
	size_t	 i;

	for (i = 0; i < h->nevents; i++)
		if (h->events[i].id == id)
			return &h->events[i];
	return NULL;
}

const struct hist_person *
history_self(const struct history *h)
{
	size_t	 i;

	for (i = 0; i < h->npeople; i++)
		if (h->people[i].role != NULL &&
		    strcmp(h->people[i].role, "self") == 0)
			return &h->people[i];
	return NULL;
}

enum sb_err
history_add_person(struct history *h, const struct hist_person *p, char *err,
    size_t errsz)
{
	struct hist_person	 c;
	char			 what[64];
	enum sb_err		 e;

	if (h->npeople == HIST_MAX_PEOPLE) {
		snprintf(err, errsz, "people: more than %d", HIST_MAX_PEOPLE);
		return SB_ELIMIT;
	}
	if (h->people == NULL && (h->people = calloc(HIST_MAX_PEOPLE,
	    sizeof(*h->people))) == NULL)
		return SB_ENOMEM;
	memset(&c, 0, sizeof(c));
	c.id = p->id;
	c.born = p->born;
	c.died = p->died;
	c.has_ecr = p->has_ecr;
	c.ecr_anxiety = p->ecr_anxiety;
	c.ecr_avoidance = p->ecr_avoidance;
	snprintf(what, sizeof(what), "people[%zu]", h->npeople);
	if (p->name == NULL || p->name[0] == '\0') {
		snprintf(err, errsz, "%s.name: a person needs a name or a role",
		    what);
		return SB_EINVAL;
	}
	if (!year_ok(p->born) || !year_ok(p->died)) {
		snprintf(err, errsz, "%s: born and died are years 1800-2200",
		    what);
		return SB_EINVAL;
	}
	if (p->born != 0 && p->died != 0 && p->died < p->born) {
		snprintf(err, errsz, "%s.died: %d is before born (%d)", what,
		    p->died, p->born);
		return SB_EINVAL;
	}
	if (history_person(h, p->id) != NULL) {
		snprintf(err, errsz, "%s.id: %lld is used twice", what,
		    (long long)p->id);
		return SB_EINVAL;
	}
	if ((e = copy_text(what, p->name, HIST_MAX_FIELD, &c.name, err,
	    errsz)) != SB_OK ||
	    (e = copy_text(what, p->role, HIST_MAX_FIELD, &c.role, err,
	    errsz)) != SB_OK ||
	    (e = copy_text(what, p->gender, HIST_MAX_FIELD, &c.gender, err,
	    errsz)) != SB_OK ||
	    (e = copy_text(what, p->note, HIST_MAX_NOTE, &c.note, err,
	    errsz)) != SB_OK) {
		wipe_str(c.name);
		wipe_str(c.role);
		wipe_str(c.gender);
		return e;
	}
	h->people[h->npeople++] = c;
	return SB_OK;
}

enum sb_err
history_add_tie(struct history *h, const struct hist_tie *t, char *err,
    size_t errsz)
{
	struct hist_tie	 c;
	char		 what[64];
	enum sb_err	 e;

	snprintf(what, sizeof(what), "ties[%zu]", h->nties);
	if (h->nties == HIST_MAX_TIES) {
		snprintf(err, errsz, "ties: more than %d", HIST_MAX_TIES);
		return SB_ELIMIT;
	}
	if (h->ties == NULL && (h->ties = calloc(HIST_MAX_TIES,
	    sizeof(*h->ties))) == NULL)
		return SB_ENOMEM;
	memset(&c, 0, sizeof(c));
	c.id = t->id;
	c.a = t->a;
	c.b = t->b;
	if (!history_tie_kind(t->type, &c.kind)) {
		snprintf(err, errsz, "%s.type: \"%.32s\" is not one of parent, "
		    "adopted, foster, step, partner, married, cohabiting, "
		    "separated, divorced, sibling, twin, identical-twin, "
		    "household, close, fused, distant, "
		    "cut-off, conflictual, hostile, abusive, repaired", what,
		    t->type);
		return SB_EINVAL;
	}
	snprintf(c.type, sizeof(c.type), "%s", t->type);
	if (history_person(h, t->a) == NULL || history_person(h, t->b) ==
	    NULL) {
		snprintf(err, errsz, "%s.%s: no person with id %lld", what,
		    history_person(h, t->a) == NULL ? "a" : "b", (long long)
		    (history_person(h, t->a) == NULL ? t->a : t->b));
		return SB_EINVAL;
	}
	if (t->a == t->b) {
		snprintf(err, errsz, "%s: a tie joins two different people",
		    what);
		return SB_EINVAL;
	}
	if ((e = copy_date(what, t->start, &c.start, err, errsz)) != SB_OK)
		return e;
	if ((e = copy_date(what, t->end, &c.end, err, errsz)) != SB_OK ||
	    (e = copy_text(what, t->note, HIST_MAX_NOTE, &c.note, err,
	    errsz)) != SB_OK) {
		free(c.start);
		free(c.end);
		return e;
	}
	if (c.start && c.end && strcmp(c.end, c.start) < 0) {
		snprintf(err, errsz, "%s.end: %s is before start %s", what,
		    c.end, c.start);
		free(c.start);
		free(c.end);
		wipe_str(c.note);
		return SB_EINVAL;
	}
	h->ties[h->nties++] = c;
	return SB_OK;
}

enum sb_err
history_add_event(struct history *h, const struct hist_event *ev, char *err,
    size_t errsz)
{
	struct hist_event	 c;
	char			 what[64];
	enum sb_err		 e;

	snprintf(what, sizeof(what), "events[%zu]", h->nevents);
	if (h->nevents == HIST_MAX_EVENTS) {
		snprintf(err, errsz, "events: more than %d", HIST_MAX_EVENTS);
		return SB_ELIMIT;
	}
	if (h->events == NULL && (h->events = calloc(HIST_MAX_EVENTS,
	    sizeof(*h->events))) == NULL)
		return SB_ENOMEM;
	memset(&c, 0, sizeof(c));
	if (!history_category_ok(ev->category)) {
		snprintf(err, errsz, "%s.category: \"%.32s\" is not one of "
		    "separation, loss, divorce, move, illness, neglect, abuse, "
		    "trauma, repair, achievement, other", what,
		    ev->category);
		return SB_EINVAL;
	}
	if (ev->valence < -3 || ev->valence > 3 || ev->intensity < 1 ||
	    ev->intensity > 5) {
		snprintf(err, errsz, "%s: valence is -3..3 and intensity 1..5",
		    what);
		return SB_EINVAL;
	}
	if (ev->age < -1 || ev->age > 130 || ev->end_age < -1 ||
	    ev->end_age > 130 || (ev->end_age >= 0 && ev->age >= 0 &&
	    ev->end_age < ev->age)) {
		snprintf(err, errsz, "%s: ages are 0-130, the end not before "
		    "the start", what);
		return SB_EINVAL;
	}
	if ((ev->date == NULL || ev->date[0] == '\0') && ev->age < 0) {
		snprintf(err, errsz, "%s: an event needs a date or an age", what);
		return SB_EINVAL;
	}
	snprintf(c.category, sizeof(c.category), "%s", ev->category);
	c.id = ev->id;
	c.age = ev->age;
	c.end_age = ev->end_age;
	c.valence = ev->valence;
	c.intensity = ev->intensity;
	if ((e = copy_date(what, ev->date, &c.date, err, errsz)) != SB_OK)
		return e;
	if ((e = copy_date(what, ev->end_date, &c.end_date, err, errsz)) !=
	    SB_OK || (e = copy_text(what, ev->note, HIST_MAX_NOTE, &c.note,
	    err, errsz)) != SB_OK) {
		free(c.date);
		free(c.end_date);
		return e;
	}
	h->events[h->nevents++] = c;
	return SB_OK;
}

/* The year of a date, fractional by month and day. */
static double
date_years(const char *d)
{
	long	 y = 0, m = 1, day = 1;

	(void)text_int(d, 4, &y);
	if (strlen(d) >= 7)
		(void)text_int(d + 5, 2, &m);
	if (strlen(d) >= 10)
		(void)text_int(d + 8, 2, &day);
	return (double)y + ((double)(m - 1) + (double)(day - 1) / 31.0) / 12.0;
}

double
history_event_age(const struct history *h, const struct hist_event *ev,
    bool end)
{
	const struct hist_person	*self = history_self(h);
	const char			*d = end ? ev->end_date : ev->date;
	int				 age = end ? ev->end_age : ev->age;

	if (age >= 0)
		return age;
	if (d != NULL && self != NULL && self->born != 0)
		return date_years(d) - self->born;
	return -1;
}

/* ---- relationship-specific attachment ---- */

static bool
score_pair(json_t *sc, const char *domain, double *anx, double *avo)
{
	char	 k1[32], k2[32];
	json_t	*a, *v;

	snprintf(k1, sizeof(k1), "%s.anxiety", domain);
	snprintf(k2, sizeof(k2), "%s.avoidance", domain);
	a = json_object_get(sc, k1);
	v = json_object_get(sc, k2);
	if (!json_is_number(a) || !json_is_number(v))
		return false;
	*anx = json_number_value(a);
	*avo = json_number_value(v);
	return true;
}

void
history_apply_ecr(struct history *h, const char *target, const char *scores)
{
	static const char *const domains[] = { "mother", "father", "partner",
	    "friend", NULL };
	json_t		*sc;
	long		 id;
	size_t		 i, d;
	double		 anx, avo;

	if (scores == NULL || (sc = json_loads(scores, 0, NULL)) == NULL)
		return;
	if (target != NULL && strncmp(target, "person:", 7) == 0 &&
	    text_int(target + 7, strlen(target + 7), &id)) {
		for (i = 0; i < h->npeople; i++)
			if (h->people[i].id == id)
				break;
		for (d = 0; i < h->npeople && domains[d] != NULL; d++)
			if (score_pair(sc, domains[d], &anx, &avo)) {
				h->people[i].has_ecr = true;
				h->people[i].ecr_anxiety = anx;
				h->people[i].ecr_avoidance = avo;
				break;
			}
		json_decref(sc);
		return;
	}
	for (i = 0; i < h->npeople; i++) {
		const char *role = h->people[i].role;

		if (role == NULL)
			continue;
		if (strcmp(role, "best friend") == 0)
			role = "friend";
		for (d = 0; domains[d] != NULL; d++)
			if (strcmp(role, domains[d]) == 0 &&
			    score_pair(sc, domains[d], &anx, &avo)) {
				h->people[i].has_ecr = true;
				h->people[i].ecr_anxiety = anx;
				h->people[i].ecr_avoidance = avo;
			}
	}
	json_decref(sc);
}

/* ---- JSON out ---- */

/* obj[key] = v (stolen), v NULL when out of memory. */
static bool
put(json_t *obj, const char *key, json_t *v)
{
	return v != NULL && json_object_set_new(obj, key, v) == 0;
}

static json_t *
str_or_null(const char *v)
{
	return v != NULL ? json_string(v) : json_null();
}

static json_t *
int_or_null(long v, bool null)
{
	return null ? json_null() : json_integer(v);
}

static int
to_buf(const char *p, size_t n, void *arg)
{
	return buf_add(arg, p, n) == SB_OK ? 0 : -1;
}

/*
 * Built as jansson values, which escape every string, and written
 * compact in the order built: the form history-format.md shows, and the
 * form a snapshot keeps.
 */
enum sb_err
history_to_json(const struct history *h, struct buf *o)
{
	json_t		*root, *people, *ties, *events, *x;
	size_t		 i;
	enum sb_err	 e = SB_ENOMEM;

	if ((root = json_pack("{sis[]s[]s[]}", "schema", HIST_SCHEMA,
	    "people", "ties", "events")) == NULL)
		return SB_ENOMEM;
	people = json_object_get(root, "people");
	ties = json_object_get(root, "ties");
	events = json_object_get(root, "events");
	for (i = 0; i < h->npeople; i++) {
		const struct hist_person *p = &h->people[i];

		x = json_pack("{sI}", "id", (json_int_t)p->id);
		if (x == NULL || !put(x, "name", str_or_null(p->name)) ||
		    !put(x, "role", str_or_null(p->role)) ||
		    !put(x, "gender", str_or_null(p->gender)) ||
		    !put(x, "born", int_or_null(p->born, p->born == 0)) ||
		    !put(x, "died", int_or_null(p->died, p->died == 0)) ||
		    !put(x, "note", str_or_null(p->note))) {
			json_decref(x);
			goto out;
		}
		if (json_array_append_new(people, x) != 0)
			goto out;
	}
	for (i = 0; i < h->nties; i++) {
		const struct hist_tie *t = &h->ties[i];

		x = json_pack("{sIsI}", "a", (json_int_t)t->a, "b",
		    (json_int_t)t->b);
		if (x == NULL || !put(x, "type", str_or_null(t->type)) ||
		    !put(x, "start", str_or_null(t->start)) ||
		    !put(x, "end", str_or_null(t->end)) ||
		    !put(x, "note", str_or_null(t->note))) {
			json_decref(x);
			goto out;
		}
		if (json_array_append_new(ties, x) != 0)
			goto out;
	}
	for (i = 0; i < h->nevents; i++) {
		const struct hist_event *ev = &h->events[i];

		x = json_object();
		if (x == NULL || !put(x, "category", str_or_null(ev->category)) ||
		    !put(x, "date", str_or_null(ev->date)) ||
		    !put(x, "age", int_or_null(ev->age, ev->age < 0)) ||
		    !put(x, "end_date", str_or_null(ev->end_date)) ||
		    !put(x, "end_age", int_or_null(ev->end_age,
		    ev->end_age < 0)) ||
		    !put(x, "valence", json_integer(ev->valence)) ||
		    !put(x, "intensity", json_integer(ev->intensity)) ||
		    !put(x, "note", str_or_null(ev->note))) {
			json_decref(x);
			goto out;
		}
		if (json_array_append_new(events, x) != 0)
			goto out;
	}
	/* (An array takes x even when appending fails.) */
	if (json_dump_callback(root, to_buf, o, JSON_COMPACT) == 0 &&
	    buf_addc(o, '\n') == SB_OK)
		e = SB_OK;
	else if (o->err != SB_OK)
		e = (enum sb_err)o->err;
out:
	json_decref(root);
	return e;
}

/* ---- JSON in ---- */

/* Every member of o is one of the names in known. */
static bool
only_known(json_t *o, const char *const *known, const char *path, char *err,
    size_t errsz)
{
	const char	*key;
	json_t		*v;

	json_object_foreach(o, key, v) {
		if (!one_of(key, known)) {
			snprintf(err, errsz, "%s.%.64s: not a field of this "
			    "schema", path, key);
			return false;
		}
	}
	return true;
}

/* An optional string member: NULL when absent or null. */
static bool
get_str(json_t *o, const char *key, const char *path, const char **out,
    char *err, size_t errsz)
{
	json_t	*v = json_object_get(o, key);

	*out = NULL;
	if (v == NULL || json_is_null(v))
		return true;
	if (!json_is_string(v)) {
		snprintf(err, errsz, "%s.%s: must be a string or null", path, key);
		return false;
	}
	if (strlen(json_string_value(v)) != json_string_length(v)) {
		snprintf(err, errsz, "%s.%s: contains a NUL character", path,
		    key);
		return false;
	}
	*out = json_string_value(v);
	return true;
}

/* An optional integer member in [lo, hi]: unset (absent, null) -> dflt. */
static bool
get_int(json_t *o, const char *key, const char *path, long lo, long hi,
    long dflt, long *out, char *err, size_t errsz)
{
	json_t	*v = json_object_get(o, key);

	*out = dflt;
	if (v == NULL || json_is_null(v))
		return true;
	if (!json_is_integer(v) || json_integer_value(v) < lo ||
	    json_integer_value(v) > hi) {
		snprintf(err, errsz, "%s.%s: must be a whole number %ld..%ld",
		    path, key, lo, hi);
		return false;
	}
	*out = (long)json_integer_value(v);
	return true;
}

static SB_MUST enum sb_err
read_people(json_t *arr, struct history *h, char *err, size_t errsz)
{
	static const char *const known[] = { "id", "name", "role", "gender",
	    "born", "died", "note", NULL };
	struct hist_person	 p;
	char			 path[48];
	json_t			*o;
	size_t			 i;
	long			 id, born, died;

	json_array_foreach(arr, i, o) {
		snprintf(path, sizeof(path), "people[%zu]", i);
		memset(&p, 0, sizeof(p));
		if (!json_is_object(o)) {
			snprintf(err, errsz, "%s: must be an object", path);
			return SB_EINVAL;
		}
		if (!only_known(o, known, path, err, errsz) ||
		    !get_int(o, "id", path, 1, INT32_MAX, -1, &id, err, errsz) ||
		    !get_int(o, "born", path, 1800, 2200, 0, &born, err,
		    errsz) ||
		    !get_int(o, "died", path, 1800, 2200, 0, &died, err,
		    errsz) ||
		    !get_str(o, "name", path, (const char **)&p.name, err,
		    errsz) ||
		    !get_str(o, "role", path, (const char **)&p.role, err,
		    errsz) ||
		    !get_str(o, "gender", path, (const char **)&p.gender, err,
		    errsz) ||
		    !get_str(o, "note", path, (const char **)&p.note, err, errsz))
			return SB_EINVAL;
		if (id < 0) {
			snprintf(err, errsz, "%s.id: required (ties name people "
			    "by it)", path);
			return SB_EINVAL;
		}
		p.id = id;
		p.born = (int)born;
		p.died = (int)died;
		if (history_add_person(h, &p, err, errsz) != SB_OK)
			return SB_EINVAL;
	}
	return SB_OK;
}

static SB_MUST enum sb_err
read_ties(json_t *arr, struct history *h, char *err, size_t errsz)
{
	static const char *const known[] = { "a", "b", "type", "start", "end",
	    "note", NULL };
	struct hist_tie	 t;
	char		 path[48];
	json_t		*o;
	size_t		 i;
	long		 a, b;
	const char	*type;

	json_array_foreach(arr, i, o) {
		snprintf(path, sizeof(path), "ties[%zu]", i);
		memset(&t, 0, sizeof(t));
		if (!json_is_object(o)) {
			snprintf(err, errsz, "%s: must be an object", path);
			return SB_EINVAL;
		}
		if (!only_known(o, known, path, err, errsz) ||
		    !get_int(o, "a", path, 1, INT32_MAX, -1, &a, err, errsz) ||
		    !get_int(o, "b", path, 1, INT32_MAX, -1, &b, err, errsz) ||
		    !get_str(o, "type", path, &type, err, errsz) ||
		    !get_str(o, "start", path, (const char **)&t.start, err,
		    errsz) ||
		    !get_str(o, "end", path, (const char **)&t.end, err, errsz) ||
		    !get_str(o, "note", path, (const char **)&t.note, err, errsz))
			return SB_EINVAL;
		if (a < 0 || b < 0 || type == NULL) {
			snprintf(err, errsz, "%s: a, b and type are required",
			    path);
			return SB_EINVAL;
		}
		t.a = a;
		t.b = b;
		snprintf(t.type, sizeof(t.type), "%s", type);
		if (strlen(type) >= sizeof(t.type))
			t.type[0] = '\0';
		if (history_add_tie(h, &t, err, errsz) != SB_OK)
			return SB_EINVAL;
	}
	return SB_OK;
}

static SB_MUST enum sb_err
read_events(json_t *arr, struct history *h, char *err, size_t errsz)
{
	static const char *const known[] = { "category", "date", "age",
	    "end_date", "end_age", "valence", "intensity", "note", NULL };
	struct hist_event	 ev;
	char			 path[48];
	json_t			*o;
	size_t			 i;
	long			 age, end_age, val, inten;
	const char		*cat;

	json_array_foreach(arr, i, o) {
		snprintf(path, sizeof(path), "events[%zu]", i);
		memset(&ev, 0, sizeof(ev));
		if (!json_is_object(o)) {
			snprintf(err, errsz, "%s: must be an object", path);
			return SB_EINVAL;
		}
		if (!only_known(o, known, path, err, errsz) ||
		    !get_str(o, "category", path, &cat, err, errsz) ||
		    !get_str(o, "date", path, (const char **)&ev.date, err,
		    errsz) ||
		    !get_str(o, "end_date", path, (const char **)&ev.end_date,
		    err, errsz) ||
		    !get_int(o, "age", path, 0, 130, -1, &age, err, errsz) ||
		    !get_int(o, "end_age", path, 0, 130, -1, &end_age, err,
		    errsz) ||
		    !get_int(o, "valence", path, -3, 3, 99, &val, err, errsz) ||
		    !get_int(o, "intensity", path, 1, 5, 99, &inten, err,
		    errsz) ||
		    !get_str(o, "note", path, (const char **)&ev.note, err,
		    errsz))
			return SB_EINVAL;
		if (cat == NULL || val == 99 || inten == 99) {
			snprintf(err, errsz, "%s: category, valence and intensity "
			    "are required", path);
			return SB_EINVAL;
		}
		snprintf(ev.category, sizeof(ev.category), "%s", cat);
		if (strlen(cat) >= sizeof(ev.category))
			ev.category[0] = '\0';
		ev.age = (int)age;
		ev.end_age = (int)end_age;
		ev.valence = (int)val;
		ev.intensity = (int)inten;
		if (history_add_event(h, &ev, err, errsz) != SB_OK)
			return SB_EINVAL;
	}
	return SB_OK;
}

static json_t *
member_array(json_t *root, const char *key, char *err, size_t errsz)
{
	json_t	*v = json_object_get(root, key);

	if (v == NULL || !json_is_array(v)) {
		snprintf(err, errsz, "%s: must be an array (it may be empty)",
		    key);
		return NULL;
	}
	return v;
}

enum sb_err
history_from_json(const char *json, size_t len, struct history *h, char *err,
    size_t errsz)
{
	static const char *const known[] = { "schema", "people", "ties",
	    "events", NULL };
	json_error_t	 je;
	json_t		*root, *people, *ties, *events;
	long		 schema;
	enum sb_err	 e = SB_EINVAL;

	history_init(h);
	if ((root = json_loadb(json, len, JSON_REJECT_DUPLICATES, &je)) ==
	    NULL) {
		snprintf(err, errsz, "line %d, column %d: %s", je.line,
		    je.column, je.text);
		return SB_EINVAL;
	}
	if (!json_is_object(root)) {
		snprintf(err, errsz, "the top level must be an object");
		goto out;
	}
	if (!only_known(root, known, "(top)", err, errsz) ||
	    !get_int(root, "schema", "(top)", 0, 1000, -1, &schema, err,
	    errsz))
		goto out;
	if (schema != HIST_SCHEMA) {
		snprintf(err, errsz, "schema: this is securebase history schema "
		    "%d; the file says %ld", HIST_SCHEMA, schema);
		goto out;
	}
	if ((people = member_array(root, "people", err, errsz)) == NULL ||
	    (ties = member_array(root, "ties", err, errsz)) == NULL ||
	    (events = member_array(root, "events", err, errsz)) == NULL)
		goto out;
	if ((e = read_people(people, h, err, errsz)) == SB_OK &&
	    (e = read_ties(ties, h, err, errsz)) == SB_OK)
		e = read_events(events, h, err, errsz);
out:
	json_decref(root);
	if (e != SB_OK)
		history_free(h);
	return e;
}
