/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * sandbox.c - seccomp and Landlock for serve.  See sandbox.h.
 */
#define _GNU_SOURCE	/* O_PATH, CLONE_THREAD, syscall() */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <linux/landlock.h>
#include <seccomp.h>

#include "web/sandbox.h"

/* ---- seccomp ---- */

/* Refused outright, with EPERM. */
static const char *const refused[] = {
	"execve", "execveat", "fork", "vfork",
	"ptrace", "process_vm_readv", "process_vm_writev",
	"mount", "umount2", "pivot_root", "chroot", "move_mount",
	"open_tree", "fsopen", "fsmount", "fsconfig", "fspick",
	"unshare", "setns",
	"init_module", "finit_module", "delete_module", "kexec_load",
	"kexec_file_load",
	"add_key", "request_key", "keyctl",
	"bpf", "perf_event_open", "swapon", "swapoff", "reboot",
	"acct", "quotactl", "settimeofday", "clock_settime",
	"userfaultfd", "lookup_dcookie",
};

static bool
seccomp_enter(char *err, size_t errsz)
{
	scmp_filter_ctx	 ctx;
	size_t		 i;
	int		 rc = 0, nr;

	if ((ctx = seccomp_init(SCMP_ACT_ALLOW)) == NULL) {
		snprintf(err, errsz, "seccomp: cannot make a filter");
		return false;
	}
	/* The kernel logs what the filter refuses. */
	(void)seccomp_attr_set(ctx, SCMP_FLTATR_CTL_LOG, 1);
	for (i = 0; rc == 0 && i < sizeof(refused) / sizeof(refused[0]); i++)
		if ((nr = seccomp_syscall_resolve_name(refused[i])) !=
		    __NR_SCMP_ERROR)
			rc = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), nr, 0);
	/* A new process (clone without CLONE_THREAD), not a thread. */
	if (rc == 0)
		rc = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM),
		    SCMP_SYS(clone), 1, SCMP_A0(SCMP_CMP_MASKED_EQ,
		    CLONE_THREAD, 0));
	/* clone3's flags are in memory the filter cannot read: ENOSYS,
	 * and the C library makes its threads with clone. */
	if (rc == 0)
		rc = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(ENOSYS),
		    SCMP_SYS(clone3), 0);
	/* Raw and packet sockets: no one's traffic to read or forge. */
	if (rc == 0)
		rc = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM),
		    SCMP_SYS(socket), 1, SCMP_A0(SCMP_CMP_EQ, AF_PACKET));
	if (rc == 0)
		rc = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM),
		    SCMP_SYS(socket), 1, SCMP_A1(SCMP_CMP_MASKED_EQ, 0xf,
		    SOCK_RAW));
	if (rc == 0)
		rc = seccomp_load(ctx);
	seccomp_release(ctx);
	if (rc != 0) {
		snprintf(err, errsz, "seccomp: %s", strerror(-rc));
		return false;
	}
	return true;
}

/* ---- Landlock ---- */

/* Debian 12's kernel headers (6.1) stop at ABI 2. */
#ifndef LANDLOCK_ACCESS_FS_TRUNCATE
#define LANDLOCK_ACCESS_FS_TRUNCATE	(1ULL << 14)
#endif
#ifndef __NR_landlock_create_ruleset
#define __NR_landlock_create_ruleset	444
#define __NR_landlock_add_rule		445
#define __NR_landlock_restrict_self	446
#endif

#define FS_FILE	(LANDLOCK_ACCESS_FS_EXECUTE | LANDLOCK_ACCESS_FS_WRITE_FILE | \
		LANDLOCK_ACCESS_FS_READ_FILE)
#define FS_READ	(LANDLOCK_ACCESS_FS_READ_FILE | LANDLOCK_ACCESS_FS_READ_DIR)
#define FS_RW	(FS_READ | LANDLOCK_ACCESS_FS_WRITE_FILE | \
		LANDLOCK_ACCESS_FS_REMOVE_FILE | LANDLOCK_ACCESS_FS_MAKE_REG)

/* Read only: what the libraries read (names, certificates, fonts, time
 * zones, the loader's cache); a path that does not exist is left out. */
static const char *const readable[] = {
	"/usr", "/lib", "/lib64", "/lib32", "/bin", "/sbin",
	"/etc/ssl", "/etc/ca-certificates", "/etc/pki", "/etc/fonts",
	"/etc/localtime", "/etc/timezone", "/etc/ld.so.cache",
	"/etc/ld.so.conf", "/etc/ld.so.conf.d", "/etc/resolv.conf",
	"/etc/hosts", "/etc/host.conf", "/etc/nsswitch.conf", "/etc/gai.conf",
	"/etc/services", "/etc/protocols", "/etc/passwd", "/etc/group",
	"/etc/postgresql-common", "/etc/mime.types", "/etc/gnutls",
	"/etc/crypto-policies", "/var/cache/fontconfig",
	"/proc", "/sys/devices/system/cpu", "/sys/fs/cgroup",
	"/dev/urandom", "/dev/random", "/dev/null", "/dev/zero",
	"/run/systemd/resolve",
};

/* Files named by the environment that libpq and libcurl read: a
 * PostgreSQL password or client certificate, a CA bundle. */
static const char *const readable_env[] = {
	"PGPASSFILE", "PGSERVICEFILE", "PGSSLCERT", "PGSSLKEY",
	"PGSSLROOTCERT", "PGSSLCRL", "SSL_CERT_FILE", "SSL_CERT_DIR",
	"CURL_CA_BUNDLE",
};
/* The same under the home directory, where libpq looks by default. */
static const char *const readable_home[] = {
	".pgpass", ".pg_service.conf", ".postgresql",
};

