# hte — PostgreSQL extension (PGXS build)

EXTENSION = hte
MODULE_big = hte
# Every C file: the PostgreSQL glue in src/, the statistics core in src/core/.
OBJS = $(patsubst %.c,%.o,$(sort $(wildcard src/*.c src/core/*.c)))

# Versions.  sql/hte--1.0.sql is the 1.0 script exactly as released (frozen:
# never edit it).  The current version's script is built from its parts, one
# per family, in sql/parts/; parts numbered 50 and up are new since 1.0 and,
# after the header in sql/updates/, make the upgrade script from 1.0.
EXTVERSION = 1.1
DATA = sql/hte--1.0.sql
DATA_built = sql/hte--$(EXTVERSION).sql sql/hte--1.0--$(EXTVERSION).sql
PARTS = $(sort $(wildcard $(srcdir)/sql/parts/*.sql))
PARTS_SINCE_1_0 = $(sort $(wildcard $(srcdir)/sql/parts/[5-9][0-9]_*.sql))

# pg_regress: inputs sql/<test>.sql, outputs expected/<test>.out; setup
# (the shared fixtures) first, then every other test in sql/.
TESTS = $(filter-out setup hte--%,$(basename $(notdir $(wildcard sql/*.sql))))
REGRESS = setup $(sort $(TESTS))
REGRESS_OPTS = --load-extension=hte

# PostgreSQL's headers as system headers: -Wextra then speaks of our code only
# (the headers themselves trip -Wunused-parameter).
PG_CPPFLAGS = -I$(srcdir)/src -isystem $(shell $(PG_CONFIG) --includedir-server)
# -ffp-contract=off: the compensated (TwoSum) arithmetic needs every
# operation rounded on its own, on every architecture.
PG_CFLAGS = -Wall -Wextra -ffp-contract=off

PG_CONFIG ?= pg_config
PGXS := $(shell $(PG_CONFIG) --pgxs)
include $(PGXS)

sql/hte--$(EXTVERSION).sql: $(PARTS)
	cat $^ > $@

sql/hte--1.0--$(EXTVERSION).sql: $(srcdir)/sql/updates/hte--1.0--$(EXTVERSION).head.sql $(PARTS_SINCE_1_0)
	cat $^ > $@

# Rebuild every object when a header changes (PGXS does not track them).
$(OBJS): $(wildcard $(srcdir)/src/*.h $(srcdir)/src/core/*.h)
