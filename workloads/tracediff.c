// SPDX-License-Identifier: MIT
/*
 * tracediff.c — `kvmsim trace diff A B`: compares two text traces (the
 * regression format of README.md) line by line, reports the first
 * divergence with its time, component, event and fields, and a count of
 * each component:event in both.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "workloads/workload.h"

struct count {
	char key[128]; /* "component event" */
	uint64_t n[2];
};

struct counts {
	struct count *c;
	size_t n, cap;
};

static int count(struct counts *cs, const char *line, int side)
{
	char comp[64], ev[64], key[128];
	uint64_t t;

	if (sscanf(line, "%" SCNu64 " %63s %63s", &t, comp, ev) != 3)
		return 0;
	snprintf(key, sizeof(key), "%s:%s", comp, ev);
	for (size_t i = 0; i < cs->n; i++) {
		if (!strcmp(cs->c[i].key, key)) {
			cs->c[i].n[side]++;
			return 0;
		}
	}
	if (cs->n == cs->cap) {
		size_t cap = cs->cap ? 2 * cs->cap : 32;
		struct count *p = realloc(cs->c, cap * sizeof(*p));

		if (!p)
			return -1;
		cs->c = p;
		cs->cap = cap;
	}
	memset(&cs->c[cs->n], 0, sizeof(cs->c[0]));
	snprintf(cs->c[cs->n].key, sizeof(cs->c[0].key), "%s", key);
	cs->c[cs->n++].n[side] = 1;
	return 0;
}

/* The next event line (not a '#' line), without its newline; NULL at EOF. */
static char *next_event(FILE *f, char **buf, size_t *cap, uint64_t *lineno)
{
	ssize_t n;

	while ((n = getline(buf, cap, f)) >= 0) {
		(*lineno)++;
		if (n && (*buf)[n - 1] == '\n')
			(*buf)[--n] = '\0';
		if ((*buf)[0] != '#' && n)
			return *buf;
	}
	return NULL;
}

/* What differs between two event lines, in words. */
static void explain(FILE *out, const char *a, const char *b)
{
	uint64_t ta = 0, tb = 0;
	char ca[64] = "", cb[64] = "", ea[64] = "", eb[64] = "";
	int pa = 0, pb = 0;

	sscanf(a, "%" SCNu64 " %63s %63s%n", &ta, ca, ea, &pa);
	sscanf(b, "%" SCNu64 " %63s %63s%n", &tb, cb, eb, &pb);
	fprintf(out, "  time:      %" PRIu64 " ps vs %" PRIu64 " ps", ta, tb);
	if (ta != tb)
		fprintf(out, " (%s%" PRIu64 " ps)", tb > ta ? "+" : "-", tb > ta ? tb - ta : ta - tb);
	fprintf(out, "\n  component: %s%s%s\n", ca, strcmp(ca, cb) ? " vs " : "",
		strcmp(ca, cb) ? cb : "");
	fprintf(out, "  event:     %s%s%s\n", ea, strcmp(ea, eb) ? " vs " : "",
		strcmp(ea, eb) ? eb : "");
	fprintf(out, "  fields:    %s\n",
		!strcmp(a + pa, b + pb) ? "equal" : "differ");
}

int wl_trace_diff(const char *path_a, const char *path_b, FILE *out, FILE *err)
{
	FILE *fa = fopen(path_a, "r"), *fb = fopen(path_b, "r");
	char *la = NULL, *lb = NULL, *first_a = NULL, *first_b = NULL;
	size_t ca = 0, cb = 0;
	uint64_t na = 0, nb = 0, at_a = 0, at_b = 0, events[2] = { 0, 0 };
	struct counts cs = { 0 };
	bool differ = false;
	int ret = -1;

	if (!fa || !fb) {
		fprintf(err, "kvmsim trace diff: cannot read %s: %s\n", !fa ? path_a : path_b,
			strerror(errno));
		goto out;
	}
	for (;;) {
		char *a = next_event(fa, &la, &ca, &na);
		char *b = next_event(fb, &lb, &cb, &nb);

		if (!a && !b)
			break;
		if (a) {
			events[0]++;
			if (count(&cs, a, 0))
				goto out;
		}
		if (b) {
			events[1]++;
			if (count(&cs, b, 1))
				goto out;
		}
		if (!differ && (!a || !b || strcmp(a, b))) {
			differ = true;
			at_a = na;
			at_b = nb;
			first_a = a ? strdup(a) : NULL;
			first_b = b ? strdup(b) : NULL;
		}
	}
	if (!differ) {
		fprintf(out, "traces equal: %" PRIu64 " events\n", events[0]);
		ret = 0;
		goto out;
	}
	fprintf(out, "traces differ: first at %s:%" PRIu64 " and %s:%" PRIu64 "\n", path_a, at_a,
		path_b, at_b);
	fprintf(out, "  A: %s\n  B: %s\n", first_a ? first_a : "(end of trace)",
		first_b ? first_b : "(end of trace)");
	if (first_a && first_b)
		explain(out, first_a, first_b);
	fprintf(out, "events: %" PRIu64 " in A, %" PRIu64 " in B\n", events[0], events[1]);
	bool same_counts = true;
	for (size_t i = 0; i < cs.n; i++) {
		if (cs.c[i].n[0] == cs.c[i].n[1])
			continue;
		if (same_counts)
			fprintf(out, "counts that differ (component:event A B):\n");
		same_counts = false;
		fprintf(out, "  %-32s %" PRIu64 " %" PRIu64 "\n", cs.c[i].key, cs.c[i].n[0],
			cs.c[i].n[1]);
	}
	if (same_counts)
		fprintf(out, "every component:event occurs as often in both: the same events, "
			     "at other times or in another order\n");
	ret = 1;
out:
	free(first_a);
	free(first_b);
	free(la);
	free(lb);
	free(cs.c);
	if (fa)
		fclose(fa);
	if (fb)
		fclose(fb);
	return ret;
}
