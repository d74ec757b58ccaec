/* zr-cardtest: the My Number card's JPKI steps (certificates, tries
 * left, the credential asked for, the signature test). */
/* SPDX-License-Identifier: MIT */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>
#include <openssl/rand.h>

#include "cardtest.h"

static const char FIX_CITY_AUTH[] =
    "only the city office (市区町村の窓口) can unblock it: bring the "
    "card and your residence card";
static const char FIX_CITY_SIGN[] =
    "the city office (市区町村の窓口) can reset it; if you know the "
    "4-digit authentication PIN you can also reset it at a "
    "convenience-store kiosk (Seven-Eleven, Lawson, FamilyMart)";
static const char FIX_EXPIRED[] =
    "ask the city office to renew the electronic certificates (for "
    "foreign residents they end with the period of stay: after a "
    "renewal of status they must be renewed too)";
static const char FIX_LAST[] =
    "if you are sure of it, run again with --force; otherwise ask the "
    "city office";
static const char FIX_CHAIN[] =
    "the certificate does not chain to a J-LIS root: it is not a genuine "
    "JPKI certificate, or it is signed by a root newer than this tool";

/* Read, parse and judge a certificate's dates. */
static int
check_cert(struct run *R, const char *id, const char *what,
    const unsigned char *der, size_t len, struct zr_cert_info *ci,
    long *days)
{
	struct zr_error e;
	char nb[ZR_DATE_BUFSZ], na[ZR_DATE_BUFSZ];

	if (zr_cert_parse(der, len, ci, &e) < 0) {
		step(R, id, ST_FAIL, "the card's certificate is damaged; "
		    "ask the city office", "%s: %s", what, e.msg);
		return -1;
	}
	*days = zr_date_diff(R->today, ci->na_jst);
	zr_date_format(ci->nb_jst, nb);
	zr_date_format(ci->na_jst, na);
	if (R->now > ci->not_after) {
		step(R, id, ST_FAIL, FIX_EXPIRED,
		    "%s expired on %s (issuer %s)", what, na, ci->issuer);
		return -1;
	}
	if (R->now < ci->not_before) {
		step(R, id, ST_FAIL, "check the computer's clock, or wait "
		    "until the certificate starts",
		    "%s is not valid before %s (issuer %s)", what, nb,
		    ci->issuer);
		return -1;
	}
	/* card-facts §2.4: ends with the period of stay for most. */
	/* How soon is "soon": the dated rules table (card.warn_days). */
	if (*days < zr_rule(ZR_R_CARD_WARN_DAYS, R->rules, NULL)) {
		step(R, id, ST_WARN, FIX_EXPIRED,
		    "%s valid %s to %s: only %ld days left (for most foreign "
		    "residents it ends with the period of stay)", what, nb,
		    na, *days);
	} else {
		step(R, id, ST_OK, NULL,
		    "%s valid %s to %s, %ld days left (for most foreign "
		    "residents it ends with the period of stay)", what, nb,
		    na, *days);
	}
	if (R->o->cli.verbose)
		detail(R, "issuer: %s", ci->issuer);
	return 0;
}

static int
check_chain(struct run *R, const char *id, const unsigned char *der,
    size_t len, const struct zr_cert_info *ci)
{
	struct zr_error e;
	char anchor[256];
	time_t when = R->now;

	/* Judge trust inside the validity period: dates are another step. */
	if (when > ci->not_after)
		when = ci->not_after - 1;
	if (when < ci->not_before)
		when = ci->not_before + 1;
	if (zr_jpki_verify_chain(der, len, R->o->ca_file, when, anchor,
	    sizeof(anchor), &e) < 0) {
		if (e.code == ZR_E_OPEN) {
			zr_cli_report(&e);
			R->exit = ZR_EXIT_INPUT;
			return -1;
		}
		step(R, id, ST_FAIL, FIX_CHAIN, "certificate chain not "
		    "trusted: %s", e.msg);
		return -1;
	}
	if (R->o->ca_file != NULL)
		step(R, id, ST_OK, NULL, "chain verified against the TEST CA "
		    "file %s (%s)", R->o->ca_file, anchor);
	else
		step(R, id, ST_OK, NULL, "chain verified against the bundled "
		    "J-LIS root (%s)", anchor);
	return 0;
}

