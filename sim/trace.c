// SPDX-License-Identifier: MIT
/*
 * trace.c — the tracer: registry of trace points, sink filters, and the
 * text and Chrome JSON writers. Only the enabled path lands here; a
 * disabled trace point never leaves its SIM_TRACE() branch.
 */
#include <errno.h>
#include <fnmatch.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "sim_int.h"
#include "trace.h"

#define MAX_SINKS 32

struct trace_sink {
	enum sim_trace_format fmt;
	FILE *out;
	char *filter;        /* owned copy, commas replaced by NULs */
	size_t npatterns;
	bool first;          /* chrome: no event written yet */
	unsigned char *named; /* chrome: track n has its name record */
	size_t nnamed;
	uint8_t **inst_named; /* chrome: [track]: bitmap of its instances' */
	size_t ninst_named;
	/* chrome: threads with a state slice open (a sorted set) */
	uint64_t *open;
	size_t nopen, capopen;
	uint64_t nspans;      /* chrome: async span ids given */
	/* vcd: value changes go to @body until the variables are all known */
	FILE *body;
	struct vcd_var *vars;
	size_t nvars, capvars;
	uint32_t *slots; /* open-addressing index into @vars, +1; 0 = empty */
	size_t nslots;
	uint32_t next_id;
	sim_time_t last_t;
	bool timed;
};

/* One VCD scope's variables: an event, then one variable per field. */
struct vcd_var {
	const struct sim_tracepoint *tp;
	uint64_t inst;  /* the vcpu/cpu index, when @has_inst */
	bool has_inst;
	uint32_t id;    /* identifier of the event; field i is id + 1 + i */
	uint32_t order; /* creation order, for a stable header */
};

struct sim_trace {
	struct sim *sim;
	struct sim_tracepoint **tps;
	size_t ntps, captps;
	char **components; /* interned component paths; index = track */
	size_t ncomp, capcomp;
	struct trace_sink *sinks[MAX_SINKS];
	unsigned nsinks;
};

struct sim_trace *sim_trace_create(struct sim *sim)
{
	struct sim_trace *tr = calloc(1, sizeof(*tr));

	if (tr)
		tr->sim = sim;
	return tr;
}

static void sink_free(struct trace_sink *sk)
{
	if (sk->body)
		fclose(sk->body);
	free(sk->vars);
	free(sk->slots);
	free(sk->filter);
	free(sk->named);
	for (size_t i = 0; i < sk->ninst_named; i++)
		free(sk->inst_named[i]);
	free(sk->inst_named);
	free(sk->open);
	free(sk);
}

void sim_trace_destroy(struct sim_trace *tr)
{
	if (!tr)
		return;
	for (size_t i = 0; i < tr->ntps; i++) {
		tr->tps[i]->on = false;
		tr->tps[i]->sinks = 0;
		tr->tps[i]->tr = NULL;
	}
	for (unsigned i = 0; i < tr->nsinks; i++)
		sink_free(tr->sinks[i]);
	for (size_t i = 0; i < tr->ncomp; i++)
		free(tr->components[i]);
	free(tr->components);
	free(tr->tps);
	free(tr);
}

static bool sink_wants(const struct trace_sink *sk,
		       const struct sim_tracepoint *tp)
{
	char name[512];
	const char *pat = sk->filter;

	if (!sk->npatterns)
		return true;
	snprintf(name, sizeof(name), "%s:%s", tp->component, tp->desc->name);
	for (size_t i = 0; i < sk->npatterns; i++) {
		if (fnmatch(pat, name, 0) == 0)
			return true;
		pat += strlen(pat) + 1;
	}
	return false;
}

static void tracepoint_update(struct sim_trace *tr, struct sim_tracepoint *tp)
{
	tp->sinks = 0;
	for (unsigned i = 0; i < tr->nsinks; i++)
		if (sink_wants(tr->sinks[i], tp))
			tp->sinks |= UINT32_C(1) << i;
	tp->on = tp->sinks != 0;
}

