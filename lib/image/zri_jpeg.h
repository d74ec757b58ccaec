/* libzairyu internal: the libjpeg error manager shared by the JPEG code. */
/* SPDX-License-Identifier: MIT */
#ifndef ZRI_JPEG_H
#define ZRI_JPEG_H

#include <setjmp.h>
#include <stdio.h>

#include <jpeglib.h>

/*
 * libjpeg's default error_exit calls exit(): this one longjmps to jb with
 * the message in msg, and treats every warning as an error (a truncated
 * file must never become a half-grey photo).  Call setjmp(e.jb) before
 * any libjpeg call that may fail.
 */
struct zri_jerr {
	struct jpeg_error_mgr pub;
	jmp_buf jb;
	char msg[JMSG_LENGTH_MAX];
};

void zri_jerr_init(struct zri_jerr *e);

#endif