static int
ll_abi(void)
{
	long	 v = syscall(__NR_landlock_create_ruleset, NULL, 0,
	    LANDLOCK_CREATE_RULESET_VERSION);

	return v < 0 ? 0 : (int)v;
}

/* Allows access under path (only the file rights when it is a file). */
static bool
ll_allow(int ruleset, const char *path, uint64_t access, uint64_t handled)
{
	struct landlock_path_beneath_attr	 pb;
	struct stat				 sb;
	int					 fd;
	bool					 ok;

	if ((fd = open(path, O_PATH | O_CLOEXEC)) == -1)
		return errno == ENOENT || errno == EACCES;
	if (fstat(fd, &sb) == 0 && !S_ISDIR(sb.st_mode))
		access &= FS_FILE | LANDLOCK_ACCESS_FS_TRUNCATE;
	pb.allowed_access = access & handled;
	pb.parent_fd = fd;
	ok = syscall(__NR_landlock_add_rule, ruleset,
	    LANDLOCK_RULE_PATH_BENEATH, &pb, 0) == 0;
	close(fd);
	return ok;
}

/* The directory of a file path ("." for a bare name). */
static void
dir_of(const char *path, char *out, size_t n)
{
	const char	*slash = strrchr(path, '/');

	if (slash == NULL)
		snprintf(out, n, ".");
	else if (slash == path)
		snprintf(out, n, "/");
	else
		snprintf(out, n, "%.*s", (int)(slash - path), path);
}

static bool
landlock_enter(const struct sandbox_paths *p, int abi, char *err,
    size_t errsz)
{
	struct landlock_ruleset_attr	 ra;
	uint64_t			 handled, rw;
	const char			*tmp = getenv("TMPDIR"), *v;
	char				 dir[PATH_MAX];
	size_t				 i;
	int				 rs;
	bool				 ok = true;

	handled = FS_RW | LANDLOCK_ACCESS_FS_EXECUTE |
	    LANDLOCK_ACCESS_FS_REMOVE_DIR | LANDLOCK_ACCESS_FS_MAKE_CHAR |
	    LANDLOCK_ACCESS_FS_MAKE_DIR | LANDLOCK_ACCESS_FS_MAKE_SOCK |
	    LANDLOCK_ACCESS_FS_MAKE_FIFO | LANDLOCK_ACCESS_FS_MAKE_BLOCK |
	    LANDLOCK_ACCESS_FS_MAKE_SYM;
	if (abi >= 2)
		handled |= LANDLOCK_ACCESS_FS_REFER;
	if (abi >= 3)
		handled |= LANDLOCK_ACCESS_FS_TRUNCATE;
	rw = FS_RW | (abi >= 3 ? LANDLOCK_ACCESS_FS_TRUNCATE : 0);
	memset(&ra, 0, sizeof(ra));
	ra.handled_access_fs = handled;
	if ((rs = (int)syscall(__NR_landlock_create_ruleset, &ra, sizeof(ra),
	    0)) < 0) {
		snprintf(err, errsz, "landlock: %s", strerror(errno));
		return false;
	}
	for (i = 0; ok && i < sizeof(readable) / sizeof(readable[0]); i++)
		ok = ll_allow(rs, readable[i], FS_READ, handled);
	for (i = 0; ok && i < sizeof(readable_env) / sizeof(readable_env[0]);
	    i++)
		if ((v = getenv(readable_env[i])) != NULL && v[0] == '/')
			ok = ll_allow(rs, v, FS_READ, handled);
	for (i = 0; ok && (v = getenv("HOME")) != NULL && v[0] == '/' &&
	    i < sizeof(readable_home) / sizeof(readable_home[0]); i++) {
		snprintf(dir, sizeof(dir), "%s/%s", v, readable_home[i]);
		ok = ll_allow(rs, dir, FS_READ, handled);
	}
	/* The database's directory: its journal, WAL and lock come and go
	 * there.  A server's database is reached by address. */
	if (ok && p->db != NULL && strstr(p->db, "://") == NULL) {
		dir_of(p->db, dir, sizeof(dir));
		ok = ll_allow(rs, dir, rw, handled);
	}
	if (ok && p->key_file != NULL)
		ok = ll_allow(rs, p->key_file, FS_READ, handled);
	if (ok && p->passphrase_file != NULL)
		ok = ll_allow(rs, p->passphrase_file, FS_READ, handled);
	/* Large results wait in a temporary file (unlinked at once). */
	if (ok)
		ok = ll_allow(rs, tmp != NULL && tmp[0] == '/' ? tmp : "/tmp",
		    rw, handled);
	if (!ok) {
		snprintf(err, errsz, "landlock: a rule: %s", strerror(errno));
		close(rs);
		return false;
	}
	if (syscall(__NR_landlock_restrict_self, rs, 0) != 0) {
		snprintf(err, errsz, "landlock: %s", strerror(errno));
		close(rs);
		return false;
	}
	close(rs);
	return true;
}

bool
sandbox_enter(const struct sandbox_paths *p, int *landlock_abi, char *note,
    size_t notesz, char *err, size_t errsz)
{
	/* Neither may be undone, nor lifted by running something setuid. */
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) {
		snprintf(err, errsz, "no_new_privs: %s", strerror(errno));
		return false;
	}
	note[0] = '\0';
	if ((*landlock_abi = ll_abi()) == 0)
		snprintf(note, notesz, "this kernel offers no Landlock (%s): "
		    "files are not limited beyond their permissions",
		    strerror(errno));
	else if (!landlock_enter(p, *landlock_abi, err, errsz))
		return false;
	return seccomp_enter(err, errsz);
}
