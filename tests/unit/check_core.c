/* Unit tests: error table, bounded reads, atomic output, deadlines, iCalendar. */
/* SPDX-License-Identifier: MIT */
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "zairyu/deadline.h"
#include "zr_test.h"

static char dir[64];

static void
mkdir_tmp(void)
{
	zr_test_tmpdir(dir, sizeof(dir));
}

static int
count_entries(const char *d)
{
	DIR *dp = opendir(d);
	struct dirent *de;
	int n = 0;

	ck_assert_ptr_nonnull(dp);
	while ((de = readdir(dp)) != NULL)
		n += de->d_name[0] != '.' || strncmp(de->d_name, ".zr-tmp", 7) == 0;
	closedir(dp);
	return n;
}

static void
rm_tmp(void)
{
	ck_assert_int_eq(zr_test_rmdir(dir), 0);
}

START_TEST(error_table)
{
	struct zr_error e;
	int c;

	for (c = 0; c < ZR_E_COUNT_; c++) {
		ck_assert(zr_strerror(c)[0] != '\0');
		ck_assert(strncmp(zr_code_name(c), "ZR_E_", 5) == 0);
		ck_assert(zr_code_exit(c) >= 0 && zr_code_exit(c) <= 3);
	}
	ck_assert_int_eq(zr_code_exit(ZR_E_OK), ZR_EXIT_OK);
	ck_assert_int_eq(zr_code_exit(ZR_E_NOT_JPEG), ZR_EXIT_INPUT);
	ck_assert_int_eq(zr_code_exit(ZR_E_NO_READER), ZR_EXIT_DEVICE);
	ck_assert_int_eq(zr_code_exit(ZR_E_PIN_LOCKED), ZR_EXIT_PROBLEM);
	ck_assert_str_eq(zr_strerror(-5), "unknown error");
	ck_assert_int_eq(zr_error_set(&e, ZR_E_NOT_JPEG, "scan.jpg", NULL), -1);
	ck_assert_str_eq(e.msg, "not a JPEG file");
	ck_assert_str_eq(e.subject, "scan.jpg");
	zr_error_set(&e, ZR_E_SYNTAX, NULL, "two\nlines");
	ck_assert_str_eq(e.msg, "two lines");
	zr_error_sys(&e, ZR_E_OPEN, 2, "x", "cannot open");
	ck_assert_str_eq(e.msg, "cannot open: No such file or directory");
	ck_assert_int_eq(e.sys_errno, 2);
	ck_assert_int_eq(zr_error_set(NULL, ZR_E_IO, NULL, NULL), -1);
}
END_TEST

START_TEST(read_bounded)
{
	char p[128];
	unsigned char *buf;
	size_t len;
	struct zr_error e;
	FILE *fp;

	mkdir_tmp();
	snprintf(p, sizeof(p), "%s/f", dir);
	fp = fopen(p, "w");
	fputs("hello", fp);
	fclose(fp);
	ck_assert_int_eq(zr_read_file(p, 0, &buf, &len, &e), 0);
	ck_assert_uint_eq(len, 5);
	ck_assert_str_eq((char *)buf, "hello");
	free(buf);
	ck_assert_int_eq(zr_read_file(p, 4, &buf, &len, &e), -1);
	ck_assert_int_eq(e.code, ZR_E_TOO_BIG);
	ck_assert_int_eq(zr_read_file(dir, 0, &buf, &len, &e), -1);
	ck_assert_int_eq(e.code, ZR_E_NOT_FILE);
	ck_assert_str_eq(e.msg, "is a directory");
	snprintf(p, sizeof(p), "%s/missing", dir);
	ck_assert_int_eq(zr_read_file(p, 0, &buf, &len, &e), -1);
	ck_assert_int_eq(e.code, ZR_E_OPEN);
	ck_assert_ptr_nonnull(strstr(e.msg, "No such file"));
	ck_assert_int_eq(zr_read_file("/dev/null", 0, &buf, &len, &e), -1);
	ck_assert_int_eq(e.code, ZR_E_NOT_FILE);
	ck_assert_str_eq(zr_display_name("-"), "<stdin>");
	rm_tmp();
}
END_TEST

/* Every input read is registered by inode: an output over it is refused
 * at open and, when read after the open, at commit. */
