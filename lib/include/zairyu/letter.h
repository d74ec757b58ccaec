/* libzairyu: the mail-in kit after the examination-completion mail. */
/* SPDX-License-Identifier: MIT */
#ifndef ZAIRYU_LETTER_H
#define ZAIRYU_LETTER_H

#include <stddef.h>

#include "zairyu/date.h"
#include "zairyu/error.h"
#include "zairyu/facts.h"
#include "zairyu/mail.h"

/* The Japanese font the PDF embeds (Debian's fonts-ipaexfont). */
#define ZR_LETTER_FONT \
	"/usr/share/fonts/opentype/ipaexfont-gothic/ipaexg.ttf"

/* What the kit is made from.  Unused members are NULL, -1 or 0. */
struct zr_kit_input {
	const struct zr_facts *facts;      /* facts file and --set, or NULL */
	const struct zr_completion *mail;  /* what the mail says, or NULL */
	const char *mail_name;             /* the mail's file, for messages */
	enum zr_pickup pickup;             /* from the command line */
	long fee;                          /* --fee in yen, or -1 */
	int has_rules_date;                /* else the receipt date */
	struct zr_date rules_date;
	struct zr_date today;              /* the day the kit is made and
					      posted (--today): its postage,
					      the 16th-birthday case, the
					      late check; 0: the receipt
					      date */
};

/*
 * The kit: every value resolved.  The strings point into the facts and
 * stay valid as long as they do.
 */
/*
 * Cases where the card cannot come by post (seed 002, ISA online Q&A
 * A53, A57, A70): the kit switches to the counter checklist and says why.
 */
enum zr_kit_counter_case {
	ZR_KIT_COUNTER_OFFICIAL = 1 << 0,  /* status "Official" (公用), A70 */
	ZR_KIT_COUNTER_STAMP = 1 << 1,     /* re-entry or other-activity
					      permission stamped in the
					      passport: stays of 3 months or
					      less, A53 */
	ZR_KIT_COUNTER_KANJI = 1 << 2,     /* kanji name to be added, A57 */
	ZR_KIT_COUNTER_UNDER16 = 1 << 3    /* under 16, less than 6 months
					      to the 16th birthday, A53 */
};

struct zr_kit {
	enum zr_pickup pickup;
	int pickup_from_mail;
	unsigned counter_cases;    /* enum zr_kit_counter_case bits */
	int switched_to_counter;   /* post was asked for, but a case above */
	const char *name;          /* as on the card */
	const char *postcode;      /* the applicant's, or NULL */
	const char *address;
	const char *phone;
	const char *occupation;
	const char *status;
	char receipt[ZR_RECEIPT_BUFSZ];
	struct zr_date receipt_date;
	int has_completion;        /* date of the completion mail known */
	struct zr_date completion_date;
	struct zr_date deadline;   /* completion + pickup_days */
	long pickup_days;          /* deadline.pickup_days (rules table) */
	const char *application;   /* "extension" or "change" */
	struct zr_date rules_date; /* fees in force on this day */
	struct zr_date postage_date; /* postage in force on this day: the day
				      of posting (today), or rules_date */
	int late;                  /* today is after the deadline */
	const char *fee_key;       /* "fee.extension.online" */
	long fee;                  /* yen to pay by revenue stamp */
	long rules_fee;            /* what the rules table says */
	long mail_fee;             /* what the mail says, or -1 */
	int fee_from_option;       /* --fee decided it */
	long postage_letter;       /* 定形郵便 up to 25 g */
	long postage_registered;   /* 簡易書留 add-on */
	long postage_letterpack;   /* レターパックプラス */
	int designation;           /* 指定書: 1 yes, 0 no, -1 status unknown */
	int agent;                 /* an agent (取次者) filed */
	const char *agent_name, *agent_occupation, *agent_phone;
	const char *agent_postcode, *agent_address;  /* NULL: left blank */
	char send_to_postcode[16];
	char send_to[512];         /* lines joined by "\n" */
	int send_to_from_mail;
	char office[512];          /* counter case, from the mail */
};

/*
 * Resolve the kit.  The facts win over the mail; where both give a value
 * and they differ, that is a contradiction (ZR_E_CONFLICT, exit 1), as is
 * a fee in the mail that disagrees with the rules table (unless --fee
 * says the same as the mail).  Errors: ZR_E_MISSING (names the key and
 * the facts file), ZR_E_NUMBER (a receipt number of the wrong shape),
 * ZR_E_DATE, ZR_E_CONFLICT, ZR_E_NO_RULE.
 */
int zr_kit_build(const struct zr_kit_input *in, struct zr_kit *kit,
    struct zr_error *err);

/* 1 if the status of residence is "Official" (公用). */
int zr_status_is_official(const char *status);

/* 1 if the status of residence comes with a designation paper (指定書). */
int zr_status_has_designation(const char *status);

/* The kit as UTF-8 text; the caller frees *out. */
int zr_kit_text(const struct zr_kit *kit, char **out, size_t *len,
    struct zr_error *err);

/*
 * The kit as an A4 PDF with font (a TrueType file; NULL = ZR_LETTER_FONT)
 * embedded.  The bytes depend on nothing but the kit and the font (no
 * clock).  The caller frees *out.  Errors: ZR_E_FONT, ZR_E_PDF_WRITE,
 * ZR_E_NOMEM.
 */
int zr_kit_pdf(const struct zr_kit *kit, const char *font,
    unsigned char **out, size_t *len, struct zr_error *err);

#endif
