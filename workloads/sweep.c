// SPDX-License-Identifier: MIT
/*
 * sweep.c — `kvmsim sweep FILE --param KEY=V1,V2,...`: the grid of every
 * combination of the parameters' values, each point an ordinary run
 * directory (OUT/KEY=V,KEY=V) made by `kvmsim run FILE -o DIR --set ...`
 * in parallel processes, then one table and one plot of throughput and
 * p99 latency against the first parameter. `--list` prints the commands
 * instead, for GNU parallel or a batch system, and `--collect` makes the
 * table and plot once they have run.
 */
#include <errno.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "config.h"
#include "workloads/workload.h"

#define MAX_POINTS 4096

#define PARAM_FORM "expected KEY=V1,V2,... (e.g. sources.0.rate_hz=1e5,2e5)"

/* Split "key=v1,v2" into key and values; -1, said on @err, on a malformed
 * parameter. A value is not empty and holds no '"', '\\' or control
 * character (the plot's titles and data quote it). */
static int parse_param(const char *p, char *key, size_t klen, char ***vals, unsigned *n,
		       FILE *err)
{
	const char *eq = strchr(p, '=');

	*n = 0;
	*vals = NULL;
	if (!eq || eq == p || !eq[1] || (size_t)(eq - p) >= klen) {
		fprintf(err, "kvmsim sweep: --param '%s': " PARAM_FORM "\n", p);
		return -1;
	}
	memcpy(key, p, (size_t)(eq - p));
	key[eq - p] = '\0';
	for (const char *v = eq + 1;; v++) {
		size_t len = strcspn(v, ",");
		char **t;

		if (!len) {
			fprintf(err, "kvmsim sweep: --param '%s': value %u is empty; " PARAM_FORM
				     "\n", p, *n + 1);
			return -1;
		}
		for (size_t i = 0; i < len; i++) {
			if (v[i] == '"' || v[i] == '\\' || (unsigned char)v[i] < 0x20 ||
			    v[i] == 0x7f) {
				fprintf(err, "kvmsim sweep: --param '%s': value %u holds a "
					     "quote, backslash or control character\n",
					p, *n + 1);
				return -1;
			}
		}
		for (unsigned j = 0; j < *n; j++) {
			if (strlen((*vals)[j]) == len && !strncmp((*vals)[j], v, len)) {
				fprintf(err, "kvmsim sweep: --param '%s': value '%.*s' comes "
					     "twice (one point, one run directory)\n",
					p, (int)len, v);
				return -1;
			}
		}
		t = realloc(*vals, (*n + 1) * sizeof(*t));
		if (!t)
			return -1;
		*vals = t;
		(*vals)[*n] = strndup(v, len);
		if (!(*vals)[*n])
			return -1;
		++*n;
		v += len;
		if (!*v)
			return 0;
	}
}

/* Append @s to the point's name @name (its run directory), '/' written
 * %2F and '%' %25 so that a value's path stays one directory; -1 when it
 * does not fit. */
static int name_append(char *name, size_t size, const char *s)
{
	size_t l = strlen(name);

	for (; *s; s++) {
		const char *w = *s == '/' ? "%2F" : *s == '%' ? "%25" : NULL;
		size_t k = w ? 3 : 1;

		if (l + k >= size)
			return -1;
		memcpy(name + l, w ? w : s, k);
		l += k;
	}
	name[l] = '\0';
	return 0;
}

