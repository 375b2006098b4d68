// SPDX-License-Identifier: MIT
/*
 * plot.c — the plots of a run and `kvmsim compare`: gnuplot data and
 * scripts are always written; when gnuplot is installed they are rendered
 * to PNG and SVG, otherwise one warning says so. Charts: the latency CDF
 * on a log axis with p50/p99/p99.9 marked, and the mean per-stage
 * breakdown as stacked bars; compare lays several runs on one CDF, one
 * stage chart and a Markdown table (a row per source of each run) with
 * ratios against the first row.
 */
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "config.h"
#include "workloads/workload.h"

/* The gnuplot to run: $KVMSIM_GNUPLOT, else the one configure found. */
static const char *gnuplot(void)
{
	const char *g = getenv("KVMSIM_GNUPLOT");

	return g && *g ? g : KVMSIM_GNUPLOT;
}

/* Whether @prog names an executable file: itself when it holds a '/',
 * else searched in $PATH as execvp() would. */
static bool executable(const char *prog)
{
	const char *path = getenv("PATH"), *p;
	char file[4096];

	if (strchr(prog, '/'))
		return !access(prog, X_OK);
	if (!path)
		path = "/usr/local/bin:/usr/bin:/bin";
	for (p = path;; p++) {
		const char *end = strchr(p, ':');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		struct stat st;

		/* an empty entry is the current directory */
		if ((size_t)snprintf(file, sizeof(file), "%.*s%s%s", (int)len, p, len ? "/" : "",
				     prog) < sizeof(file) &&
		    !stat(file, &st) && S_ISREG(st.st_mode) && !access(file, X_OK))
			return true;
		if (!end)
			return false;
		p = end;
	}
}

static bool have_gnuplot(void)
{
	static int known = -1;

	if (known < 0)
		known = executable(gnuplot());
	return known;
}

/*
 * Run gnuplot on @script in @dir, its output discarded; true when it
 * exited 0. No shell between: a directory or a gnuplot path may hold any
 * character (a quote, a space, a '$').
 */
static bool gnuplot_run(const char *dir, const char *script)
{
	const char *prog = gnuplot();
	int status;
	pid_t pid;

	fflush(NULL); /* nothing buffered is written twice */
	pid = fork();
	if (pid < 0)
		return false;
	if (pid == 0) {
		int null = open("/dev/null", O_RDWR);

		if (null < 0 || dup2(null, 0) < 0 || dup2(null, 1) < 0 || dup2(null, 2) < 0 ||
		    chdir(dir))
			_exit(126);
		execlp(prog, prog, script, (char *)NULL);
		_exit(127);
	}
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return false;
	return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

/* The image formats each script renders (gp_begin()). */
static const char *const image_fmts[] = { "png", "svg" };
#define NR_IMAGE_FMTS (sizeof(image_fmts) / sizeof(image_fmts[0]))

/*
 * Whether DIR/@base.@fmt is a whole image: a PNG from its signature to its
 * IEND chunk, an SVG up to its closing tag. gnuplot exits 0 when a write
 * fails (a full disk), leaving an image cut short.
 */
static bool image_whole(const char *path, const char *fmt)
{
	static const unsigned char png_sig[8] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };
	static const unsigned char png_end[12] = { 0, 0, 0, 0, 'I', 'E', 'N', 'D',
						   0xae, 0x42, 0x60, 0x82 };
	unsigned char head[8], tail[64];
	FILE *f = fopen(path, "rb");
	long size;
	size_t n;
	bool ok = false;

	if (!f)
		return false;
	if (fread(head, 1, sizeof(head), f) != sizeof(head) || fseek(f, 0, SEEK_END) ||
	    (size = ftell(f)) < (long)sizeof(tail) ||
	    fseek(f, size - (long)sizeof(tail), SEEK_SET) ||
	    (n = fread(tail, 1, sizeof(tail), f)) != sizeof(tail))
		goto out;
	if (!strcmp(fmt, "png")) {
		ok = !memcmp(head, png_sig, sizeof(png_sig)) &&
		     !memcmp(tail + n - sizeof(png_end), png_end, sizeof(png_end));
	} else {
		while (n && (tail[n - 1] == '\n' || tail[n - 1] == ' ' || tail[n - 1] == '\r'))
			n--;
		ok = !memcmp(head, "<?xml", 5) && n >= 6 && !memcmp(tail + n - 6, "</svg>", 6);
	}
out:
	fclose(f);
	return ok;
}

/*
 * Render DIR/@base.gp to DIR/@base.png and .svg; warn once per process
 * without gnuplot. The images of an earlier run go first, so that none is
 * left beside data it was not drawn from; an image gnuplot could not write
 * whole is removed. 0, or -1 after naming an image gnuplot cut short
 * though it said it succeeded (a full disk). gnuplot failing outright is a
 * warning: the data and the script are there to draw the plot by hand.
 */
