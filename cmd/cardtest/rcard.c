/* zr-cardtest --residence-card: identify, authenticate with the card
 * number, read every file, verify the signature, compare with a facts
 * file, save the images, write facts. */
/* SPDX-License-Identifier: MIT */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cardtest.h"

static const char FIX_NUMBER[] =
    "give the 12 characters printed at the top right of the card's front "
    "(two letters, eight digits, two letters); zr-cardtest tries once and "
    "never again by itself, since the card's lockout rule is not published";
static const char FIX_CA[] =
    "download the agency's ZairyuCard CA certificates (Immigration "
    "Services Agency, https://www.moj.go.jp/isa/applications/disclosure/"
    "120424_01.html) and give them with --ca FILE";
/* The card answered a read with a status word other than "no such
 * file", or sent data that does not parse: not a reader problem. */
static const char FIX_CHIP[] =
    "the card refused or garbled a file it should have (the message gives "
    "the status word); try once more, and if it stays, report it with the "
    "card type shown above";
static const char FIX_RCARD[] =
    "put the residence card on an NFC reader (ISO 14443 type B) and keep "
    "it still";

static struct {
	char number[ZR_RCARD_NUMBER_LEN + 1];
	int uppercased;
	struct zr_facts *facts;
	struct zr_rcard rc;
	int read;
	struct zr_rcard_sigcheck sig;
	int have_sig;
	struct zr_rcard_diff diff[8];
	size_t ndiff, nchecked;
} rcs;

/* The card number: --card-number, the facts file, or the terminal. */
int
rcard_number(const struct opts *o)
{
	const char *v = o->card_number;
	struct zr_error e;

	if (o->facts != NULL &&
	    zr_facts_load(o->facts, &rcs.facts, &e) < 0)
		return zr_cli_report(&e);
	if (v == NULL && rcs.facts != NULL)
		v = zr_facts_get(rcs.facts, "card_number");
	if (v == NULL) {
		static const char prompt[] = "Residence card number (top "
		    "right of the card's front, AB12345678CD): ";

		/* Not a secret: echo stays on. */
		if (zr_secret_read_tty(prompt, 1, &ct_secret, &e) < 0) {
			ct_wipe_secret();
			zr_error_set(&e, ZR_E_USAGE, NULL, "no card number: "
			    "give --card-number N or --facts FILE");
			return zr_cli_report(&e);
		}
		v = ct_secret.buf;
	}
	snprintf(rcs.number, sizeof(rcs.number), "%.*s",
	    (int)sizeof(rcs.number) - 1, v);
	if (strlen(v) != ZR_RCARD_NUMBER_LEN) {
		zr_error_set(&e, ZR_E_NUMBER, NULL, "card number has %zu "
		    "characters, not 12 (AB12345678CD)", strlen(v));
		ct_wipe_secret();
		return zr_cli_report(&e);
	}
	ct_wipe_secret();
	if (zr_rcard_check_number(rcs.number, &rcs.uppercased, &e) < 0)
		return zr_cli_report(&e);
	return 0;
}

static void
rcard_facts(struct run *R)
{
	const char *name = R->o->facts;

	zr_rcard_compare_facts(&rcs.rc, rcs.facts, rcs.diff, 8, &rcs.ndiff,
	    &rcs.nchecked);
	if (rcs.nchecked == 0) {
		step(R, "facts", ST_WARN, NULL, "nothing to compare with %s%s",
		    name, rcs.rc.gen == ZR_RCARD_GEN1 ? " (a 1st generation "
		    "chip keeps dates only in its front image)" : "");
		return;
	}
	for (size_t i = 0; i < rcs.ndiff && i < 8; i++)
		step(R, "facts", ST_FAIL, "check the facts file against the "
		    "card; the chip is what the immigration agency recorded",
		    "chip and %s disagree on %s: chip %s, file %s", name,
		    rcs.diff[i].key, rcs.diff[i].chip, rcs.diff[i].facts);
	if (rcs.ndiff > 0)
		return;
	step(R, "facts", ST_OK, NULL, "chip agrees with %s (%zu entries "
	    "compared)", name, rcs.nchecked);
}