int wl_sweep_grid(const char *const *params, unsigned nparams, struct wl_point **out,
		  unsigned *npoints, FILE *err)
{
	char keys[8][96];
	char **vals[8] = { 0 };
	unsigned nv[8] = { 0 }, total = 1;
	struct wl_point *pts;

	if (!nparams || nparams > 8) {
		fprintf(err, "kvmsim sweep: 1 to 8 --param\n");
		return -1;
	}
	int ret = -1;

	for (unsigned i = 0; i < nparams; i++) {
		if (parse_param(params[i], keys[i], sizeof(keys[i]), &vals[i], &nv[i], err))
			goto out;
		for (unsigned j = 0; j < i; j++) {
			if (!strcmp(keys[i], keys[j])) {
				fprintf(err, "kvmsim sweep: --param '%s': %s is swept by an earlier "
					     "--param already\n",
					params[i], keys[i]);
				goto out;
			}
		}
		for (unsigned j = 0; j < nv[i]; j++) {
			if (strlen(keys[i]) + 1 + strlen(vals[i][j]) >= sizeof(pts->set[0])) {
				fprintf(err, "kvmsim sweep: --param '%s': %s=%s is longer than "
					     "%zu characters\n",
					params[i], keys[i], vals[i][j], sizeof(pts->set[0]) - 1);
				goto out;
			}
		}
		total *= nv[i];
		if (total > MAX_POINTS) {
			fprintf(err, "kvmsim sweep: more than %d points\n", MAX_POINTS);
			goto out;
		}
	}
	pts = calloc(total, sizeof(*pts));
	if (!pts)
		goto out;
	/* the first parameter varies slowest: points in reading order */
	for (unsigned k = 0; k < total; k++) {
		unsigned rest = k;

		for (int i = (int)nparams - 1; i >= 0; i--) {
			unsigned j = rest % nv[i];

			rest /= nv[i];
			snprintf(pts[k].set[i], sizeof(pts[k].set[i]), "%s=%s", keys[i], vals[i][j]);
		}
		pts[k].nset = nparams;
		pts[k].name[0] = '\0';
		for (unsigned i = 0; i < nparams; i++) {
			if ((i && name_append(pts[k].name, sizeof(pts[k].name), ",")) ||
			    name_append(pts[k].name, sizeof(pts[k].name), pts[k].set[i])) {
				fprintf(err, "kvmsim sweep: the name of point %s... is longer than "
					     "%zu characters\n",
					pts[k].name, sizeof(pts[k].name) - 1);
				free(pts);
				goto out;
			}
		}
	}
	*out = pts;
	*npoints = total;
	ret = 0;
out:
	for (unsigned i = 0; i < nparams; i++) {
		for (unsigned j = 0; j < nv[i]; j++)
			free(vals[i][j]);
		free(vals[i]);
	}
	return ret;
}

/* Quote @s for a POSIX shell. */
static void shq(FILE *f, const char *s)
{
	fputc('\'', f);
	for (; *s; s++) {
		if (*s == '\'')
			fputs("'\\''", f);
		else
			fputc(*s, f);
	}
	fputc('\'', f);
}

static void command(FILE *f, const char *self, const char *file, const char *outdir,
		    const struct wl_point *p)
{
	char dir[1600];

	snprintf(dir, sizeof(dir), "%s/%s", outdir, p->name);
	shq(f, self);
	fputs(" run ", f);
	shq(f, file);
	fputs(" -q -o ", f);
	shq(f, dir);
	for (unsigned i = 0; i < p->nset; i++) {
		fputs(" --set ", f);
		shq(f, p->set[i]);
	}
	fputc('\n', f);
}

/*
 * A point's stderr, captured in @log while it ran (so that the messages of
 * points run side by side do not interleave), each line named after the
 * point: "kvmsim sweep: point NAME: MESSAGE" (a leading "kvmsim: " goes).
 * @log is closed.
 */
static void relay(FILE *err, const char *clear, const char *name, FILE *log)
{
	char line[2048];
	bool whole = true; /* at a line's start */

	rewind(log);
	while (fgets(line, sizeof(line), log)) {
		const char *m = line;

		if (whole) {
			if (!strncmp(m, "kvmsim: ", 8))
				m += 8;
			fprintf(err, "%skvmsim sweep: point %s: ", clear, name);
		}
		fputs(m, err);
		whole = strchr(line, '\n') != NULL;
	}
	if (!whole)
		fputc('\n', err);
	fclose(log);
}

