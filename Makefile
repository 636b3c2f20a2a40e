# SPDX-License-Identifier: AGPL-3.0-or-later
# securebase - build, test, lint, fuzz, bench.
#
#   make            build build/securebase
#   make check      install missing Debian packages, then lint, unit tests,
#                   the same tests under ASan+UBSan, command-line tests,
#                   and a short fuzz run
#   make demo       the main job: see README.md
#   make fuzz       run every fuzz target for FUZZ_SECONDS each
#   make bench      scoring benchmark against R's psych::scoreItems
#
# Everything is built under build/ (build/asan/ for the sanitizer build).

CC	?= cc
PKGS	 =
HARDEN	 = -D_FORTIFY_SOURCE=3 -fstack-clash-protection \
	   -fstack-protector-strong -fcf-protection=full -fPIE
WARN	 = -Wall -Wextra -Wformat=2 -Wconversion -Wno-sign-conversion \
	   -Wimplicit-fallthrough -Wshadow -Wstrict-prototypes \
	   -Werror=format-security -Werror
CFLAGS	?= -O2 -g
CFLAGS	+= -DSB_VERSION=\"0.2.0\" -std=c17 -D_POSIX_C_SOURCE=200809L $(WARN) -I. -Ibuild
LDFLAGS	+= -pie -Wl,-z,relro,-z,now,-z,noexecstack
PKG_CFLAGS != pkg-config --cflags sqlite3 libsodium libmicrohttpd jansson cairo pangocairo librsvg-2.0 libcurl libqrencode nettle libseccomp 2>/dev/null || true
PKG_LIBS   != pkg-config --libs sqlite3 libsodium libmicrohttpd jansson cairo pangocairo librsvg-2.0 libcurl libqrencode nettle libseccomp 2>/dev/null || echo -lsqlite3 -lsodium -lmicrohttpd -ljansson -lcairo -lcurl -lqrencode -lnettle -lseccomp
CFLAGS	+= $(PKG_CFLAGS)
# libpq, for the PostgreSQL backend (store/pg.c).
PG_CFLAGS != pkg-config --cflags libpq 2>/dev/null || echo -I/usr/include/postgresql
PG_LIBS   != pkg-config --libs libpq 2>/dev/null || echo -lpq
CFLAGS	+= $(PG_CFLAGS)
LDLIBS	+= $(PKG_LIBS) $(PG_LIBS) -lpthread -lm

ASAN_FLAGS = -fsanitize=address,undefined -fno-omit-frame-pointer \
	     -fno-sanitize-recover=all

