/* tls_ca: a per-run CA and the leaves it mints per name (RFC 5280 sections 4.1 and 4.2.1). */
#include "tracer/tls_ca.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509v3.h>

#include "core/strbuf.h"

#define DAY_SECONDS (24L * 60 * 60)
#define CA_DAYS 90
#define LEAF_DAYS 30 /* under every client's limit on leaf lifetimes (398 days) */
#define NAME_MAX_LEN 253

struct leaf {
	char *name;
	X509 *cert;
};

struct tls_ca {
	EVP_PKEY *key;      /* the CA's */
	X509 *cert;
	EVP_PKEY *leaf_key; /* one key for every leaf: minting is then one signature */
	char *pem;
	struct leaf *leaves;
	size_t n_leaves, minted;
};

static void openssl_error(char *err, size_t errlen, const char *what)
{
	unsigned long e = ERR_get_error();
	char text[256] = "unknown error";

	if (e)
		ERR_error_string_n(e, text, sizeof text);
	ERR_clear_error();
	snprintf(err, errlen, "tls: %s: %s", what, text);
}

/* A random positive 127-bit serial (RFC 5280 4.1.2.2: unique, at most 20 octets). */
static bool set_serial(X509 *x)
{
	unsigned char bytes[16];
	BIGNUM *bn;
	bool ok;

	if (RAND_bytes(bytes, sizeof bytes) != 1)
		return false;
	bytes[0] &= 0x7f;
	bn = BN_bin2bn(bytes, sizeof bytes, NULL);
	ok = bn && BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(x)) != NULL;
	BN_free(bn);
	return ok;
}

static bool add_ext(X509 *x, X509V3_CTX *ctx, int nid, const char *value)
{
	X509_EXTENSION *ext = X509V3_EXT_conf_nid(NULL, ctx, nid, value);
	bool ok = ext && X509_add_ext(x, ext, -1) == 1;

	X509_EXTENSION_free(ext);
	return ok;
}

/* A certificate with the fields every profile here shares: v3, a random serial, validity
 * from a day ago (clocks disagree) for days, subject and public key. NULL on failure. */
static X509 *cert_skeleton(EVP_PKEY *key, X509_NAME *subject, long days)
{
	X509 *x = X509_new();

	if (!x || X509_set_version(x, 2) != 1 || !set_serial(x) || !X509_gmtime_adj(X509_getm_notBefore(x), -DAY_SECONDS) ||
	    !X509_gmtime_adj(X509_getm_notAfter(x), days * DAY_SECONDS) || X509_set_subject_name(x, subject) != 1 ||
	    X509_set_pubkey(x, key) != 1) {
		X509_free(x);
		return NULL;
	}
	return x;
}

static X509_NAME *subject_of(const char *organization, const char *common_name)
{
	X509_NAME *n = X509_NAME_new();

	if (n && organization &&
	    X509_NAME_add_entry_by_txt(n, "O", MBSTRING_UTF8, (const unsigned char *)organization, -1, -1, 0) != 1)
		goto fail;
	if (n && X509_NAME_add_entry_by_txt(n, "CN", MBSTRING_UTF8, (const unsigned char *)common_name, -1, -1, 0) != 1)
		goto fail;
	return n;
fail:
	X509_NAME_free(n);
	return NULL;
}

static X509 *ca_cert(EVP_PKEY *key, const char *organization, const char *common_name)
{
	X509_NAME *subject = subject_of(organization, common_name);
	X509 *x = subject ? cert_skeleton(key, subject, CA_DAYS) : NULL;
	X509V3_CTX ctx;
	bool ok;

	X509_NAME_free(subject);
	if (!x)
		return NULL;
	ok = X509_set_issuer_name(x, X509_get_subject_name(x)) == 1;
	X509V3_set_ctx(&ctx, x, x, NULL, NULL, 0);
	ok = ok && add_ext(x, &ctx, NID_basic_constraints, "critical,CA:TRUE,pathlen:0") &&
	     add_ext(x, &ctx, NID_key_usage, "critical,keyCertSign,cRLSign,digitalSignature") &&
	     add_ext(x, &ctx, NID_subject_key_identifier, "hash") &&
	     add_ext(x, &ctx, NID_authority_key_identifier, "keyid:always") && X509_sign(x, key, EVP_sha256()) > 0;
	if (!ok) {
		X509_free(x);
		return NULL;
	}
	return x;
}

static char *to_pem(X509 *x)
{
	BIO *b = BIO_new(BIO_s_mem());
	char *p = NULL, *out = NULL;
	long n;

	if (b && PEM_write_bio_X509(b, x) == 1 && (n = BIO_get_mem_data(b, &p)) > 0)
		out = xstrndup(p, (size_t)n);
	BIO_free(b);
	return out;
}

struct tls_ca *tls_ca_new(const char *organization, const char *common_name, char *err, size_t errlen)
{
	struct tls_ca *ca = calloc(1, sizeof *ca);

	if (!ca) {
		snprintf(err, errlen, "tls: out of memory");
		return NULL;
	}
	if (!(ca->key = EVP_EC_gen("P-256")) || !(ca->leaf_key = EVP_EC_gen("P-256"))) {
		openssl_error(err, errlen, "generate a P-256 key");
		goto fail;
	}
	if (!(ca->cert = ca_cert(ca->key, organization, common_name)) || !(ca->pem = to_pem(ca->cert))) {
		openssl_error(err, errlen, "make the CA certificate");
		goto fail;
	}
	return ca;
fail:
	tls_ca_free(ca);
	return NULL;
}