static int intern_component(struct sim_trace *tr, const char *path,
			    uint32_t *index)
{
	char *copy;

	for (size_t i = 0; i < tr->ncomp; i++) {
		if (strcmp(tr->components[i], path) == 0) {
			*index = (uint32_t)i;
			return 0;
		}
	}
	if (tr->ncomp == tr->capcomp) {
		size_t cap = tr->capcomp ? 2 * tr->capcomp : 16;
		char **c = realloc(tr->components, cap * sizeof(*c));

		if (!c)
			return -ENOMEM;
		tr->components = c;
		tr->capcomp = cap;
	}
	copy = strdup(path);
	if (!copy)
		return -ENOMEM;
	tr->components[tr->ncomp] = copy;
	*index = (uint32_t)tr->ncomp++;
	return 0;
}

int sim_tracepoint_init(struct sim *sim, struct sim_tracepoint *tp,
			const char *component, const struct sim_trace_desc *desc)
{
	struct sim_trace *tr = sim_trace_of(sim);
	int err;

	memset(tp, 0, sizeof(*tp));
	err = intern_component(tr, component, &tp->track);
	if (err)
		return err;
	if (tr->ntps == tr->captps) {
		size_t cap = tr->captps ? 2 * tr->captps : 64;
		struct sim_tracepoint **t = realloc(tr->tps, cap * sizeof(*t));

		if (!t)
			return -ENOMEM;
		tr->tps = t;
		tr->captps = cap;
	}
	tp->desc = desc;
	tp->component = tr->components[tp->track];
	tp->tr = tr;
	tr->tps[tr->ntps++] = tp;
	tracepoint_update(tr, tp);
	return 0;
}

void sim_tracepoint_release(struct sim_tracepoint *tp)
{
	struct sim_trace *tr = tp->tr;

	if (!tr)
		return;
	for (size_t i = 0; i < tr->ntps; i++) {
		if (tr->tps[i] == tp) {
			tr->tps[i] = tr->tps[--tr->ntps];
			break;
		}
	}
	tp->on = false;
	tp->sinks = 0;
	tp->tr = NULL;
}

/* ---- text sink -------------------------------------------------------- */

static bool str_is_bare(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9') || strchr("_.:/+-", c)))
			return false;
	}
	return true;
}

static void write_quoted(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		switch (c) {
		case '"':
			fputs("\\\"", f);
			break;
		case '\\':
			fputs("\\\\", f);
			break;
		case '\n':
			fputs("\\n", f);
			break;
		case '\t':
			fputs("\\t", f);
			break;
		default:
			if (c < 0x20 || c >= 0x7f)
				fprintf(f, "\\x%02x", c);
			else
				fputc(c, f);
		}
	}
	fputc('"', f);
}

static void text_value(FILE *f, enum sim_field_type type, union sim_trace_val v)
{
	switch (type) {
	case SIM_FIELD_U64:
		fprintf(f, "%" PRIu64, v.u);
		break;
	case SIM_FIELD_I64:
		fprintf(f, "%" PRId64, v.i);
		break;
	case SIM_FIELD_HEX:
		fprintf(f, "0x%" PRIx64, v.u);
		break;
	case SIM_FIELD_BOOL:
		fputc(v.u ? '1' : '0', f);
		break;
	case SIM_FIELD_STR:
		if (!v.s)
			fputs("\"\"", f);
		else if (str_is_bare(v.s))
			fputs(v.s, f);
		else
			write_quoted(f, v.s);
		break;
	}
}

static void text_emit(struct trace_sink *sk, sim_time_t t,
		      const struct sim_tracepoint *tp,
		      const union sim_trace_val *vals)
{
	FILE *f = sk->out;

	fprintf(f, "%" PRIu64 " %s %s", t, tp->component, tp->desc->name);
	for (unsigned i = 0; i < tp->desc->nfields; i++) {
		fprintf(f, " %s=", tp->desc->fields[i].name);
		text_value(f, tp->desc->fields[i].type, vals[i]);
	}
	fputc('\n', f);
}

/* ---- chrome sink ------------------------------------------------------ */

static void json_string(FILE *f, const char *s)
{
	fputc('"', f);
	for (; s && *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else if (c < 0x20)
			fprintf(f, "\\u%04x", c);
		else
			fputc(c, f);
	}
	fputc('"', f);
}

/* Trace Event timestamps are in microseconds; ps gives six exact decimals. */
static void json_time_us(FILE *f, sim_time_t t)
{
	fprintf(f, "%" PRIu64 ".%06" PRIu64, t / 1000000, t % 1000000);
}