static int
tries_step(struct run *R, struct zr_transport *t, int cred)
{
	const char *id = cred == ZR_JPKI_SIGN ? "sign_password" : "auth_pin";
	const char *what = cred == ZR_JPKI_SIGN ? "signature password" :
	    "authentication PIN";
	int max = cred == ZR_JPKI_SIGN ? ZR_JPKI_SIGN_MAX_TRIES :
	    ZR_JPKI_AUTH_MAX_TRIES;
	struct zr_pin_status *st = &R->pin[cred];
	struct zr_error e;

	if (zr_jpki_pin_status(t, cred, st, &e) < 0)
		return card_fail(R, id, &e, NULL);
	R->have_pin[cred] = 1;
	if (st->blocked) {
		step(R, id, ST_FAIL, cred == ZR_JPKI_SIGN ? FIX_CITY_SIGN :
		    FIX_CITY_AUTH, "%s is BLOCKED (no tries left)", what);
		return 0;
	}
	if (st->tries < 0) {
		step(R, id, ST_OK, NULL, "%s: tries left not reported "
		    "(already verified in this session)", what);
		return 0;
	}
	if (st->tries < max)
		step(R, id, ST_WARN, "a correct entry resets the counter; "
		    "do not guess: each wrong try counts, also in other apps",
		    "%s: %d of %d tries left (wrong entries were made before)",
		    what, st->tries, max);
	else
		step(R, id, ST_OK, NULL, "%s: %d of %d tries left", what,
		    st->tries, max);
	return 0;
}

/*
 * The guards before a VERIFY (issue 7): blocked → never; last try →
 * only with --force; two left → ask, or --force when not interactive.
 */
static int
guard(struct run *R, int cred, int interactive)
{
	const char *id = cred == ZR_JPKI_SIGN ? "sign_verify" : "auth_verify";
	const char *what = cred == ZR_JPKI_SIGN ? "signature password" :
	    "authentication PIN";
	const struct zr_pin_status *st = &R->pin[cred];
	char q[256];

	if (st->blocked) {
		step(R, id, ST_FAIL, cred == ZR_JPKI_SIGN ? FIX_CITY_SIGN :
		    FIX_CITY_AUTH, "not trying the %s: it is blocked", what);
		return -1;
	}
	if (st->tries < 0 || st->tries > 2 || R->o->force)
		return 0;
	if (st->tries == 1) {
		step(R, id, ST_FAIL, FIX_LAST, "not trying the %s: only 1 try left, and a wrong entry "
		    "blocks it", what);
		return -1;
	}
	if (!interactive) {
		step(R, id, ST_FAIL, "run again with --force if you are sure",
		    "not trying the %s: only %d tries left", what, st->tries);
		return -1;
	}
	snprintf(q, sizeof(q), "Only %d tries left for the %s. A wrong entry "
	    "spends one. Type 'yes' to try: ", st->tries, what);
	if (!zr_tty_confirm(q)) {
		step(R, id, ST_FAIL, NULL, "not trying the %s: not confirmed",
		    what);
		return -1;
	}
	return 0;
}

static int
verify_step(struct run *R, struct zr_transport *t, int cred)
{
	const char *id = cred == ZR_JPKI_SIGN ? "sign_verify" : "auth_verify";
	const char *what = cred == ZR_JPKI_SIGN ? "signature password" :
	    "authentication PIN";
	struct zr_pin_status st;
	struct zr_error e;
	int rc;

	/* The library guards the last try too: --force is the override. */
	rc = zr_jpki_verify(t, cred, ct_secret.buf, ct_secret.len,
	    R->o->force ? ZR_JPKI_LAST_TRY : 0, &st, &e);
	ct_wipe_secret();
	if (rc == 0) {
		R->pin[cred].tries = cred == ZR_JPKI_SIGN ?
		    ZR_JPKI_SIGN_MAX_TRIES : ZR_JPKI_AUTH_MAX_TRIES;
		step(R, id, ST_OK, NULL, "%s accepted", what);
		return 0;
	}
	R->pin[cred] = st;
	R->have_pin[cred] = 1;
	if (e.code == ZR_E_PIN_LAST)
		step(R, id, ST_FAIL, FIX_LAST, "not trying the %s: only 1 try "
		    "left, and a wrong entry blocks it", what);
	else if (e.code == ZR_E_PIN_LOCKED)
		step(R, id, ST_FAIL, cred == ZR_JPKI_SIGN ? FIX_CITY_SIGN :
		    FIX_CITY_AUTH, "wrong %s: it is now BLOCKED", what);
	else if (e.code == ZR_E_PIN_WRONG)
		step(R, id, ST_FAIL, cred == ZR_JPKI_SIGN ?
		    "it is the 6-16 character password (A-Z, 0-9) chosen when "
		    "the card was issued; do not guess" :
		    "it is the 4-digit PIN chosen when the card was issued; "
		    "do not guess",
		    "wrong %s: %d %s left", what, st.tries,
		    st.tries == 1 ? "try" : "tries");
	else
		card_fail(R, id, &e, NULL);
	return -1;
}