static void
rcard_signature(struct run *R)
{
	struct zr_rcard_sigcheck *s = &rcs.sig;
	struct zr_error e;

	if (zr_rcard_verify(&rcs.rc, R->o->ca_file, s, &e) < 0) {
		zr_cli_report(&e);
		R->exit = ZR_EXIT_INPUT;
		return;
	}
	rcs.have_sig = 1;
	if (s->verdict == ZR_RCARD_NOT_GENUINE) {
		step(R, "signature", ST_FAIL, "the chip's data was changed or "
		    "the card was not issued by the agency: ask the regional "
		    "immigration services bureau", "signature NOT genuine: %s",
		    s->reason);
		return;
	}
	if (s->verdict == ZR_RCARD_UNVERIFIED) {
		step(R, "signature", ST_WARN, FIX_CA, "signature cannot be "
		    "verified: %s", s->reason);
		return;
	}
	step(R, "signature", ST_OK, NULL, "signature genuine (%s), signed by "
	    "%s under %s", s->algorithm, s->signer, s->anchor_name);
	if (s->anchor == ZR_RCARD_ANCHOR_AGENCY)
		detail(R, "CA fingerprint matches the agency's publication: %s",
		    s->anchor_sha256);
	else if (s->anchor == ZR_RCARD_ANCHOR_AGENCY_TEST)
		step(R, "ca", ST_WARN, NULL, "signed under the agency's TEST "
		    "CA: a sample card, not one issued to a person");
	else
		step(R, "ca", ST_WARN, FIX_CA, "the CA given with --ca is not "
		    "one of the agency's published certificates (SHA-256 %s): "
		    "trusted only because you gave it", s->anchor_sha256);
}

void
rcard_run(struct run *R, struct zr_transport *t, const struct zr_card_id *id)
{
	const struct opts *o = R->o;
	struct zr_rcard_field f[ZR_RCARD_FIELDS_MAX];
	struct zr_error e;
	struct zr_facts *nf;
	char saved[128], *text;
	size_t n, len;

	if (id->kind != ZR_CARD_RESIDENCE) {
		step(R, "identify", ST_FAIL, FIX_RCARD, "not a residence "
		    "card: %s", zr_card_kind_name(id));
		return;
	}
	zr_rcard_init(&rcs.rc);
	if (zr_rcard_probe(t, &rcs.rc, &e) < 0) {
		card_fail(R, "identify", &e, FIX_RCARD);
		return;
	}
	R->card = zr_card_kind_name(id);
	step(R, "identify", ST_OK, NULL, "card identified: %s, type '%s', "
	    "specification %s", R->card, rcs.rc.type,
	    rcs.rc.spec_version[0] != '\0' ? rcs.rc.spec_version :
	    "not given");
	if (rcs.uppercased && !o->cli.json)
		fprintf(R->fp, "note: the card number was converted to "
		    "uppercase\n");
	/* Authentication and every file; tried once (card-facts §4.4). */
	if (zr_rcard_read(t, rcs.number, &rcs.rc, &e) < 0) {
		if (e.code == ZR_E_CARD_NUMBER)
			step(R, "authenticate", ST_FAIL, FIX_NUMBER, "%s",
			    e.msg);
		else
			card_fail(R, "read", &e, FIX_CHIP);
		return;
	}
	rcs.read = 1;
	step(R, "authenticate", ST_OK, NULL, "authenticated with card number "
	    "%s", rcs.number);
	n = zr_rcard_fields(&rcs.rc, f, ZR_RCARD_FIELDS_MAX);
	step(R, "read", ST_OK, NULL, "chip read: %zu entries", n - 1);
	for (size_t i = 1; i < n; i++)
		detail(R, "%s: %s", f[i].label, f[i].value);
	/* Card types differ: a file the card does not have is not a
	 * reading error (issue 12). */
	for (size_t i = 0; i < rcs.rc.nabsent; i++)
		step(R, "absent", ST_WARN, NULL, "%s: absent on this card (it "
		    "answered 6A82, no such file); the rest was read",
		    rcs.rc.absent[i]);
	rcard_signature(R);
	if (R->exit == ZR_EXIT_INPUT)
		return;
	if (rcs.facts != NULL)
		rcard_facts(R);
	if (o->save_images != NULL) {
		if (zr_rcard_save_images(&rcs.rc, o->save_images, saved,
		    sizeof(saved), &e) < 0)
			goto input;
		step(R, "images", ST_OK, NULL, "images saved in %s: %s",
		    o->save_images, saved[0] != '\0' ? saved : "none");
	}
	if (o->write_facts != NULL) {
		const char *inputs[2] = { o->facts, o->ca_file };

		if ((nf = zr_facts_new(o->write_facts)) == NULL) {
			zr_error_set(&e, ZR_E_NOMEM, NULL, NULL);
			goto input;
		}
		if (zr_rcard_to_facts(&rcs.rc, rcs.number, nf, &e) < 0 ||
		    zr_facts_format(nf, &text, &len, &e) < 0) {
			zr_facts_free(nf);
			goto input;
		}
		zr_facts_free(nf);
		if (zr_write_file(o->write_facts, text, len, 0, inputs,
		    o->facts != NULL ? 2 : 0, &e) < 0) {
			free(text);
			goto input;
		}
		free(text);
		step(R, "write_facts", ST_OK, NULL, "facts from the chip "
		    "written to %s", o->write_facts);
	}
	return;
input:
	zr_cli_report(&e);
	R->exit = ZR_EXIT_INPUT;
}

