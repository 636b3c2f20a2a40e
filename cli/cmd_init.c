/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * cmd_init.c - `securebase init`: a new practice, its key and its first admin.
 */
#include <stdio.h>

#include "cli/cli.h"
#include "store/store.h"

/* The settings given to init: the FHIR base, the support text. */
static int
set_given(const char *db, const struct store_key *key, const char *admin,
    const char *base, const char *crisis)
{
	struct store	*s;
	char		 err[1024];
	enum sb_err	 e;

	if (store_open(db, key, &s, err, sizeof(err)) != SB_OK) {
		fprintf(stderr, "securebase init: %s\n", err);
		return EXIT_RUNTIME;
	}
	if ((e = store_act_as(s, admin)) == SB_OK && base != NULL)
		e = store_setting_set(s, SET_FHIR_BASE, base);
	if (e == SB_OK && crisis != NULL)
		e = store_setting_set(s, SET_CRISIS_TEXT, crisis);
	if (e != SB_OK)
		fprintf(stderr, "securebase init: the practice was made, but "
		    "its settings were not: %s\n", store_errmsg(s));
	store_close(s);
	return e == SB_OK ? EXIT_OK : EXIT_RUNTIME;
}

int
cmd_init(const struct ctx *ctx, int argc, char **argv)
{
	const char	*pos[1], *admin = NULL, *pwfile = NULL, *base = NULL;
	const char	*crisis = NULL;
	struct opt	 opts[] = {
		{ "admin", &admin, NULL, NULL },
		{ "admin-password-file", &pwfile, NULL, NULL },
		{ "fhir-base", &base, NULL, NULL },
		{ "crisis-text", &crisis, NULL, NULL },
		{ NULL, NULL, NULL, NULL }
	};
	char		 pw[SECRET_MAX], kf[4200], err[1024];
	struct store_key key;
	size_t		 npos;
	int		 rc;

	if ((rc = opts_parse("init", argc, argv, opts, pos, 0, 0, &npos)) !=
	    EXIT_OK)
		return rc == EXIT_HELPED ? EXIT_OK : rc;
	if (ctx->db == NULL || admin == NULL)
		return usage_error("init", "init needs --db PATH and --admin "
		    "NAME");
	if (base != NULL && !store_fhir_base_ok(base))
		return usage_error("init", "--fhir-base is the practice's FHIR "
		    "base URL, https://host/path/ ending in / (printable ASCII, "
		    "no spaces, ? # or |)");
	if ((rc = cli_key(ctx, "init", &key, kf, sizeof(kf))) != EXIT_OK)
		return rc;
	if ((rc = cli_read_secret(pwfile, "Password for the admin: ", pw,
	    sizeof(pw))) != EXIT_OK)
		return rc;
	rc = store_init(ctx->db, &key, admin, pw, err, sizeof(err)) == SB_OK ?
	    EXIT_OK : EXIT_RUNTIME;
	mem_wipe(pw, sizeof(pw));
	if (rc != EXIT_OK) {
		fprintf(stderr, "securebase init: %s\n", err);
		return rc;
	}
	/* The FHIR base is a setting like any other: changed later with
	 * `settings set fhir-base`. */
	if ((base != NULL || crisis != NULL) && (rc = set_given(ctx->db, &key,
	    admin, base, crisis)) != EXIT_OK)
		return rc;
	store_target_shown(ctx->db, err, sizeof(err));
	if (key.file != NULL)
		printf("Created the practice %s with admin %s.\nIts key is %s: "
		    "keep it secret, keep it apart from backups, and never lose "
		    "it (without it the records cannot be read).\n", err,
		    admin, key.file);
	else
		printf("Created the practice %s with admin %s.\nIts key is "
		    "derived from the passphrase: without the passphrase the "
		    "records cannot be read.\n", err, admin);
	/* A client with a risk answer reads this text: without the
	 * practice's local numbers it names no one to call. */
	if (crisis == NULL)
		fprintf(stderr, "securebase init: warning: no local crisis "
		    "number yet: securebase settings set crisis-text \"... "
		    "tel:NUMBER ...\" (or init --crisis-text); until then "
		    "clients see general advice only\n");
	return EXIT_OK;
}
