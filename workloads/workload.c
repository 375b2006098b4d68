// SPDX-License-Identifier: MIT
/*
 * workload.c — the workload file parser (libyaml documents): every value
 * is checked against the format (workloads/README.md), unknown fields are
 * errors, and an error names the file, the line and the field path.
 * Overrides ("--set run.duration_ms=5", "--set sources.0.rate_hz=1e5")
 * are applied to the document before it is read, so they are checked the
 * same way.
 */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "workloads/workload.h"

struct ctx {
	yaml_document_t doc;
	const char *file;
	FILE *err;
	bool failed;
	ptrdiff_t nread; /* nodes read from the file; --set adds any after them */
};

static void fail(struct ctx *c, const yaml_node_t *n, const char *field, const char *fmt, ...)
{
	va_list ap;

	if (c->failed)
		return;
	c->failed = true;
	if (n && n - c->doc.nodes.start < c->nread)
		fprintf(c->err, "%s:%zu: ", c->file, n->start_mark.line + 1);
	else if (n)
		fprintf(c->err, "%s: (--set) ", c->file);
	else
		fprintf(c->err, "%s: ", c->file);
	if (field && *field)
		fprintf(c->err, "%s: ", field);
	va_start(ap, fmt);
	vfprintf(c->err, fmt, ap);
	va_end(ap);
	fputc('\n', c->err);
}

static const char *scalar(const yaml_node_t *n)
{
	return n && n->type == YAML_SCALAR_NODE ? (const char *)n->data.scalar.value : NULL;
}

static yaml_node_t *node(struct ctx *c, int id)
{
	return yaml_document_get_node(&c->doc, id);
}

/* The value of @key in mapping @map, or NULL. */
static yaml_node_t *get(struct ctx *c, yaml_node_t *map, const char *key)
{
	if (!map || map->type != YAML_MAPPING_NODE)
		return NULL;
	for (yaml_node_pair_t *p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top;
	     p++) {
		const char *k = scalar(node(c, p->key));

		if (k && !strcmp(k, key))
			return node(c, p->value);
	}
	return NULL;
}

/* Every key of @map is one of @known. */
static void only(struct ctx *c, yaml_node_t *map, const char *where, const char *const *known)
{
	if (!map || map->type != YAML_MAPPING_NODE) {
		fail(c, map, where, "expected a mapping");
		return;
	}
	for (yaml_node_pair_t *p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top;
	     p++) {
		yaml_node_t *kn = node(c, p->key);
		const char *k = scalar(kn);
		bool ok = false;

		for (const char *const *q = known; k && *q; q++)
			ok |= !strcmp(k, *q);
		if (!ok) {
			char f[160];

			snprintf(f, sizeof(f), "%s%s%s", where, *where ? "." : "", k ? k : "?");
			fail(c, kn, f, "unknown field");
			return;
		}
	}
}

static void path(char *buf, size_t n, const char *where, const char *key)
{
	snprintf(buf, n, "%s%s%s", where, *where ? "." : "", key);
}

/* @v as a user wrote it: a whole number in full (a seed's bound is
 * 9007199254740992, not 9.0072e+15), any other the shortest way. */
static const char *numtxt(char buf[32], double v)
{
	if (v == floor(v) && fabs(v) <= 9007199254740992.0)
		snprintf(buf, 32, "%.0f", v);
	else
		snprintf(buf, 32, "%g", v);
	return buf;
}

static double num(struct ctx *c, yaml_node_t *map, const char *where, const char *key,
		  double def, double min, double max, bool required)
{
	yaml_node_t *n = get(c, map, key);
	char f[160], lo[32], hi[32];
	const char *s;
	char *end;
	double v;

	path(f, sizeof(f), where, key);
	numtxt(lo, min);
	numtxt(hi, max);
	if (!n) {
		if (required)
			fail(c, map, f, "missing (expected a number from %s to %s)", lo, hi);
		return def;
	}
	s = scalar(n);
	errno = 0;
	v = s ? strtod(s, &end) : 0;
	if (!s || !*s || *end || errno || isnan(v)) {
		fail(c, n, f, "expected a number, got '%s'", s ? s : "(not a scalar)");
		return def;
	}
	if (v < min || v > max) {
		fail(c, n, f, "expected a number from %s to %s, got %s", lo, hi, s);
		return def;
	}
	return v;
}

