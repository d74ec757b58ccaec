/* libzairyu: the one table of dated rules (limits, fees, postage, forms). */
/* SPDX-License-Identifier: MIT */
#include <string.h>

#include "zairyu/rules.h"

/*
 * Every rule that changes over time lives here, with the day it took
 * effect and its source.  Citations name the documents collected in
 * ../shared/facts/rules-facts.md (section and source key); [U] marks a
 * value or date the sources leave uncertain, chosen on the safe side.
 * Rows are sorted by key, then by date.  The first row of a key is the
 * earliest date the toolkit knows a value for.
 */
#define D(y, m, d) { (y), (m), (d) }
static const struct zr_rule table[] = {
	/* Fees: 出入国管理及び難民認定法施行令 (手数料令) as amended; the fee
	 * follows the day the application is accepted (rules-facts §3.1,
	 * FEE25: ISA notice, moj.go.jp/isa/content/001431802.pdf). */
	{ "fee.change.counter", D(1990, 6, 1), 4000, "yen",
	  "在留資格変更許可, counter", "rules-facts §3.1 (FEE25)" },
	{ "fee.change.counter", D(2025, 4, 1), 6000, "yen",
	  "在留資格変更許可, counter", "rules-facts §3.1 (FEE25), from 2025-04-01" },
	{ "fee.change.online", D(2019, 7, 25), 4000, "yen",
	  "在留資格変更許可, online", "rules-facts §3.1 (FEE25)" },
	{ "fee.change.online", D(2025, 4, 1), 5500, "yen",
	  "在留資格変更許可, online", "rules-facts §3.1 (FEE25), from 2025-04-01" },
	{ "fee.extension.counter", D(1990, 6, 1), 4000, "yen",
	  "在留期間更新許可, counter", "rules-facts §3.1 (FEE25)" },
	{ "fee.extension.counter", D(2025, 4, 1), 6000, "yen",
	  "在留期間更新許可, counter", "rules-facts §3.1 (FEE25), from 2025-04-01" },
	{ "fee.extension.online", D(2019, 7, 25), 4000, "yen",
	  "在留期間更新許可, online", "rules-facts §3.1 (FEE25)" },
	{ "fee.extension.online", D(2025, 4, 1), 5500, "yen",
	  "在留期間更新許可, online", "rules-facts §3.1 (FEE25), from 2025-04-01" },
	{ "fee.permanent.counter", D(1990, 6, 1), 8000, "yen",
	  "永住許可 (counter only)", "rules-facts §3.1 (FEE25)" },
	{ "fee.permanent.counter", D(2025, 4, 1), 10000, "yen",
	  "永住許可 (counter only)", "rules-facts §3.1 (FEE25), from 2025-04-01" },
	{ "fee.reentry.multiple.online", D(2019, 7, 25), 6000, "yen",
	  "再入国許可 (multiple), online", "rules-facts §3.1 (FEE25)" },
	{ "fee.reentry.multiple.online", D(2025, 4, 1), 6500, "yen",
	  "再入国許可 (multiple), online", "rules-facts §3.1, from 2025-04-01" },
	{ "fee.reentry.single.online", D(2019, 7, 25), 3000, "yen",
	  "再入国許可 (single), online", "rules-facts §3.1 (FEE25)" },
	{ "fee.reentry.single.online", D(2025, 4, 1), 3500, "yen",
	  "再入国許可 (single), online", "rules-facts §3.1, from 2025-04-01" },

	/* The face photo: ISA online Q&A (old system) says JPEG up to 50 KB;
	 * 50,000 bytes is the conservative reading and is kept for the new
	 * system, whose own limit is not published [U] (rules-facts §1.2). */
	{ "name.max_chars", D(2019, 7, 25), 104, "chars",
	  "name field length (old system limit not published [U])",
	  "rules-facts §6.1 (RASENS form, 104 chars)" },
	/* Name separator: half-width comma on the old system (ISA online Q&A
	 * Q39, seed 002), space on the new one (RASENS COE form, 2025-08;
	 * renewal form unconfirmed [U]) (rules-facts §6.1, §8). */
	{ "name.separator", D(2019, 7, 25), ',', "char",
	  "between name parts on the online form",
	  "rules-facts §6.1 (ISA online Q&A Q39; DEJIMA 2022)" },
	{ "name.separator", D(2026, 1, 5), ' ', "char",
	  "between name parts on the online form",
	  "rules-facts §6.1, §8 (RASENS form, 2026-01-05) [U] for renewal" },

	{ "photo.max_bytes", D(2019, 7, 25), 50000, "bytes",
	  "face photo JPEG", "rules-facts §1.2 (ISA online Q&A Q23, seed 002)" },
	{ "photo.max_bytes", D(2026, 1, 5), 50000, "bytes",
	  "face photo JPEG (new system limit unpublished; kept safe)",
	  "rules-facts §1.2, §8 [U]" },
	/* Recency: 3 months in the older guidance (JITCO 2016), 6 months on
	 * ISA's photo page now; the change date is not known [U]: taken as
	 * the government-wide unification announced 2022-06-28. */
	{ "photo.recency_months", D(2012, 7, 9), 3, "months",
	  "photo taken at most this long before applying",
	  "rules-facts §1.1 (JITCO 2016)" },
	{ "photo.recency_months", D(2022, 6, 28), 6, "months",
	  "photo taken at most this long before applying",
	  "rules-facts §1.1 (ISA-PHOTO) [U] date" },

	/* Japan Post (rules-facts §3.2, POST). */
	{ "postage.letter25", D(2019, 10, 1), 84, "yen",
	  "定形郵便 up to 25 g", "rules-facts §3.2 (POST)" },
	{ "postage.letter25", D(2024, 10, 1), 110, "yen",
	  "定形郵便 up to 25 g", "rules-facts §3.2 (POST), 2024-10-01" },
	{ "postage.letterpack_light", D(2019, 10, 1), 370, "yen",
	  "レターパックライト", "rules-facts §3.2 (POST)" },
	{ "postage.letterpack_light", D(2024, 10, 1), 430, "yen",
	  "レターパックライト", "rules-facts §3.2 (POST), 2024-10-01" },
	{ "postage.letterpack_plus", D(2019, 10, 1), 520, "yen",
	  "レターパックプラス", "rules-facts §3.2 (POST)" },
	{ "postage.letterpack_plus", D(2024, 10, 1), 600, "yen",
	  "レターパックプラス", "rules-facts §3.2 (POST), 2024-10-01" },
	{ "postage.simple_registered", D(2019, 10, 1), 320, "yen",
	  "簡易書留 add-on", "rules-facts §3.2 (POST)" },
	{ "postage.simple_registered", D(2023, 10, 1), 350, "yen",
	  "簡易書留 add-on", "rules-facts §3.2 (POST), 2023-10-01" },

	/* The online system: 在留申請オンラインシステム (ras-immi) from its
	 * start for renewals (2019-07-25) until 2026-01-04; the new system
	 * (rasens-immi) from 2026-01-05 09:00 (rules-facts §2, §8: KATSUMI,
	 * SINCERE, RASENS). */
	{ "system.generation", D(2019, 7, 25), 1, "generation",
	  "在留申請オンラインシステム (ras-immi.moj.go.jp)",
	  "rules-facts §8" },
	{ "system.generation", D(2026, 1, 5), 2, "generation",
	  "new online system (rasens-immi.moj.go.jp)",
	  "rules-facts §8 (KATSUMI, SINCERE), 2026-01-05" },

	/* Attachments (rules-facts §2): old system one PDF up to 10 MB (KUSU,
	 * DAISEI; read as 10,000,000 bytes to be safe); new system up to 20
	 * files and 25 MB in total including the face photo (RASENS,
	 * SINCERE; 25,000,000 bytes). */
	{ "upload.max_file_bytes", D(2019, 7, 25), 10000000, "bytes",
	  "one attachment", "rules-facts §2 (KUSU, DAISEI)" },
	{ "upload.max_file_bytes", D(2026, 1, 5), 25000000, "bytes",
	  "one attachment (only the total is limited)",
	  "rules-facts §2 (RASENS, SINCERE), 2026-01-05" },
	{ "upload.max_files", D(2019, 7, 25), 1, "files",
	  "attachments per application", "rules-facts §2 (KUSU, BDHUB)" },
	{ "upload.max_files", D(2026, 1, 5), 20, "files",
	  "attachments per application", "rules-facts §2 (RASENS, SINCERE)" },
	{ "upload.max_total_bytes", D(2019, 7, 25), 10000000, "bytes",
	  "all attachments", "rules-facts §2 (KUSU, DAISEI)" },
	{ "upload.max_total_bytes", D(2026, 1, 5), 25000000, "bytes",
	  "all attachments and the face photo",
	  "rules-facts §2 (RASENS, SINCERE), 2026-01-05" },
	{ "upload.total_includes_photo", D(2019, 7, 25), 0, "bool",
	  "the photo counts in the attachment total", "rules-facts §2" },
	{ "upload.total_includes_photo", D(2026, 1, 5), 1, "bool",
	  "the photo counts in the attachment total",
	  "rules-facts §2 (RASENS), 2026-01-05" },
};
#undef D

const struct zr_rule *
zr_rules_table(size_t *n)
{
	*n = sizeof(table) / sizeof(table[0]);
	return table;
}

int
zr_rule_at(const char *key, struct zr_date on, const struct zr_rule **row,
    struct zr_error *err)
{
	const struct zr_rule *best = NULL;
	size_t i, n = sizeof(table) / sizeof(table[0]);
	int known = 0;
	char buf[ZR_DATE_BUFSZ];

	for (i = 0; i < n; i++) {
		if (strcmp(table[i].key, key) != 0)
			continue;
		known = 1;
		if (zr_date_cmp(table[i].from, on) <= 0)
			best = &table[i];
	}
	if (!known)
		return zr_error_set(err, ZR_E_UNKNOWN_KEY, NULL,
		    "no rule named \"%s\"", key);
	if (best == NULL)
		return zr_error_set(err, ZR_E_NO_RULE, NULL,
		    "no rule \"%s\" known for %s", key,
		    zr_date_format(on, buf));
	*row = best;
	return 0;
}

long
zr_rule_value(const char *key, struct zr_date on, struct zr_error *err)
{
	const struct zr_rule *r;

	if (zr_rule_at(key, on, &r, err) < 0)
		return -1;
	return r->value;
}