static int render(const char *dir, const char *base, FILE *err)
{
	static bool warned;
	char script[128], path[600];
	bool failed;
	int ret = 0;

	if (!have_gnuplot()) {
		/* a sweep's points inherit this: the sweep itself warns once */
		if (!warned && !getenv("KVMSIM_PLOT_WARNED"))
			fprintf(err, "warning: gnuplot not found (%s): plots skipped, their data "
				     "and scripts are written (install the Debian package "
				     "gnuplot-nox)\n",
				gnuplot());
		warned = true;
		return 0;
	}
	for (unsigned i = 0; i < NR_IMAGE_FMTS; i++) {
		snprintf(path, sizeof(path), "%s/%s.%s", dir, base, image_fmts[i]);
		unlink(path);
	}
	snprintf(script, sizeof(script), "%s.gp", base);
	failed = !gnuplot_run(dir, script);
	if (failed)
		fprintf(err, "warning: gnuplot failed on %s/%s.gp: no %s.png or %s.svg\n", dir, base,
			base, base);
	for (unsigned i = 0; i < NR_IMAGE_FMTS; i++) {
		snprintf(path, sizeof(path), "%s/%s.%s", dir, base, image_fmts[i]);
		if (image_whole(path, image_fmts[i]))
			continue;
		bool cut = !unlink(path);

		if (failed)
			continue; /* said above */
		fprintf(err, "kvmsim: cannot write %s: gnuplot %s (is the disk full?)%s (%s.gp "
			     "beside it draws it again)\n",
			path, cut ? "left it cut short" : "did not write it",
			cut ? "; removed" : "", base);
		ret = -1;
	}
	return ret;
}

/* The gnuplot preamble that renders @base.png and @base.svg in turn. */
static void gp_begin(FILE *f, const char *base, const char *title);

/* DIR/@name opened through @o (wl_out_commit() puts it in place), or
 * NULL after saying why. */
static FILE *out_open(struct wl_out *o, const char *dir, const char *name, FILE *err)
{
	char path[600];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	return wl_out_open(o, path, err);
}

/* DIR/@base.gp opened through @o with its preamble written, or NULL
 * after saying why. */
static FILE *gp_open(struct wl_out *o, const char *dir, const char *base, const char *title,
		     FILE *err)
{
	char name[64];
	FILE *f;

	snprintf(name, sizeof(name), "%s.gp", base);
	f = out_open(o, dir, name, err);
	if (f)
		gp_begin(f, base, title);
	return f;
}

/* Put the one file @o in place: 0, or -1 after saying why. */
static int out_done(struct wl_out *o, FILE *err)
{
	return wl_out_commit(o, 1, err);
}

static void gp_begin(FILE *f, const char *base, const char *title)
{
	fprintf(f,
		"# kvmsim plot; run from this directory: gnuplot %s.gp\n"
		"do for [fmt in \"png svg\"] {\n"
		"  if (fmt eq \"png\") { set terminal pngcairo size 1000,600 font \",10\" } \\\n"
		"  else { set terminal svg size 1000,600 font \",10\" }\n"
		"  set output \"%s.\".fmt\n"
		"  set title \"%s\" noenhanced\n"
		"  set grid\n",
		base, base, title);
}

/* One plot line per source: block i of @dat, in colour i + 1, titled by name. */
static void plot_sources(FILE *f, const char *dat, const char *style, json_t *srcs)
{
	fprintf(f, "  plot ");
	for (size_t i = 0; i < json_array_size(srcs); i++)
		fprintf(f, "%s\"%s\" index %zu using %s lc %zu title \"%s\" noenhanced",
			i ? ", \\\n       " : "", dat, i, style, i + 1,
			json_string_value(json_object_get(json_array_get(srcs, i), "name")));
	fputc('\n', f);
}

/* What is wrong with field @key of @o for the kind @want ('s' a name,
 * 'n' a number not below 0, 'c' a count, an integer not below 0, 'o' an
 * object, 'a' a non-empty array), or NULL. */
static const char *bad_field(json_t *o, const char *key, char want)
{
	json_t *v = json_object_get(o, key);

	switch (want) {
	case 's':
		return json_is_string(v) && wl_name_ok(json_string_value(v)) &&
				       json_string_length(v) < WL_NAME
			       ? NULL
			       : "expected a name (letters, digits, '-', '_' or '.')";
	case 'n':
		return json_is_number(v) && json_number_value(v) >= 0 ? NULL
								       : "expected a number, not below 0";
	case 'c':
		return json_is_integer(v) && json_integer_value(v) >= 0
			       ? NULL
			       : "expected a count (an integer, not below 0)";
	case 'o':
		return json_is_object(v) ? NULL : "expected an object";
	default:
		return json_array_size(v) ? NULL : "expected a list of sources";
	}
}

/* A latency figure (latency_ns, completion_ns) of source @s: its count, and
 * its percentiles, in order, when it counted any. */
