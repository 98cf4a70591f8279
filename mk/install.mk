# mk/install.mk -- man pages, make install and make uninstall.
#
#   make install [PREFIX=/usr/local] [DESTDIR=]   (SYSCONFDIR=/etc, UNITDIR, NSSDIR, RUNDIR)
#   make uninstall                                  (the same variables)
#
# Layout: $(PREFIX)/sbin/ipsec; pluto, whack, addconn and _updown (the default updown
# script, which pluto finds beside itself) in $(PREFIX)/libexec/ipsec;
# man pages in $(PREFIX)/share/man; ipsec.service in $(UNITDIR); /etc/ipsec.conf and
# /etc/ipsec.secrets only when absent.  Every file installed is listed, with its
# checksum, in $(LIBEXECDIR)/install-manifest; make uninstall removes exactly those
# (an /etc file an administrator changed since stays, and is named).
PREFIX     ?= /usr/local
SYSCONFDIR ?= /etc
SBINDIR    ?= $(PREFIX)/sbin
LIBEXECDIR ?= $(PREFIX)/libexec/ipsec
MANDIR     ?= $(PREFIX)/share/man
UNITDIR    ?= $(PREFIX)/lib/systemd/system
NSSDIR     ?= /var/lib/ipsec/nss
RUNDIR     ?= /run/pluto
SCDOC      ?= scdoc

KWDOC := $(B)/man/kwdoc
MAN_SRC := $(wildcard man/*.scd man/*.scd.in)
MAN_PAGES := $(patsubst man/%.scd,$(B)/man/%,$(patsubst %.in,%,$(MAN_SRC)))

$(KWDOC): man/kwdoc.c $(LIBS_ALL)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $< $(LIBS_ALL) $(PKG_LIBS)

# ipsec.conf(5): the hand-written page with the registry's part where @KEYWORDS@ stands
$(B)/man/ipsec.conf.5.scd: man/ipsec.conf.5.scd.in $(KWDOC)
	@mkdir -p $(dir $@)
	$(KWDOC) >$@.kw
	sed -e '/^@KEYWORDS@$$/{r $@.kw' -e 'd}' $< >$@.tmp && rm -f $@.kw && mv $@.tmp $@

$(B)/man/%: $(B)/man/%.scd
	$(SCDOC) <$< >$@.tmp && mv $@.tmp $@

$(B)/man/%.scd: man/%.scd
	@mkdir -p $(dir $@)
	cp $< $@

man: $(MAN_PAGES)

# make unit renders each page (testing/unit/check-man)
unit: $(MAN_PAGES)

$(B)/ipsec.service: configs/ipsec.service.in
	@mkdir -p $(dir $@)
	sed -e 's|@SBINDIR@|$(SBINDIR)|g' -e 's|@LIBEXECDIR@|$(LIBEXECDIR)|g' \
	    -e 's|@SYSCONFDIR@|$(SYSCONFDIR)|g' -e 's|@NSSDIR@|$(NSSDIR)|g' -e 's|@RUNDIR@|$(RUNDIR)|g' $< >$@

.PHONY: $(B)/ipsec.service man install uninstall

MANIFEST = $(DESTDIR)$(LIBEXECDIR)/install-manifest
# inst MODE SRC DEST: install one file and list it in the manifest
inst = install -D -m $(1) $(2) $(DESTDIR)$(3) && echo "$(3) $$(sha256sum <$(2) | cut -d' ' -f1)" >>$(MANIFEST).new
# inst_absent: the same only when DEST does not exist yet (configuration files)
inst_absent = if [ -e $(DESTDIR)$(3) ]; then echo "install: keeping $(DESTDIR)$(3)"; else $(call inst,$(1),$(2),$(3)); fi

install: all man $(B)/ipsec.service
	@mkdir -p $(DESTDIR)$(LIBEXECDIR)
	@if [ -f $(MANIFEST) ]; then cp $(MANIFEST) $(MANIFEST).new; else : >$(MANIFEST).new; fi
	$(call inst,0755,programs/ipsec/ipsec,$(SBINDIR)/ipsec)
	$(call inst,0755,$(PLUTO),$(LIBEXECDIR)/pluto)
	$(call inst,0755,$(WHACK),$(LIBEXECDIR)/whack)
	$(call inst,0755,programs/ipsec/addconn,$(LIBEXECDIR)/addconn)
	$(call inst,0755,programs/updown/_updown,$(LIBEXECDIR)/_updown)
	$(foreach m,$(MAN_PAGES),$(call inst,0644,$(m),$(MANDIR)/man$(subst .,,$(suffix $(m)))/$(notdir $(m))) &&) true
	$(call inst,0644,$(B)/ipsec.service,$(UNITDIR)/ipsec.service)
	$(call inst_absent,0644,configs/ipsec.conf,$(SYSCONFDIR)/ipsec.conf)
	$(call inst_absent,0600,configs/ipsec.secrets,$(SYSCONFDIR)/ipsec.secrets)
	@sort -u -k1,1 $(MANIFEST).new >$(MANIFEST) && rm -f $(MANIFEST).new
	@echo "install: $$(wc -l <$(MANIFEST)) files, listed in $(MANIFEST)"

uninstall:
	@[ -f $(MANIFEST) ] || { echo "uninstall: no $(MANIFEST): nothing installed here"; exit 1; }
	@while read -r f sum; do \
		t=$(DESTDIR)$$f; \
		[ -e "$$t" ] || continue; \
		case $$f in $(SYSCONFDIR)/*) \
			if [ "$$(sha256sum <"$$t" | cut -d' ' -f1)" != "$$sum" ]; then \
				echo "uninstall: keeping $$t (changed since it was installed)"; continue; fi ;; \
		esac; \
		rm -f "$$t" && echo "uninstall: removed $$t"; \
	done <$(MANIFEST)
	rm -f $(MANIFEST)
	-rmdir $(DESTDIR)$(LIBEXECDIR) 2>/dev/null
