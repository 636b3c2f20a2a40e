/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * crypto.c - keys, sealed fields, passwords.  See crypto.h.
 */
/* MAP_ANONYMOUS (memory_for) is not in POSIX 2008. */
#define _DEFAULT_SOURCE
#include <errno.h>
#include <sys/mman.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

#include "store/crypto.h"

#define KDF_CONTEXT	"sbpract1"	/* 8 bytes, fixed forever */
#define AD_MAX		160

enum sb_err
crypto_start(void)
{
	return sodium_init() < 0 ? SB_EIO : SB_OK;
}

static struct keys *
keys_alloc(void)
{
	struct keys	*k;

	if ((k = sodium_malloc(sizeof(*k))) != NULL)
		sodium_memzero(k, sizeof(*k));
	return k;
}

static void
derive(struct keys *k)
{
	crypto_kdf_derive_from_key(k->enc, KEY_BYTES, 1, KDF_CONTEXT,
	    k->master);
	crypto_kdf_derive_from_key(k->audit, KEY_BYTES, 2, KDF_CONTEXT,
	    k->master);
	crypto_kdf_derive_from_key(k->check, KEY_BYTES, 3, KDF_CONTEXT,
	    k->master);
	crypto_kdf_derive_from_key(k->pseudo, KEY_BYTES, 4, KDF_CONTEXT,
	    k->master);
	crypto_kdf_derive_from_key(k->login, KEY_BYTES, 5, KDF_CONTEXT,
	    k->master);
	crypto_kdf_derive_from_key(k->rows, KEY_BYTES, 6, KDF_CONTEXT,
	    k->master);
	crypto_kdf_derive_from_key(k->backup, KEY_BYTES, 7, KDF_CONTEXT,
	    k->master);
	crypto_kdf_derive_from_key(k->addr, KEY_BYTES, 8, KDF_CONTEXT,
	    k->master);
}

void
keys_addr_tag(const struct keys *k, const char *addr,
    unsigned char out[ADDR_TAG_BYTES])
{
	crypto_generichash(out, ADDR_TAG_BYTES, (const unsigned char *)addr,
	    strlen(addr), k->addr, KEY_BYTES);
}

void
keys_login_tag(const struct keys *k, const char *name, const char *from,
    char out[33])
{
	crypto_generichash_state	 h;
	unsigned char			 mac[16];

	crypto_generichash_init(&h, k->login, KEY_BYTES, sizeof(mac));
	/* NUL-separated: ("ab", "c") and ("a", "bc") differ. */
	crypto_generichash_update(&h, (const unsigned char *)name,
	    strlen(name) + 1);
	crypto_generichash_update(&h, (const unsigned char *)from,
	    strlen(from) + 1);
	crypto_generichash_final(&h, mac, sizeof(mac));
	sodium_bin2hex(out, 33, mac, sizeof(mac));
}

void
keys_pseudonym(const struct keys *k, int64_t client, char out[17])
{
	unsigned char	 mac[8];
	char		 text[32];

	snprintf(text, sizeof(text), "client:%lld", (long long)client);
	crypto_generichash(mac, sizeof(mac), (const unsigned char *)text,
	    strlen(text), k->pseudo, KEY_BYTES);
	sodium_bin2hex(out, 17, mac, sizeof(mac));
}

void
keys_source_key(const struct keys *k, const char *system, const char *value,
    unsigned char out[SOURCE_KEY_BYTES])
{
	crypto_generichash_state	 h;

	/* Domain first, and the system's NUL: "a|b" + "c" and "a" + "b|c"
	 * stay apart. */
	crypto_generichash_init(&h, k->pseudo, KEY_BYTES, SOURCE_KEY_BYTES);
	crypto_generichash_update(&h, (const unsigned char *)"import-source",
	    14);
	crypto_generichash_update(&h, (const unsigned char *)system,
	    strlen(system) + 1);
	crypto_generichash_update(&h, (const unsigned char *)value,
	    strlen(value));
	crypto_generichash_final(&h, out, SOURCE_KEY_BYTES);
}

void
keys_practice_tag(const struct keys *k, char out[17])
{
	unsigned char	 mac[8];

	crypto_generichash(mac, sizeof(mac), (const unsigned char *)
	    "practice-tag", 12, k->pseudo, KEY_BYTES);
	sodium_bin2hex(out, 17, mac, sizeof(mac));
}