static const char *bad_figure(json_t *s, const char *key, char *field, size_t n)
{
	static const char *const q[] = { "p50", "p99", "p99.9", "max" };
	json_t *f = json_object_get(s, key);
	const char *why;
	double last = 0;

	snprintf(field, n, "%s", key);
	if ((why = bad_field(s, key, 'o')))
		return why;
	snprintf(field, n, "%s.count", key);
	if ((why = bad_field(f, "count", 'c')) || !json_integer_value(json_object_get(f, "count")))
		return why;
	for (unsigned k = 0; k < sizeof(q) / sizeof(q[0]); k++) {
		snprintf(field, n, "%s.%s", key, q[k]);
		if ((why = bad_field(f, q[k], 'n')))
			return why;
		if (json_number_value(json_object_get(f, q[k])) < last)
			return "expected no less than the percentile before it";
		last = json_number_value(json_object_get(f, q[k]));
	}
	return NULL;
}

/* Every stage a source may have, in the order the stage plots stack them:
 * an interrupt's (wl_stage_names) and an access's (wl_access_stage_names)
 * merged where they share a name (exit, entry). */
static const char *const all_stages[] = { "queue",  "signal", "exit",  "host", "kernel",
					  "vmm",    "return", "entry", "ack",  "handler" };
#define NR_ALL_STAGES (sizeof(all_stages) / sizeof(all_stages[0]))

json_t *wl_summary_load(const char *dir, FILE *err)
{
	static const char *const counts[] = { "asserted", "delivered", "coalesced" };
	char path[600], field[128] = "";
	const char *why = NULL;
	json_error_t e;
	json_t *j, *srcs;
	FILE *f;

	snprintf(path, sizeof(path), "%s/summary.json", dir);
	f = fopen(path, "r");
	if (!f) {
		fprintf(err, "kvmsim: cannot read %s: %s\n", path, strerror(errno));
		return NULL;
	}
	j = json_loadf(f, 0, &e);
	fclose(f);
	if (!j) {
		fprintf(err, "kvmsim: %s:%d: %s\n", path, e.line, e.text);
		return NULL;
	}
	srcs = json_object_get(j, "sources");
	if (!json_is_object(j))
		why = "expected an object (a kvmsim run's summary)";
	else if ((why = bad_field(j, "workload", 's')))
		snprintf(field, sizeof(field), "workload");
	else if (json_object_get(j, "throughput") && (why = bad_field(j, "throughput", 'n')))
		snprintf(field, sizeof(field), "throughput"); /* not in the first version's */
	else if ((why = bad_field(j, "sources", 'a')))
		snprintf(field, sizeof(field), "sources");
	for (size_t i = 0; !why && i < json_array_size(srcs); i++) {
		json_t *s = json_array_get(srcs, i);
		char f[96] = "";

		if (!json_is_object(s))
			why = "expected an object";
		else if ((why = bad_field(s, "name", 's')))
			snprintf(f, sizeof(f), "name");
		else if ((why = bad_field(s, "throughput", 'n')))
			snprintf(f, sizeof(f), "throughput");
		else if ((why = bad_field(s, "exits_per_interrupt", 'n')))
			snprintf(f, sizeof(f), "exits_per_interrupt");
		else if ((why = bad_field(s, "stages_mean_ns", 'o')))
			snprintf(f, sizeof(f), "stages_mean_ns");
		for (unsigned k = 0; !why && k < sizeof(counts) / sizeof(counts[0]); k++)
			if ((why = bad_field(s, counts[k], 'c')))
				snprintf(f, sizeof(f), "%s", counts[k]);
		if (!why)
			why = bad_figure(s, "latency_ns", f, sizeof(f));
		if (!why)
			why = bad_figure(s, "completion_ns", f, sizeof(f));
		for (unsigned k = 0; !why && k < NR_ALL_STAGES; k++) {
			json_t *st = json_object_get(s, "stages_mean_ns");

			/* an interrupt's and an access's differ; a run of five
			 * stages lacks some (stage_mean()) */
			if (json_object_get(st, all_stages[k]) &&
			    (why = bad_field(st, all_stages[k], 'n')))
				snprintf(f, sizeof(f), "stages_mean_ns.%s", all_stages[k]);
		}
		if (why)
			snprintf(field, sizeof(field), "sources[%zu]%s%s", i, *f ? "." : "", f);
	}
	if (!why)
		return j;
	fprintf(err, "kvmsim: %s: %s%s%s\n", path, field, *field ? ": " : "", why);
	json_decref(j);
	return NULL;
}

static double num(json_t *o, const char *a, const char *b)
{
	json_t *v = json_object_get(o, a);

	if (b)
		v = json_object_get(v, b);
	return json_is_integer(v) ? (double)json_integer_value(v) : json_real_value(v);
}

