# vanthu - a mail filter that keeps the register of official documents.
#
#   make            build/vanthu-milter and build/vanthu
#   make run        the milter in the foreground on the embedded defaults
#   make check      every test (installs missing Debian packages first)
#   make asan       every test again, built with AddressSanitizer and UBSan
#   make tsan       every test again, built with ThreadSanitizer
#   make deps       install the Debian packages that build and tests need
#   make install    PREFIX=/usr/local DESTDIR=
#   make fuzz       the fuzz targets (clang, libFuzzer) into build-fuzz/
#   make bench      the benchmarks into build/bench/ (run by hand)
#
# Every source file under milter/, rules/ and store/ goes into one static
# library; only milter/main.c and store/vanthu.c hold a main().

BUILD	?= build
PREFIX	?= /usr/local
DESTDIR	?=
SYSCONFDIR ?= /etc
LOCALSTATEDIR ?= /var
SYSTEMDUNITDIR ?= $(PREFIX)/lib/systemd/system
TMPFILESDIR ?= $(PREFIX)/lib/tmpfiles.d
DOCDIR	?= $(PREFIX)/share/doc/vanthu
# The installed paths, into the sample configuration and the unit.
SUBST	= sed -e 's|/usr/sbin/|$(PREFIX)/sbin/|g' \
	      -e 's|/usr/bin/vanthu |$(PREFIX)/bin/vanthu |g' \
	      -e 's|/etc/vanthu|$(SYSCONFDIR)/vanthu|g' \
	      -e 's|/var/lib/vanthu|$(LOCALSTATEDIR)/lib/vanthu|g' \
	      -e 's|/var/backups/vanthu|$(LOCALSTATEDIR)/backups/vanthu|g' \
	      -e 's|/var/spool/vanthu|$(LOCALSTATEDIR)/spool/vanthu|g'

CC	?= cc
PKGS	= libpcre2-8 sqlite3 openssl libmagic libarchive libutf8proc \
	  poppler-glib libxml-2.0 libzip json-c xlsxwriter libseccomp zlib libytnef

WARN	= -Wall -Wextra -Wformat=2 -Wshadow -Wno-missing-field-initializers
HARDEN	= -D_FORTIFY_SOURCE=2 -fstack-protector-strong -fPIE
OPT	?= -O2 -g
SAN	?=
CFLAGS	?=
LDFLAGS	?=
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS))
PKG_LIBS   = $(shell pkg-config --libs $(PKGS))
ALL_CFLAGS = -std=c11 -D_GNU_SOURCE $(WARN) $(HARDEN) $(OPT) $(SAN) \
	     -Imilter -Irules -Istore $(PKG_CFLAGS) $(CFLAGS)
ALL_LDFLAGS = -pie -Wl,-z,relro,-z,now $(SAN) $(LDFLAGS)
# libetpan's .pc names a no-PIE specs file and libraries we do not use;
# libmilter ships no .pc at all.
LIBS	= $(PKG_LIBS) -letpan -lmilter -lunistring -lpthread -lm

