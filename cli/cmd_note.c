/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * cmd_note.c - `securebase note`: session notes, typed or written in $EDITOR.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli/cli.h"
#include "store/store.h"
#include "app/io.h"

/*
 * The note being edited lives in a directory only we can enter (0700),
 * and both go when the edit ends, or when we are stopped by a signal: a
 * clinical note never stays in /tmp in plaintext.  The handler uses only
 * unlink() and rmdir(), which are async-signal-safe.
 */
static char	 note_dir[512], note_path[600];

static void
note_cleanup(void)
{
	if (note_path[0] != '\0')
		unlink(note_path);
	if (note_dir[0] != '\0')
		rmdir(note_dir);
}

static void
note_signal(int sig)
{
	note_cleanup();
	signal(sig, SIG_DFL);
	raise(sig);
}

/* Runs $EDITOR on an empty private file and reads what was written. */
static int
note_from_editor(struct buf *b)
{
	static const int sigs[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT };
	const char	*ed = getenv("EDITOR"), *tmp = getenv("TMPDIR");
	char		 err[512];
	pid_t		 pid;
	size_t		 i;
	int		 fd, st;

	if (ed == NULL || ed[0] == '\0')
		ed = "vi";
	if (tmp == NULL || tmp[0] != '/' || strlen(tmp) > 400)
		tmp = "/tmp";
	snprintf(note_dir, sizeof(note_dir), "%s/securebase-note-XXXXXX", tmp);
	if (mkdtemp(note_dir) == NULL) {
		fprintf(stderr, "securebase note: %s: %s\n", tmp,
		    strerror(errno));
		note_dir[0] = '\0';
		return EXIT_RUNTIME;
	}
	snprintf(note_path, sizeof(note_path), "%s/note.txt", note_dir);
	for (i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		signal(sigs[i], note_signal);
	if ((fd = open(note_path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW |
	    O_CLOEXEC, 0600)) == -1) {
		note_cleanup();
		return EXIT_RUNTIME;
	}
	close(fd);
	if ((pid = fork()) == 0) {
		/* Through the shell, so that EDITOR="code --wait" works as
		 * it does for git; the file name is passed as $1, unquoted
		 * nowhere. */
		for (i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
			signal(sigs[i], SIG_DFL);
		setenv("SB_EDITOR", ed, 1);
		execl("/bin/sh", "sh", "-c", "exec $SB_EDITOR \"$1\"", "sh",
		    note_path, (char *)NULL);
		_exit(127);
	}
	if (pid == -1 || waitpid(pid, &st, 0) == -1 || !WIFEXITED(st) ||
	    WEXITSTATUS(st) != 0 ||
	    io_read_file(note_path, STORE_MAX_TEXT, b, err, sizeof(err)) !=
	    SB_OK) {
		note_cleanup();
		fprintf(stderr, "securebase note: the editor failed; nothing "
		    "saved\n");
		return EXIT_RUNTIME;
	}
	/* The plaintext file lived only for the edit. */
	note_cleanup();
	return EXIT_OK;
}

int
cmd_note(const struct ctx *ctx, int argc, char **argv)
{
	const char	*pos[1], *client = NULL;
	bool		 json = false;
	struct opt	 opts[] = {
		{ "client", &client, NULL, NULL },
		{ "json", NULL, &json, NULL },
		{ NULL, NULL, NULL, NULL }
	};
	struct store	*s;
	struct buf	 text;
	char		 err[512];
	size_t		 npos;
	int64_t		 cid, id;
	int		 rc;
	enum sb_err	 e;

	if ((rc = opts_parse("note", argc, argv, opts, pos, 1, 1, &npos)) !=
	    EXIT_OK)
		return rc == EXIT_HELPED ? EXIT_OK : rc;
	if (strcmp(pos[0], "add") != 0 || !cli_id(client, &cid))
		return usage_error("note", "note add needs --client ID");
	if ((s = cli_store(ctx, "note", true, &rc)) == NULL)
		return rc;
	rc = EXIT_OK;
	if (isatty(STDIN_FILENO))
		rc = note_from_editor(&text);
	else if (io_read_file("-", STORE_MAX_TEXT, &text, err, sizeof(err)) !=
	    SB_OK) {
		fprintf(stderr, "securebase note: %s (notes are at most %d "
		    "bytes)\n", err, STORE_MAX_TEXT);
		rc = EXIT_RUNTIME;
	}
	if (rc != EXIT_OK) {
		store_close(s);
		return rc;
	}
	if ((e = store_note_add(s, cid, text.data, &id)) == SB_OK)
		cli_print_id(json, "note", id);
	buf_wipe(&text);
	return cli_done(s, "note", e);
}