/* Percentile @q of figure @fig (latency_ns, completion_ns) of source @s in
 * whole ns, in @buf (32 bytes), or "n/a" when the figure counted nothing
 * (a 0 would read as an instant interrupt). */
static const char *ns_cell(char *buf, json_t *s, const char *fig, const char *q)
{
	if (num(s, fig, "count") <= 0)
		return "n/a";
	snprintf(buf, 32, "%.0f", num(s, fig, q));
	return buf;
}

/* @v against the first row's @v0 (-1: it measured nothing) as "1.23x" in
 * @buf (32 bytes), or "n/a" when either side measured nothing. */
static const char *ratio_cell(char *buf, bool counted, double v, double v0)
{
	if (!counted || v0 <= 0)
		return "n/a";
	snprintf(buf, 32, "%.2fx", v / v0);
	return buf;
}

/* Whether any source of @srcs has a measured latency. */
static bool any_measured(json_t *srcs)
{
	for (size_t i = 0; i < json_array_size(srcs); i++)
		if (num(json_array_get(srcs, i), "latency_ns", "count") > 0)
			return true;
	return false;
}

/* Whether a source of @srcs makes guest accesses (mmio, hvc), whose
 * latency runs from the trapping instruction to the guest going on. */
static bool any_access(json_t *srcs)
{
	for (size_t i = 0; i < json_array_size(srcs); i++) {
		const char *t = json_string_value(json_object_get(json_array_get(srcs, i), "type"));

		if (t && (!strcmp(t, "mmio") || !strcmp(t, "hvc")))
			return true;
	}
	return false;
}

/* The latency axis's label where accesses are plotted beside interrupts. */
#define ACCESS_LATENCY_LABEL                                                                \
	"latency (ns): interrupts from assertion to guest handler, accesses from trap to "  \
	"the guest going on"

/* A plot of no interrupt (gnuplot refuses one of empty data): the axes,
 * over @ranges, and a line saying so. */
static void plot_nothing(FILE *f, const char *ranges)
{
	fprintf(f, "  set label 1 \"no interrupt was measured\" at graph 0.5, graph 0.5 center\n"
		   "  plot %s NaN notitle\n", ranges);
}

/*
 * The stage table: a header naming each stage's column, then a row per
 * source, its label first; the plot stacks the stages of each row. Its
 * columns are the stages the sources have, in all_stages' order: an
 * interrupt's seven, an access's five, or both.
 */
struct stage_cols {
	unsigned n;
	unsigned k[NR_ALL_STAGES]; /* indexes into all_stages */
};

/* A run written when there were five stages has signal_exit (signal +
 * exit) and guest (ack + handler): they stand as its signal and ack, so
 * that its bar keeps its height. */
static const char *stage_alias(unsigned k)
{
	return !strcmp(all_stages[k], "signal") ? "signal_exit"
	       : !strcmp(all_stages[k], "ack")	? "guest"
						: NULL;
}

/* The columns of the sources of @n summaries @sums. */
static void stage_columns(struct stage_cols *c, json_t *const *sums, unsigned n)
{
	bool have[NR_ALL_STAGES] = { false };

	for (unsigned i = 0; i < n; i++) {
		json_t *srcs = json_object_get(sums[i], "sources");

		for (size_t j = 0; j < json_array_size(srcs); j++) {
			json_t *st = json_object_get(json_array_get(srcs, j), "stages_mean_ns");

			for (unsigned k = 0; k < NR_ALL_STAGES; k++)
				have[k] |= json_object_get(st, all_stages[k]) ||
					   (stage_alias(k) && json_object_get(st, stage_alias(k)));
		}
	}
	c->n = 0;
	for (unsigned k = 0; k < NR_ALL_STAGES; k++)
		if (have[k])
			c->k[c->n++] = k;
	if (!c->n) /* none at all: an interrupt's, at 0 */
		for (unsigned k = 0; k < WL_NR_STAGES; k++)
			for (unsigned a = 0; a < NR_ALL_STAGES; a++)
				if (!strcmp(all_stages[a], wl_stage_names[k]))
					c->k[c->n++] = a;
}

static void stages_header(FILE *f, const char *first, const struct stage_cols *c)
{
	fprintf(f, "# %s", first);
	for (unsigned i = 0; i < c->n; i++)
		fprintf(f, " %s_ns", all_stages[c->k[i]]);
	fputc('\n', f);
}

/* The mean of stage @k (of all_stages) of @src; 0 if it has none. */
static double stage_mean(json_t *src, unsigned k)
{
	json_t *st = json_object_get(src, "stages_mean_ns");

	if (!json_object_get(st, all_stages[k]) && stage_alias(k))
		return num(st, stage_alias(k), NULL);
	return num(st, all_stages[k], NULL);
}

static void stages_row(FILE *f, const char *label, json_t *src, const struct stage_cols *c)
{
	fprintf(f, "\"%s\"", label);
	for (unsigned i = 0; i < c->n; i++)
		fprintf(f, " %.3f", stage_mean(src, c->k[i]));
	fputc('\n', f);
}

