/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * sandbox.h - serve gives up, once started, what it never needs, in the
 * spirit of OpenBSD's pledge(2) and unveil(2) (issue 31).
 *
 * A seccomp filter (libseccomp) refuses, with EPERM, the system calls a
 * web application of ours never makes and an attacker who took it over
 * would: process creation (execve, fork, clone without CLONE_THREAD),
 * ptrace and reading other processes' memory, mounts and namespaces,
 * kernel modules and kexec, the kernel keyrings, raw and packet sockets,
 * bpf and perf.  The kernel logs each refusal (SECCOMP_FILTER_FLAG_LOG).
 * Threads still start (clone with CLONE_THREAD; clone3 answers ENOSYS,
 * so that the C library falls back to clone, whose flags the filter can
 * read).
 *
 * Landlock, where the kernel offers it, limits files: read and write in
 * the practice's directory (the database, its journal and lock) and the
 * temporary directory; read only of the key (or passphrase) file, the
 * system's libraries, certificates, fonts and time zones, the few files
 * under /etc, /proc, /sys and /dev the libraries read, and libpq's and
 * libcurl's own (~/.pgpass, ~/.postgresql, the files PGSSLCERT and the
 * like name); nothing may be executed.  /etc/shadow, the rest of /etc, /home and /root are out
 * of reach.  The network is not limited by Landlock (mail, SMS and
 * PostgreSQL are reached by address).
 *
 * Applied in web_serve() before any thread starts, so that every thread
 * runs under both.
 */
#ifndef SB_SANDBOX_H
#define SB_SANDBOX_H

#include <stdbool.h>
#include <stddef.h>

struct sandbox_paths {
	const char	*db;		/* the practice (a file, or a URL) */
	const char	*key_file;	/* or NULL */
	const char	*passphrase_file;	/* or NULL */
};

/*
 * Enters the sandbox.  false with why said in err when seccomp could not
 * be set (serve stops: it does not run without it).  *landlock_abi is
 * the kernel's Landlock version in use, 0 when it offers none (said in
 * note, for the log).
 */
bool	 sandbox_enter(const struct sandbox_paths *, int *landlock_abi,
	    char *note, size_t notesz, char *err, size_t errsz);

#endif