static uint64_t whole(struct ctx *c, yaml_node_t *map, const char *where, const char *key,
		      double def, double min, double max, bool required)
{
	double v = num(c, map, where, key, def, min, max, required);
	char f[160];

	if (v != floor(v)) {
		path(f, sizeof(f), where, key);
		fail(c, get(c, map, key), f, "expected a whole number, got %s",
		     scalar(get(c, map, key)));
	}
	return (uint64_t)v;
}

static unsigned uint_(struct ctx *c, yaml_node_t *map, const char *where, const char *key,
		      unsigned def, unsigned min, unsigned max, bool required)
{
	return (unsigned)whole(c, map, where, key, def, min, max, required);
}

/* One of @opts (NULL-terminated); returns its index, or @def when absent. */
static int choice(struct ctx *c, yaml_node_t *map, const char *where, const char *key,
		  const char *const *opts, int def, bool required)
{
	yaml_node_t *n = get(c, map, key);
	const char *s = scalar(n);
	char f[160], want[200] = "";

	path(f, sizeof(f), where, key);
	if (!n) {
		if (required)
			fail(c, map, f, "missing");
		return def;
	}
	for (int i = 0; opts[i]; i++) {
		if (s && !strcmp(s, opts[i]))
			return i;
		strncat(want, i ? " | " : "", sizeof(want) - strlen(want) - 1);
		strncat(want, opts[i], sizeof(want) - strlen(want) - 1);
	}
	fail(c, n, f, "expected %s, got '%s'", want, s ? s : "(not a scalar)");
	return def;
}

static void text(struct ctx *c, yaml_node_t *map, const char *where, const char *key, char *dst,
		 size_t n)
{
	yaml_node_t *v = get(c, map, key);
	const char *s = scalar(v);
	char f[160];

	if (!v)
		return;
	path(f, sizeof(f), where, key);
	if (!s || !*s || strlen(s) >= n) {
		fail(c, v, f, "expected a name of 1 to %zu characters", n - 1);
		return;
	}
	if (!wl_name_ok(s)) {
		fail(c, v, f, "expected letters, digits, '-', '_' or '.', got '%s'", s);
		return;
	}
	strcpy(dst, s);
}

/* Free text of 1 to @n - 1 characters (a citation, a description). */
static void prose(struct ctx *c, yaml_node_t *map, const char *where, const char *key, char *dst,
		  size_t n, bool required)
{
	yaml_node_t *v = get(c, map, key);
	const char *s = scalar(v);
	char f[160];

	path(f, sizeof(f), where, key);
	if (!v) {
		if (required)
			fail(c, map, f, "missing (expected text)");
		return;
	}
	if (!s || !*s || strlen(s) >= n) {
		fail(c, v, f, "expected text of 1 to %zu characters", n - 1);
		return;
	}
	strcpy(dst, s);
}

