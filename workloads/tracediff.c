// SPDX-License-Identifier: MIT
/*
 * tracediff.c — `kvmsim trace diff A B`: compares two text traces (the
 * regression format of README.md) line by line, reports the first
 * divergence with its time, component, event and fields, and a count of
 * each component:event in both.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
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

/* A trace being read: its file, name, line buffer and line number. */
struct tr {
	FILE *f;
	const char *path;
	char *buf;
	size_t cap;
	uint64_t lineno;
};

/* TIME COMPONENT EVENT, then nothing or a space (and the fields): digits
 * and two words, a single space apart. */
static bool is_event(const char *line)
{
	size_t n = strspn(line, "0123456789");

	for (int word = 0; word < 2; word++) {
		if (!n || line[n] != ' ')
			return false;
		line += n + 1;
		n = strcspn(line, " \t");
	}
	return n && (!line[n] || line[n] == ' ');
}

/*
 * The next event line (a '#' line is a comment), without its newline; NULL
 * at the end, or with *bad set after saying why to @err: a read error, a
 * header of another format version, or a line that is not an event (TIME
 * COMPONENT EVENT [NAME=VALUE]..., README.md). A file without the header
 * is read too (a grep of a trace), but not one with nothing in it.
 */
static char *next_event(struct tr *t, FILE *err, bool *bad)
{
	ssize_t n;

	errno = 0;
	while ((n = getline(&t->buf, &t->cap, t->f)) >= 0) {
		char *line = t->buf;

		t->lineno++;
		if (n && line[n - 1] == '\n')
			line[--n] = '\0';
		if (t->lineno == 1 && !strncmp(line, "# kvmsim-trace ", 15)) {
			if (strcmp(line + 15, "1")) {
				fprintf(err,
					"kvmsim trace diff: %s: format version %s; this kvmsim reads "
					"version 1\n",
					t->path, line + 15);
				*bad = true;
				return NULL;
			}
			continue;
		}
		if (!n || line[0] == '#')
			continue;
		if (!is_event(line)) {
			fprintf(err,
				"kvmsim trace diff: %s:%" PRIu64 ": not a trace event (expected "
				"TIME_PS COMPONENT EVENT [NAME=VALUE]...): '%.60s%s'\n",
				t->path, t->lineno, line, strlen(line) > 60 ? "..." : "");
			*bad = true;
			return NULL;
		}
		return line;
	}
	if (ferror(t->f)) {
		fprintf(err, "kvmsim trace diff: cannot read %s: %s\n", t->path,
			strerror(errno ? errno : EIO));
		*bad = true;
	} else if (!t->lineno) {
		fprintf(err, "kvmsim trace diff: %s is empty, not a kvmsim text trace\n", t->path);
		*bad = true;
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
	struct tr ta = { .f = fopen(path_a, "r"), .path = path_a };
	struct tr tb = { .f = ta.f ? fopen(path_b, "r") : NULL, .path = path_b };
	char *first_a = NULL, *first_b = NULL;
	uint64_t at_a = 0, at_b = 0, events[2] = { 0, 0 };
	struct counts cs = { 0 };
	bool differ = false, bad = false;
	int ret = -1;

	if (!ta.f || !tb.f) {
		fprintf(err, "kvmsim trace diff: cannot read %s: %s\n", !ta.f ? path_a : path_b,
			strerror(errno));
		goto out;
	}
	for (;;) {
		char *a = next_event(&ta, err, &bad);
		char *b = bad ? NULL : next_event(&tb, err, &bad);

		if (bad)
			goto out;
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
			at_a = ta.lineno;
			at_b = tb.lineno;
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
	free(ta.buf);
	free(tb.buf);
	free(cs.c);
	if (ta.f)
		fclose(ta.f);
	if (tb.f)
		fclose(tb.f);
	return ret;
}