MAINS	= milter/main.c store/vanthu.c
LIB_SRC	= $(filter-out $(MAINS), $(sort $(wildcard milter/*.c rules/*.c store/*.c)))
LIB_OBJ	= $(LIB_SRC:%.c=$(BUILD)/obj/%.o)
UNIT_SRC = $(sort $(wildcard tests/unit/*_test.c))
UNIT_BIN = $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/unit/%)
HELPER_SRC = $(sort $(wildcard tests/tools/*.c))
HELPER_BIN = $(HELPER_SRC:tests/tools/%.c=$(BUILD)/tests/tools/%)
BENCH_SRC = $(sort $(wildcard tests/bench/*.c))
BENCH_BIN = $(BENCH_SRC:tests/bench/%.c=$(BUILD)/bench/%)
# The fuzz targets with fuzz/replay.c for a main (no libFuzzer), and the
# wproto seed maker: tests/fuzz/ replays fuzz/seeds.sh's seeds with them.
FUZZ_SRC = $(sort $(wildcard fuzz/*_fuzz.c))
FUZZ_BIN = $(FUZZ_SRC:fuzz/%.c=$(BUILD)/tests/fuzz/%) $(BUILD)/tests/fuzz/wproto_seeds
HDRS	= $(wildcard milter/*.h rules/*.h store/*.h tests/unit/*.h fuzz/*.h)

.PHONY: all deps run check tests asan tsan install uninstall clean fuzz bench

all: $(BUILD)/vanthu-milter $(BUILD)/vanthu

$(BUILD)/obj/%.o: %.c $(HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(BUILD)/libvanthu.a: $(LIB_OBJ)
	@rm -f $@
	ar rcs $@ $(LIB_OBJ)

$(BUILD)/vanthu-milter: $(BUILD)/obj/milter/main.o $(BUILD)/libvanthu.a
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(LIBS)

$(BUILD)/vanthu: $(BUILD)/obj/store/vanthu.o $(BUILD)/libvanthu.a
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(LIBS)

$(BUILD)/tests/unit/%: $(BUILD)/obj/tests/unit/%.o $(BUILD)/libvanthu.a
	@mkdir -p $(dir $@)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(LIBS) -lcmocka

$(BUILD)/tests/tools/%: $(BUILD)/obj/tests/tools/%.o $(BUILD)/libvanthu.a
	@mkdir -p $(dir $@)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(LIBS)

$(BUILD)/bench/%: $(BUILD)/obj/tests/bench/%.o $(BUILD)/libvanthu.a
	@mkdir -p $(dir $@)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(LIBS)

$(BUILD)/tests/fuzz/%_fuzz: $(BUILD)/obj/fuzz/%_fuzz.o $(BUILD)/obj/fuzz/replay.o \
			    $(BUILD)/libvanthu.a
	@mkdir -p $(dir $@)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(LIBS)

$(BUILD)/tests/fuzz/wproto_seeds: $(BUILD)/obj/fuzz/wproto_seeds.o $(BUILD)/libvanthu.a
	@mkdir -p $(dir $@)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(LIBS)

tests: all $(UNIT_BIN) $(HELPER_BIN) $(FUZZ_BIN)

deps:
	@sh contrib/deps.sh

run: deps
	$(MAKE) all
	@mkdir -p var/spool
	$(BUILD)/vanthu-milter -f

check: deps
	$(MAKE) tests
	VANTHU_BUILD=$(BUILD) sh tests/run.sh

asan: deps
	$(MAKE) BUILD=build-asan OPT="-O1 -g -fno-omit-frame-pointer" \
		SAN="-fsanitize=address,undefined -fno-sanitize-recover=undefined" tests
	VANTHU_BUILD=build-asan VANTHU_SANITIZED=1 \
		ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
		LSAN_OPTIONS=suppressions=$(CURDIR)/tests/lsan.supp \
		UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
		sh tests/run.sh

tsan: deps
	$(MAKE) BUILD=build-tsan OPT="-O1 -g -fno-omit-frame-pointer" \
		SAN="-fsanitize=thread" tests
	VANTHU_BUILD=build-tsan VANTHU_SANITIZED=1 \
		TSAN_OPTIONS=halt_on_error=1:suppressions=$(CURDIR)/tests/tsan.supp \
		sh tests/run.sh

bench: $(BENCH_BIN)

fuzz:
	$(MAKE) BUILD=build-fuzz CC=clang OPT="-O1 -g" \
		SAN="-fsanitize=fuzzer-no-link,address,undefined" \
		build-fuzz/libvanthu.a
	sh fuzz/build.sh build-fuzz

install: all
	install -d $(DESTDIR)$(PREFIX)/sbin $(DESTDIR)$(PREFIX)/bin
	install -m 0755 $(BUILD)/vanthu-milter $(DESTDIR)$(PREFIX)/sbin/
	install -m 0755 $(BUILD)/vanthu $(DESTDIR)$(PREFIX)/bin/
	install -d $(DESTDIR)$(PREFIX)/share/man/man1 $(DESTDIR)$(PREFIX)/share/man/man5 \
		$(DESTDIR)$(PREFIX)/share/man/man8
	for m in contrib/man/*.[158]; do [ -f "$$m" ] || continue; \
		s=$${m##*.}; install -m 0644 $$m $(DESTDIR)$(PREFIX)/share/man/man$$s/; done
	install -d $(DESTDIR)$(SYSCONFDIR)/vanthu/rules.d
	install -m 0644 rules/default.rules \
		$(DESTDIR)$(SYSCONFDIR)/vanthu/rules.d/00-default.rules
	$(SUBST) contrib/vanthu.conf >$(BUILD)/vanthu.conf.sample
	install -m 0644 $(BUILD)/vanthu.conf.sample $(DESTDIR)$(SYSCONFDIR)/vanthu/vanthu.conf.sample
	[ -f $(DESTDIR)$(SYSCONFDIR)/vanthu/vanthu.conf ] || \
		install -m 0644 $(BUILD)/vanthu.conf.sample $(DESTDIR)$(SYSCONFDIR)/vanthu/vanthu.conf
	install -d $(DESTDIR)$(SYSTEMDUNITDIR) $(DESTDIR)$(TMPFILESDIR)
	for u in vanthu-milter.service vanthu-backup.service vanthu-backup.timer; do \
		$(SUBST) contrib/systemd/$$u >$(BUILD)/$$u && \
		install -m 0644 $(BUILD)/$$u $(DESTDIR)$(SYSTEMDUNITDIR)/ || exit 1; done
	$(SUBST) contrib/systemd/vanthu.tmpfiles >$(BUILD)/vanthu.tmpfiles
	install -m 0644 $(BUILD)/vanthu.tmpfiles $(DESTDIR)$(TMPFILESDIR)/vanthu.conf
	install -d $(DESTDIR)$(DOCDIR)/examples/rules
	install -m 0644 contrib/postfix/main.cf $(DESTDIR)$(DOCDIR)/examples/postfix-main.cf
	install -m 0644 contrib/sendmail/vanthu.mc $(DESTDIR)$(DOCDIR)/examples/sendmail-vanthu.mc
	install -m 0644 contrib/rules/*.rules $(DESTDIR)$(DOCDIR)/examples/rules/

# Removes what install put, except a vanthu.conf the admin has changed
# (one still equal to the sample goes) and the register and spool.
uninstall:
	rm -f $(DESTDIR)$(PREFIX)/sbin/vanthu-milter $(DESTDIR)$(PREFIX)/bin/vanthu
	for m in contrib/man/*.[158]; do s=$${m##*.}; b=$${m##*/}; \
		rm -f $(DESTDIR)$(PREFIX)/share/man/man$$s/$$b; done
	rm -f $(DESTDIR)$(SYSCONFDIR)/vanthu/rules.d/00-default.rules
	if cmp -s $(DESTDIR)$(SYSCONFDIR)/vanthu/vanthu.conf \
		$(DESTDIR)$(SYSCONFDIR)/vanthu/vanthu.conf.sample; then \
		rm -f $(DESTDIR)$(SYSCONFDIR)/vanthu/vanthu.conf; fi
	rm -f $(DESTDIR)$(SYSCONFDIR)/vanthu/vanthu.conf.sample
	-rmdir $(DESTDIR)$(SYSCONFDIR)/vanthu/rules.d $(DESTDIR)$(SYSCONFDIR)/vanthu 2>/dev/null
	rm -f $(DESTDIR)$(SYSTEMDUNITDIR)/vanthu-milter.service \
		$(DESTDIR)$(SYSTEMDUNITDIR)/vanthu-backup.service \
		$(DESTDIR)$(SYSTEMDUNITDIR)/vanthu-backup.timer $(DESTDIR)$(TMPFILESDIR)/vanthu.conf
	rm -rf $(DESTDIR)$(DOCDIR)

clean:
	rm -rf build build-asan build-tsan build-fuzz