bool wl_name_ok(const char *s)
{
	for (const char *p = s; *p; p++)
		if (!(*p == '-' || *p == '_' || *p == '.' || (*p >= '0' && *p <= '9') ||
		      (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z')))
			return false;
	return *s != '\0';
}

/* ---- sections ----------------------------------------------------------------------- */

static const char *const dist_names[] = { "constant", "uniform", "exponential", "normal",
					  "lognormal", "pareto", NULL };

static void distribution(struct ctx *c, yaml_node_t *map, const char *where,
			 struct wl_distribution *d)
{
	static const char *const keys[] = { "dist", "mean_us", "min_us", "max_us", "stddev_us",
					    "sigma", "alpha", NULL };

	only(c, map, where, keys);
	d->kind = (enum wl_dist)choice(c, map, where, "dist", dist_names, WL_CONSTANT, false);
	switch (d->kind) {
	case WL_CONSTANT:
	case WL_EXPONENTIAL:
		d->mean_us = num(c, map, where, "mean_us", 1, 0, 1e6, true);
		break;
	case WL_UNIFORM:
		d->min_us = num(c, map, where, "min_us", 0, 0, 1e6, true);
		d->max_us = num(c, map, where, "max_us", 0, d->min_us, 1e6, true);
		break;
	case WL_NORMAL:
		d->mean_us = num(c, map, where, "mean_us", 1, 0, 1e6, true);
		d->stddev_us = num(c, map, where, "stddev_us", 0, 0, 1e6, true);
		break;
	case WL_LOGNORMAL:
		d->mean_us = num(c, map, where, "mean_us", 1, 1e-6, 1e6, true);
		d->sigma = num(c, map, where, "sigma", 0.5, 0, 10, true);
		break;
	case WL_PARETO:
		d->min_us = num(c, map, where, "min_us", 1, 1e-6, 1e6, true);
		d->alpha = num(c, map, where, "alpha", 2, 0.1, 100, true);
		break;
	}
}

static const char *const type_names[] = { "periodic", "poisson", "burst", "ipi", "timer",
					  "replay", "mmio", "hvc", NULL };

static int load_replay(struct ctx *c, yaml_node_t *n, const char *field, struct wl_source *s)
{
	const char *name = scalar(n);
	char full[512], line[256];
	FILE *f;
	unsigned lineno = 0, cap = 0;
	double last = -1;

	if (!name) {
		fail(c, n, field, "expected a CSV file name");
		return -1;
	}
	/* relative to the workload file's folder */
	if (name[0] == '/') {
		snprintf(full, sizeof(full), "%s", name);
	} else {
		const char *slash = strrchr(c->file, '/');
		int dir = slash ? (int)(slash - c->file + 1) : 0;

		snprintf(full, sizeof(full), "%.*s%s", dir, c->file, name);
	}
	f = fopen(full, "r");
	if (!f) {
		fail(c, n, field, "cannot read '%s': %s", full, strerror(errno));
		return -1;
	}
	while (fgets(line, sizeof(line), f)) {
		char *end;
		double t;

		lineno++;
		if (line[0] == '#' || line[0] == '\n' || (lineno == 1 && !strncmp(line, "time_us", 7)))
			continue;
		errno = 0;
		t = strtod(line, &end);
		while (*end == ' ' || *end == '\r' || *end == '\n')
			end++;
		if (errno || end == line || *end || t < 0 || t < last) {
			fclose(f);
			fprintf(c->err, "%s:%u: time_us: expected a time in microseconds, not "
					"below the previous one, got '%.*s'\n",
				full, lineno, (int)strcspn(line, "\r\n"), line);
			c->failed = true;
			return -1;
		}
		if (s->nreplay == cap) {
			cap = cap ? 2 * cap : 64;
			double *p = realloc(s->replay_us, cap * sizeof(*p));

			if (!p) {
				fclose(f);
				fail(c, n, field, "out of memory");
				return -1;
			}
			s->replay_us = p;
		}
		s->replay_us[s->nreplay++] = t;
		last = t;
	}
	fclose(f);
	if (!s->nreplay)
		fail(c, n, field, "'%s' holds no assertion times", full);
	return 0;
}

static void source(struct ctx *c, struct workload *w, yaml_node_t *map, unsigned i)
{
	static const char *const keys[] = { "name", "type", "spi", "trigger", "via", "period_us",
					    "rate_hz", "count", "gap_us", "start_us", "from", "to",
					    "sgi", "vcpu", "all_pairs", "file", "addr", "width",
					    "write", "service", "ioeventfd", NULL };
	static const char *const triggers[] = { "edge", "level", NULL };
	static const char *const vias[] = { "irq_line", "irqfd", NULL };
	static const char *const bools[] = { "false", "true", NULL };
	struct wl_source *s = &w->src[i];
	char where[32];

	snprintf(where, sizeof(where), "sources[%u]", i);
	only(c, map, where, keys);
	snprintf(s->name, sizeof(s->name), "source%u", i);
	text(c, map, where, "name", s->name, sizeof(s->name));
	s->type = (enum wl_source_type)choice(c, map, where, "type", type_names, 0, true);
	s->start_us = num(c, map, where, "start_us", 0, 0, 1e9, false);
	switch (s->type) {
	case WL_PERIODIC:
	case WL_POISSON:
	case WL_BURST:
	case WL_REPLAY:
		s->intid = uint_(c, map, where, "spi", 32, 32, 1019, true);
		s->level = choice(c, map, where, "trigger", triggers, 0, false) == 1;
		s->irqfd = choice(c, map, where, "via", vias, 0, false) == 1;
		break;
	case WL_IPI:
		s->intid = uint_(c, map, where, "sgi", 1, 0, 15, false);
		s->all_pairs = choice(c, map, where, "all_pairs", bools, 0, false) == 1;
		if (!s->all_pairs) {
			s->from = uint_(c, map, where, "from", 0, 0, w->vcpus - 1, true);
			s->to = uint_(c, map, where, "to", 1, 0, w->vcpus - 1, true);
			if (s->from == s->to && !c->failed)
				fail(c, get(c, map, "to"), where, "an IPI goes to another vCPU");
		}
		break;
	case WL_TIMER:
		s->intid = 27; /* the EL1 virtual timer PPI */
		s->from = uint_(c, map, where, "vcpu", 0, 0, w->vcpus - 1, false);
		break;
	case WL_MMIO:
		/* below 2^40, the guest-physical limit of 4.4's arm64 */
		s->addr = whole(c, map, where, "addr", (double)WL_MMIO_DEFAULT_ADDR, 0,
				1099511627775.0, false);
		s->width = uint_(c, map, where, "width", 4, 1, 8, false);
		if (s->width & (s->width - 1)) {
			char f[64];

			snprintf(f, sizeof(f), "%s.width", where);
			fail(c, get(c, map, "width"), f, "expected 1, 2, 4 or 8 bytes, got %u",
			     s->width);
		}
		if (!c->failed && s->addr % s->width) {
			char f[64];

			snprintf(f, sizeof(f), "%s.addr", where);
			fail(c, get(c, map, "addr"), f,
			     "expected an address aligned to the width (%u bytes)", s->width);
		}
		/* GICv2's CPU interface is the hardware's virtual one: no trap */
		if (!c->failed && w->controller == WL_GICV2 && s->addr + s->width > WL_GICV2_CPU_BASE &&
		    s->addr < WL_GICV2_CPU_BASE + WL_GICV2_CPU_SIZE) {
			char f[64];

			snprintf(f, sizeof(f), "%s.addr", where);
			fail(c, get(c, map, "addr"), f,
			     "GICv2's CPU interface (0x%llx-0x%llx) is hardware the guest reaches "
			     "without a trap; expected another address",
			     WL_GICV2_CPU_BASE, WL_GICV2_CPU_BASE + WL_GICV2_CPU_SIZE - 1);
		}
		s->write = choice(c, map, where, "write", bools, 0, false) == 1;
		s->ioeventfd = choice(c, map, where, "ioeventfd", bools, 0, false) == 1;
		if (!c->failed && s->ioeventfd && !s->write) {
			char f[64];

			snprintf(f, sizeof(f), "%s.ioeventfd", where);
			fail(c, get(c, map, "ioeventfd"), f,
			     "an ioeventfd is signalled by stores: expected write: true beside it");
		}
		s->service = (struct wl_distribution){ .kind = WL_CONSTANT };
		if (get(c, map, "service")) {
			char f[64];

			snprintf(f, sizeof(f), "%s.service", where);
			distribution(c, get(c, map, "service"), f, &s->service);
		}
		s->from = uint_(c, map, where, "vcpu", 0, 0, w->vcpus - 1, false);
		break;
	case WL_HVC:
		s->from = uint_(c, map, where, "vcpu", 0, 0, w->vcpus - 1, false);
		break;
	}
	switch (s->type) {
	case WL_PERIODIC:
	case WL_TIMER:
		s->period_us = num(c, map, where, "period_us", 0, 0.01, 1e9, true);
		break;
	case WL_POISSON:
		s->rate_hz = num(c, map, where, "rate_hz", 0, 1e-3, 1e9, true);
		break;
	case WL_MMIO:
	case WL_HVC:
	case WL_IPI:
		if (get(c, map, "rate_hz"))
			s->rate_hz = num(c, map, where, "rate_hz", 0, 1e-3, 1e9, true);
		else
			s->period_us = num(c, map, where, "period_us", 0, 0.01, 1e9, true);
		break;
	case WL_BURST:
		s->period_us = num(c, map, where, "period_us", 0, 0.01, 1e9, true);
		s->burst_count = uint_(c, map, where, "count", 1, 1, 1000000, true);
		s->burst_gap_us = num(c, map, where, "gap_us", 0, 0, 1e9, true);
		break;
	case WL_REPLAY: {
		char f[64];

		snprintf(f, sizeof(f), "%s.file", where);
		if (!get(c, map, "file"))
			fail(c, map, f, "missing (expected a CSV file of time_us)");
		else if (!c->failed)
			load_replay(c, get(c, map, "file"), f, s);
		break;
	}
	}
}

const char *const wl_measure_names[] = { "latency", "completion", "ack_eoi", "notify", NULL };

/* The optional benchmark section (workloads/microbench/README.md). */
static void benchmark(struct ctx *c, struct workload *w, yaml_node_t *b)
{
	static const char *const keys[] = { "table", "row", "published", "unit", "measure",
					    "source", "cite", "verified", "what", "gap", NULL };
	static const char *const units[] = { "ns", "cycles", NULL };
	static const char *const bools[] = { "false", "true", NULL };
	struct wl_benchmark *bm = &w->bench;
	const struct wl_source *s;
	yaml_node_t *sn;

	only(c, b, "benchmark", keys);
	if (c->failed)
		return;
	bm->present = true;
	if (!get(c, b, "table"))
		fail(c, b, "benchmark.table", "missing (expected the published table's name)");
	text(c, b, "benchmark", "table", bm->table, sizeof(bm->table));
	if (!get(c, b, "row"))
		fail(c, b, "benchmark.row", "missing (expected the row's name in its table)");
	text(c, b, "benchmark", "row", bm->row, sizeof(bm->row));
	bm->published = num(c, b, "benchmark", "published", 0, 1e-3, 1e12, true);
	bm->cycles = choice(c, b, "benchmark", "unit", units, 0, true) == 1;
	bm->measure = (enum wl_measure)choice(c, b, "benchmark", "measure", wl_measure_names, 0,
					      false);
	prose(c, b, "benchmark", "cite", bm->cite, sizeof(bm->cite), true);
	bm->verified = choice(c, b, "benchmark", "verified", bools, 0, true) == 1;
	prose(c, b, "benchmark", "what", bm->what, sizeof(bm->what), true);
	prose(c, b, "benchmark", "gap", bm->gap, sizeof(bm->gap), false);
	sn = get(c, b, "source");
	bm->source = 0;
	if (sn) {
		const char *name = scalar(sn);
		unsigned i = 0;

		while (i < w->nsrc && !(name && !strcmp(name, w->src[i].name)))
			i++;
		if (i == w->nsrc) {
			fail(c, sn, "benchmark.source", "no source is named '%s'",
			     name ? name : "(not a scalar)");
			return;
		}
		bm->source = i;
	}
	s = &w->src[bm->source];
	if (c->failed || bm->measure == WL_M_LATENCY)
		return;
	if (bm->measure == WL_M_NOTIFY) {
		if (s->type != WL_MMIO || !s->ioeventfd)
			fail(c, get(c, b, "measure"), "benchmark.measure",
			     "notify is an ioeventfd's: expected source '%s' to be an mmio source "
			     "with ioeventfd: true",
			     s->name);
		return;
	}
	/* the handler's own run time would count: none */
	const struct wl_distribution *h = &w->vguest[s->type == WL_IPI ? s->to : s->from].handler;

	if (wl_source_is_access(s))
		fail(c, sn ? sn : b, "benchmark.measure",
		     "%s is an interrupt's; source '%s' makes accesses", wl_measure_names[bm->measure],
		     s->name);
	else if (h->kind != WL_CONSTANT || h->mean_us != 0)
		fail(c, get(c, b, "measure"), "benchmark.measure",
		     "%s counts the handler's run time: expected guest.handler {dist: constant, "
		     "mean_us: 0}",
		     wl_measure_names[bm->measure]);
}

static void parse(struct ctx *c, struct workload *w)
{
	static const char *const top[] = { "name", "platform", "sources", "guest", "run",
					   "benchmark", NULL };
	static const char *const plat[] = { "arch", "controller", "vcpus", "pcpus", "profile",
					    "timeslice_us", "wakeup_gran_us", "halt_poll_us",
					    "noise", NULL };
	static const char *const onoff[] = { "off", "on", NULL };
	static const char *const guest[] = { "idle", "handler", "mask", "vcpus", NULL };
	static const char *const vguest[] = { "idle", "handler", NULL };
	static const char *const mask[] = { "every_us", "for_us", NULL };
	static const char *const run[] = { "duration_ms", "warmup_ms", "seed", NULL };
	static const char *const arches[] = { "arm64", NULL };
	static const char *const ctls[] = { "gicv2", "gicv3", NULL };
	static const char *const idles[] = { "busy", "wfi", NULL };
	yaml_node_t *root = yaml_document_get_root_node(&c->doc), *p, *srcs, *g, *r;
	unsigned maxv;

	if (!root) {
		fail(c, NULL, "", "empty file (expected a workload mapping)");
		return;
	}
	only(c, root, "", top);
	text(c, root, "", "name", w->name, sizeof(w->name));

	p = get(c, root, "platform");
	if (!p) {
		fail(c, root, "platform", "missing");
		return;
	}
	only(c, p, "platform", plat);
	choice(c, p, "platform", "arch", arches, 0, true);
	w->controller = (enum wl_controller)choice(c, p, "platform", "controller", ctls, 1, true);
	maxv = w->controller == WL_GICV2 ? 7 : WL_MAX_VCPUS;
	w->vcpus = uint_(c, p, "platform", "vcpus", 1, 1, maxv, true);
	w->pcpus = uint_(c, p, "platform", "pcpus", w->vcpus, 1, w->vcpus ? w->vcpus : 1, false);
	w->timeslice_us = num(c, p, "platform", "timeslice_us", 3000, 10, 1e6, false);
	w->wakeup_gran_us = num(c, p, "platform", "wakeup_gran_us", 1000, 0, 1e6, false);
	w->halt_poll_us = num(c, p, "platform", "halt_poll_us", 0, 0, 1e6, false);
	w->noise = choice(c, p, "platform", "noise", onoff, 1, false) == 1;
	strcpy(w->profile, w->controller == WL_GICV2 ? "xgene-gicv2" : "altra-gicv3");
	text(c, p, "platform", "profile", w->profile, sizeof(w->profile));
	if (!c->failed && strcmp(w->profile, w->controller == WL_GICV2 ? "xgene-gicv2"
								      : "altra-gicv3"))
		fail(c, get(c, p, "profile"), "platform.profile",
		     "expected %s for %s (the profiles: xgene-gicv2, altra-gicv3)",
		     w->controller == WL_GICV2 ? "xgene-gicv2" : "altra-gicv3",
		     ctls[w->controller]);

	srcs = get(c, root, "sources");
	if (!srcs || srcs->type != YAML_SEQUENCE_NODE ||
	    srcs->data.sequence.items.top == srcs->data.sequence.items.start) {
		fail(c, srcs ? srcs : root, "sources", "expected a list of at least one source");
		return;
	}
	for (yaml_node_item_t *it = srcs->data.sequence.items.start;
	     it < srcs->data.sequence.items.top && !c->failed; it++) {
		if (w->nsrc == WL_MAX_SOURCES) {
			fail(c, node(c, *it), "sources", "at most %d sources", WL_MAX_SOURCES);
			return;
		}
		source(c, w, node(c, *it), w->nsrc++);
	}
	/* one source per interrupt, and per kind, vCPU and address of
	 * access, so that records find their source */
	for (unsigned i = 0; i < w->nsrc && !c->failed; i++) {
		for (unsigned j = 0; j < i; j++) {
			const struct wl_source *a = &w->src[i], *b = &w->src[j];
			bool same = a->intid == b->intid;

			if (a->type == WL_TIMER && b->type == WL_TIMER)
				same = a->from == b->from;
			if (wl_source_is_access(a) || wl_source_is_access(b))
				same = a->type == b->type && a->from == b->from && a->addr == b->addr;
			if (!strcmp(w->src[i].name, w->src[j].name) || same) {
				char f[32];

				snprintf(f, sizeof(f), "sources[%u]", i);
				fail(c, node(c, srcs->data.sequence.items.start[i]), f,
				     wl_source_is_access(a) && strcmp(a->name, b->name)
					     ? "the same access (type, vcpu, addr) as sources[%u]"
					     : "same name or interrupt as sources[%u]",
				     j);
				break;
			}
		}
	}

	g = get(c, root, "guest");
	w->guest_wfi = false;
	w->handler = (struct wl_distribution){ .kind = WL_CONSTANT, .mean_us = 1 };
	for (unsigned i = 0; i < w->vcpus; i++)
		w->vguest[i] = (struct wl_vcpu_guest){ w->guest_wfi, w->handler };
	if (g) {
		only(c, g, "guest", guest);
		w->guest_wfi = choice(c, g, "guest", "idle", idles, 0, false) == 1;
		if (get(c, g, "handler"))
			distribution(c, get(c, g, "handler"), "guest.handler", &w->handler);
		yaml_node_t *vs = get(c, g, "vcpus");

		for (unsigned i = 0; i < w->vcpus; i++)
			w->vguest[i] = (struct wl_vcpu_guest){ w->guest_wfi, w->handler };
		if (vs && vs->type != YAML_MAPPING_NODE)
			fail(c, vs, "guest.vcpus", "expected a mapping of vCPU numbers (1: {idle: wfi})");
		for (yaml_node_pair_t *p = vs && vs->type == YAML_MAPPING_NODE
						   ? vs->data.mapping.pairs.start
						   : NULL;
		     p && p < vs->data.mapping.pairs.top && !c->failed; p++) {
			yaml_node_t *kn = node(c, p->key), *v = node(c, p->value);
			const char *k = scalar(kn);
			char f[64], *end;
			unsigned long n = k ? strtoul(k, &end, 10) : 0;

			snprintf(f, sizeof(f), "guest.vcpus.%s", k ? k : "?");
			if (!k || !*k || *end || n >= w->vcpus) {
				fail(c, kn, f, "expected a vCPU number from 0 to %u", w->vcpus - 1);
				break;
			}
			only(c, v, f, vguest);
			if (get(c, v, "idle"))
				w->vguest[n].wfi = choice(c, v, f, "idle", idles, 0, false) == 1;
			if (get(c, v, "handler")) {
				char h[80];

				snprintf(h, sizeof(h), "%s.handler", f);
				distribution(c, get(c, v, "handler"), h, &w->vguest[n].handler);
			}
		}
		if (get(c, g, "mask")) {
			yaml_node_t *m = get(c, g, "mask");

			only(c, m, "guest.mask", mask);
			w->mask_every_us = num(c, m, "guest.mask", "every_us", 0, 0.01, 1e9, true);
			w->mask_for_us = num(c, m, "guest.mask", "for_us", 0, 0, w->mask_every_us,
					     true);
		}
	}

	r = get(c, root, "run");
	if (!r) {
		fail(c, root, "run", "missing");
		return;
	}
	only(c, r, "run", run);
	w->duration_ms = num(c, r, "run", "duration_ms", 10, 0.001, 1e6, true);
	w->warmup_ms = num(c, r, "run", "warmup_ms", 0, 0, w->duration_ms, false);
	if (w->warmup_ms >= w->duration_ms)
		fail(c, get(c, r, "warmup_ms"), "run.warmup_ms",
		     "expected less than duration_ms (%g): the run would measure nothing",
		     w->duration_ms);
	/* every seed a double holds exactly (--seed and summary.json too) */
	w->seed = whole(c, r, "run", "seed", 1, 0, 9007199254740992.0, false);
	if (get(c, root, "benchmark") && !c->failed)
		benchmark(c, w, get(c, root, "benchmark"));
}

/* ---- --set ----------------------------------------------------------------------------- */

/*
 * KEY=VALUE: KEY is a dotted path of mapping keys and list indexes
 * (sources.0.rate_hz). An existing scalar is replaced, a missing key is
 * added (a missing mapping on the way too: guest.mask.every_us=10 on a
 * file with no guest.mask); the parser then checks the result like any
 * other, naming it "(--set)". A list entry is not made or replaced. Nodes
 * are held by id: adding a node may move the document's node array.
 */
static int apply_set(struct ctx *c, const char *set)
{
	const char *eq = strchr(set, '=');
	char key[160], path[160] = "", *parts[16];
	unsigned nparts = 0;
	int id = 1; /* the root */

	if (!eq || eq == set || (size_t)(eq - set) >= sizeof(key)) {
		fprintf(c->err, "kvmsim: --set '%s': expected KEY=VALUE (e.g. run.seed=7)\n", set);
		return -1;
	}
	memcpy(key, set, (size_t)(eq - set));
	key[eq - set] = '\0';
	for (char *t = key, *dot;; t = dot + 1) {
		dot = strchr(t, '.');
		if (dot)
			*dot = '\0';
		if (!*t) {
			fprintf(c->err, "kvmsim: --set '%s': expected a key between each two dots "
				"(e.g. guest.idle=wfi)\n",
				set);
			return -1;
		}
		if (nparts == 16)
			goto deep; /* deeper than any field */
		parts[nparts++] = t;
		if (!dot)
			break;
	}
	for (unsigned i = 0; i < nparts; i++) {
		yaml_node_t *n = node(c, id);
		bool last = i + 1 == nparts;

		if (n->type == YAML_SEQUENCE_NODE) {
			char *end;
			long k = strtol(parts[i], &end, 10);
			long len = n->data.sequence.items.top - n->data.sequence.items.start;

			if (*end || k < 0 || k >= len) {
				fprintf(c->err,
					"kvmsim: --set '%s': %s in %s has %ld entr%s, numbered from "
					"0: no entry '%s'\n",
					set, path, c->file, len, len == 1 ? "y" : "ies", parts[i]);
				return -1;
			}
			if (last) {
				fprintf(c->err,
					"kvmsim: --set '%s': %s.%s is a whole entry; set one of its "
					"fields (%s.%s.FIELD=VALUE)\n",
					set, path, parts[i], path, parts[i]);
				return -1;
			}
			id = n->data.sequence.items.start[k];
		} else if (n->type != YAML_MAPPING_NODE) {
			/* the file's fault, or an earlier --set's (then no line) */
			fail(c, n, path, "expected a mapping (--set '%s' sets a field in it)", set);
			return -1;
		} else {
			yaml_node_pair_t *found = NULL;
			int map = id, v;

			for (yaml_node_pair_t *p = n->data.mapping.pairs.start;
			     p < n->data.mapping.pairs.top; p++)
				if (scalar(node(c, p->key)) &&
				    !strcmp(scalar(node(c, p->key)), parts[i]))
					found = p;
			if (found && !last) {
				id = found->value;
			} else {
				ptrdiff_t pair = found ? found - n->data.mapping.pairs.start : -1;
				int k;

				if (last)
					v = yaml_document_add_scalar(
						&c->doc, NULL, (yaml_char_t *)(uintptr_t)(eq + 1), -1,
						YAML_PLAIN_SCALAR_STYLE);
				else
					v = yaml_document_add_mapping(&c->doc, NULL,
								      YAML_BLOCK_MAPPING_STYLE);
				if (!v)
					goto nomem;
				if (pair >= 0) {
					node(c, map)->data.mapping.pairs.start[pair].value = v;
					return 0; /* the last key: a value replaced */
				}
				k = yaml_document_add_scalar(&c->doc, NULL, (yaml_char_t *)parts[i], -1,
							     YAML_PLAIN_SCALAR_STYLE);
				if (!k || !yaml_document_append_mapping_pair(&c->doc, map, k, v))
					goto nomem;
				id = v;
			}
		}
		snprintf(path + strlen(path), sizeof(path) - strlen(path), "%s%s", i ? "." : "",
			 parts[i]);
	}
	return 0;
deep:
	fprintf(c->err, "kvmsim: --set '%s': no such field in %s (deeper than any)\n", set,
		c->file);
	return -1;
nomem:
	fprintf(c->err, "kvmsim: --set '%s': out of memory\n", set);
	return -1;
}

/* ---- loading ------------------------------------------------------------------------------ */

int wl_load(struct workload *w, const char *path, const char *const *sets, unsigned nsets,
	    FILE *err)
{
	struct ctx c = { .file = path, .err = err };
	yaml_parser_t parser;
	FILE *f = fopen(path, "r");
	int ok;

	memset(w, 0, sizeof(*w));
	snprintf(w->file, sizeof(w->file), "%s", path);
	if (!f) {
		fprintf(err, "kvmsim: cannot read workload '%s': %s\n", path, strerror(errno));
		return -1;
	}
	yaml_parser_initialize(&parser);
	yaml_parser_set_input_file(&parser, f);
	ok = yaml_parser_load(&parser, &c.doc);
	if (!ok) {
		fprintf(err, "%s:%zu: %s%s%s\n", path, parser.problem_mark.line + 1,
			parser.problem ? parser.problem : "YAML syntax error",
			parser.context ? " " : "", parser.context ? parser.context : "");
		yaml_parser_delete(&parser);
		fclose(f);
		return -1;
	}
	yaml_parser_delete(&parser);
	fclose(f);
	/* the default name: the file's stem */
	const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
	snprintf(w->name, sizeof(w->name), "%.*s", (int)strcspn(base, "."), base);
	c.nread = c.doc.nodes.top - c.doc.nodes.start;
	/* a file that is empty or not a mapping has no fields to set: parse()
	 * says what is wrong with it, at its line (the root is looked at
	 * first: a set adds nodes, which moves them) */
	yaml_node_t *root = yaml_document_get_root_node(&c.doc);
	bool settable = root && root->type == YAML_MAPPING_NODE;

	for (unsigned i = 0; i < nsets && !c.failed && settable; i++)
		if (apply_set(&c, sets[i]))
			c.failed = true;
	if (!c.failed)
		parse(&c, w);
	yaml_document_delete(&c.doc);
	if (c.failed) {
		wl_free(w);
		return -1;
	}
	return 0;
}

void wl_free(struct workload *w)
{
	for (unsigned i = 0; i < w->nsrc; i++) {
		free(w->src[i].replay_us);
		w->src[i].replay_us = NULL;
	}
}