void
keys_free(struct keys *k)
{
	if (k != NULL)
		sodium_free(k);		/* wipes before freeing */
}

enum sb_err
keys_create(const char *path, struct keys **out, char *err, size_t errsz)
{
	struct keys	*k;
	int		 fd;
	ssize_t		 w;

	*out = NULL;
	if ((k = keys_alloc()) == NULL)
		return SB_ENOMEM;
	randombytes_buf(k->master, KEY_BYTES);
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd == -1) {
		snprintf(err, errsz, "%s: %s", path, strerror(errno));
		keys_free(k);
		return SB_EIO;
	}
	w = write(fd, k->master, KEY_BYTES);
	if (w != KEY_BYTES || fsync(fd) == -1 || close(fd) == -1) {
		snprintf(err, errsz, "%s: cannot write the key", path);
		unlink(path);
		keys_free(k);
		return SB_EIO;
	}
	derive(k);
	*out = k;
	return SB_OK;
}

enum sb_err
keys_load(const char *path, struct keys **out, char *err, size_t errsz)
{
	struct keys	*k;
	struct stat	 st;
	int		 fd;
	ssize_t		 r;
	unsigned char	 extra;

	*out = NULL;
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1) {
		snprintf(err, errsz, "key file %s: %s", path, strerror(errno));
		return SB_EIO;
	}
	/* A key readable by others is no longer a secret: refuse it, as
	 * ssh does, rather than carry on quietly. */
	if (fstat(fd, &st) == -1 || (st.st_mode & 077) != 0) {
		snprintf(err, errsz, "key file %s: readable by group or others"
		    " (chmod 600 it)", path);
		close(fd);
		return SB_EPERM;
	}
	if ((k = keys_alloc()) == NULL) {
		close(fd);
		return SB_ENOMEM;
	}
	r = read(fd, k->master, KEY_BYTES);
	if (r != KEY_BYTES || read(fd, &extra, 1) != 0) {
		snprintf(err, errsz, "key file %s: not a securebase key "
		    "(expected exactly %d bytes)", path, KEY_BYTES);
		close(fd);
		keys_free(k);
		return SB_EINVAL;
	}
	close(fd);
	derive(k);
	*out = k;
	return SB_OK;
}

enum sb_err
keys_from_passphrase(const char *pass, size_t len, const unsigned char *salt,
    struct keys **out)
{
	struct keys	*k;

	*out = NULL;
	if ((k = keys_alloc()) == NULL)
		return SB_ENOMEM;
	if (crypto_pwhash(k->master, KEY_BYTES, pass, len, salt,
	    crypto_pwhash_OPSLIMIT_MODERATE, crypto_pwhash_MEMLIMIT_MODERATE,
	    crypto_pwhash_ALG_ARGON2ID13) != 0) {
		keys_free(k);
		return SB_ENOMEM;
	}
	derive(k);
	*out = k;
	return SB_OK;
}

enum sb_err
keys_from_passphrase_file(const char *path, const unsigned char *salt,
    struct keys **out, char *err, size_t errsz)
{
	char		*pass;
	int		 fd;
	ssize_t		 n;
	size_t		 len;
	enum sb_err	 e;

	*out = NULL;
	if ((pass = sodium_malloc(PASSPHRASE_MAX + 2)) == NULL)
		return SB_ENOMEM;
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1) {
		snprintf(err, errsz, "passphrase file %s: %s", path,
		    strerror(errno));
		sodium_free(pass);
		return SB_EIO;
	}
	n = read(fd, pass, PASSPHRASE_MAX + 2);
	close(fd);
	len = n > 0 ? (size_t)n : 0;
	while (len > 0 && (pass[len - 1] == '\n' || pass[len - 1] == '\r'))
		len--;
	if (n < 0 || len < PASSPHRASE_MIN || len > PASSPHRASE_MAX ||
	    memchr(pass, '\0', len) != NULL) {
		snprintf(err, errsz, "passphrase file %s: a passphrase is one "
		    "line of %d-%d bytes", path, PASSPHRASE_MIN, PASSPHRASE_MAX);
		sodium_free(pass);
		return SB_EINVAL;
	}
	e = keys_from_passphrase(pass, len, salt, out);
	sodium_free(pass);	/* wipes the passphrase */
	return e;
}

void
random_bytes(void *p, size_t n)
{
	randombytes_buf(p, n);
}