START_TEST(input_registry)
{
	char in[128], link2[128], other[128];
	struct zr_out *o;
	struct zr_error e;
	unsigned char *buf;
	size_t len;
	FILE *fp;

	mkdir_tmp();
	zr_input_reset();
	snprintf(in, sizeof(in), "%s/in.txt", dir);
	snprintf(link2, sizeof(link2), "%s/in-link.txt", dir);
	snprintf(other, sizeof(other), "%s/other.txt", dir);
	fp = fopen(in, "w");
	fputs("input", fp);
	fclose(fp);
	ck_assert_int_eq(link(in, link2), 0);
	ck_assert_int_eq(zr_write_file(other, "x", 1, 0, NULL, 0, &e), 0);
	ck_assert_ptr_null(zr_input_find(&(struct stat){ 0 }));
	/* Opened first, then the input read: refused at commit. */
	ck_assert_int_eq(zr_out_open(&o, link2, 0, NULL, 0, &e), 0);
	fputs("output", zr_out_file(o));
	ck_assert_int_eq(zr_read_file(in, 0, &buf, &len, &e), 0);
	free(buf);
	ck_assert_int_eq(zr_out_commit(o, &e), -1);
	ck_assert_int_eq(e.code, ZR_E_SAME_FILE);
	ck_assert_int_eq(count_entries(dir), 3); /* no temporary left */
	/* Read first: refused at open, by either name, with no list. */
	ck_assert_int_eq(zr_out_open(&o, in, 0, NULL, 0, &e), -1);
	ck_assert_int_eq(e.code, ZR_E_SAME_FILE);
	ck_assert_int_eq(zr_write_file(link2, "y", 1, 0, NULL, 0, &e), -1);
	ck_assert_int_eq(e.code, ZR_E_SAME_FILE);
	ck_assert_int_eq(zr_read_file(in, 0, &buf, &len, &e), 0);
	ck_assert_str_eq((char *)buf, "input");
	free(buf);
	/* A file only written is not an input. */
	ck_assert_int_eq(zr_write_file(other, "z", 1, 0, NULL, 0, &e), 0);
	/* zr_input_note() registers without reading. */
	ck_assert_int_eq(zr_input_note(other, &e), 0);
	ck_assert_int_eq(zr_write_file(other, "w", 1, 0, NULL, 0, &e), -1);
	ck_assert_int_eq(e.code, ZR_E_SAME_FILE);
	zr_input_reset();
	ck_assert_int_eq(zr_write_file(other, "w", 1, 0, NULL, 0, &e), 0);
	/* A file that cannot be looked at is an error, not registered. */
	snprintf(link2, sizeof(link2), "%s/none.txt", dir);
	ck_assert_int_eq(zr_input_note(link2, &e), -1);
	ck_assert_int_eq(e.code, ZR_E_OPEN);
	ck_assert_int_eq(zr_input_note_fd(-1, "x", &e), -1);
	ck_assert_int_eq(e.code, ZR_E_IO);
	rm_tmp();
}
END_TEST

/* Standard output guarded (every zr-* tool): reading the file that is
 * standard output fails, by any name; the file is registered all the
 * same, and other files read as before. */
START_TEST(input_stdout_guard)
{
	char in[128], link2[128], other[128];
	struct zr_error e;
	unsigned char *buf;
	size_t len;
	int fd, saved;

	mkdir_tmp();
	zr_input_reset();
	snprintf(in, sizeof(in), "%s/in.txt", dir);
	snprintf(link2, sizeof(link2), "%s/in-link.txt", dir);
	snprintf(other, sizeof(other), "%s/other.txt", dir);
	ck_assert_int_eq(zr_write_file(in, "input", 5, 0, NULL, 0, &e), 0);
	ck_assert_int_eq(zr_write_file(other, "other", 5, 0, NULL, 0, &e), 0);
	ck_assert_int_eq(symlink(in, link2), 0);
	fflush(stdout);
	saved = dup(STDOUT_FILENO);
	fd = open(in, O_WRONLY | O_APPEND);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(dup2(fd, STDOUT_FILENO), STDOUT_FILENO);
	close(fd);
	/* Not guarded: read, registered. */
	ck_assert_int_eq(zr_read_file(in, 0, &buf, &len, &e), 0);
	free(buf);
	ck_assert_int_eq(zr_input_is_stdout(), 1);
	zr_input_reset();
	ck_assert_int_eq(zr_input_is_stdout(), 0);
	zr_input_guard_stdout(1);
	ck_assert_int_eq(zr_read_file(link2, 0, &buf, &len, &e), -1);
	ck_assert_int_eq(e.code, ZR_E_SAME_FILE);
	ck_assert_str_eq(e.subject, link2);
	ck_assert_str_eq(e.msg, "standard output is this input file");
	ck_assert_ptr_null(buf);
	ck_assert_int_eq(zr_input_is_stdout(), 1);
	ck_assert_int_eq(zr_input_note(in, &e), -1);
	ck_assert_int_eq(e.code, ZR_E_SAME_FILE);
	ck_assert_int_eq(zr_read_file(other, 0, &buf, &len, &e), 0);
	free(buf);
	ck_assert_int_eq(zr_input_note(other, &e), 0);
	zr_input_guard_stdout(0);
	ck_assert_int_eq(dup2(saved, STDOUT_FILENO), STDOUT_FILENO);
	close(saved);
	ck_assert_int_eq(zr_input_is_stdout(), 0);
	/* Nothing was written into the input. */
	ck_assert_int_eq(zr_read_file(in, 0, &buf, &len, &e), 0);
	ck_assert_str_eq((char *)buf, "input");
	free(buf);
	zr_input_reset();
	rm_tmp();
}
END_TEST

