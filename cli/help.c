/*
 * help.c - the manual pages printed by --help and `securebase help CMD`.
 *
 * Kept beside each other so that the whole interface can be read, and
 * checked against docs/ and the README, in one place.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"

struct page {
	const char	*cmd;
	const char	*usage;
	const char	*text;
};

static const char common_exit[] =
"EXIT STATUS\n"
"     0   success\n"
"     1   runtime error: bad data, a file that cannot be read, a licence\n"
"         that does not allow the action (the message names what and where)\n"
"     2   usage error: unknown command or option, missing argument\n";

static const struct page pages[] = {
{ NULL,
"securebase [--instruments DIR] [--licences FILE] COMMAND [ARGS]",
"DESCRIPTION\n"
"     securebase supports attachment-based therapy: validated questionnaires\n"
"     scored exactly, change statistics, and (in later releases) the\n"
"     practice record, relationship maps and narrative work.\n"
"\n"
"COMMANDS\n"
"     instruments list|show|check|permit   the questionnaires and their rules\n"
"     score ID [FILE|-]                    score a CSV of item answers\n"
"     psychometrics ID [FILE|-]            reliability analysis of a data file\n"
"     administer ID                        ask the items in the terminal\n"
"     change ID --pre X --post Y           reliable and clinically significant\n"
"                                          change (Jacobson & Truax)\n"
"     help [COMMAND]                       a command's manual page\n"
"\n"
"GLOBAL OPTIONS (before the command)\n"
"     --instruments DIR   also load *.instrument files from DIR; a file with\n"
"                         the id of a shipped instrument replaces it\n"
"                         (default: $SECUREBASE_INSTRUMENTS)\n"
"     --licences FILE     permissions recorded for licensed instruments\n"
"                         (default: $SECUREBASE_LICENCES)\n"
"     --version           print the version\n" },

{ "instruments",
"securebase instruments list [--json]\n"
"       securebase instruments show ID [--json]\n"
"       securebase instruments check FILE...\n"
"       securebase instruments permit ID --by NAME --reference TEXT",
"DESCRIPTION\n"
"     list    every instrument: id, items, licence state (enabled, or\n"
"             disabled until permission is recorded), title.\n"
"     show    one instrument: citation, licence terms, instructions, items\n"
"             in canonical published order with their options and values\n"
"             (R marks a reverse-keyed item), scores with their method,\n"
"             items, missing-data rule, bands and norms, critical items,\n"
"             LOINC codes, sources and everything marked UNVERIFIED.\n"
"     check   validate definition files; prints \"FILE: ok\" or every error\n"
"             as FILE:LINE: message. The format is described in\n"
"             docs/instrument-format.md.\n"
"     permit  record that permission to use an instrument was obtained\n"
"             (appended to the --licences file with today's date); the\n"
"             instrument is enabled from then on.\n"
"\n"
"OPTIONS\n"
"     --json             machine-readable output\n"
"     --by NAME          who records the permission\n"
"     --reference TEXT   where the permission is (letter, e-mail, licence no.)\n" },

{ "score",
"securebase score ID [FILE|-] [--format csv|json] [--missing VALUE]\n"
"                        [--scale MIN-MAX]",
"DESCRIPTION\n"
"     Scores every row of a CSV (or tab-separated) file whose header names\n"
"     the item columns: q1..qN in published order (ecr-rs: mother.q1 ..\n"
"     friend.q9). A column named id is carried through; other columns are\n"
"     ignored. A cell holds the value of the chosen option before any\n"
"     reversal, on the instrument's published response scale (for example\n"
"     RSES 0 = strongly disagree .. 3 = strongly agree; ECR family 1 .. 7);\n"
"     an empty cell is a missing answer. Reads standard input when FILE is\n"
"     - or absent.\n"
"\n"
"     Scores follow each instrument's missing-data rule: a score the rule\n"
"     does not allow is empty (csv) or null (json), never guessed.\n"
"     Nothing is written unless every row is valid; the first bad row is\n"
"     named with its line and column.\n"
"\n"
"     Licensed instruments score existing data even while disabled.\n"
"\n"
"OPTIONS\n"
"     --format csv|json   csv (default): row, id, one column per score, a\n"
"                         <score>.band column per banded score, answered,\n"
"                         flags. json: one object per row,\n"
"                         {\"row\": 1, \"id\": \"a\", \"scores\": {\"total\": 12},\n"
"                          \"bands\": {\"total\": \"Moderate\"},\n"
"                          \"flags\": [\"critical:q9\"], \"answered\": 9}\n"
"     --missing VALUE     a cell equal to VALUE is a missing answer too\n"
"                         (e.g. --missing 0 for openpsychometrics files)\n"
"     --scale MIN-MAX     answers were given on this scale instead of the\n"
"                         published one (e.g. 1-5 for a 5-point ECR);\n"
"                         reversal becomes (MIN + MAX) - value\n"
"\n"
"EXAMPLES\n"
"     securebase score phq9 answers.csv --format json\n"
"     securebase score ecr data.csv --scale 1-5 --missing 0\n" },

{ "psychometrics",
"securebase psychometrics ID [FILE|-] [--missing VALUE] [--scale MIN-MAX]\n"
"                        [--complete] [--json]",
"DESCRIPTION\n"
"     Reliability analysis of a data file in the format `score` reads, for\n"
"     a practice to check its own data quality: for every sum or mean\n"
"     score, the number of complete rows, Cronbach's alpha, the score's mean\n"
"     and SD, and for every item its mean and SD (after reversal), the\n"
"     corrected item-total correlation and alpha if the item were dropped.\n"
"     Rows missing any item of a score are left out of that score\n"
"     (listwise). Figures describe this sample; they are not norms.\n"
"\n"
"OPTIONS\n"
"     --missing VALUE, --scale MIN-MAX   as for score\n"
"     --complete                         use only rows that answer every\n"
"                                        scored item (else listwise per score)\n"
"     --json                             machine-readable output\n" },

{ "administer",
"securebase administer ID",
"DESCRIPTION\n"
"     Asks the items of an instrument one at a time in the terminal, with\n"
"     the instrument's instructions, response options and progress, then\n"
"     prints the scores, bands and any critical-item flags. Answers are\n"
"     typed as the option's value. At any item:\n"
"         b   go back one item        s   skip this item\n"
"         q   stop without scoring    ?   show these keys\n"
"     Skipped items are missing answers; a score that the missing-data rule\n"
"     does not allow is shown as \"not scored\".\n"
"\n"
"     An instrument whose licence needs permission cannot be administered\n"
"     until permission is recorded (see instruments permit).\n"
"     Storing the administration in a practice record (--client) comes\n"
"     with the practice database.\n" },

{ "change",
"securebase change ID --pre X --post Y [--score NAME] [--criterion a|b|c]\n"
"                        [--json]",
"DESCRIPTION\n"
"     Jacobson & Truax (1991) reliable change index and clinically\n"
"     significant change between two scores of one person, using the\n"
"     reliability and the clinical and functional norms stored in the\n"
"     instrument definition. Prints the standard error, S_diff, RC, the\n"
"     smallest reliable change in points, the cut-off of the criterion\n"
"     used and the classification: recovered, improved, unchanged or\n"
"     deteriorated; with the norms and their sources.\n"
"\n"
"OPTIONS\n"
"     --score NAME      which score (default: the first with norms)\n"
"     --criterion a|b|c cut-off: a = 2 SD beyond the clinical mean,\n"
"                       b = within 2 SD of the functional mean, c = the\n"
"                       weighted midpoint (default: c when both norms exist,\n"
"                       else a)\n"
"     --json            machine-readable output\n" },
};

static const struct page *
find(const char *cmd)
{
	size_t	 i;

	for (i = 0; i < sizeof(pages) / sizeof(pages[0]); i++)
		if ((cmd == NULL && pages[i].cmd == NULL) ||
		    (cmd != NULL && pages[i].cmd != NULL &&
		    strcmp(cmd, pages[i].cmd) == 0))
			return &pages[i];
	return NULL;
}

int
help_print(const char *cmd)
{
	const struct page	*p = find(cmd);

	if (p == NULL)
		return usage_error(NULL, "no manual page for \"%.64s\"", cmd);
	printf("SECUREBASE%s%s\n\nSYNOPSIS\n       %s\n\n%s\n%s",
	    cmd ? "-" : "", cmd ? cmd : "", p->usage, p->text, common_exit);
	return EXIT_OK;
}

int
usage_error(const char *cmd, const char *fmt, ...)
{
	const struct page	*p = find(cmd);
	va_list			 ap;

	fprintf(stderr, "securebase%s%s: ", cmd ? " " : "", cmd ? cmd : "");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nusage: %s\n(see: securebase help%s%s)\n",
	    p ? p->usage : "securebase COMMAND", cmd ? " " : "",
	    cmd ? cmd : "");
	return EXIT_USAGE;
}
