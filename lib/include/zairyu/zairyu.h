/* libzairyu: umbrella header. */
/* SPDX-License-Identifier: MIT */
#ifndef ZAIRYU_ZAIRYU_H
#define ZAIRYU_ZAIRYU_H

#define ZR_VERSION "0.1.0"

#include "zairyu/error.h"
#include "zairyu/io.h"
#include "zairyu/date.h"
#include "zairyu/rules.h"
#include "zairyu/facts.h"
#include "zairyu/text.h"
#include "zairyu/csv.h"
#include "zairyu/roster.h"
#include "zairyu/mail.h"
#include "zairyu/letter.h"
#include "zairyu/pdf.h"
#include "zairyu/preview.h"
#include "zairyu/name.h"
#include "zairyu/image.h"
#include "zairyu/photo.h"
#include "zairyu/card.h"
#include "zairyu/secret.h"
#include "zairyu/jpki.h"
#include "zairyu/rcard.h"

#endif
