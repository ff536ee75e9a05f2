/* trust_store: the sandbox's own view of the system certificate folder (/etc/ssl/certs on
 * Debian), with the run's CA added, so every client that trusts the system trusts it. The
 * host's folder is never written: a tmpfs with copies of its entries is bound over it
 * inside the sandbox's mount namespace. */
#ifndef MCPAUDIT_TRUST_STORE_H
#define MCPAUDIT_TRUST_STORE_H

#include <stddef.h>

#define TRUST_STORE_DIR "/etc/ssl/certs"
#define TRUST_STORE_BUNDLE "ca-certificates.crt" /* the PEM bundle in it */
#define TRUST_STORE_MAX ((size_t)16 << 20)      /* the tmpfs: copies and the bundle */

/* To be called in a private mount namespace, before the tree is made read-only. Makes
 * stage (a new folder on a scratch file system) a tmpfs; fills it with the entries of
 * TRUST_STORE_DIR (symbolic links as they are, regular files copied, folders bound), the
 * bundle with pem appended (the bundle is created when the host has none), and pem alone
 * as hashed_name ("1a2b3c4d.0", the name OpenSSL's hashed lookup asks for); then binds it
 * over TRUST_STORE_DIR. Returns 0; 1 when the host has no such folder (nothing done: a
 * mount point cannot be made without writing the host); -1 with err on failure. */
int trust_store_add(const char *stage, const char *pem, const char *hashed_name, char *err, size_t errlen);

#define TRUST_STORE_VENDORED_DEPTH 12 /* folders deep a vendored bundle is looked for */

/* Python's certifi bundle vendored in the server's folder (a virtualenv, a vendored
 * site-packages): a client given cafile=certifi.where() reads it and no variable, so each
 * <...>/certifi/cacert.pem under folder (the sandbox's writable view of the working folder,
 * never the host's) gets pem appended. Symbolic links are not followed, nor folders deeper
 * than TRUST_STORE_VENDORED_DEPTH. Returns how many bundles were changed, or -1 with err. */
int trust_store_add_vendored(const char *folder, const char *pem, char *err, size_t errlen);

/* One folder of that walk, for a caller that walks the folder anyway (the sandbox hands
 * each folder to the server's uid): dfd (borrowed) is a folder named name (its last
 * component; "" for the top), at most TRUST_STORE_VENDORED_DEPTH deep, reached without
 * following links. Appends pem to its cacert.pem when name is "certifi". Returns 1 when a
 * bundle was changed, 0 when none, -1 with err. */
int trust_store_vendored_folder(int dfd, const char *name, const char *pem, char *err, size_t errlen);

#endif