static void stages_plot(FILE *gp, const char *dat, const struct stage_cols *c)
{
	fprintf(gp, "  set style data histograms\n  set style histogram rowstacked\n"
		    "  set style fill solid 0.8 border -1\n  set boxwidth 0.6\n"
		    "  set ylabel \"mean time (ns)\"\n  set key outside right invert\n"
		    "  plot \"%s\" using 2:xtic(1) title \"%s\"", dat, all_stages[c->k[0]]);
	for (unsigned i = 1; i < c->n; i++)
		fprintf(gp, ", \"\" using %u title \"%s\"", i + 2, all_stages[c->k[i]]);
	fprintf(gp, "\n}\n");
}

/* A source of more interrupts than this is drawn from latency_bins.dat
 * (p50, p99 and max per bin: the whole run, in a plot of a few KiB) rather
 * than as a point per interrupt from latency_time.dat. */
#define POINTS_PLOTTED 10000

/* The bin width of DIR/latency_bins.dat in ns; 0 if it has none (a run
 * directory written before it existed, or nothing measured). */
static unsigned long long bins_width_ns(const char *dir)
{
	char path[600], line[256];
	unsigned long long start, w = 0;
	FILE *f;

	snprintf(path, sizeof(path), "%s/latency_bins.dat", dir);
	f = fopen(path, "r");
	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "%llu %llu", &start, &w) == 2)
			break;
	fclose(f);
	return w;
}

/* Whether source @s is drawn from bins of width @w ns (0: there are none). */
static bool drawn_binned(json_t *s, unsigned long long w)
{
	return w && num(s, "delivered", NULL) > POINTS_PLOTTED;
}

/*
 * DIR/latency_time.gp: each source's latency against its interrupts'
 * assertion time, a point per interrupt, or for a source of more than
 * POINTS_PLOTTED its p50, p99 and max per bin (solid, dashed, dotted).
 */
static int time_plot(const char *dir, json_t *srcs, FILE *err)
{
	struct wl_out o;
	unsigned long long w = bins_width_ns(dir);
	bool binned = false;
	char title[160];
	FILE *f;

	for (size_t i = 0; i < json_array_size(srcs); i++)
		binned |= drawn_binned(json_array_get(srcs, i), w);
	if (binned)
		snprintf(title, sizeof(title),
			 "latency over time (sources over %d interrupts: p50, p99, max per %llu %s)",
			 POINTS_PLOTTED, w % 1000000 == 0 ? w / 1000000 : w % 1000 == 0 ? w / 1000 : w,
			 w % 1000000 == 0 ? "ms" : w % 1000 == 0 ? "us" : "ns");
	else
		snprintf(title, sizeof(title), "latency over time");
	f = gp_open(&o, dir, "latency_time", title, err);
	if (!f)
		return -1;
	fprintf(f, "  set logscale y\n  set xlabel \"time since the start of the run (ms)\"\n"
		   "  set ylabel \"%s\"\n  set key top right\n",
		any_access(srcs) ? ACCESS_LATENCY_LABEL : "injection latency (ns)");
	if (!any_measured(srcs)) {
		plot_nothing(f, "[0:1] [1:10]");
		fprintf(f, "}\n");
		return out_done(&o, err);
	}
	fprintf(f, "  plot ");
	for (size_t i = 0; i < json_array_size(srcs); i++) {
		json_t *s = json_array_get(srcs, i);
		const char *name = json_string_value(json_object_get(s, "name"));
		static const char *const q[] = { "p50", "p99", "max" };

		if (i)
			fprintf(f, ", \\\n       ");
		if (!drawn_binned(s, w)) {
			fprintf(f, "\"latency_time.dat\" index %zu using ($1/1e6):2 with points pt 7 "
				   "ps 0.4 lc %zu title \"%s\" noenhanced", i, i + 1, name);
			continue;
		}
		for (unsigned k = 0; k < 3; k++)
			fprintf(f, "%s\"latency_bins.dat\" index %zu using (($1+$2/2)/1e6):%u "
				   "with lines lw 2 dt %u lc %zu title \"%s %s\" noenhanced",
				k ? ", \\\n       " : "", i, 4 + k, k + 1, i + 1, name, q[k]);
	}
	fprintf(f, "\n}\n");
	return out_done(&o, err);
}