START_TEST(atomic_output)
{
	char p[128], in[128];
	struct zr_out *o;
	struct zr_error e;
	unsigned char *buf;
	size_t len;
	const char *inputs[1];
	FILE *fp;

	mkdir_tmp();
	snprintf(p, sizeof(p), "%s/out.txt", dir);
	snprintf(in, sizeof(in), "%s/in.txt", dir);
	/* Abort leaves nothing. */
	ck_assert_int_eq(zr_out_open(&o, p, 1, NULL, 0, &e), 0);
	fputs("partial", zr_out_file(o));
	ck_assert_int_eq(count_entries(dir), 1);  /* the temporary */
	zr_out_abort(o);
	ck_assert_int_eq(count_entries(dir), 0);
	/* Commit renames into place; the old file stays until then. */
	ck_assert_int_eq(zr_write_file(p, "one", 3, 1, NULL, 0, &e), 0);
	ck_assert_int_eq(zr_out_open(&o, p, 1, NULL, 0, &e), 0);
	fputs("two", zr_out_file(o));
	ck_assert_int_eq(zr_read_file(p, 0, &buf, &len, &e), 0);
	ck_assert_str_eq((char *)buf, "one");
	free(buf);
	/* That read registered p as an input (zr_input_note()); a tool
	 * would now be refused, the test looks only. */
	zr_input_reset();
	ck_assert_int_eq(zr_out_commit(o, &e), 0);
	ck_assert_int_eq(zr_read_file(p, 0, &buf, &len, &e), 0);
	ck_assert_str_eq((char *)buf, "two");
	free(buf);
	ck_assert_int_eq(count_entries(dir), 1);
	/* Never overwrite an input, even by another name (a hard link). */
	fp = fopen(in, "w");
	fputs("input", fp);
	fclose(fp);
	inputs[0] = in;
	ck_assert_int_eq(zr_out_open(&o, in, 0, inputs, 1, &e), -1);
	ck_assert_int_eq(e.code, ZR_E_SAME_FILE);
	snprintf(p, sizeof(p), "%s/link.txt", dir);
	ck_assert_int_eq(link(in, p), 0);
	ck_assert_int_eq(zr_out_open(&o, p, 0, inputs, 1, &e), -1);
	ck_assert_int_eq(e.code, ZR_E_SAME_FILE);
	ck_assert_int_eq(zr_read_file(in, 0, &buf, &len, &e), 0);
	ck_assert_str_eq((char *)buf, "input");
	free(buf);
	/* A device is written in place, never replaced by a rename. */
	ck_assert_int_eq(zr_write_file("/dev/null", "x", 1, 0, NULL, 0, &e), 0);
	{
		struct stat st;
		ck_assert_int_eq(stat("/dev/null", &st), 0);
		ck_assert(S_ISCHR(st.st_mode));
	}
	{
		DIR *dp = opendir("/dev");
		struct dirent *de;
		ck_assert_ptr_nonnull(dp);
		while ((de = readdir(dp)) != NULL)
			ck_assert(strncmp(de->d_name, ".zr-tmp", 7) != 0);
		closedir(dp);
	}
	/* A directory is not an output; a missing folder fails cleanly. */
	ck_assert_int_eq(zr_out_open(&o, dir, 0, NULL, 0, &e), -1);
	ck_assert_int_eq(e.code, ZR_E_NOT_FILE);
	snprintf(p, sizeof(p), "%s/no/such/dir/x", dir);
	ck_assert_int_eq(zr_out_open(&o, p, 0, NULL, 0, &e), -1);
	ck_assert_int_eq(e.code, ZR_E_OPEN);
	rm_tmp();
}
END_TEST