int wl_sweep(const char *self, const char *file, const char *const *params, unsigned nparams,
	     const char *outdir, unsigned jobs, enum wl_sweep_mode mode, FILE *out, FILE *err)
{
	struct wl_point *pts;
	unsigned n, next = 0, running = 0, failed = 0;
	pid_t pids[256];
	unsigned pidpt[256]; /* the point each runs */
	FILE *logs[256];     /* and its stderr, relayed once it is done */
	char path[1600];

	if (wl_sweep_grid(params, nparams, &pts, &n, err))
		return -1;
	if (mode == WL_SWEEP_LIST) {
		for (unsigned k = 0; k < n; k++)
			command(out, self, file, outdir, &pts[k]);
		free(pts);
		return 0;
	}
	if (wl_mkdirs(outdir)) {
		fprintf(err, "kvmsim sweep: cannot create %s: %s\n", outdir, strerror(errno));
		free(pts);
		return -1;
	}
	bool tty = isatty(fileno(err));
	/* on a terminal, what is printed over the count's line clears it */
	const char *clear = tty ? "\033[K" : "";

	if (!jobs) {
		long c = sysconf(_SC_NPROCESSORS_ONLN);

		jobs = c > 0 ? (unsigned)c : 1;
	}
	if (jobs > 256)
		jobs = 256;
	/* each point: `kvmsim run` in its own process, @jobs at a time */
	if (mode == WL_SWEEP_COLLECT)
		next = n; /* run elsewhere */
	while (next < n || running) {
		while (next < n && running < jobs) {
			const struct wl_point *p = &pts[next];
			char dir[1600];
			const char *argv[8 + 2 * 8 + 1];
			unsigned a = 0;
			pid_t pid;

			snprintf(dir, sizeof(dir), "%s/%s", outdir, p->name);
			argv[a++] = self;
			argv[a++] = "run";
			argv[a++] = file;
			argv[a++] = "-q";
			argv[a++] = "-o";
			argv[a++] = dir;
			for (unsigned i = 0; i < p->nset; i++) {
				argv[a++] = "--set";
				argv[a++] = p->set[i];
			}
			argv[a] = NULL;
			FILE *log = tmpfile();

			pid = log ? fork() : -1;
			if (pid == 0) {
				setenv("KVMSIM_PLOT_WARNED", "1", 1);
				dup2(fileno(log), STDERR_FILENO);
				execv(self, (char *const *)argv);
				fprintf(stderr, "kvmsim: cannot run %s: %s\n", self, strerror(errno));
				_exit(127);
			}
			if (pid < 0) {
				fprintf(err, "%skvmsim sweep: point %s: cannot start it: %s\n", clear,
					p->name, strerror(errno));
				if (log)
					fclose(log);
				failed++;
				next++;
				continue;
			}
			pidpt[running] = next;
			logs[running] = log;
			pids[running++] = pid;
			next++;
		}
		int status;
		unsigned pt = n;
		FILE *log = NULL;
		pid_t done = wait(&status);

		if (done < 0)
			break;
		for (unsigned i = 0; i < running; i++) {
			if (pids[i] == done) {
				pt = pidpt[i];
				log = logs[i];
				pids[i] = pids[--running];
				pidpt[i] = pidpt[running];
				logs[i] = logs[running];
				break;
			}
		}
		if (pt == n)
			continue; /* not a point's process */
		relay(err, clear, pts[pt].name, log);
		if (!WIFEXITED(status) || WEXITSTATUS(status)) {
			if (WIFEXITED(status))
				fprintf(err, "%skvmsim sweep: point %s failed (exit status %d): %s/%s\n",
					clear, pts[pt].name, WEXITSTATUS(status), outdir,
					pts[pt].name);
			else
				fprintf(err, "%skvmsim sweep: point %s failed (signal %d): %s/%s\n",
					clear, pts[pt].name, WTERMSIG(status), outdir, pts[pt].name);
			failed++;
		}
		/* the cursor stays at the line's start: what is printed next
		 * clears the count's line first */
		if (tty)
			fprintf(err, "kvmsim sweep: %u of %u points done\r", next - running, n);
	}
	if (tty)
		fputc('\n', err); /* under the last count */
	if (failed) {
		fprintf(err, "kvmsim sweep: %u of %u points failed (the others' run directories "
			     "stand); no sweep.md\n",
			failed, n);
		free(pts);
		return -1;
	}
	/*
	 * The curve against the first parameter: one series per combination
	 * of the others (the first varies slowest, so series r holds the
	 * points r, r + R, r + 2R, ...).
	 */
	unsigned per, nseries = 0;
	bool numeric = true;
	struct wl_out outs[2]; /* sweep.dat and sweep.md, replaced together */
	FILE *dat, *md;

	for (unsigned i = 0; i < n && pts[i].set[0][0]; i++) {
		char *end;
		const char *v = strchr(pts[i].set[0], '=') + 1;

		strtod(v, &end);
		if (end == v || *end)
			numeric = false;
	}
	/* a series per point of the first value */
	for (unsigned i = 0; i < n; i++)
		nseries += !strcmp(pts[i].set[0], pts[0].set[0]);
	per = n / nseries;
	snprintf(path, sizeof(path), "%s/sweep.dat", outdir);
	dat = wl_out_open(&outs[0], path, err);
	snprintf(path, sizeof(path), "%s/sweep.md", outdir);
	md = dat ? wl_out_open(&outs[1], path, err) : NULL;
	if (!dat || !md) {
		wl_out_discard(&outs[0]);
		free(pts);
		return -1;
	}
	fprintf(md, "# kvmsim sweep of %s\n\nLatency from the source's assertion to the guest "
		    "handler, of the point's worst source (n/a: none measured an interrupt); "
		    "every point is a run directory under this one.\n\n"
		    "| point | throughput (irq/s) | p50 (ns) | p99 (ns) | coalesced |\n"
		    "|---|---:|---:|---:|---:|\n",
		file);
	char **titles = calloc(nseries, sizeof(*titles));

	for (unsigned r = 0; r < nseries; r++) {
		const struct wl_point *p0 = &pts[r];
		const char *rest = strchr(p0->name, ',');

		titles[r] = strdup(rest ? rest + 1 : "");
		fprintf(dat, "%s# series %u: %s\n# value throughput_per_s p50_ns p99_ns coalesced "
			     "point\n",
			r ? "\n\n" : "", r, titles[r]);
		for (unsigned j = 0; j < per; j++) {
			const struct wl_point *p = &pts[j * nseries + r];
			const char *v = strchr(p->set[0], '=') + 1;
			json_t *sum, *s0;

			snprintf(path, sizeof(path), "%s/%s", outdir, p->name);
			sum = wl_summary_load(path, err);
			if (!sum) {
				failed++;
				continue;
			}
			s0 = json_object_get(sum, "sources");
			double thr = json_number_value(json_object_get(sum, "throughput"));
			json_int_t p50 = 0, p99 = 0, co = 0;
			bool measured = false;

			/* the worst source of the point that measured any */
			for (size_t k = 0; k < json_array_size(s0); k++) {
				json_t *s = json_array_get(s0, k), *l = json_object_get(s, "latency_ns");
				json_int_t a = (json_int_t)json_number_value(json_object_get(l, "p50"));
				json_int_t b = (json_int_t)json_number_value(json_object_get(l, "p99"));

				co += json_integer_value(json_object_get(s, "coalesced"));
				if (json_integer_value(json_object_get(l, "count")) <= 0)
					continue;
				measured = true;
				p50 = a > p50 ? a : p50;
				p99 = b > p99 ? b : p99;
			}
			/* none measured: gnuplot leaves out a NaN, the table says n/a
			 * (a 0 would read as an instant interrupt) */
			char c50[24] = "n/a", c99[24] = "n/a";

			if (measured) {
				snprintf(c50, sizeof(c50), "%lld", (long long)p50);
				snprintf(c99, sizeof(c99), "%lld", (long long)p99);
			}
			fprintf(dat, "%s %.3f %s %s %lld \"%s\"\n", numeric ? v : "0", thr,
				measured ? c50 : "NaN", measured ? c99 : "NaN", (long long)co, v);
			fprintf(md, "| %s | %.0f | %s | %s | %lld |\n", p->name, thr, c50, c99,
				(long long)co);
			json_decref(sum);
		}
	}
	if (wl_out_commit(outs, 2, err)) {
		for (unsigned r = 0; r < nseries; r++)
			free(titles[r]);
		free(titles);
		free(pts);
		return -1;
	}
	char key[96];

	snprintf(key, sizeof(key), "%.*s", (int)strcspn(params[0], "="), params[0]);
	/* the plot, unless no point ran (gnuplot fails on a plot of nothing) */
	bool plot_bad = failed < n &&
			wl_plot_sweep(outdir, key, numeric, (const char *const *)titles, nseries, err);

	for (unsigned r = 0; r < nseries; r++)
		free(titles[r]);
	free(titles);
	if (failed || plot_bad) {
		free(pts);
		return -1;
	}
	fprintf(out, "%s: wrote %s/sweep.md, sweep.dat and sweep.gp (%u points)\n", file, outdir,
		n);
	free(pts);
	return 0;
}