static int
sign_cert_step(struct run *R, struct zr_transport *t)
{
	unsigned char *der;
	size_t len;
	struct zr_error e;
	int rc;

	if (zr_jpki_read_cert(t, ZR_JPKI_EF_SIGN_CERT, &der, &len, &e) < 0)
		return card_fail(R, "sign_cert", &e, NULL);
	rc = check_cert(R, "sign_cert", "signature certificate", der, len,
	    &R->sign, &R->sign_days);
	if (R->sign.subject[0] != '\0')
		R->have_sign = 1;
	if (R->have_sign) {
		detail(R, "name: %s", R->sign.name[0] ? R->sign.name : "-");
		detail(R, "birth date: %s", R->sign.birth[0] ?
		    R->sign.birth : "-");
		detail(R, "sex: %s", R->sign.sex[0] ? R->sign.sex : "-");
		detail(R, "address: %s", R->sign.address[0] ?
		    R->sign.address : "-");
	}
	if (R->have_sign && check_chain(R, "sign_chain", der, len,
	    &R->sign) < 0 && R->exit == ZR_EXIT_INPUT)
		rc = -1;
	free(der);
	return rc;
}

/* Sign a random challenge with the auth key, verify it with the cert. */
static int
signature_step(struct run *R, struct zr_transport *t,
    const unsigned char *der, size_t len)
{
	unsigned char chal[32], hash[32], di[ZR_DIGESTINFO_SHA256_LEN];
	unsigned char sig[512];
	size_t siglen;
	struct zr_error e;

	if (RAND_bytes(chal, sizeof(chal)) != 1 ||
	    EVP_Digest(chal, sizeof(chal), hash, NULL, EVP_sha256(),
	    NULL) != 1) {
		zr_error_set(&e, ZR_E_CRYPTO, NULL, "no random challenge");
		return card_fail(R, "signature", &e, NULL);
	}
	zr_digestinfo_sha256(hash, di);
	if (zr_jpki_sign(t, ZR_JPKI_AUTH, di, sizeof(di), sig, sizeof(sig),
	    &siglen, &e) < 0)
		return card_fail(R, "signature", &e, NULL);
	if (der == NULL) {
		step(R, "signature", ST_FAIL, NULL,
		    "cannot check the signature: no certificate");
		return -1;
	}
	if (zr_cert_verify_rsa_sha256(der, len, chal, sizeof(chal), sig,
	    siglen, &e) < 0) {
		step(R, "signature", ST_FAIL, "the card's key and "
		    "certificate do not belong together; ask the city office",
		    "signature test failed: %s", e.msg);
		return -1;
	}
	R->signature_ok = 1;
	step(R, "signature", ST_OK, NULL, "signature test: the card signed a "
	    "random challenge and it verifies with the certificate's public "
	    "key (%zu-bit RSA)", siglen * 8);
	return 0;
}

int
jpki_get_secret(struct run *R, int *interactive)
{
	const struct opts *o = R->o;
	int cred = o->sign_password ? ZR_JPKI_SIGN : ZR_JPKI_AUTH;
	struct zr_error e;
	int changed;

	*interactive = o->password_fd < 0;
	if (o->password_fd >= 0) {
		if (zr_secret_read_fd(o->password_fd, &ct_secret, &e) < 0)
			goto bad;
	} else if (zr_secret_read_tty(cred == ZR_JPKI_SIGN ?
	    "Signature password (6-16 characters, A-Z 0-9): " :
	    "Authentication PIN (4 digits): ", 0, &ct_secret, &e) < 0) {
		if (e.code == ZR_E_USAGE)
			snprintf(e.msg, sizeof(e.msg), "no terminal to ask on; "
			    "use --password-fd N");
		goto bad;
	}
	/* Checked here, before any APDU goes to the card. */
	if (zr_jpki_check_secret(cred, ct_secret.buf, ct_secret.len,
	    &changed, &e) < 0)
		goto bad;
	if (changed) {
		R->uppercased = 1;
		if (!o->cli.json)
			fprintf(R->fp, "note: the signature password was "
			    "converted to uppercase (the card admits only "
			    "A-Z and 0-9)\n");
	}
	return 0;
bad:
	ct_wipe_secret();
	zr_cli_report(&e);
	R->exit = ZR_EXIT_INPUT;
	return -1;
}