void
rcard_json(struct run *R)
{
	struct zr_rcard_field f[ZR_RCARD_FIELDS_MAX];
	static const char *const verdict[] = { "cannot_verify", "genuine",
	    "not_genuine" };
	static const char *const anchor[] = { "none", "other", "agency",
	    "agency_test" };
	size_t n;

	if (!rcs.read)
		return;
	n = zr_rcard_fields(&rcs.rc, f, ZR_RCARD_FIELDS_MAX);
	zr_json_obj(&R->j, "residence_card");
	zr_json_int(&R->j, "generation", rcs.rc.gen);
	for (size_t i = 0; i < n; i++)
		zr_json_str(&R->j, f[i].key, f[i].value);
	if (rcs.rc.nabsent > 0) {
		zr_json_arr(&R->j, "absent");
		for (size_t i = 0; i < rcs.rc.nabsent; i++)
			zr_json_str(&R->j, NULL, rcs.rc.absent[i]);
		zr_json_close_arr(&R->j);
	}
	zr_json_close_obj(&R->j);
	if (rcs.have_sig) {
		zr_json_obj(&R->j, "signature");
		zr_json_str(&R->j, "verdict", verdict[rcs.sig.verdict]);
		zr_json_str(&R->j, "algorithm", rcs.sig.algorithm);
		zr_json_str(&R->j, "anchor", anchor[rcs.sig.anchor]);
		if (rcs.sig.anchor_name[0] != '\0')
			zr_json_str(&R->j, "ca", rcs.sig.anchor_name);
		if (rcs.sig.anchor_sha256[0] != '\0')
			zr_json_str(&R->j, "ca_sha256", rcs.sig.anchor_sha256);
		if (rcs.sig.reason[0] != '\0')
			zr_json_str(&R->j, "reason", rcs.sig.reason);
		zr_json_close_obj(&R->j);
	}
	if (rcs.facts != NULL) {
		zr_json_obj(&R->j, "facts_check");
		zr_json_int(&R->j, "checked", (long long)rcs.nchecked);
		zr_json_arr(&R->j, "disagree");
		for (size_t i = 0; i < rcs.ndiff && i < 8; i++) {
			zr_json_obj(&R->j, NULL);
			zr_json_str(&R->j, "key", rcs.diff[i].key);
			zr_json_str(&R->j, "chip", rcs.diff[i].chip);
			zr_json_str(&R->j, "facts", rcs.diff[i].facts);
			zr_json_close_obj(&R->j);
		}
		zr_json_close_arr(&R->j);
		zr_json_close_obj(&R->j);
	}
}

void
rcard_free(void)
{
	zr_rcard_free(&rcs.rc);
	zr_facts_free(rcs.facts);
}