static struct zr_deadline
dl_for(struct zr_date exp, struct zr_date today)
{
	struct zr_deadline_in in;
	struct zr_deadline d;
	struct zr_error e;

	memset(&in, 0, sizeof(in));
	in.stay_expiry = exp;
	in.today = today;
	in.warn_days = 14;
	ck_assert_msg(zr_deadline_compute(&in, &d, &e) == 0, "%s", e.msg);
	return d;
}

static const struct zr_event *
ev(const struct zr_deadline *d, const char *id)
{
	int i;

	for (i = 0; i < d->nev; i++)
		if (strcmp(d->ev[i].id, id) == 0)
			return &d->ev[i];
	return NULL;
}

START_TEST(deadlines)
{
	struct zr_deadline d;
	struct zr_deadline_in in;
	struct zr_error e;

	/* 2026-05-31 (Sun): window 2026-02-28 (clamped), online 05-30,
	 * counter moved to Monday 06-01, special period to 07-31. */
	d = dl_for(ZR_D(2026, 5, 31), ZR_D(2026, 1, 10));
	ck_assert_date_eq(ev(&d, "window_open")->date, ZR_D(2026, 2, 28));
	ck_assert_date_eq(ev(&d, "online_last")->date, ZR_D(2026, 5, 30));
	ck_assert_date_eq(ev(&d, "counter_last")->date, ZR_D(2026, 6, 1));
	ck_assert_date_eq(ev(&d, "special_end")->date, ZR_D(2026, 7, 31));
	ck_assert_int_eq(d.stage, ZR_STAGE_TOO_EARLY);
	ck_assert_int_eq(d.problem, 0);
	ck_assert_ptr_null(ev(&d, "myna_update_by"));
	/* Sorted by date. */
	for (int i = 1; i < d.nev; i++)
		ck_assert(zr_date_cmp(d.ev[i - 1].date, d.ev[i].date) <= 0);

	d = dl_for(ZR_D(2026, 5, 31), ZR_D(2026, 2, 28));
	ck_assert_int_eq(d.stage, ZR_STAGE_OPEN);
	ck_assert_int_eq(d.days_left, 91);
	ck_assert_str_eq(d.ev[d.next].id, "online_last");
	d = dl_for(ZR_D(2026, 5, 31), ZR_D(2026, 5, 20));
	ck_assert_int_eq(d.problem, 1);              /* within 14 days */
	d = dl_for(ZR_D(2026, 5, 31), ZR_D(2026, 5, 31));
	ck_assert_int_eq(d.stage, ZR_STAGE_COUNTER_ONLY);
	ck_assert_str_eq(d.ev[d.next].id, "counter_last");
	d = dl_for(ZR_D(2026, 5, 31), ZR_D(2026, 6, 1));
	ck_assert_int_eq(d.stage, ZR_STAGE_COUNTER_ONLY);
	d = dl_for(ZR_D(2026, 5, 31), ZR_D(2026, 6, 2));
	ck_assert_int_eq(d.stage, ZR_STAGE_EXPIRED);
	ck_assert_int_eq(d.problem, 1);
	/* Special period counted from the day after: 02-28 -> 04-30. */
	d = dl_for(ZR_D(2027, 2, 28), ZR_D(2026, 1, 1));
	ck_assert_date_eq(ev(&d, "special_end")->date, ZR_D(2027, 4, 30));
	/* Year-end closure: 2026-12-31 -> 2027-01-04. */
	d = dl_for(ZR_D(2026, 12, 31), ZR_D(2026, 1, 1));
	ck_assert_date_eq(ev(&d, "counter_last")->date, ZR_D(2027, 1, 4));
	ck_assert_ptr_nonnull(strstr(ev(&d, "counter_last")->note, "year-end"));

	/* A short stay: the midpoint, not 3 months before. */
	memset(&in, 0, sizeof(in));
	in.stay_expiry = ZR_D(2026, 5, 31);
	in.period.months = 3;
	in.today = ZR_D(2026, 4, 1);
	in.warn_days = 14;
	ck_assert_int_eq(zr_deadline_compute(&in, &d, &e), 0);
	ck_assert_ptr_null(ev(&d, "window_open"));
	ck_assert_date_eq(ev(&d, "window_midpoint")->date, ZR_D(2026, 4, 15));
	ck_assert_int_eq(d.stage, ZR_STAGE_TOO_EARLY);

	/* Optional events, the JPKI certificate and the applied stage. */
	memset(&in, 0, sizeof(in));
	in.stay_expiry = ZR_D(2031, 5, 31);
	in.today = ZR_D(2026, 11, 23);
	in.jpki_issued = ZR_D(2024, 6, 1);
	in.birth = ZR_D(1990, 4, 1);
	in.completion = ZR_D(2026, 11, 1);
	in.lost = ZR_D(2026, 11, 20);
	in.warn_days = 14;
	ck_assert_int_eq(zr_deadline_compute(&in, &d, &e), 0);
	ck_assert_date_eq(ev(&d, "jpki_end")->date, ZR_D(2029, 4, 1));
	ck_assert_date_eq(ev(&d, "card_mail_by")->date, ZR_D(2026, 11, 15));
	ck_assert_date_eq(ev(&d, "lost_reissue_by")->date, ZR_D(2026, 12, 4));
	ck_assert_ptr_nonnull(ev(&d, "myna_update_by"));
	ck_assert_int_eq(d.problem, 1);  /* the kit is 8 days late */
	in.birth = ZR_D(1990, 7, 1);     /* birthday after issue: 2028 */
	ck_assert_int_eq(zr_deadline_compute(&in, &d, &e), 0);
	ck_assert_date_eq(ev(&d, "jpki_end")->date, ZR_D(2028, 7, 1));
	in.stay_expiry = ZR_D(2027, 1, 31);  /* the card ends first */
	ck_assert_int_eq(zr_deadline_compute(&in, &d, &e), 0);
	ck_assert_date_eq(ev(&d, "jpki_end")->date, ZR_D(2027, 1, 31));

	memset(&in, 0, sizeof(in));
	in.stay_expiry = ZR_D(2026, 5, 31);
	in.today = ZR_D(2026, 6, 20);
	in.applied = ZR_D(2026, 5, 1);
	ck_assert_int_eq(zr_deadline_compute(&in, &d, &e), 0);
	ck_assert_int_eq(d.stage, ZR_STAGE_APPLIED);
	ck_assert_int_eq(d.problem, 0);
	/* After the last day: set aside with a warning (issue 15). */
	in.applied = ZR_D(2026, 6, 10);
	ck_assert_int_eq(zr_deadline_compute(&in, &d, &e), 0);
	ck_assert_int_eq(d.stage, ZR_STAGE_EXPIRED);
	ck_assert_int_eq(d.nwarning, 1);
	memset(&in, 0, sizeof(in));
	ck_assert_int_eq(zr_deadline_compute(&in, &d, &e), -1);
	ck_assert_int_eq(e.code, ZR_E_MISSING);
}
END_TEST