/* Append the CDF of DIR/latency_@name.csv to @f as one data block. */
static int cdf_block(FILE *f, const char *dir, const char *name, const char *label, FILE *err)
{
	char path[600], line[256];
	FILE *in;

	snprintf(path, sizeof(path), "%s/latency_%s.csv", dir, name);
	in = fopen(path, "r");
	if (!in) {
		fprintf(err, "kvmsim: warning: cannot read %s (%s): the latency CDF has no curve "
			     "for %s\n",
			path, strerror(errno), label);
		fprintf(f, "# %s: no %s\nnan nan\n\n\n", label, path); /* keeps the indices */
		return -1;
	}
	fprintf(f, "# %s: latency_ns fraction (a step per histogram bin)\n", label);
	bool first = true;
	double prev = 0;
	while (fgets(line, sizeof(line), in)) {
		unsigned long long lo, hi, n;
		double cum;

		if (sscanf(line, "%llu,%llu,%llu,%lf", &lo, &hi, &n, &cum) != 4)
			continue;
		if (first)
			fprintf(f, "%llu 0\n", lo);
		first = false;
		fprintf(f, "%llu %.6f\n%llu %.6f\n", lo, prev, hi, cum);
		prev = cum;
	}
	fclose(in);
	fputs("\n\n", f);
	return 0;
}

int wl_plot_run(const char *dir, FILE *err)
{
	json_t *sum = wl_summary_load(dir, err), *srcs;
	struct stage_cols cols;
	struct wl_out o;
	FILE *f;
	size_t i, n;

	if (!sum)
		return -1;
	srcs = json_object_get(sum, "sources");
	n = json_array_size(srcs);
	/* the latency CDF, one line per source, percentiles marked */
	f = out_open(&o, dir, "latency_cdf.dat", err);
	if (!f)
		goto fail;
	for (i = 0; i < n; i++) {
		const char *name = json_string_value(json_object_get(json_array_get(srcs, i), "name"));

		cdf_block(f, dir, name, name, err);
	}
	if (out_done(&o, err))
		goto fail;
	f = gp_open(&o, dir, "latency_cdf", json_string_value(json_object_get(sum, "workload")),
		    err);
	if (!f)
		goto fail;
	if (any_access(srcs))
		fprintf(f, "  set logscale x\n  set xlabel \"%s\"\n  set ylabel \"fraction\"\n"
			   "  set yrange [0:1.05]\n  set key bottom right\n",
			ACCESS_LATENCY_LABEL);
	else
		fprintf(f, "  set logscale x\n  set xlabel \"injection latency: assertion to guest "
			   "handler (ns)\"\n  set ylabel \"fraction of interrupts\"\n"
			   "  set yrange [0:1.05]\n  set key bottom right\n");
	for (i = 0; i < n; i++) {
		json_t *s = json_array_get(srcs, i);
		static const char *const q[] = { "p50", "p99", "p99.9" };

		for (unsigned k = 0; k < 3; k++) {
			double v = num(s, "latency_ns", q[k]);

			if (v > 0)
				fprintf(f,
					"  set arrow from %g, graph 0 to %g, graph 1 nohead dt 2 lc %zu\n"
					"  set label \"%s %s\" at %g, graph %.2f rotate by 90 offset -1,0 "
					"font \",8\" noenhanced\n",
					v, v, i + 1, json_string_value(json_object_get(s, "name")), q[k],
					v, 0.05 + 0.3 * k);
		}
	}
	if (any_measured(srcs))
		plot_sources(f, "latency_cdf.dat", "1:2 with lines lw 2", srcs);
	else
		plot_nothing(f, "[1:10]");
	fprintf(f, "  unset arrow\n  unset label\n}\n");
	if (out_done(&o, err))
		goto fail;
	/* the stages, stacked per source */
	f = out_open(&o, dir, "stages.dat", err);
	if (!f)
		goto fail;
	stage_columns(&cols, &sum, 1);
	stages_header(f, "source", &cols);
	for (i = 0; i < n; i++) {
		json_t *s = json_array_get(srcs, i);

		stages_row(f, json_string_value(json_object_get(s, "name")), s, &cols);
	}
	if (out_done(&o, err))
		goto fail;
	f = gp_open(&o, dir, "stages", "mean latency per stage", err);
	if (!f)
		goto fail;
	fprintf(f, "  set xlabel \"source\"\n");
	stages_plot(f, "stages.dat", &cols);
	if (out_done(&o, err))
		goto fail;
	/* latency against time, one series per source */
	if (time_plot(dir, srcs, err))
		goto fail;
	/* every plot is tried; the run fails if one is cut short */
	int cut = render(dir, "latency_cdf", err);

	cut |= render(dir, "stages", err);
	cut |= render(dir, "latency_time", err);
	json_decref(sum);
	return cut;
fail: /* said where it failed */
	json_decref(sum);
	return -1;
}

/* ---- compare ------------------------------------------------------------------------------ */