# Each layer's sources are the .c files of its folder (store/fault.c is
# the anomaly build's alone).  The folders' READMEs say what lives where.
STORE_SRC  = $(filter-out store/fault.c,$(sort $(wildcard store/*.c)))
CORE_SRC   = $(sort $(wildcard core/*.c))
CLI_SRC    = $(sort $(wildcard cli/*.c))
# app/: what the web and the command line both do (recording an
# administration and raising its alerts, sending notifications).
APP_SRC    = $(sort $(wildcard app/*.c))
# render/: HTML, SVG, JSON and PDF writers over core data and app views,
# for the web and the command line.
RENDER_SRC = $(sort $(wildcard render/*.c))
WEB_SRC    = $(sort $(wildcard web/*.c))
INSTRUMENTS = $(sort $(wildcard instruments/*.instrument))
LANGFILES   = $(sort $(wildcard lang/*.lexicon lang/*.prompts))
# The manual: man/*.1 in mdoc, the one source of `man securebase-score`
# and `securebase help score` (mandoc's rendering, compiled in).
MANPAGES    = $(sort $(wildcard man/*.1))
MANTEXT     = $(MANPAGES:man/%.1=build/man/%.txt)
TESTS	 = $(patsubst tests/%.c,%,$(sort $(wildcard tests/test_*.c)))

# The store refuses passwords from data/common-passwords.txt, compiled in.
CORE_OBJ = $(CORE_SRC:%.c=build/%.o) $(STORE_SRC:%.c=build/%.o) \
	   build/builtin_passwords.o
CLI_OBJ	 = $(CLI_SRC:%.c=build/%.o) $(APP_SRC:%.c=build/%.o) \
	   $(RENDER_SRC:%.c=build/%.o) $(WEB_SRC:%.c=build/%.o) build/builtin.o \
	   build/builtin_lang.o build/builtin_web.o build/builtin_man.o
ASAN_CORE_OBJ = $(CORE_SRC:%.c=build/asan/%.o) $(STORE_SRC:%.c=build/asan/%.o) \
	   build/asan/builtin_passwords.o

.PHONY: all check check-fast pgtest deps lint unit asan clitest fhir fuzz fuzz-smoke e2e demo samples \
	install uninstall ops deb \
	demo-data \
	bench \
	clean

all: build/securebase

# make install [PREFIX=/usr/local] [DESTDIR=...]: the binary, the manual,
# the systemd units (BINDIR written into them) and, as examples, the
# settings file and the nginx site (docs/deploy.md says where they go).
PREFIX	?= /usr/local
BINDIR	?= $(PREFIX)/bin
MANDIR	?= $(PREFIX)/share/man
UNITDIR	?= $(PREFIX)/lib/systemd/system
DATADIR	?= $(PREFIX)/share/securebase
UNITS	 = securebase.service securebase-backup.service securebase-backup.timer

install: build/securebase
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 \
	    $(DESTDIR)$(UNITDIR) $(DESTDIR)$(DATADIR)
	install -m 0755 build/securebase $(DESTDIR)$(BINDIR)/securebase
	install -m 0644 $(MANPAGES) $(DESTDIR)$(MANDIR)/man1/
	for u in $(UNITS); do \
		sed 's|@BINDIR@|$(BINDIR)|g' deploy/$$u > $(DESTDIR)$(UNITDIR)/$$u && \
		chmod 0644 $(DESTDIR)$(UNITDIR)/$$u || exit 1; \
	done
	install -m 0644 deploy/securebase.default deploy/nginx-securebase.conf \
	    $(DESTDIR)$(DATADIR)/

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/securebase
	rm -f $(MANPAGES:man/%=$(DESTDIR)$(MANDIR)/man1/%)
	rm -f $(UNITS:%=$(DESTDIR)$(UNITDIR)/%)
	rm -f $(DESTDIR)$(DATADIR)/securebase.default \
	    $(DESTDIR)$(DATADIR)/nginx-securebase.conf
	-rmdir $(DESTDIR)$(DATADIR)

deps:
	@sh scripts/deps.sh build

build/%.o: %.c
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	@$(CC) $(CFLAGS) $(HARDEN) -MMD -MP -c -o $@ $<

# The ASan build is also the test build: SB_TEST_BUILD adds the routes
# only tests use (web/pages.c: what the sandbox refuses).
build/asan/%.o: %.c
	@mkdir -p $(dir $@)
	@echo "  CC asan $<"
	@$(CC) $(CFLAGS) -O1 $(ASAN_FLAGS) -DSB_TEST_BUILD -MMD -MP -c -o $@ $<

# The shipped instruments are compiled into the binary so that one file
# is the whole program; a directory given at run time can add or replace.
build/embed: tools/embed.c
	@mkdir -p build
	@$(CC) $(CFLAGS) -o $@ $<

build/builtin.c: build/embed $(INSTRUMENTS)
	@echo "  EMBED   instruments/*.instrument"
	@build/embed $(INSTRUMENTS) > $@.tmp && mv $@.tmp $@

# The other files compiled in, each by its name: builtin_NAME.c holds
# EMBED_NAME (-n names its array).
BUILTINS	= builtin builtin_lang builtin_man builtin_web builtin_passwords
EMBED_lang	= $(LANGFILES)
EMBED_man	= $(MANTEXT)
EMBED_web	= web/style.css build/style.css.gz
EMBED_passwords	= data/common-passwords.txt

# Kept after the build: the ASan build and the fuzz targets use them too.
.SECONDARY: $(BUILTINS:%=build/%.c) $(MANTEXT)

.SECONDEXPANSION:
build/builtin_%.c: build/embed $$(EMBED_$$*)
	@echo "  EMBED   $@"
	@build/embed -n builtin_$* $(EMBED_$*) > $@.tmp && mv $@.tmp $@

# Plain text (mandoc's overstrike for bold taken out), 78 columns.
build/man/%.txt: man/%.1
	@mkdir -p build/man
	@mandoc -T ascii -O width=78 $< | sed 's/.\x08//g' > $@.tmp && mv $@.tmp $@

# The stylesheet as is and gzipped (-n: no name or time, so the same
# bytes every build); serve sends the second to browsers that take it.
build/style.css.gz: web/style.css
	@mkdir -p build
	@gzip -9nc web/style.css > $@.tmp && mv $@.tmp $@

# The generated files compile like any source, in each build.
$(BUILTINS:%=build/%.o): build/%.o: build/%.c
	@echo "  CC      $<"
	@$(CC) $(CFLAGS) $(HARDEN) -c -o $@ $<

$(BUILTINS:%=build/asan/%.o): build/asan/%.o: build/%.c
	@mkdir -p build/asan
	@echo "  CC asan $<"
	@$(CC) $(CFLAGS) -O1 $(ASAN_FLAGS) -c -o $@ $<

build/securebase: $(CORE_OBJ) $(CLI_OBJ)
	@echo "  LD      $@"
	@$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

# The test build: the release objects but for the test clock
# (app/testclock.h), which reads SECUREBASE_TEST_CLOCK; the suites that
# move time run it.  The release binary ignores the variable.
build/test/app/testclock.o: app/testclock.c
	@mkdir -p $(dir $@)
	@echo "  CC test $<"
	@$(CC) $(CFLAGS) $(HARDEN) -DSB_TEST_CLOCK -MMD -MP -c -o $@ $<

build/test/securebase: $(CORE_OBJ) $(filter-out build/app/testclock.o,$(CLI_OBJ)) \
    build/test/app/testclock.o
	@echo "  LD test $@"
	@$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

# The anomaly build: the store with every sqlite3_step() able to fail
# (store/fault.c; tests/cli/faults.sh fails each read of a command in
# turn).
FAULT_OBJ = $(STORE_SRC:%.c=build/fault/%.o) build/fault/store/fault.o

build/fault/%.o: %.c
	@mkdir -p $(dir $@)
	@echo "  CC fault $<"
	@$(CC) $(CFLAGS) $(HARDEN) -DSB_FAULTS -MMD -MP -c -o $@ $<

build/fault/securebase: $(CORE_SRC:%.c=build/%.o) build/builtin_passwords.o \
    $(FAULT_OBJ) $(CLI_OBJ)
	@echo "  LD fault $@"
	@$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

build/asan/securebase: $(ASAN_CORE_OBJ) $(CLI_SRC:%.c=build/asan/%.o) \
    $(APP_SRC:%.c=build/asan/%.o) $(RENDER_SRC:%.c=build/asan/%.o) \
    $(WEB_SRC:%.c=build/asan/%.o) \
    build/asan/builtin.o build/asan/builtin_lang.o build/asan/builtin_web.o \
    build/asan/builtin_man.o
	@echo "  LD asan $@"
	@$(CC) $(ASAN_FLAGS) -o $@ $^ $(LDLIBS)

# Unit tests: one cmocka program per behaviour file, linked with the core
# (and the built-in instruments, which several tests score).
# What the tests link beside the core: the parts of app/, render/ and
# cli/ they call.
TEST_LINK = app/registry.o app/io.o app/record.o app/alliance.o \
    app/expected.o app/history_view.o app/narrative_view.o \
    app/client_view.o cli/answers.o render/html.o render/history_svg.o \
    render/record.o render/json.o render/outcomes_page.o \
    render/caseload_page.o render/measure.o render/history_page.o \
    render/narrative_page.o render/audit_page.o render/client_page.o \
    render/charts.o render/admin_page.o render/inbox_page.o

build/tests/%: tests/%.c $(CORE_OBJ) build/builtin.o build/builtin_lang.o \
    $(TEST_LINK:%=build/%)
	@mkdir -p build/tests
	@echo "  LD      $@"
	@$(CC) $(CFLAGS) -o $@ $^ $(LDLIBS) -lcmocka

build/asan/tests/%: tests/%.c $(ASAN_CORE_OBJ) build/asan/builtin.o \
    build/asan/builtin_lang.o $(TEST_LINK:%=build/asan/%)
	@mkdir -p build/asan/tests
	@echo "  LD asan $@"
	@$(CC) $(CFLAGS) -O1 $(ASAN_FLAGS) -o $@ $^ $(LDLIBS) -lcmocka

build/tests-pg/%: tests/pg/%.c build/store/pg.o build/store/pg_schema.o tests/test.h
	@mkdir -p build/tests-pg
	@echo "  LD      $@"
	@$(CC) $(CFLAGS) -Itests -o $@ tests/pg/$*.c \
	    build/store/pg.o build/store/pg_schema.o $(LDLIBS) -lcmocka

# The store's tests on PostgreSQL: the same programs as `make unit`.
PG_STORE_TESTS = test_store test_store_safety test_store_tamper \
	test_store_view test_web_session
pgtest: build/tests-pg/test_pg_backend $(PG_STORE_TESTS:%=build/tests/%) \
	    build/securebase build/test/securebase build/asan/securebase
	@sh tests/pg/run.sh
	@sh tests/pg/nodes.sh
	@sh tests/pg/outage.sh
	@sh tests/pg/tls.sh
	@sh tests/pg/failover.sh
	@sh tests/pg/pooler.sh
	@sh tests/pg/bulk.sh

lint:
	@sh scripts/lint.sh
	@out=$$(mandoc -T lint -W warning $(MANPAGES) 2>&1); \
	    [ -z "$$out" ] || { echo "$$out"; echo "man: mandoc -T lint"; exit 1; }
	@sh tests/lint/run.sh

unit: $(TESTS:%=build/tests/%)
	@sh scripts/run-tests.sh unit build/tests $(TESTS)

asan: $(TESTS:%=build/asan/tests/%) build/asan/securebase
	@sh scripts/run-tests.sh asan build/asan/tests $(TESTS)

clitest: build/securebase build/test/securebase build/asan/securebase \
	    build/fault/securebase
	@sh scripts/run-suites.sh clitest

# The inner loop: lint, the build, the unit tests and the plain-build CLI
# and HTTP suites (a few minutes; make check runs everything).
check-fast:
	@mkdir -p build && rm -f build/results.txt
	@$(MAKE) --no-print-directory lint
	@$(MAKE) --no-print-directory all build/test/securebase
	@$(MAKE) --no-print-directory unit
	@sh scripts/run-suites.sh fast
	@sh scripts/summary.sh build/results.txt

check:
	@sh scripts/deps.sh build e2e package
	@mkdir -p build && rm -f build/results.txt
	@$(MAKE) --no-print-directory lint
	@$(MAKE) --no-print-directory all
	@$(MAKE) --no-print-directory unit pgtest asan clitest fhir ops fuzz-smoke e2e
	@sh scripts/summary.sh build/results.txt

# Browser tests: Debian's Chromium driven by playwright-core (npm ci from
# tests/e2e/package-lock.json), every page checked with axe-core.
# Operations: upgrade of an old practice, /health and the event log,
# make install, the manual, the systemd units, nginx's site and the
# Debian package (dpkg-buildpackage, lintian).
ops: build/securebase
	@sh tests/ops/run.sh build/securebase

# FHIR R4 in and out, validated by the fhir package from the npm registry.
fhir: build/securebase build/asan/securebase
	@sh tests/fhir/run.sh build/securebase
	@sh tests/fhir/run.sh build/asan/securebase

e2e: build/securebase
	@sh tests/e2e/run.sh

# docs/screenshot-*.png from the demo practice.
screenshots: build/securebase
	@sh tests/e2e/screenshots.sh

# The sample reports in docs/, from the demo practice.
samples: build/securebase
	@sh scripts/samples.sh

FUZZ_TARGETS = fuzz_instrument fuzz_csv fuzz_form fuzz_history fuzz_narrative \
	       fuzz_fhir
FUZZ_SECONDS ?= 60
FUZZ_CC ?= clang

build/fuzz/%: fuzz/%.c $(CORE_SRC)
	@mkdir -p build/fuzz
	@echo "  FUZZ    $@"
	@$(FUZZ_CC) -std=c17 -D_POSIX_C_SOURCE=200809L -g -O1 -I. \
	    -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
	    -o $@ $^ -ljansson -lqrencode -lnettle -lm

# The history target draws what it parses; the narrative one needs the
# shipped lexicon.
build/fuzz/fuzz_history: render/history_svg.c render/html.c
build/fuzz/fuzz_narrative: build/builtin_lang.c

# A short run over the committed seed corpus plus fresh inputs: catches
# regressions in `make check`; `make fuzz` is the long run.
fuzz-smoke: $(FUZZ_TARGETS:%=build/fuzz/%)
	@sh scripts/fuzz.sh 10 $(FUZZ_TARGETS)

fuzz: $(FUZZ_TARGETS:%=build/fuzz/%)
	@sh scripts/fuzz.sh $(FUZZ_SECONDS) $(FUZZ_TARGETS)

# The main job: a demo practice of synthetic clients, served on
# 127.0.0.1:8080 (the login is printed).  demo-data shows the scoring
# engine on the real ECR data set instead.
demo:
	@sh scripts/deps.sh build
	@$(MAKE) --no-print-directory all
	@build/securebase demo

demo-data:
	@sh scripts/deps.sh build
	@$(MAKE) --no-print-directory all
	@sh scripts/demo.sh

build/bench/store_bench: bench/store_bench.c $(CORE_OBJ) build/builtin.o \
    build/app/registry.o build/cli/answers.o build/app/io.o build/app/record.o build/app/alliance.o build/app/expected.o \
    build/render/record.o
	@mkdir -p build/bench
	@echo "  LD      $@"
	@$(CC) $(CFLAGS) -o $@ $^ $(LDLIBS)

build/bench/network: bench/network.c $(CORE_OBJ) build/builtin.o \
    build/app/registry.o build/cli/answers.o build/app/io.o build/app/record.o build/app/alliance.o build/app/expected.o \
    build/render/record.o
	@mkdir -p build/bench
	@echo "  LD      $@"
	@$(CC) $(CFLAGS) -o $@ $^ $(LDLIBS)

build/bench/expected_sim: bench/expected_sim.c $(CORE_OBJ) build/builtin.o
	@mkdir -p build/bench
	@echo "  LD      $@"
	@$(CC) $(CFLAGS) -o $@ $^ $(LDLIBS)

bench: all build/bench/store_bench build/bench/network build/bench/expected_sim
	@sh scripts/deps.sh bench
	@sh bench/score.sh
	@build/bench/expected_sim
	@sh bench/store.sh
	@sh bench/web.sh
	@sh bench/caseload.sh
	@sh bench/import_wait.sh
	@sh bench/narrative.sh
	@sh bench/network.sh
	rm -rf build

-include $(shell find build -name '*.d' 2>/dev/null)

clean:
	rm -rf build