START_TEST(ics_output)
{
	struct zr_deadline d = dl_for(ZR_D(2026, 5, 31), ZR_D(2026, 1, 10));
	char *buf = NULL, *p, *line;
	size_t size = 0;
	FILE *fp = open_memstream(&buf, &size);
	int begins = 0, alarms = 0;

	zr_ics_begin(fp);
	zr_ics_events(fp, "SAMPLE TARO, JR; X", &d, ZR_D(2026, 1, 10));
	zr_ics_end(fp);
	fclose(fp);
	ck_assert(strncmp(buf, "BEGIN:VCALENDAR\r\nVERSION:2.0\r\n", 30) == 0);
	ck_assert_ptr_nonnull(strstr(buf, "DTSTART;VALUE=DATE:20260530\r\n"
	    "DTEND;VALUE=DATE:20260531\r\n"));
	ck_assert_ptr_nonnull(strstr(buf, "DTSTAMP:20260110T000000Z"));
	ck_assert_ptr_nonnull(strstr(buf, "SAMPLE TARO\\, JR\\; X"));
	ck_assert_ptr_nonnull(strstr(buf, "TRIGGER:-P7D"));
	ck_assert_ptr_nonnull(strstr(buf, "END:VCALENDAR\r\n"));
	/* Lines end in CRLF and no line is over 75 octets. */
	for (p = buf; (line = strstr(p, "\r\n")) != NULL; p = line + 2) {
		ck_assert_int_le(line - p, 75);
		begins += strncmp(p, "BEGIN:VEVENT", 12) == 0;
		alarms += strncmp(p, "BEGIN:VALARM", 12) == 0;
	}
	ck_assert_int_eq(*p, '\0');
	ck_assert_int_eq(begins, d.nev);
	ck_assert_int_eq(alarms, 4);   /* online_last, counter_last */
	free(buf);
}
END_TEST

Suite *
zr_core_suite(void)
{
	Suite *s = suite_create("core");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, error_table);
	tcase_add_test(tc, read_bounded);
	tcase_add_test(tc, input_registry);
	tcase_add_test(tc, input_stdout_guard);
	tcase_add_test(tc, atomic_output);
	tcase_add_test(tc, deadlines);
	tcase_add_test(tc, ics_output);
	suite_add_tcase(s, tc);
	return s;
}
