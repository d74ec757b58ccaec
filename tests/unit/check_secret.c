/* Unit tests: secrets read from a file descriptor (lib/card/secret.c). */
/* SPDX-License-Identifier: MIT */
#include <check.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "zairyu/zairyu.h"

/* A pipe holding s; returns the read end. */
static int
pipe_with(const char *s, size_t n)
{
	int fd[2];

	ck_assert_int_eq(pipe(fd), 0);
	ck_assert_int_eq(write(fd[1], s, n), (ssize_t)n);
	close(fd[1]);
	return fd[0];
}

START_TEST(secret_from_fd)
{
	struct zr_secret s;
	struct zr_error e;
	char big[ZR_SECRET_MAX + 8];
	int fd;

	/* One line; the rest stays in the pipe (byte by byte, no stdio). */
	fd = pipe_with("1234\nrest", 9);
	ck_assert_int_eq(zr_secret_read_fd(fd, &s, &e), 0);
	ck_assert_str_eq(s.buf, "1234");
	ck_assert_uint_eq(s.len, 4);
	ck_assert_int_eq(zr_secret_read_fd(fd, &s, &e), 0);
	ck_assert_str_eq(s.buf, "rest");
	/* End of file: nothing given. */
	ck_assert_int_eq(zr_secret_read_fd(fd, &s, &e), -1);
	ck_assert_int_eq(e.code, ZR_E_PIN_FORMAT);
	ck_assert_str_eq(e.msg, "no secret given (empty line)");
	close(fd);
	/* A CRLF line end. */
	fd = pipe_with("ABC123\r\n", 8);
	ck_assert_int_eq(zr_secret_read_fd(fd, &s, &e), 0);
	ck_assert_str_eq(s.buf, "ABC123");
	close(fd);
	/* Too long: refused, nothing kept, the secret not in the message. */
	memset(big, 'X', sizeof(big));
	fd = pipe_with(big, sizeof(big));
	ck_assert_int_eq(zr_secret_read_fd(fd, &s, &e), -1);
	ck_assert_int_eq(e.code, ZR_E_PIN_FORMAT);
	ck_assert_uint_eq(s.len, 0);
	ck_assert_int_eq(s.buf[0], '\0');
	ck_assert_ptr_null(strstr(e.msg, "XX"));
	close(fd);
	/* The longest taken (a PDF password counts 127 bytes), whole; one
	 * more is refused, never cut. */
	memset(big, 'Y', sizeof(big));
	big[ZR_SECRET_MAX] = '\n';
	fd = pipe_with(big, ZR_SECRET_MAX + 1);
	ck_assert_int_eq(zr_secret_read_fd(fd, &s, &e), 0);
	ck_assert_uint_eq(s.len, 127);
	ck_assert_uint_eq(strlen(s.buf), 127);
	close(fd);
	big[ZR_SECRET_MAX] = 'Y';
	big[ZR_SECRET_MAX + 1] = '\n';
	fd = pipe_with(big, ZR_SECRET_MAX + 2);
	ck_assert_int_eq(zr_secret_read_fd(fd, &s, &e), -1);
	ck_assert_int_eq(e.code, ZR_E_PIN_FORMAT);
	ck_assert_uint_eq(s.len, 0);
	ck_assert_int_eq(s.buf[0], '\0');
	close(fd);
	/* A closed descriptor. */
	ck_assert_int_eq(zr_secret_read_fd(fd, &s, &e), -1);
	ck_assert_int_eq(e.code, ZR_E_IO);
	/* Wiping leaves nothing. */
	fd = pipe_with("9876\n", 5);
	ck_assert_int_eq(zr_secret_read_fd(fd, &s, &e), 0);
	close(fd);
	zr_secret_wipe(&s);
	ck_assert_uint_eq(s.len, 0);
	for (size_t i = 0; i < sizeof(s.buf); i++)
		ck_assert_int_eq(s.buf[i], 0);
}
END_TEST

Suite *
zr_secret_suite(void)
{
	Suite *s = suite_create("secret");
	TCase *tc = tcase_create("secret");

	tcase_add_test(tc, secret_from_fd);
	suite_add_tcase(s, tc);
	return s;
}