void
jpki_run(struct run *R, struct zr_transport *t, const struct zr_card_id *id,
    int interactive)
{
	const struct opts *o = R->o;
	struct zr_error e;
	unsigned char *auth_der = NULL;
	size_t auth_len = 0;
	int cred;

	R->card = zr_card_kind_name(id);
	switch (id->kind) {
	case ZR_CARD_MYNUMBER:
		step(R, "identify", ST_OK, NULL, "card identified: %s (%s)",
		    R->card, id->label);
		break;
	case ZR_CARD_JUKI:
		step(R, "identify", ST_WARN, "use the My Number card: Juki "
		    "card certificates are no longer issued",
		    "card identified: %s (%s)", R->card, id->label);
		break;
	case ZR_CARD_RESIDENCE:
		step(R, "identify", ST_FAIL, "put the My Number card on the "
		    "reader: the residence card has no JPKI certificates "
		    "(read it with --residence-card)",
		    "card identified: %s", R->card);
		goto out;
	case ZR_CARD_UNKNOWN:
		step(R, "identify", ST_FAIL, "put the My Number card on the "
		    "reader", "unknown card: no JPKI application");
		goto out;
	default:
		step(R, "identify", ST_OK, NULL, "card identified: %s (%s)",
		    R->card, id->label[0] != '\0' ? id->label : "no label");
		break;
	}
	/* 5. the JPKI AP */
	if (zr_jpki_select(t, &e) < 0) {
		card_fail(R, "jpki", &e,
		    "put the My Number card on the reader");
		goto out;
	}
	step(R, "jpki", ST_OK, NULL, "JPKI application selectable");
	/* 6, 7. the authentication certificate and its chain */
	if (zr_jpki_read_cert(t, ZR_JPKI_EF_AUTH_CERT, &auth_der, &auth_len,
	    &e) < 0) {
		if (e.code == ZR_E_CARD && e.sw == 0x6982) {
			step(R, "auth_cert", ST_WARN, "run with --auth-pin to "
			    "read it", "authentication certificate needs the "
			    "PIN on this token (smartphone JPKI)");
		} else if (card_fail(R, "auth_cert", &e, "the certificate "
		    "on the card cannot be read: ask the city office") < 0 &&
		    R->exit != ZR_EXIT_PROBLEM) {
			goto out;
		}
	} else {
		int rc = check_cert(R, "auth_cert", "authentication "
		    "certificate", auth_der, auth_len, &R->auth,
		    &R->auth_days);

		if (R->auth.subject[0] != '\0')
			R->have_auth = 1;
		if (rc == 0 || R->have_auth) {
			check_chain(R, "chain", auth_der, auth_len, &R->auth);
			if (R->exit == ZR_EXIT_INPUT)
				goto out;
		}
	}
	/* 8, 9. tries left, spending none */
	if (tries_step(R, t, ZR_JPKI_AUTH) < 0 ||
	    tries_step(R, t, ZR_JPKI_SIGN) < 0)
		goto out;
	if (!o->sign_password && !o->auth_pin)
		goto out;
	/* 10. the credential the user asked to test */
	cred = o->sign_password ? ZR_JPKI_SIGN : ZR_JPKI_AUTH;
	if (guard(R, cred, interactive) < 0)
		goto out;
	if (verify_step(R, t, cred) < 0)
		goto out;
	if (cred == ZR_JPKI_SIGN) {
		sign_cert_step(R, t);
		goto out;
	}
	if (auth_der == NULL) {
		if (zr_jpki_read_cert(t, ZR_JPKI_EF_AUTH_CERT, &auth_der,
		    &auth_len, &e) < 0) {
			card_fail(R, "auth_cert", &e, NULL);
			goto out;
		}
		if (check_cert(R, "auth_cert", "authentication certificate",
		    auth_der, auth_len, &R->auth, &R->auth_days) == 0 ||
		    R->auth.subject[0] != '\0') {
			R->have_auth = 1;
			check_chain(R, "chain", auth_der, auth_len, &R->auth);
		}
	}
	signature_step(R, t, auth_der, auth_len);
out:
	free(auth_der);
}