void
keys_check_value(const struct keys *k, unsigned char *out)
{
	static const char	 text[] = "securebase key check v1";

	crypto_generichash(out, MAC_BYTES, (const unsigned char *)text,
	    sizeof(text) - 1, k->check, KEY_BYTES);
}

static size_t
make_ad(char *ad, const char *table, const char *column, int64_t id)
{
	int	 n;

	n = snprintf(ad, AD_MAX, "securebase:v1:%s:%s:%lld", table, column,
	    (long long)id);
	return n < 0 ? 0 : (size_t)n >= AD_MAX ? AD_MAX - 1 : (size_t)n;
}

enum sb_err
field_seal(const struct keys *k, const char *table, const char *column,
    int64_t id, const void *pt, size_t n, struct buf *out)
{
	const size_t		 nb = crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;
	unsigned char		*p;
	char			 ad[AD_MAX];
	size_t			 adn;
	unsigned long long	 clen;
	enum sb_err		 e;

	buf_reset(out);
	if (n > SEAL_MAX)
		return SB_ELIMIT;
	adn = make_ad(ad, table, column, id);
	if ((e = buf_extend(out, nb + n +
	    crypto_aead_xchacha20poly1305_ietf_ABYTES, (char **)&p)) != SB_OK)
		return e;
	/* A random 192-bit nonce per seal: no counter to keep, no reuse. */
	randombytes_buf(p, nb);
	crypto_aead_xchacha20poly1305_ietf_encrypt(p + nb, &clen, pt, n,
	    (const unsigned char *)ad, adn, NULL, p, k->enc);
	out->len = nb + (size_t)clen;
	return SB_OK;
}

enum sb_err
field_open(const struct keys *k, const char *table, const char *column,
    int64_t id, const void *ct, size_t n, struct buf *out)
{
	const size_t		 nb = crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;
	const size_t		 ab = crypto_aead_xchacha20poly1305_ietf_ABYTES;
	const unsigned char	*c = ct;
	unsigned char		*p;
	char			 ad[AD_MAX];
	size_t			 adn;
	unsigned long long	 plen;
	enum sb_err		 e;

	buf_reset(out);
	if (n < nb + ab)
		return SB_EPERM;
	adn = make_ad(ad, table, column, id);
	if ((e = buf_extend(out, n - nb - ab, (char **)&p)) != SB_OK)
		return e;
	if (crypto_aead_xchacha20poly1305_ietf_decrypt(p, &plen, NULL,
	    c + nb, n - nb, (const unsigned char *)ad, adn, c, k->enc) != 0) {
		buf_wipe(out);
		return SB_EPERM;
	}
	out->len = (size_t)plen;
	out->data[out->len] = '\0';
	return SB_OK;
}

enum sb_err
pw_hash(const char *pw, char *out)
{
	if (crypto_pwhash_str(out, pw, strlen(pw),
	    crypto_pwhash_OPSLIMIT_INTERACTIVE,
	    crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
		return SB_ENOMEM;
	return SB_OK;
}

/*
 * Could the memory of this hash's Argon2id (its m=, in KiB) be had now?
 * libsodium gives the same -1 and EINVAL for a failed allocation as for
 * a wrong password (tried: under a capped address space a right password
 * "fails"), so a failure is told apart by trying the allocation.
 */
static bool
memory_for(const char *hash)
{
	const char	*m = strstr(hash, "$m=");
	unsigned long	 kib = 0;
	size_t		 n;
	void		*p;

	if (m != NULL)
		kib = strtoul(m + 3, NULL, 10);
	if (kib == 0 || kib > 4UL * 1024 * 1024)	/* 4 GiB: not ours */
		kib = crypto_pwhash_MEMLIMIT_INTERACTIVE / 1024;
	n = (size_t)kib * 1024;
	if ((p = mmap(NULL, n, PROT_READ | PROT_WRITE, MAP_PRIVATE |
	    MAP_ANONYMOUS, -1, 0)) == MAP_FAILED)
		return false;
	munmap(p, n);
	return true;
}

enum sb_err
pw_verify(const char *hash, const char *pw)
{
	if (crypto_pwhash_str_verify(hash, pw, strlen(pw)) == 0)
		return SB_OK;
	return memory_for(hash) ? SB_EPERM : SB_ENOMEM;
}

bool
pw_needs_rehash(const char *hash)
{
	return crypto_pwhash_str_needs_rehash(hash,
	    crypto_pwhash_OPSLIMIT_INTERACTIVE,
	    crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0;
}