int wl_compare(const char *const *dirs, unsigned ndirs, const char *outdir, FILE *out,
	       FILE *err)
{
	json_t *sums[64] = { 0 };
	/* compare.md and its plots' data: replaced together */
	struct wl_out outs[3] = { { .state = -1 }, { .state = -1 }, { .state = -1 } }, o;
	FILE *md, *cdf, *st, *gp;
	struct stage_cols cols;
	char (*labels)[160] = NULL; /* each row's: a run, and its source if it has more */
	size_t nrows = 0;
	int ret = -1;

	if (!ndirs || ndirs > 64) {
		fprintf(err, "kvmsim compare: 1 to 64 run directories\n");
		return -1;
	}
	for (unsigned i = 0; i < ndirs; i++)
		if (!(sums[i] = wl_summary_load(dirs[i], err)))
			goto out;
	for (unsigned i = 0; i < ndirs; i++)
		nrows += json_array_size(json_object_get(sums[i], "sources"));
	labels = calloc(nrows ? nrows : 1, sizeof(*labels));
	if (!labels) {
		fprintf(err, "kvmsim compare: out of memory\n");
		goto out;
	}
	if (wl_mkdirs(outdir)) {
		fprintf(err, "kvmsim compare: cannot create %s: %s\n", outdir, strerror(errno));
		goto out;
	}
	if (!(md = out_open(&outs[0], outdir, "compare.md", err)) ||
	    !(cdf = out_open(&outs[1], outdir, "compare_cdf.dat", err)) ||
	    !(st = out_open(&outs[2], outdir, "compare_stages.dat", err)))
		goto out;
	fprintf(md, "# kvmsim compare\n\nLatency from assertion to the guest handler, of "
		    "every source of each run; completion from the handler's entry to the "
		    "interrupt's completion (EOI, deactivation, maintenance); ratios against the "
		    "first row. n/a: no interrupt measured (none reached the guest's handler "
		    "after the warm-up), or none in the first row to compare with. An mmio or "
		    "hvc source's latency is its accesses', from the trapping instruction to the "
		    "guest going on past it (no completion; exits/irq: its trap).\n\n"
		    "| run | source | p50 (ns) | p99 (ns) | p99.9 (ns) | max (ns) | "
		    "completion p50 (ns) | exits/irq | throughput (irq/s) | p50 ratio | "
		    "p99 ratio |\n"
		    "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
	stage_columns(&cols, sums, ndirs);
	stages_header(st, "run", &cols);
	/* the first row's percentiles, when it measured any */
	double p50_0 = -1, p99_0 = -1;
	bool measured = false;
	unsigned rows = 0;

	for (unsigned i = 0; i < ndirs; i++) {
		json_t *srcs = json_object_get(sums[i], "sources");
		const char *run = json_string_value(json_object_get(sums[i], "workload"));

		for (size_t j = 0; j < json_array_size(srcs); j++, rows++) {
			json_t *s = json_array_get(srcs, j);
			const char *src = json_string_value(json_object_get(s, "name"));
			double p50 = num(s, "latency_ns", "p50"), p99 = num(s, "latency_ns", "p99");

			if (json_array_size(srcs) > 1)
				snprintf(labels[rows], sizeof(labels[rows]), "%s: %s", run, src);
			else
				snprintf(labels[rows], sizeof(labels[rows]), "%s", run);
			char c[7][32];
			bool counted = num(s, "latency_ns", "count") > 0;

			if (!rows && counted) {
				p50_0 = p50;
				p99_0 = p99;
			}
			fprintf(md, "| %s | %s | %s | %s | %s | %s | %s | %.2f | %.0f | %s | %s |\n",
				run, src, ns_cell(c[0], s, "latency_ns", "p50"),
				ns_cell(c[1], s, "latency_ns", "p99"),
				ns_cell(c[2], s, "latency_ns", "p99.9"),
				ns_cell(c[3], s, "latency_ns", "max"),
				ns_cell(c[4], s, "completion_ns", "p50"),
				num(s, "exits_per_interrupt", NULL), num(s, "throughput", NULL),
				ratio_cell(c[5], counted, p50, p50_0),
				ratio_cell(c[6], counted, p99, p99_0));
			cdf_block(cdf, dirs[i], src, labels[rows], err);
			stages_row(st, labels[rows], s, &cols);
		}
		measured |= any_measured(srcs);
	}
	fprintf(md, "\nPlots: compare_cdf.png / .svg (latency CDF), compare_stages.png / .svg "
		    "(mean per stage).\n");
	if (wl_out_commit(outs, 3, err))
		goto out;
	gp = gp_open(&o, outdir, "compare_cdf", "injection latency", err);
	if (!gp)
		goto out;
	bool access = false;

	for (unsigned i = 0; i < ndirs; i++)
		access |= any_access(json_object_get(sums[i], "sources"));
	if (access)
		fprintf(gp, "  set logscale x\n  set xlabel \"%s\"\n  set ylabel \"fraction\"\n",
			ACCESS_LATENCY_LABEL);
	else
		fprintf(gp, "  set logscale x\n  set xlabel \"latency: assertion to guest handler "
			    "(ns)\"\n  set ylabel \"fraction of interrupts\"\n");
	fprintf(gp, "  set yrange [0:1.05]\n"
		    "  set key bottom right\n");
	if (measured) {
		for (unsigned i = 0; i < rows; i++)
			fprintf(gp, "%s\"compare_cdf.dat\" index %u using 1:2 with lines lw 2 "
				    "title \"%s\" noenhanced",
				i ? ", \\\n       " : "  plot ", i, labels[i]);
		fputc('\n', gp);
	} else {
		plot_nothing(gp, "[1:10]");
	}
	fprintf(gp, "}\n");
	if (out_done(&o, err))
		goto out;
	gp = gp_open(&o, outdir, "compare_stages", "mean latency per stage", err);
	if (!gp)
		goto out;
	fprintf(gp, "  set xtics rotate by -30 noenhanced\n");
	stages_plot(gp, "compare_stages.dat", &cols);
	if (out_done(&o, err))
		goto out;
	ret = render(outdir, "compare_cdf", err);
	ret |= render(outdir, "compare_stages", err);
	if (!ret)
		fprintf(out, "wrote %s/compare.md and its plots\n", outdir);
out:
	for (unsigned i = 0; i < 3; i++)
		wl_out_discard(&outs[i]); /* a no-op once committed */
	free(labels);
	for (unsigned i = 0; i < ndirs; i++)
		json_decref(sums[i]);
	return ret;
}

/* ---- sweep -------------------------------------------------------------------------------- */

int wl_plot_sweep(const char *outdir, const char *xlabel, bool numeric,
		  const char *const *titles, unsigned nseries, FILE *err)
{
	struct wl_out o;
	FILE *f;

	f = gp_open(&o, outdir, "sweep", "throughput (solid) and p99 latency (dashed)", err);
	if (!f)
		return -1;
	size_t kl = strlen(xlabel);
	const char *unit = "";

	/* the unit a workload key's suffix names (workloads/README.md) */
	if (kl > 3 && !strcmp(xlabel + kl - 3, "_hz"))
		unit = " (per second)";
	else if (kl > 3 && !strcmp(xlabel + kl - 3, "_us"))
		unit = " (us)";
	else if (kl > 3 && !strcmp(xlabel + kl - 3, "_ms"))
		unit = " (ms)";
	fprintf(f, "  set xlabel \"%s%s\" noenhanced\n  set ylabel \"throughput (interrupts/s)\"\n"
		   "  set y2label \"p99 latency (ns)\"\n  set y2tics\n  set ytics nomirror\n"
		   "  set key outside right\n%s  plot ",
		xlabel, unit, numeric ? "" : "  set xtics rotate by -30\n");
	for (unsigned r = 0; r < nseries; r++) {
		const char *t = titles[r] && *titles[r] ? titles[r] : "";

		fprintf(f, "%s\"sweep.dat\" index %u using %s with linespoints lw 2 pt 7 lc %u "
			   "title \"throughput%s%s\" noenhanced, \\\n"
			   "       \"sweep.dat\" index %u using %s axes x1y2 with linespoints lw 2 "
			   "dt 2 pt 5 lc %u title \"p99%s%s\" noenhanced",
			r ? ", \\\n       " : "", r, numeric ? "1:2" : "0:2:xtic(6)", r + 1,
			*t ? " " : "", t, r, numeric ? "1:4" : "0:4", r + 1, *t ? " " : "", t);
	}
	fprintf(f, "\n}\n");
	if (out_done(&o, err))
		return -1;
	return render(outdir, "sweep", err);
}

int wl_plot_fidelity(const char *outdir, unsigned nrows, FILE *err)
{
	struct wl_out o;
	FILE *f;

	f = gp_open(&o, outdir, "fidelity", "simulated / published, per microbenchmark", err);
	if (!f)
		return -1;
	fprintf(f,
		"  set ylabel \"simulated / published\"\n"
		"  set yrange [0:*]\n  set xrange [-0.7:%u.7]\n"
		"  set xtics rotate by -35 noenhanced\n  set style fill solid 0.7 border -1\n"
		"  set boxwidth 0.7\n  set key inside top left\n  set bmargin 12\n"
		"  set arrow 1 from graph 0, first 1 to graph 1, first 1 nohead lw 2 lc rgb \"black\"\n"
		"  set object 1 rect from graph 0, first 0.75 to graph 1, first 1.25 behind "
		"fc rgb \"#e8f0e8\" fs solid noborder\n"
		"  plot \"fidelity.dat\" using 1:($3 == 0 ? $2 : 1/0):xtic(4) with boxes lc rgb "
		"\"#8c8c8c\" title \"calibration (agrees by construction)\", \\\n"
		"       \"fidelity.dat\" using 1:($3 == 1 ? $2 : 1/0) with boxes lc rgb \"#3b6ea5\" "
		"title \"prediction\", \\\n"
		"       1/0 with boxes lc rgb \"#e8f0e8\" title \"within +-25 %%\"\n"
		"}\n",
		nrows ? nrows - 1 : 0);
	if (out_done(&o, err))
		return -1;
	return render(outdir, "fidelity", err);
}
