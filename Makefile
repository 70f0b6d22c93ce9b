# hte — PostgreSQL extension (PGXS build)

EXTENSION = hte
MODULE_big = hte
OBJS = \
	src/hte.o \
	src/ate.o \
	src/interaction.o \
	src/core/hte_moments.o \
	src/core/hte_comoments.o \
	src/core/hte_ate.o \
	src/core/hte_interaction.o \
	src/core/hte_dist.o

# The extension script is built from its parts, one per aggregate family.
DATA_built = sql/hte--1.0.sql

# pg_regress: inputs sql/<test>.sql, outputs expected/<test>.out
REGRESS = setup ate_basic ate_edge ate_parallel interaction
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

sql/hte--1.0.sql: $(sort $(wildcard $(srcdir)/sql/parts/*.sql))
	cat $^ > $@

# Rebuild every object when a header changes (PGXS does not track them).
$(OBJS): $(wildcard $(srcdir)/src/*.h $(srcdir)/src/core/*.h)
