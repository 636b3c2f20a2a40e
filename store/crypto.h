/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * crypto.h - the practice key, field encryption and password hashing,
 * on libsodium.
 *
 * One 32-byte master key lives in a key file outside the database (or is
 * derived from a passphrase with Argon2id).  Subkeys are derived from it
 * with crypto_kdf for each purpose, so that the audit MAC key is never the
 * encryption key.  The keys live in sodium_malloc()ed memory (guarded,
 * locked where the system allows) and are wiped when freed.
 *
 * A sealed field is nonce (24 bytes) || XChaCha20-Poly1305 ciphertext; the
 * associated data names table, column and row id, so a ciphertext copied
 * to another row or column does not decrypt.
 *
 * Ownership: keys_create()/keys_load() return keys freed by keys_free().
 */
#ifndef SB_CRYPTO_H
#define SB_CRYPTO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "core/err.h"

#define KEY_BYTES	32
#define MAC_BYTES	32
#define PWHASH_BYTES	128	/* crypto_pwhash_STRBYTES */
#define SEAL_MAX	(16 * 1024 * 1024)	/* largest field sealed */

struct keys {
	unsigned char	 master[KEY_BYTES];
	unsigned char	 enc[KEY_BYTES];	/* field encryption */
	unsigned char	 audit[KEY_BYTES];	/* audit chain MAC */
	unsigned char	 check[KEY_BYTES];	/* "is this the right key" */
	unsigned char	 pseudo[KEY_BYTES];	/* research pseudonyms */
	unsigned char	 login[KEY_BYTES];	/* login back-off keys */
	unsigned char	 rows[KEY_BYTES];	/* row seals (rows.h) */
	unsigned char	 backup[KEY_BYTES];	/* backup sums (backup.h) */
	unsigned char	 addr[KEY_BYTES];	/* address tags */
};

enum sb_err	 crypto_start(void) SB_MUST;
/* Writes a new random key file (O_EXCL, mode 0600). */
enum sb_err	 keys_create(const char *keyfile, struct keys **, char *err,
		    size_t errsz) SB_MUST;
enum sb_err	 keys_load(const char *keyfile, struct keys **, char *err,
		    size_t errsz) SB_MUST;
#define SALT_BYTES	16	/* crypto_pwhash_SALTBYTES */
#define PASSPHRASE_MIN	12
#define PASSPHRASE_MAX	1024

/* Derives the master key from a passphrase and a salt (Argon2id). */
enum sb_err	 keys_from_passphrase(const char *pass, size_t len,
		    const unsigned char *salt, struct keys **) SB_MUST;
/* The same, with the passphrase read from a file (one line). */
enum sb_err	 keys_from_passphrase_file(const char *path,
		    const unsigned char *salt, struct keys **, char *err,
		    size_t errsz) SB_MUST;
void		 random_bytes(void *, size_t);
void		 keys_free(struct keys *);

/* A MAC of a fixed text under the check subkey, kept in the database. */
void		 keys_check_value(const struct keys *, unsigned char *out);
/*
 * A client's pseudonym: 16 hex digits of a MAC of the id under its own
 * subkey.  Stable for the practice key, meaningless without it.
 */
void		 keys_pseudonym(const struct keys *, int64_t client,
		    char out[17]);
/* A keyed hash of an imported record's source (system and value), to
 * find it again without keeping the identifier in the clear. */
#define SOURCE_KEY_BYTES	32
void		 keys_source_key(const struct keys *, const char *system,
		    const char *value, unsigned char out[SOURCE_KEY_BYTES]);
/* 16 hex digits that are this practice's alone (its default FHIR base). */
void		 keys_practice_tag(const struct keys *, char out[17]);

/*
 * The key a failed login is counted under: 32 hex digits of a MAC of
 * (name, address) under its own subkey, so that what was typed into the
 * name field (a password, sometimes) is never kept.
 */
void		 keys_login_tag(const struct keys *, const char *name,
		    const char *from, char out[33]);

/*
 * A staff address's or phone number's tag: a MAC of the text under its
 * own subkey, kept beside the sealed address so that SQL can tell that
 * two are the same (a message to the therapist's own address) without
 * the address in the clear.
 */
#define ADDR_TAG_BYTES	32
void		 keys_addr_tag(const struct keys *, const char *addr,
		    unsigned char out[ADDR_TAG_BYTES]);

enum sb_err	 field_seal(const struct keys *, const char *table,
		    const char *column, int64_t id, const void *pt, size_t n,
		    struct buf *out) SB_MUST;
/* SB_EPERM when the ciphertext does not authenticate. */
enum sb_err	 field_open(const struct keys *, const char *table,
		    const char *column, int64_t id, const void *ct, size_t n,
		    struct buf *out) SB_MUST;

/* Argon2id (libsodium's interactive limits); out is PWHASH_BYTES. */
enum sb_err	 pw_hash(const char *pw, char *out) SB_MUST;
/*
 * SB_OK when pw matches hash, SB_EPERM when it does not, SB_ENOMEM when
 * it could not be checked (Argon2id's 64 MiB not to be had): never a
 * "wrong password" for a right one that met low memory.
 */
enum sb_err	 pw_verify(const char *hash, const char *pw) SB_MUST;
bool		 pw_needs_rehash(const char *hash);

#endif
