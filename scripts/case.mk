# case.mk: rebuild a renewal case's upload files when their sources change.
#
# In one case folder (with case.facts, photo.jpg, 10-application.pdf, ...):
#     include /usr/local/share/zairyu-tools/case.mk
# or, for a folder of many cases (HR batch, one subfolder per person):
#     CASES := $(wildcard */case.facts)
#     include /usr/local/share/zairyu-tools/case.mk
# then `make` (or `make -j2`) builds, per case, under out/:
#     photo.jpg      from photo.jpg / photo.png          (zr-photo)
#     upload.pdf     from the numbered documents 10-*   (zr-pdfmerge, then --check)
#     deadlines.ics  from case.facts                     (zr-deadline)
#     letter.pdf     from completion-mail.eml, if there  (zr-letter)
# Knobs: ZR_BIN (folder of the zr-* tools), ZR_TODAY, ZR_RULES_DATE.

ZR_BIN ?=
ZR_TOOL = $(if $(ZR_BIN),$(ZR_BIN)/,)
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

ZR_TARGETS := $(foreach c,$(ZR_CASE_DIRS),$(c)/out/photo.jpg $(c)/out/upload.pdf \
	$(c)/out/deadlines.ics $(if $(call zr_mail,$(c)),$(c)/out/letter.pdf))

.PHONY: zr-all zr-clean
zr-all: $(ZR_TARGETS)

define ZR_CASE_RULES
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