static void chrome_sep(struct trace_sink *sk)
{
	fputs(sk->first ? "\n" : ",\n", sk->out);
	sk->first = false;
}

/* The name and sort records of thread @tid: @name, or "@name @field=@inst". */
static void chrome_thread(struct trace_sink *sk, uint64_t tid, const char *name,
			  const char *field, uint64_t inst)
{
	char buf[256];

	if (field) {
		snprintf(buf, sizeof(buf), "%s %s=%" PRIu64, name, field, inst);
		name = buf;
	}
	chrome_sep(sk);
	fprintf(sk->out,
		"{\"ph\":\"M\",\"name\":\"thread_name\",\"pid\":1,\"tid\":%" PRIu64
		",\"args\":{\"name\":",
		tid);
	json_string(sk->out, name);
	fputs("}}", sk->out);
	chrome_sep(sk);
	fprintf(sk->out,
		"{\"ph\":\"M\",\"name\":\"thread_sort_index\",\"pid\":1,\"tid\":%" PRIu64
		",\"args\":{\"sort_index\":%" PRIu64 "}}",
		tid, tid);
}

/* Array @p of *@n elements of @size grown to hold index @i, the new ones
 * zeroed: the array (moved or not), or NULL if it cannot grow (@p and *@n
 * stay). */
static void *grow_zeroed(void *p, size_t *n, size_t size, size_t i)
{
	char *b;

	if (i < *n)
		return p;
	b = realloc(p, (i + 1) * size);
	if (!b)
		return NULL;
	memset(b + *n * size, 0, (i + 1 - *n) * size);
	*n = i + 1;
	return b;
}

/* Instances (vCPU or CPU numbers) below this get a track of their own. */
#define CHROME_INSTS 65536u

static bool vcd_has_inst(const struct sim_tracepoint *tp);

/*
 * The thread (track) of an event of @tp: its component's, or, for an
 * event of one vCPU or CPU (its first field an unsigned "vcpu" or "cpu",
 * as the VCD sink's scopes), that component's track of the instance,
 * "COMPONENT vcpu=N", numbered (component + 1) * 65536 + N so that the
 * instances of a component sort together. Names the thread the first
 * time (a thread that cannot be noted for lack of memory stays unnamed;
 * its events still go out).
 */
static uint64_t chrome_tid(struct trace_sink *sk, const struct sim_tracepoint *tp,
			   const union sim_trace_val *vals)
{
	struct sim_trace *tr = tp->tr;
	uint32_t track = tp->track;

	if (vcd_has_inst(tp) && vals[0].u < CHROME_INSTS) {
		uint64_t inst = vals[0].u, tid = (uint64_t)(track + 1) * CHROME_INSTS + inst;
		uint8_t **all = grow_zeroed(sk->inst_named, &sk->ninst_named, sizeof(uint8_t *),
					    track);
		uint8_t *bm;

		if (!all)
			return tid;
		sk->inst_named = all;
		if (!all[track])
			all[track] = calloc(CHROME_INSTS / 8, 1);
		bm = all[track];
		if (bm && !(bm[inst / 8] & (1u << (inst % 8)))) {
			bm[inst / 8] |= (uint8_t)(1u << (inst % 8));
			chrome_thread(sk, tid, tr->components[track], tp->desc->fields[0].name,
				      inst);
		}
		return tid;
	}
	unsigned char *named = grow_zeroed(sk->named, &sk->nnamed, 1, track);

	if (named) {
		sk->named = named;
		if (!named[track]) {
			named[track] = 1;
			chrome_thread(sk, track, tr->components[track], NULL, 0);
		}
	}
	return track;
}

