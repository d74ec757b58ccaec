# case.mk: rebuild a renewal case's upload files when their sources change.
#
# In one case folder (with case.facts, photo.jpg, 10-application.pdf, ...):
#     include /usr/local/share/zairyu-tools/case.mk
# or, for a folder of many cases (HR batch, one subfolder per person):
#     CASES := $(wildcard */case.facts)
#     include /usr/local/share/zairyu-tools/case.mk
# then `make` (or `make -j2`) runs zr-renew on each case whose files changed
# (out/review.html, out/status.tsv and the upload files, see zr-renew(1)) and
# writes one summary of all cases, $(ZR_SUMMARY_DIR)/summary.tsv and
# index.html (person, verdict, next deadline, what is missing, a link to each
# review page).  A case's problem is its verdict in the summary: make goes on.
# `make zr-files` builds the upload files alone, tool by tool, per file:
#     photo.jpg      from photo.jpg / photo.png          (zr-photo)
#     upload.pdf     from the numbered documents 10-*   (zr-pdfmerge, then --check)
#     deadlines.ics  from case.facts                     (zr-deadline)
#     letter.pdf     from completion-mail.eml, if there  (zr-letter)
# Knobs: ZR_BIN (folder of the zr-* tools), ZR_RENEW (the zr-renew script),
# ZR_TODAY, ZR_RULES_DATE, ZR_CARD=1 (also test the card; default off in a
# batch), ZR_SUMMARY_DIR (default: this folder).

ZR_BIN ?=
ZR_TOOL = $(if $(ZR_BIN),$(ZR_BIN)/,)
ZR_RENEW ?= $(ZR_TOOL)zr-renew
ZR_SUMMARY_DIR ?= .
ZR_CARD ?=
ZR_CARD_OPT = $(if $(ZR_CARD),,--no-card)
ZR_DATE_OPT = $(if $(ZR_TODAY),--today $(ZR_TODAY),)
ZR_RULES_OPT = $(if $(ZR_RULES_DATE),--rules-date $(ZR_RULES_DATE),$(if $(ZR_TODAY),--rules-date $(ZR_TODAY),))

# Case folders: by default the current one.
CASES ?= case.facts
ZR_CASE_DIRS := $(patsubst %/,%,$(dir $(CASES)))

# Per-case sources, found at parse time.
zr_photo_src = $(firstword $(wildcard $(1)/photo.jpg $(1)/photo.jpeg $(1)/photo.png))
zr_docs = $(sort $(wildcard $(1)/[0-9][0-9]-*.pdf $(1)/[0-9][0-9]-*.jpg \
	$(1)/[0-9][0-9]-*.jpeg $(1)/[0-9][0-9]-*.png))
zr_mail = $(wildcard $(1)/completion-mail.eml)

# Everything zr-renew reads in a case folder.
zr_inputs = $(call zr_photo_src,$(1)) $(call zr_docs,$(1)) $(wildcard $(1)/*.facts) \
	$(wildcard $(1)/passport.mrz) $(call zr_mail,$(1))

ZR_TARGETS := $(foreach c,$(ZR_CASE_DIRS),$(c)/out/photo.jpg $(c)/out/upload.pdf \
	$(c)/out/deadlines.ics $(if $(call zr_mail,$(c)),$(c)/out/letter.pdf))
ZR_REVIEWS := $(foreach c,$(ZR_CASE_DIRS),$(c)/out/review.html)

.PHONY: zr-all zr-files zr-review zr-clean
zr-all: zr-review
zr-review: $(ZR_SUMMARY_DIR)/summary.tsv
zr-files: $(ZR_TARGETS)

# The summary of every case, after every review.
$(ZR_SUMMARY_DIR)/summary.tsv: $(ZR_REVIEWS)
	ZR_BIN=$(ZR_BIN) $(ZR_RENEW) --summary $(ZR_SUMMARY_DIR) $(ZR_CASE_DIRS)

define ZR_CASE_RULES
# zr-renew exits 1, 2 or 4 for a case that is not ready: that is the
# case's verdict (in its status.tsv and the summary), not make's failure.
$(1)/out/review.html: $(call zr_inputs,$(1))
	@mkdir -p $(1)/out
	ZR_BIN=$(ZR_BIN) $(ZR_RENEW) $(strip -q $(ZR_CARD_OPT) $(ZR_DATE_OPT) \
		$(if $(ZR_RULES_DATE),--rules-date $(ZR_RULES_DATE)) \
		$(if $(call zr_mail,$(1)),--after-mail $(call zr_mail,$(1)))) $(1) || [ -f $(1)/out/review.html ]

$(1)/out/photo.jpg: $(call zr_photo_src,$(1)) $(1)/case.facts
	@mkdir -p $(1)/out
	$(ZR_TOOL)zr-photo -q $(ZR_RULES_OPT) $(ZR_DATE_OPT) -o $$@ $$<

# The photo's size is reserved in the total where the rules count it.
$(1)/out/upload.pdf: $(call zr_docs,$(1)) $(1)/out/photo.jpg
	@mkdir -p $(1)/out
	$(ZR_TOOL)zr-pdfmerge -q $(ZR_RULES_OPT) --reserve $$$$(wc -c < $(1)/out/photo.jpg) \
		-o $$@ $(call zr_docs,$(1))
	$(ZR_TOOL)zr-pdfmerge -q $(ZR_RULES_OPT) --check $$@

$(1)/out/deadlines.ics: $(1)/case.facts
	@mkdir -p $(1)/out
	$(ZR_TOOL)zr-deadline $(ZR_DATE_OPT) --facts $$< --ics -o $$@ || [ $$$$? -eq 1 ]

$(1)/out/letter.pdf: $(call zr_mail,$(1)) $(1)/case.facts
	@mkdir -p $(1)/out
	$(ZR_TOOL)zr-letter $(ZR_RULES_OPT) --facts $(1)/case.facts --mail $$< -o $$@
endef
$(foreach c,$(ZR_CASE_DIRS),$(eval $(call ZR_CASE_RULES,$(c))))

zr-clean:
	rm -rf $(addsuffix /out,$(ZR_CASE_DIRS))
	rm -f $(ZR_SUMMARY_DIR)/summary.tsv $(ZR_SUMMARY_DIR)/index.html