void tls_ca_free(struct tls_ca *ca)
{
	if (!ca)
		return;
	for (size_t i = 0; i < ca->n_leaves; i++) {
		free(ca->leaves[i].name);
		X509_free(ca->leaves[i].cert);
	}
	free(ca->leaves);
	free(ca->pem);
	X509_free(ca->cert);
	EVP_PKEY_free(ca->key);  /* OpenSSL clears private key material as it frees it */
	EVP_PKEY_free(ca->leaf_key);
	free(ca);
}

const char *tls_ca_pem(const struct tls_ca *ca)
{
	return ca->pem;
}

void tls_ca_hashed_name(const struct tls_ca *ca, char *out, size_t outlen)
{
	snprintf(out, outlen, "%08lx.0", X509_subject_name_hash(ca->cert));
}

size_t tls_ca_minted(const struct tls_ca *ca)
{
	return ca->minted;
}

/* A host name as RFC 1123 section 2.1 allows (letters, digits, '-', '.', and '_' that some
 * services use), 1..253 characters, no empty label. */
static bool host_name_ok(const char *name)
{
	size_t n = strlen(name), label = 0;

	if (n == 0 || n > NAME_MAX_LEN)
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = name[i];
		if (c == '.') {
			if (label == 0)
				return false;
			label = 0;
			continue;
		}
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_'))
			return false;
		if (++label > 63)
			return false;
	}
	return true;
}

/* The subjectAltName of a leaf: one iPAddress or one dNSName (RFC 5280 4.2.1.6). */
static bool add_san(X509 *x, const char *name)
{
	GENERAL_NAMES *names = GENERAL_NAMES_new();
	GENERAL_NAME *gn = GENERAL_NAME_new();
	unsigned char ip[16];
	int iplen = inet_pton(AF_INET, name, ip) == 1 ? 4 : inet_pton(AF_INET6, name, ip) == 1 ? 16 : 0;
	bool ok = false;

	if (!names || !gn)
		goto out;
	if (iplen) {
		ASN1_OCTET_STRING *o = ASN1_OCTET_STRING_new();
		if (!o || ASN1_OCTET_STRING_set(o, ip, iplen) != 1) {
			ASN1_OCTET_STRING_free(o);
			goto out;
		}
		GENERAL_NAME_set0_value(gn, GEN_IPADD, o);
	} else {
		ASN1_IA5STRING *s = ASN1_IA5STRING_new();
		if (!s || ASN1_STRING_set(s, name, -1) != 1) {
			ASN1_IA5STRING_free(s);
			goto out;
		}
		GENERAL_NAME_set0_value(gn, GEN_DNS, s);
	}
	if (sk_GENERAL_NAME_push(names, gn) <= 0)
		goto out;
	gn = NULL;
	ok = X509_add1_ext_i2d(x, NID_subject_alt_name, names, 0, 0) == 1;
out:
	GENERAL_NAME_free(gn);
	GENERAL_NAMES_free(names);
	return ok;
}

static X509 *mint(struct tls_ca *ca, const char *name)
{
	X509_NAME *subject = subject_of(NULL, name);
	X509 *x = subject ? cert_skeleton(ca->leaf_key, subject, LEAF_DAYS) : NULL;
	X509V3_CTX ctx;
	bool ok;

	X509_NAME_free(subject);
	if (!x)
		return NULL;
	ok = X509_set_issuer_name(x, X509_get_subject_name(ca->cert)) == 1;
	X509V3_set_ctx(&ctx, ca->cert, x, NULL, NULL, 0);
	ok = ok && add_ext(x, &ctx, NID_basic_constraints, "critical,CA:FALSE") &&
	     add_ext(x, &ctx, NID_key_usage, "critical,digitalSignature") &&
	     add_ext(x, &ctx, NID_ext_key_usage, "serverAuth") && add_ext(x, &ctx, NID_subject_key_identifier, "hash") &&
	     add_ext(x, &ctx, NID_authority_key_identifier, "keyid:always") && add_san(x, name) &&
	     X509_sign(x, ca->key, EVP_sha256()) > 0;
	if (!ok) {
		X509_free(x);
		return NULL;
	}
	ca->minted++;
	return x;
}

/* The cached leaf for name, minting (and caching, while there is room) on a miss. The
 * returned certificate carries a reference the caller drops. */
static X509 *leaf_for(struct tls_ca *ca, const char *name)
{
	X509 *x;

	for (size_t i = 0; i < ca->n_leaves; i++)
		if (!strcmp(ca->leaves[i].name, name))
			return X509_up_ref(ca->leaves[i].cert) == 1 ? ca->leaves[i].cert : NULL;
	if (!(x = mint(ca, name)))
		return NULL;
	if (ca->n_leaves < TLS_CA_MAX_LEAVES) {
		struct leaf *grown = realloc(ca->leaves, (ca->n_leaves + 1) * sizeof *grown);
		char *copy = xstrdup(name);
		if (grown)
			ca->leaves = grown;
		if (grown && copy && X509_up_ref(x) == 1)
			ca->leaves[ca->n_leaves++] = (struct leaf){copy, x};
		else
			free(copy);
	}
	return x;
}

bool tls_ca_use_leaf(struct tls_ca *ca, SSL *ssl, const char *name)
{
	unsigned char ip[16];
	bool address = inet_pton(AF_INET, name, ip) == 1 || inet_pton(AF_INET6, name, ip) == 1;
	X509 *x;
	bool ok;

	if (!address && !host_name_ok(name))
		return false;
	if (!(x = leaf_for(ca, name)))
		return false;
	ok = SSL_use_certificate(ssl, x) == 1 && SSL_use_PrivateKey(ssl, ca->leaf_key) == 1 &&
	     SSL_add1_chain_cert(ssl, ca->cert) == 1;
	X509_free(x);
	return ok;
}