/* The index of thread @tid in the open set, or where it would go. */
static size_t open_find(const struct trace_sink *sk, uint64_t tid)
{
	size_t lo = 0, hi = sk->nopen;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (sk->open[mid] < tid)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* Thread @tid enters state @state at @t: the slice of its last state
 * ends, one named @state begins. */
static void chrome_state(struct trace_sink *sk, uint64_t tid, sim_time_t t, const char *state)
{
	size_t i = open_find(sk, tid);
	FILE *f = sk->out;

	if (i < sk->nopen && sk->open[i] == tid) {
		chrome_sep(sk);
		fputs("{\"ph\":\"E\",\"ts\":", f);
		json_time_us(f, t);
		fprintf(f, ",\"pid\":1,\"tid\":%" PRIu64 "}", tid);
	} else {
		if (sk->nopen == sk->capopen) {
			size_t cap = sk->capopen ? 2 * sk->capopen : 64;
			uint64_t *o = realloc(sk->open, cap * sizeof(*o));

			if (!o)
				return; /* no slices for this thread; its events still go */
			sk->open = o;
			sk->capopen = cap;
		}
		memmove(&sk->open[i + 1], &sk->open[i], (sk->nopen - i) * sizeof(*sk->open));
		sk->open[i] = tid;
		sk->nopen++;
	}
	chrome_sep(sk);
	fputs("{\"ph\":\"B\",\"name\":", f);
	json_string(f, state);
	fputs(",\"cat\":\"state\",\"ts\":", f);
	json_time_us(f, t);
	fprintf(f, ",\"pid\":1,\"tid\":%" PRIu64 "}", tid);
}

static void chrome_args(FILE *f, const struct sim_tracepoint *tp,
			const union sim_trace_val *vals);

/* An async slice @name from @since to @t (its own id), with @tp's fields. */
static void chrome_span(struct trace_sink *sk, sim_time_t since, sim_time_t t,
			const struct sim_tracepoint *tp, const union sim_trace_val *vals);

static void chrome_emit(struct trace_sink *sk, sim_time_t t,
			const struct sim_tracepoint *tp,
			const union sim_trace_val *vals)
{
	uint64_t tid = chrome_tid(sk, tp, vals);
	FILE *f = sk->out;

	sk->last_t = t;
	if (tp->desc->state)
		chrome_state(sk, tid, t, tp->desc->state);
	if (tp->desc->span_since) {
		for (unsigned i = 0; i < tp->desc->nfields; i++)
			if (!strcmp(tp->desc->fields[i].name, tp->desc->span_since) &&
			    vals[i].u <= t)
				chrome_span(sk, vals[i].u, t, tp, vals);
	}

	chrome_sep(sk);
	fputs("{\"ph\":\"i\",\"s\":\"t\",\"name\":", f);
	json_string(f, tp->desc->name);
	fputs(",\"cat\":", f);
	json_string(f, tp->component);
	fputs(",\"ts\":", f);
	json_time_us(f, t);
	fprintf(f, ",\"pid\":1,\"tid\":%" PRIu64 ",\"args\":{", tid);
	chrome_args(f, tp, vals);
	fputs("}}", f);
}

/* @tp's fields as JSON members. */
static void chrome_args(FILE *f, const struct sim_tracepoint *tp,
			const union sim_trace_val *vals)
{
	for (unsigned i = 0; i < tp->desc->nfields; i++) {
		const struct sim_trace_field *fd = &tp->desc->fields[i];

		if (i)
			fputc(',', f);
		json_string(f, fd->name);
		fputc(':', f);
		switch (fd->type) {
		case SIM_FIELD_U64:
		case SIM_FIELD_BOOL:
			fprintf(f, "%" PRIu64, vals[i].u);
			break;
		case SIM_FIELD_I64:
			fprintf(f, "%" PRId64, vals[i].i);
			break;
		case SIM_FIELD_HEX:
			fprintf(f, "\"0x%" PRIx64 "\"", vals[i].u);
			break;
		case SIM_FIELD_STR:
			json_string(f, vals[i].s);
			break;
		}
	}
}


static void chrome_args(FILE *f, const struct sim_tracepoint *tp,
			const union sim_trace_val *vals);

static void chrome_span(struct trace_sink *sk, sim_time_t since, sim_time_t t,
			const struct sim_tracepoint *tp, const union sim_trace_val *vals)
{
	FILE *f = sk->out;
	uint64_t id = ++sk->nspans;

	for (int end = 0; end < 2; end++) {
		chrome_sep(sk);
		fprintf(f, "{\"ph\":\"%c\",\"name\":", end ? 'e' : 'b');
		json_string(f, tp->desc->name);
		fputs(",\"cat\":", f);
		json_string(f, tp->component);
		fprintf(f, ",\"id\":%" PRIu64 ",\"ts\":", id);
		json_time_us(f, end ? t : since);
		fputs(",\"pid\":1", f);
		if (!end) {
			fputs(",\"args\":{", f);
			chrome_args(f, tp, vals);
			fputc('}', f);
		}
		fputc('}', f);
	}
}

/* Every open state slice ends at the last event's time. */
static void chrome_finish(struct trace_sink *sk)
{
	for (size_t i = 0; i < sk->nopen; i++) {
		chrome_sep(sk);
		fputs("{\"ph\":\"E\",\"ts\":", sk->out);
		json_time_us(sk->out, sk->last_t);
		fprintf(sk->out, ",\"pid\":1,\"tid\":%" PRIu64 "}", sk->open[i]);
	}
	sk->nopen = 0;
}

/* ---- vcd sink --------------------------------------------------------- */

/*
 * Value Change Dump (IEEE 1364 §18) for GTKWave: one scope per component,
 * and below it one scope per vCPU when an event's first field is an
 * unsigned "vcpu" or "cpu" index. Each trace point is an `event` variable
 * that fires when it occurs; each field is a variable holding its last
 * value (integer 64, wire 1 for booleans, GTKWave's string type for text).
 * Times are in picoseconds. The header needs every variable, so value
 * changes are kept in a temporary file until sim_trace_close().
 */

static bool vcd_has_inst(const struct sim_tracepoint *tp)
{
	const struct sim_trace_desc *d = tp->desc;

	return d->nfields && d->fields[0].type == SIM_FIELD_U64 &&
	       (!strcmp(d->fields[0].name, "vcpu") || !strcmp(d->fields[0].name, "cpu"));
}

/* Identifier codes: printable ASCII but '$', which starts VCD keywords. */
static void vcd_ident(FILE *f, uint32_t id)
{
	do {
		int c = 33 + (int)(id % 93);

		fputc(c >= '$' ? c + 1 : c, f);
		id /= 93;
	} while (id);
}

static size_t vcd_hash(const struct sim_tracepoint *tp, uint64_t inst, size_t n)
{
	uint64_t h = ((uint64_t)(uintptr_t)tp ^ (inst * 0x9e3779b97f4a7c15ULL)) *
		     0xff51afd7ed558ccdULL;

	return (size_t)(h >> 17) & (n - 1);
}

static int vcd_rehash(struct trace_sink *sk, size_t n)
{
	uint32_t *slots = calloc(n, sizeof(*slots));

	if (!slots)
		return -ENOMEM;
	for (size_t i = 0; i < sk->nvars; i++) {
		size_t h = vcd_hash(sk->vars[i].tp, sk->vars[i].inst, n);

		while (slots[h])
			h = (h + 1) & (n - 1);
		slots[h] = (uint32_t)i + 1;
	}
	free(sk->slots);
	sk->slots = slots;
	sk->nslots = n;
	return 0;
}

static struct vcd_var *vcd_var_of(struct trace_sink *sk, const struct sim_tracepoint *tp,
				  const union sim_trace_val *vals)
{
	bool has = vcd_has_inst(tp);
	uint64_t inst = has ? vals[0].u : 0;
	struct vcd_var *v;
	size_t h;

	if (sk->nslots) {
		for (h = vcd_hash(tp, inst, sk->nslots); sk->slots[h]; h = (h + 1) & (sk->nslots - 1)) {
			v = &sk->vars[sk->slots[h] - 1];
			if (v->tp == tp && v->inst == inst)
				return v;
		}
	}
	if (2 * (sk->nvars + 1) > sk->nslots &&
	    vcd_rehash(sk, sk->nslots ? 2 * sk->nslots : 64))
		return NULL;
	if (sk->nvars == sk->capvars) {
		size_t cap = sk->capvars ? 2 * sk->capvars : 64;
		struct vcd_var *nv = realloc(sk->vars, cap * sizeof(*nv));

		if (!nv)
			return NULL;
		sk->vars = nv;
		sk->capvars = cap;
	}
	v = &sk->vars[sk->nvars];
	*v = (struct vcd_var){ .tp = tp, .inst = inst, .has_inst = has, .id = sk->next_id,
			       .order = (uint32_t)sk->nvars };
	sk->next_id += 1 + tp->desc->nfields;
	for (h = vcd_hash(tp, inst, sk->nslots); sk->slots[h]; h = (h + 1) & (sk->nslots - 1))
		;
	sk->slots[h] = (uint32_t)++sk->nvars;
	return v;
}

static void vcd_binary(FILE *f, uint64_t x)
{
	int bit = 63;

	fputc('b', f);
	while (bit > 0 && !(x >> bit))
		bit--;
	for (; bit >= 0; bit--)
		fputc('0' + (int)((x >> bit) & 1), f);
	fputc(' ', f);
}

static void vcd_emit(struct trace_sink *sk, sim_time_t t, const struct sim_tracepoint *tp,
		     const union sim_trace_val *vals)
{
	struct vcd_var *v = vcd_var_of(sk, tp, vals);
	FILE *f = sk->body;

	if (!v)
		return;
	if (!sk->timed || t != sk->last_t) {
		fprintf(f, "#%" PRIu64 "\n", t);
		sk->timed = true;
		sk->last_t = t;
	}
	fputc('1', f);
	vcd_ident(f, v->id);
	fputc('\n', f);
	for (unsigned i = v->has_inst; i < tp->desc->nfields; i++) {
		switch (tp->desc->fields[i].type) {
		case SIM_FIELD_BOOL:
			fputc(vals[i].u ? '1' : '0', f);
			break;
		case SIM_FIELD_STR:
			fputc('s', f);
			for (const char *c = vals[i].s ? vals[i].s : ""; *c; c++)
				fputc(*c > ' ' && *c < 0x7f ? *c : '_', f);
			fputc(' ', f);
			break;
		default:
			vcd_binary(f, vals[i].u);
		}
		vcd_ident(f, v->id + 1 + i);
		fputc('\n', f);
	}
}

static int vcd_cmp(const void *pa, const void *pb)
{
	const struct vcd_var *a = pa, *b = pb;
	int c = strcmp(a->tp->component, b->tp->component);

	if (c)
		return c;
	if (a->has_inst != b->has_inst)
		return a->has_inst ? 1 : -1;
	if (a->inst != b->inst)
		return a->inst < b->inst ? -1 : 1;
	return a->order < b->order ? -1 : a->order > b->order;
}

/* A VCD identifier-safe scope or variable name. */
static void vcd_name(FILE *f, const char *s)
{
	for (; *s; s++)
		fputc((*s > ' ' && *s < 0x7f && *s != '.') ? *s : '_', f);
}

static void vcd_finish(struct trace_sink *sk)
{
	FILE *f = sk->out;
	char buf[8192];
	size_t n;

	if (sk->nvars)
		qsort(sk->vars, sk->nvars, sizeof(*sk->vars), vcd_cmp);
	fputs("$version kvmsim trace (vcd) $end\n$timescale 1ps $end\n", f);
	for (size_t i = 0; i < sk->nvars; i++) {
		const struct vcd_var *v = &sk->vars[i], *p = i ? &sk->vars[i - 1] : NULL;
		const struct sim_trace_desc *d = v->tp->desc;
		bool new_comp = !p || strcmp(p->tp->component, v->tp->component);
		bool new_inst = new_comp || p->has_inst != v->has_inst || p->inst != v->inst;

		if (p && new_inst && p->has_inst)
			fputs("$upscope $end\n", f);
		if (p && new_comp)
			fputs("$upscope $end\n", f);
		if (new_comp) {
			fputs("$scope module ", f);
			vcd_name(f, v->tp->component);
			fputs(" $end\n", f);
		}
		if (new_inst && v->has_inst)
			fprintf(f, "$scope module %s%" PRIu64 " $end\n", d->fields[0].name, v->inst);
		fputs("$var event 1 ", f);
		vcd_ident(f, v->id);
		fputc(' ', f);
		vcd_name(f, d->name);
		fputs(" $end\n", f);
		for (unsigned j = v->has_inst; j < d->nfields; j++) {
			enum sim_field_type ty = d->fields[j].type;

			fprintf(f, "$var %s ", ty == SIM_FIELD_BOOL ? "wire 1"
					       : ty == SIM_FIELD_STR ? "string 1"
								      : "integer 64");
			vcd_ident(f, v->id + 1 + j);
			fputc(' ', f);
			vcd_name(f, d->name);
			fputc('_', f);
			vcd_name(f, d->fields[j].name);
			fputs(" $end\n", f);
		}
	}
	if (sk->nvars) {
		if (sk->vars[sk->nvars - 1].has_inst)
			fputs("$upscope $end\n", f);
		fputs("$upscope $end\n", f);
	}
	fputs("$enddefinitions $end\n", f);
	rewind(sk->body);
	while ((n = fread(buf, 1, sizeof(buf), sk->body)) > 0)
		fwrite(buf, 1, n, f);
}

/* ---- sinks ------------------------------------------------------------ */

void sim_trace_emit(const struct sim_tracepoint *tp,
		    const union sim_trace_val *vals)
{
	struct sim_trace *tr = tp->tr;
	sim_time_t now = sim_now(tr->sim);
	uint32_t mask = tp->sinks;

	while (mask) {
		unsigned i = (unsigned)__builtin_ctz(mask);
		struct trace_sink *sk = tr->sinks[i];

		mask &= mask - 1;
		if (sk->fmt == SIM_TRACE_TEXT)
			text_emit(sk, now, tp, vals);
		else if (sk->fmt == SIM_TRACE_VCD)
			vcd_emit(sk, now, tp, vals);
		else
			chrome_emit(sk, now, tp, vals);
	}
}

void sim_trace_emit_u(const struct sim_tracepoint *tp, const uint64_t *vals)
{
	union sim_trace_val v[8];
	unsigned n = tp->desc->nfields < 8 ? tp->desc->nfields : 8;

	for (unsigned i = 0; i < n; i++) {
		if (tp->desc->fields[i].type == SIM_FIELD_STR)
			v[i].s = (const char *)(uintptr_t)vals[i];
		else
			v[i].u = vals[i];
	}
	sim_trace_emit(tp, v);
}

static int parse_filter(struct trace_sink *sk, const char *filter)
{
	if (!filter || !*filter)
		return 0;
	sk->filter = strdup(filter);
	if (!sk->filter)
		return -ENOMEM;
	sk->npatterns = 1;
	for (char *p = sk->filter; *p; p++) {
		if (*p == ',') {
			*p = '\0';
			sk->npatterns++;
		}
	}
	return 0;
}

int sim_trace_open(struct sim *sim, enum sim_trace_format fmt, FILE *out,
		   const char *filter)
{
	struct sim_trace *tr = sim_trace_of(sim);
	struct trace_sink *sk;
	int err;

	if ((fmt != SIM_TRACE_TEXT && fmt != SIM_TRACE_CHROME && fmt != SIM_TRACE_VCD) || !out)
		return -EINVAL;
	if (tr->nsinks == MAX_SINKS)
		return -ENOSPC;
	sk = calloc(1, sizeof(*sk));
	if (!sk)
		return -ENOMEM;
	err = parse_filter(sk, filter);
	if (err) {
		sink_free(sk);
		return err;
	}
	sk->fmt = fmt;
	sk->out = out;
	sk->first = true;
	if (fmt == SIM_TRACE_VCD) {
		sk->body = tmpfile();
		if (!sk->body) {
			sink_free(sk);
			return -errno;
		}
	} else if (fmt == SIM_TRACE_TEXT)
		fputs("# kvmsim-trace 1\n", out);
	else
		fputs("{\"displayTimeUnit\":\"ns\",\"traceEvents\":[", out);
	tr->sinks[tr->nsinks++] = sk;
	for (size_t i = 0; i < tr->ntps; i++)
		tracepoint_update(tr, tr->tps[i]);
	return 0;
}

int sim_trace_close(struct sim *sim)
{
	struct sim_trace *tr = sim_trace_of(sim);
	int err = 0;

	for (unsigned i = 0; i < tr->nsinks; i++) {
		struct trace_sink *sk = tr->sinks[i];

		if (sk->fmt == SIM_TRACE_CHROME) {
			chrome_finish(sk);
			fputs("\n]}\n", sk->out);
		}
		if (sk->fmt == SIM_TRACE_VCD) {
			if (ferror(sk->body))
				err = -EIO;
			vcd_finish(sk);
		}
		if (fflush(sk->out) != 0 || ferror(sk->out))
			err = -EIO;
		sink_free(sk);
	}
	tr->nsinks = 0;
	for (size_t i = 0; i < tr->ntps; i++)
		tracepoint_update(tr, tr->tps[i]);
	return err;
}
