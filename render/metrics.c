/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * metrics.c - the /metrics text.  See metrics.h.
 */
#include <stdio.h>

#include "render/metrics.h"

/* One line of the text format: name{label="value"} number.  Names and
 * labels are this file's literals, values numbers: nothing to escape. */
static void
metric(struct buf *b, const char *name, const char *label, const char *lv,
    double v)
{
	char	 line[160];

	if (label != NULL)
		snprintf(line, sizeof(line), "%s{%s=\"%s\"} %.15g\n", name,
		    label, lv, v);
	else
		snprintf(line, sizeof(line), "%s %.15g\n", name, v);
	buf_adds(b, line);
}

/* One line per route group. */
static void
by_group(struct buf *b, const struct metrics_view *m, const char *name,
    const uint64_t *v)
{
	size_t	 i;

	for (i = 0; i < m->ngroups; i++)
		metric(b, name, "group", m->groups[i], (double)v[i]);
}

static void
metric_head(struct buf *b, const char *name, const char *type,
    const char *help)
{
	buf_printf(b, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

void
metrics_text(struct buf *b, const struct metrics_view *m)
{
	metric_head(b, "securebase_up", "gauge", "Whether this node can "
	    "serve its database (1) or not (0: away, or another schema).");
	metric(b, "securebase_up", NULL, NULL, m->up);
	metric_head(b, "securebase_db_connections", "gauge", "This node's "
	    "connections to the database, by use.");
	metric(b, "securebase_db_connections", "state", "in_use",
	    m->open - m->idle);
	metric(b, "securebase_db_connections", "state", "idle", m->idle);
	metric_head(b, "securebase_http_requests_total", "counter",
	    "Requests answered by this node since it started, by route "
	    "group.");
	by_group(b, m, "securebase_http_requests_total", m->requests);
	metric_head(b, "securebase_http_server_errors_total", "counter",
	    "Requests answered 5xx by this node since it started, by route "
	    "group.");
	by_group(b, m, "securebase_http_server_errors_total", m->errors);
	metric_head(b, "securebase_schedule_rounds_total", "counter",
	    "Rounds of the plans' scheduler run by this node.");
	metric(b, "securebase_schedule_rounds_total", NULL, NULL,
	    (double)m->rounds);
	if (!m->read)
		return;		/* the practice's own counts need it */
	metric_head(b, "securebase_outbox_messages", "gauge", "Messages "
	    "(mail, SMS) waiting to be sent, or failed for good.");
	metric(b, "securebase_outbox_messages", "state", "queued",
	    (double)m->g.queued);
	metric(b, "securebase_outbox_messages", "state", "failed",
	    (double)m->g.failed);
	metric_head(b, "securebase_alerts_open", "gauge", "Alerts not yet "
	    "acknowledged or resolved.");
	metric(b, "securebase_alerts_open", NULL, NULL,
	    (double)m->g.alerts_open);
	metric_head(b, "securebase_alerts_overdue", "gauge", "High alerts "
	    "open past the practice's escalation delay.");
	metric(b, "securebase_alerts_overdue", NULL, NULL,
	    (double)m->g.alerts_overdue);
	if (m->g.backup_at > 0) {
		metric_head(b, "securebase_backup_age_seconds", "gauge",
		    "Seconds since the last verified backup (securebase "
		    "backup) was made.");
		metric(b, "securebase_backup_age_seconds", NULL, NULL,
		    (double)(m->now - m->g.backup_at));
	}
}
