// SPDX-License-Identifier: MIT
/*
 * run.c — running a workload through the public API, as a VMM and its
 * devices would: the VM, its vCPUs and VGIC are set up with kvmsim_ioctl;
 * SPI sources raise their lines with KVM_IRQ_LINE or an irqfd at simulated
 * times (events on the VM's simulation); IPI and timer sources are the
 * guest's own actions (kvmsim_guest_ipi, kvmsim_guest_timer), and so are
 * mmio and hvc sources' accesses (kvmsim_guest_mmio, kvmsim_guest_hvc),
 * whose exits to user space the VMM's handler here answers, as a device
 * model of its would. Every interrupt's and access's record
 * (kvmsim_vm_observe) is filed under its source (and an interrupt's under
 * its vCPU); the results are written as summary.json (simulated results only,
 * byte-identical for the same file and seed), host.json (host time and
 * speed) and one latency histogram CSV per source.
 */
#include <errno.h>
#include <jansson.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <kvmsim/kvm.h>
#include <kvmsim/kvmsim.h>

#include "sim/rng.h"
#include "sim/sim.h"
#include "sim/stats.h"
#include "sim/trace.h"
#include "workloads/workload.h"

/* How this kvmsim was compiled, for host.json (make profile-opt sets
 * KVMSIM_PGO: 1 while it trains, 2 in the build it leaves). */
#if defined(KVMSIM_PGO) && KVMSIM_PGO == 2
#define KVMSIM_BUILD_KIND "profile-opt (GCC PGO + LTO)"
#elif defined(KVMSIM_PGO) && KVMSIM_PGO == 1
#define KVMSIM_BUILD_KIND "profile-generate (instrumented)"
#else
#define KVMSIM_BUILD_KIND "plain (configure's CFLAGS)"
#endif

#define BOOT_NS 20000 /* the guests boot and settle before measuring */

const char *const wl_stage_names[WL_NR_STAGES] = {
	[WL_ST_QUEUE] = "queue", [WL_ST_SIGNAL] = "signal", [WL_ST_EXIT] = "exit",
	[WL_ST_HOST] = "host",	 [WL_ST_ENTRY] = "entry",   [WL_ST_ACK] = "ack",
	[WL_ST_HANDLER] = "handler",
};

const char *const wl_access_stage_names[WL_NR_ACCESS_STAGES] = {
	[WL_AS_EXIT] = "exit",	   [WL_AS_KERNEL] = "kernel", [WL_AS_VMM] = "vmm",
	[WL_AS_RETURN] = "return", [WL_AS_ENTRY] = "entry",
};

_Static_assert((int)WL_NR_ACCESS_STAGES <= (int)WL_NR_STAGES, "src_state.stage_ps holds either");

struct run;

struct src_state {
	struct sim_event ev;
	struct run *r;
	const struct wl_source *s;
	struct sim_rng rng;
	struct sim_rng srng; /* mmio: the device model's service times */
	unsigned burst_left, replay_i, pair_from, pair_to;
	int efd, rfd;
	bool line_high;
	sim_time_t deadline; /* timer: the armed expiry */
	/* IPI: requests from vCPU full_from fail before full_until
	 * (kvmsim_guest_ipi_full()); the next request's time, drawn ahead */
	unsigned full_from;
	sim_time_t full_until, ahead;
	bool have_ahead;
	uint64_t asserted, merged, delivered, coalesced, dropped, exits;
	double stage_ps[WL_NR_STAGES]; /* an access source's: enum wl_access_stage */
	struct sim_hist lat, done;
	uint64_t (*pts)[2]; /* latency over time: (assertion, latency) in ns */
	size_t npts, cappts;
	struct sim_hist *bins; /* latency per bin of assertion time (run.nbins) */
};

/* latency_time.dat keeps the first this many interrupts of each source */
#define MAX_TIME_POINTS 100000

/* latency_bins.dat splits the measured window into at most this many bins */
#define TIME_BINS 200

/* The VMM's thread of a vCPU: it answers the exits of mmio sources. */
struct vmm_thread {
	struct run *r;
	unsigned vcpu;
	struct sim_event resume; /* KVM_RUN once the device model is done */
};

struct run {
	const struct workload *w;
	int sys, vm, dev, vcpu[WL_MAX_VCPUS];
	struct vmm_thread vmm[WL_MAX_VCPUS];
	struct sim *sim;
	struct sim_rng hrng;
	sim_time_t t0, warm, end;
	sim_time_t bin_ps; /* latency_bins.dat's bin width, */
	size_t nbins;      /* and how many cover [warm, end) */
	struct src_state src[WL_MAX_SOURCES];
	struct sim_hist vlat[WL_MAX_VCPUS];
	uint64_t vexits0[WL_MAX_VCPUS], ventries0[WL_MAX_VCPUS];
	FILE *err;
	int failed;
	bool every_request; /* wl_run_opts */
};

static sim_time_t us(double v)
{
	return (sim_time_t)(v * 1e6 + 0.5);
}

static int check(struct run *r, int ret, const char *what)
{
	if (ret < 0 && !r->failed) {
		fprintf(r->err, "kvmsim: %s: %s\n", what, strerror(errno));
		r->failed = 1;
	}
	return ret;
}

/* ---- the guest's handler time ------------------------------------------------------------ */

/* A duration drawn from @d with @g, in ps. */
static sim_time_t draw(struct sim_rng *g, const struct wl_distribution *d)
{
	double v = 0;

	switch (d->kind) {
	case WL_CONSTANT:
		v = d->mean_us;
		break;
	case WL_UNIFORM:
		v = d->min_us + (d->max_us - d->min_us) * sim_rng_uniform(g);
		break;
	case WL_EXPONENTIAL:
		v = sim_rng_exponential(g, d->mean_us);
		break;
	case WL_NORMAL:
		v = sim_rng_normal(g, d->mean_us, d->stddev_us);
		break;
	case WL_LOGNORMAL:
		/* mean_us is the distribution's mean: mu = ln(mean) - sigma^2/2 */
		v = sim_rng_lognormal(g, sim_log(d->mean_us) - d->sigma * d->sigma / 2, d->sigma);
		break;
	case WL_PARETO:
		v = sim_rng_pareto(g, d->min_us, d->alpha);
		break;
	}
	return v > 0 ? us(v) : 0;
}

static uint64_t handler_ps(void *ctx, unsigned vcpu, uint32_t intid)
{
	struct run *r = ctx;

	(void)intid;
	return draw(&r->hrng, &r->w->vguest[vcpu < r->w->vcpus ? vcpu : 0].handler);
}

/* ---- sources ------------------------------------------------------------------------------- */

static int irq_line(struct run *r, unsigned intid, unsigned level)
{
	struct kvm_irq_level l = { .irq = (uint32_t)KVM_ARM_IRQ_TYPE_SPI << 24 | intid,
				   .level = level };

	return check(r, kvmsim_ioctl(r->vm, KVM_IRQ_LINE, &l), "KVM_IRQ_LINE");
}

static void assert_spi(struct src_state *st)
{
	const struct wl_source *s = st->s;
	struct run *r = st->r;

	if (s->level && st->line_high) {
		st->merged++; /* the device still asserts it */
		return;
	}
	if (s->irqfd) {
		check(r, kvmsim_eventfd_write(st->efd, 1), "eventfd write");
	} else {
		irq_line(r, s->intid, 1);
		if (!s->level)
			irq_line(r, s->intid, 0);
	}
	st->line_high = s->level;
}

/* The ordered pairs in turn, (0,1), (0,2) .. (n-1,n-2): the turn after
 * sender @from and target index @to (the target, skipping the sender). */
static void pair_step(unsigned n, unsigned *from, unsigned *to)
{
	if (++*to == n - 1) {
		*to = 0;
		if (++*from == n)
			*from = 0;
	}
}

/* The sender of the IPI source's request @k ahead (0 or 1) of its next. */
static unsigned ipi_sender(const struct src_state *st, unsigned k)
{
	unsigned from = st->pair_from, to = st->pair_to;

	if (!st->s->all_pairs)
		return st->s->from;
	if (k)
		pair_step(st->r->w->vcpus, &from, &to);
	return from;
}

/* The sender and target of the IPI source's next request, taking its turn. */
static void ipi_take_pair(struct src_state *st, unsigned *from, unsigned *to)
{
	const struct wl_source *s = st->s;

	if (!s->all_pairs) {
		*from = s->from;
		*to = s->to;
		return;
	}
	*from = st->pair_from;
	*to = st->pair_to + (st->pair_to >= *from);
	pair_step(st->r->w->vcpus, &st->pair_from, &st->pair_to);
}

/* A Poisson source's next arrival after one at @t. */
static sim_time_t poisson_after(struct src_state *st, sim_time_t t, double rate_hz)
{
	sim_time_t next = t + us(sim_rng_exponential(&st->rng, 1e6 / rate_hz));

	/* a random gap below half a picosecond rounds to nothing: the next
	 * arrival is then in the same picosecond, not the end of the source */
	return next == t ? t + 1 : next;
}

/* The time of the IPI source's request after one at @t. */
static sim_time_t ipi_draw(struct src_state *st, sim_time_t t)
{
	const struct wl_source *s = st->s;

	if (st->have_ahead) {
		st->have_ahead = false;
		return st->ahead;
	}
	return s->rate_hz > 0 ? poisson_after(st, t, s->rate_hz) : t + us(s->period_us);
}

/* Whether @t is in the measured window [warm, end). */
static bool measured(const struct run *r, sim_time_t t)
{
	return t >= r->warm && t < r->end;
}

/* A request of the source at @t, counted. */
static void request_counted(struct src_state *st, sim_time_t t)
{
	if (measured(st->r, t))
		st->asserted++;
}

/* A request at @t refused: its sender has KVMSIM_GUEST_WRITES_WAITING
 * trapping writes waiting. */
static void ipi_refused(struct src_state *st, sim_time_t t)
{
	if (measured(st->r, t))
		st->dropped++;
}

/* Whether a request at @t from @from will be refused for sure. */
static bool ipi_known_refused(const struct src_state *st, sim_time_t t, unsigned from)
{
	return t < st->full_until && from == st->full_from;
}

/*
 * The time of the IPI source's next event after its request at @now. A
 * request the source knows will be refused (kvmsim_guest_ipi_full())
 * is counted here, with no event, when the one after it will be refused
 * too; the last of such a row keeps its event, so that the first request
 * that may go through is scheduled from the same event as it would be
 * without the shortcut (the same time and, among events of the same
 * picosecond, nearly always the same place). The requests' times and
 * pairs are those one event per request gives: the gaps are drawn in the
 * same order, the pairs taken in turn.
 */
static sim_time_t ipi_next(struct src_state *st, sim_time_t now)
{
	sim_time_t next = ipi_draw(st, now), end = st->r->end;

	while (next > now && next < end && ipi_known_refused(st, next, ipi_sender(st, 0))) {
		sim_time_t after = ipi_draw(st, next);
		unsigned from, to;

		if (!(after > next && after < end && ipi_known_refused(st, after, ipi_sender(st, 1)))) {
			st->ahead = after;
			st->have_ahead = true;
			break;
		}
		request_counted(st, next);
		ipi_refused(st, next);
		ipi_take_pair(st, &from, &to);
		now = next;
		next = after;
	}
	return next;
}

/* The IPI source's request now, made by the guest on its sender. */
static void ipi_request(struct src_state *st, sim_time_t now)
{
	struct run *r = st->r;
	unsigned from, to;

	ipi_take_pair(st, &from, &to);
	if (ipi_known_refused(st, now, from)) {
		ipi_refused(st, now); /* the last of a row (ipi_next()) */
		return;
	}
	if (kvmsim_guest_ipi_full(r->vcpu[from], to, st->s->intid,
				  r->every_request ? NULL : &st->full_until) == 0)
		return;
	if (errno != EAGAIN) {
		check(r, -1, "guest IPI");
		return;
	}
	ipi_refused(st, now);
	st->full_from = from;
}

/* The access source's request now: the guest on its vCPU makes it when it
 * runs its own code; refused (dropped) while 16 trapping instructions wait. */
static void access_request(struct src_state *st, sim_time_t now)
{
	const struct wl_source *s = st->s;
	struct run *r = st->r;
	int ret;

	if (s->type == WL_MMIO) {
		struct kvmsim_guest_access a = { .addr = s->addr, .len = s->width,
						 .is_write = s->write, .rt = 0,
						 .value = st->asserted };

		ret = kvmsim_guest_mmio(r->vcpu[s->from], &a);
	} else {
		ret = kvmsim_guest_hvc(r->vcpu[s->from], PSCI_0_2_FN_PSCI_VERSION, 0, 0, 0);
	}
	if (ret && errno == EAGAIN)
		ipi_refused(st, now);
	else
		check(r, ret, s->type == WL_MMIO ? "guest MMIO access" : "guest HVC");
}

static void fire(struct sim *sim, struct sim_event *ev)
{
	struct src_state *st = container_of(ev, struct src_state, ev);
	const struct wl_source *s = st->s;
	struct run *r = st->r;
	sim_time_t now = sim_now(sim), next = 0;

	request_counted(st, now);
	switch (s->type) {
	case WL_PERIODIC:
		assert_spi(st);
		next = now + us(s->period_us);
		break;
	case WL_POISSON:
		assert_spi(st);
		next = poisson_after(st, now, s->rate_hz);
		break;
	case WL_BURST:
		assert_spi(st);
		if (--st->burst_left) {
			next = now + us(s->burst_gap_us);
		} else {
			st->burst_left = s->burst_count;
			next = now + us(s->period_us) -
			       (sim_time_t)(s->burst_count - 1) * us(s->burst_gap_us);
		}
		break;
	case WL_REPLAY:
		assert_spi(st);
		if (++st->replay_i < s->nreplay)
			next = r->t0 + us(s->replay_us[st->replay_i]);
		break;
	case WL_IPI:
		ipi_request(st, now);
		next = ipi_next(st, now);
		break;
	case WL_TIMER:
		break; /* armed by the guest, see on_record */
	case WL_MMIO:
	case WL_HVC:
		access_request(st, now);
		next = s->rate_hz > 0 ? poisson_after(st, now, s->rate_hz) : now + us(s->period_us);
		break;
	}
	if (next > now && next < r->end)
		sim_schedule(sim, &st->ev, next, SIM_PRIO_DEFAULT);
}

static struct src_state *source_of(struct run *r, const struct kvmsim_irq_record *rec)
{
	for (unsigned i = 0; i < r->w->nsrc; i++) {
		const struct wl_source *s = &r->w->src[i];

		if (s->intid != rec->intid || wl_source_is_access(s))
			continue;
		if (s->type == WL_TIMER && s->from != rec->vcpu)
			continue;
		return &r->src[i];
	}
	return NULL;
}

static void file_latency(struct run *r, struct src_state *st, uint64_t lat, const sim_time_t *marks,
			 unsigned n);

static void on_record(void *ctx, const struct kvmsim_irq_record *rec)
{
	struct run *r = ctx;
	struct src_state *st = source_of(r, rec);
	const struct wl_source *s;

	if (!st)
		return;
	s = st->s;
	if (s->type == WL_TIMER) {
		/* the guest's handler re-arms its periodic timer */
		sim_time_t now = sim_now(r->sim);

		if (measured(r, rec->t_assert))
			st->asserted++;
		do
			st->deadline += us(s->period_us);
		while (st->deadline <= now);
		if (st->deadline < r->end)
			check(r, kvmsim_guest_timer(r->vcpu[s->from], st->deadline), "guest timer");
	}
	if (s->level && st->line_high) {
		/* the handler serviced the device */
		if (!s->irqfd)
			irq_line(r, s->intid, 0);
		st->line_high = false;
	}
	if (!measured(r, rec->t_assert))
		return;
	uint64_t lat = rec->t_handler - rec->t_assert;
	/* where each stage ends (enum wl_stage), after the assertion */
	sim_time_t marks[WL_NR_STAGES + 1] = {
		rec->t_assert, rec->t_kick, rec->t_signal, rec->t_exit, rec->t_flush,
		rec->t_entry,  rec->t_ack,  rec->t_handler,
	};
	/* an exit begun after the assertion but before the VGIC queued the
	 * interrupt (a busy guest's timer: the physical GIC signals the CPU,
	 * the VGIC gets it at the exit's sync) leaves no queue stage: the
	 * queueing is the host's */
	if (rec->t_signal && rec->t_signal >= rec->t_assert && rec->t_signal < rec->t_kick)
		marks[WL_ST_QUEUE + 1] = rec->t_assert;
	/* a stage that did not happen (no kick, no exit) lasts nothing, and
	 * so does one that ended before the stage ahead of it did (an exit
	 * under way at the assertion: it counts from the kick) */
	for (unsigned k = 1; k <= WL_NR_STAGES; k++)
		if (marks[k] < marks[k - 1] || !marks[k])
			marks[k] = marks[k - 1];

	st->coalesced += rec->coalesced;
	st->exits += rec->exits;
	file_latency(r, st, lat, marks, WL_NR_STAGES);
	sim_hist_record(&st->done, (rec->t_done - rec->t_handler) / 1000);
	if (rec->vcpu < r->w->vcpus)
		sim_hist_record(&r->vlat[rec->vcpu], lat / 1000);
}

/*
 * A measured interrupt's or access's latency @lat (ps) from @marks[0],
 * and the @n stages between @marks (each at least the one before it, so
 * the last may lie past the end of @lat): filed under @st (its
 * histogram, stages, latency over time and per bin).
 */
static void file_latency(struct run *r, struct src_state *st, uint64_t lat, const sim_time_t *marks,
			 unsigned n)
{
	st->delivered++;
	for (unsigned k = 0; k < n; k++)
		st->stage_ps[k] += (double)(marks[k + 1] - marks[k]);
	sim_hist_record(&st->lat, lat / 1000);
	if (st->npts == st->cappts && st->cappts < MAX_TIME_POINTS) {
		size_t cap = st->cappts ? 2 * st->cappts : 1024;
		void *p = realloc(st->pts, (cap < MAX_TIME_POINTS ? cap : MAX_TIME_POINTS) *
						   sizeof(*st->pts));

		if (p) {
			st->pts = p;
			st->cappts = cap < MAX_TIME_POINTS ? cap : MAX_TIME_POINTS;
		}
	}
	if (st->npts < st->cappts) {
		st->pts[st->npts][0] = (marks[0] - r->t0) / 1000;
		st->pts[st->npts++][1] = lat / 1000;
	}
	if (st->bins) {
		struct sim_hist *b = &st->bins[(marks[0] - r->warm) / r->bin_ps];

		if (!b->counts)
			sim_hist_init(b, 2);
		sim_hist_record(b, lat / 1000);
	}
}

/* An access of an mmio or hvc source is over: its latency, from the
 * trapping instruction to the guest running past it, in five stages. */
static void on_access(void *ctx, const struct kvmsim_access_record *rec)
{
	struct run *r = ctx;
	struct src_state *st = NULL;

	for (unsigned i = 0; i < r->w->nsrc && !st; i++) {
		const struct wl_source *s = &r->w->src[i];

		if (s->from == rec->vcpu &&
		    ((s->type == WL_MMIO && rec->kind == KVMSIM_ACCESS_MMIO && s->addr == rec->addr) ||
		     (s->type == WL_HVC && rec->kind == KVMSIM_ACCESS_HVC)))
			st = &r->src[i];
	}
	if (!st || !rec->t_done || !measured(r, rec->t_access))
		return;
	/* in the kernel, its part runs up to the entry; no VMM, no return */
	sim_time_t kernel_end = rec->t_user ? rec->t_user : rec->t_enter;
	sim_time_t marks[WL_NR_ACCESS_STAGES + 1] = {
		[WL_AS_EXIT] = rec->t_access,
		[WL_AS_KERNEL] = rec->t_exit,
		[WL_AS_VMM] = kernel_end,
		[WL_AS_RETURN] = rec->t_user ? rec->t_resume : kernel_end,
		[WL_AS_ENTRY] = rec->t_enter,
		[WL_NR_ACCESS_STAGES] = rec->t_done,
	};

	st->exits++; /* its trap */
	if (rec->t_notify)
		sim_hist_record(&st->done, (rec->t_notify - rec->t_access) / 1000);
	file_latency(r, st, rec->t_done - rec->t_access, marks, WL_NR_ACCESS_STAGES);
}

/* The VMM's device model for mmio sources: an exit of vCPU @t->vcpu to
 * user space. A load reads the count of its source's accesses; the
 * vCPU goes back in once the source's service time has passed. */
static void vmm_resume(struct sim *sim, struct sim_event *ev)
{
	struct vmm_thread *t = container_of(ev, struct vmm_thread, resume);

	(void)sim;
	check(t->r, kvmsim_ioctl(t->r->vcpu[t->vcpu], KVM_RUN, 0UL), "KVM_RUN (after an exit)");
}

static void vmm_exit(void *ctx, struct kvm_run *run)
{
	struct vmm_thread *t = ctx;
	struct run *r = t->r;
	struct src_state *st = NULL;
	sim_time_t service = 0;

	for (unsigned i = 0; i < r->w->nsrc && !st; i++)
		if (r->w->src[i].type == WL_MMIO && r->w->src[i].from == t->vcpu &&
		    r->w->src[i].addr == run->mmio.phys_addr)
			st = &r->src[i];
	if (run->exit_reason == KVM_EXIT_MMIO && st) {
		if (!run->mmio.is_write)
			for (unsigned i = 0; i < run->mmio.len && i < 8; i++)
				run->mmio.data[i] = (uint8_t)(st->delivered >> (8 * i));
		service = draw(&st->srng, &st->s->service);
	}
	if (service)
		sim_schedule_in(r->sim, &t->resume, service, SIM_PRIO_DEFAULT);
	else
		vmm_resume(r->sim, &t->resume);
}

/* ---- set-up ------------------------------------------------------------------------------------ */

static int attr(struct run *r, unsigned long req, uint32_t group, uint64_t a, void *p)
{
	struct kvm_device_attr da = { .group = group, .attr = a, .addr = (uint64_t)(uintptr_t)p };

	return check(r, kvmsim_ioctl(r->dev, req, &da), "VGIC attribute");
}

static void setup(struct run *r)
{
	const struct workload *w = r->w;
	bool v2 = w->controller == WL_GICV2;
	struct kvm_create_device cd = { .type = v2 ? KVM_DEV_TYPE_ARM_VGIC_V2
						   : KVM_DEV_TYPE_ARM_VGIC_V3 };
	struct kvm_vcpu_init init;
	uint64_t dist = WL_GIC_DIST_BASE,
		 cpu = v2 ? WL_GICV2_CPU_BASE : wl_gicv3_redist_base(w->vcpus);
	uint32_t nr_irqs = 64;

	r->sys = check(r, kvmsim_open("arm64"), "kvmsim_open");
	r->vm = check(r, kvmsim_ioctl(r->sys, KVM_CREATE_VM, 0UL), "KVM_CREATE_VM");
	if (r->failed)
		return;
	r->sim = kvmsim_vm_sim(r->vm);
	struct kvmsim_host host = {
		.pcpus = w->pcpus,
		.slice_ps = us(w->timeslice_us),
		.wakeup_gran_ps = w->wakeup_gran_us > 0 ? us(w->wakeup_gran_us) : 1,
		.halt_poll_ps = us(w->halt_poll_us),
		.seed = w->seed,
		.quiet = !w->noise,
	};
	check(r, kvmsim_vm_host(r->vm, &host), "host");
	for (unsigned i = 0; i < w->vcpus && !r->failed; i++)
		r->vcpu[i] = check(r, kvmsim_ioctl(r->vm, KVM_CREATE_VCPU, (unsigned long)i),
				   "KVM_CREATE_VCPU");
	check(r, kvmsim_ioctl(r->vm, KVM_CREATE_DEVICE, &cd), "KVM_CREATE_DEVICE");
	r->dev = (int)cd.fd;
	for (unsigned i = 0; i < w->nsrc; i++)
		if (w->src[i].intid + 1 > nr_irqs)
			nr_irqs = (w->src[i].intid + 32) / 32 * 32;
	attr(r, KVM_SET_DEVICE_ATTR, KVM_DEV_ARM_VGIC_GRP_NR_IRQS, 0, &nr_irqs);
	attr(r, KVM_SET_DEVICE_ATTR, KVM_DEV_ARM_VGIC_GRP_ADDR,
	     v2 ? KVM_VGIC_V2_ADDR_TYPE_DIST : KVM_VGIC_V3_ADDR_TYPE_DIST, &dist);
	attr(r, KVM_SET_DEVICE_ATTR, KVM_DEV_ARM_VGIC_GRP_ADDR,
	     v2 ? KVM_VGIC_V2_ADDR_TYPE_CPU : KVM_VGIC_V3_ADDR_TYPE_REDIST, &cpu);
	attr(r, KVM_SET_DEVICE_ATTR, KVM_DEV_ARM_VGIC_GRP_CTRL, KVM_DEV_ARM_VGIC_CTRL_INIT, NULL);
	if (r->failed)
		return;
	struct kvmsim_guest g = { .handler_ps = handler_ps, .ctx = r,
				  .mask_every_ps = us(w->mask_every_us),
				  .mask_for_ps = us(w->mask_for_us) };
	struct kvmsim_observer o = { .record = on_record, .access = on_access, .ctx = r };

	check(r, kvmsim_vm_observe(r->vm, &o), "observe");
	for (unsigned i = 0; i < w->vcpus && !r->failed; i++) {
		check(r, kvmsim_ioctl(r->vm, KVM_ARM_PREFERRED_TARGET, &init), "preferred target");
		/* as kvmtool and QEMU ask: PSCI 0.2 (hvc sources call it) */
		init.features[0] = 1u << KVM_ARM_VCPU_PSCI_0_2;
		check(r, kvmsim_ioctl(r->vcpu[i], KVM_ARM_VCPU_INIT, &init), "KVM_ARM_VCPU_INIT");
		g.wfi = w->vguest[i].wfi;
		check(r, kvmsim_vcpu_guest(r->vcpu[i], &g), "guest");
		r->vmm[i] = (struct vmm_thread){ .r = r, .vcpu = i };
		sim_event_init(&r->vmm[i].resume, vmm_resume);
		check(r, kvmsim_vcpu_exit_handler(r->vcpu[i], vmm_exit, &r->vmm[i]),
		      "exit handler");
		check(r, kvmsim_ioctl(r->vcpu[i], KVM_RUN, 0UL), "KVM_RUN");
	}
	check(r, kvmsim_run(r->vm, BOOT_NS), "boot");
}

/* The width of latency_bins.dat's bins: the smallest 1, 2 or 5 x 10^k ns
 * that splits a measured window of @span into at most TIME_BINS bins. */
static sim_time_t bin_width(sim_time_t span)
{
	static const unsigned mant[] = { 1, 2, 5 };
	sim_time_t least = span / TIME_BINS + (span % TIME_BINS != 0);

	/* (10^17 ps already exceeds any span / TIME_BINS) */
	for (sim_time_t dec = 1000;; dec *= 10)
		for (unsigned k = 0; k < 3; k++)
			if (dec * mant[k] >= least)
				return dec * mant[k];
}

/* Sources start after the boot, when the guest has configured its GIC:
 * edge SPIs are then set edge-triggered, as their drivers would. */
static void start_sources(struct run *r)
{
	const struct workload *w = r->w;

	if (r->end > r->warm) {
		r->bin_ps = bin_width(r->end - r->warm);
		r->nbins = (r->end - r->warm + r->bin_ps - 1) / r->bin_ps;
	}
	for (unsigned i = 0; i < w->nsrc && !r->failed; i++) {
		struct src_state *st = &r->src[i];
		const struct wl_source *s = &w->src[i];
		sim_time_t first = r->t0 + us(s->start_us);

		st->r = r;
		st->s = s;
		if (r->nbins && !(st->bins = calloc(r->nbins, sizeof(*st->bins)))) {
			fprintf(r->err, "kvmsim: out of memory\n");
			r->failed = 1;
			break;
		}
		sim_rng_seed_named(&st->rng, w->seed, s->name);
		if (s->type == WL_MMIO) {
			char sname[WL_NAME + 16];

			snprintf(sname, sizeof(sname), "%s/service", s->name);
			sim_rng_seed_named(&st->srng, w->seed, sname);
		}
		sim_event_init(&st->ev, fire);
		sim_hist_init(&st->lat, 3);
		sim_hist_init(&st->done, 3);
		st->burst_left = s->burst_count;
		if (s->intid >= 32)
			check(r, kvmsim_guest_irq_config(r->vm, s->intid, !s->level),
			      "trigger configuration");
		if (s->intid >= 32 && s->irqfd) {
			struct kvm_irqfd f = { .gsi = s->intid - 32 };

			st->efd = check(r, kvmsim_eventfd(0, 0), "eventfd");
			f.fd = (uint32_t)st->efd;
			if (s->level) {
				st->rfd = check(r, kvmsim_eventfd(0, 0), "eventfd");
				f.flags = KVM_IRQFD_FLAG_RESAMPLE;
				f.resamplefd = (uint32_t)st->rfd;
			}
			check(r, kvmsim_ioctl(r->vm, KVM_IRQFD, &f), "KVM_IRQFD");
		}
		if (s->type == WL_MMIO && s->ioeventfd) {
			/* the backend's doorbell: any store of the width */
			struct kvm_ioeventfd io = { .addr = s->addr, .len = s->width };

			st->efd = check(r, kvmsim_eventfd(0, 0), "eventfd");
			io.fd = st->efd;
			check(r, kvmsim_ioctl(r->vm, KVM_IOEVENTFD, &io), "KVM_IOEVENTFD");
		}
		switch (s->type) {
		case WL_TIMER:
			st->deadline = first + us(s->period_us);
			check(r, kvmsim_guest_timer(r->vcpu[s->from], st->deadline), "guest timer");
			break;
		case WL_POISSON:
			sim_schedule(r->sim, &st->ev,
				     first + us(sim_rng_exponential(&st->rng, 1e6 / s->rate_hz)),
				     SIM_PRIO_DEFAULT);
			break;
		case WL_MMIO:
		case WL_HVC:
			sim_schedule(r->sim, &st->ev,
				     s->rate_hz > 0 ? poisson_after(st, first, s->rate_hz) : first,
				     SIM_PRIO_DEFAULT);
			break;
		case WL_REPLAY:
			sim_schedule(r->sim, &st->ev, r->t0 + us(s->replay_us[0]), SIM_PRIO_DEFAULT);
			break;
		default:
			sim_schedule(r->sim, &st->ev, first, SIM_PRIO_DEFAULT);
		}
	}
}

/* ---- results ------------------------------------------------------------------------------------ */

static json_t *hist_json(const struct sim_hist *h)
{
	json_t *o = json_object();

	json_object_set_new(o, "count", json_integer((json_int_t)h->total));
	if (h->total) {
		json_object_set_new(o, "min", json_integer((json_int_t)h->min));
		json_object_set_new(o, "mean", json_real(sim_hist_mean(h)));
		json_object_set_new(o, "p50", json_integer((json_int_t)sim_hist_percentile_ppm(h, 500000)));
		json_object_set_new(o, "p90", json_integer((json_int_t)sim_hist_percentile_ppm(h, 900000)));
		json_object_set_new(o, "p99", json_integer((json_int_t)sim_hist_percentile_ppm(h, 990000)));
		json_object_set_new(o, "p99.9", json_integer((json_int_t)sim_hist_percentile_ppm(h, 999000)));
		json_object_set_new(o, "max", json_integer((json_int_t)h->max));
	}
	return o;
}

static const char *const type_names[] = { "periodic", "poisson", "burst", "ipi",
					  "timer",    "replay",  "mmio",  "hvc" };

/* @j written to @path through @o (wl_out_commit() puts it in place). */
static void dump(struct run *r, const json_t *j, const char *path, size_t flags,
		 struct wl_out *o)
{
	if (!wl_out_open(o, path, r->err))
		return;
	json_dumpf(j, o->f, flags); /* a failed write fails the close */
	wl_out_close(o, r->err);
}

static void write_csv(struct run *r, const char *dir, const struct src_state *st,
		      struct wl_out *o)
{
	char path[600];
	FILE *f;
	uint64_t lo, hi, n, cum = 0;

	snprintf(path, sizeof(path), "%s/latency_%s.csv", dir, st->s->name);
	f = wl_out_open(o, path, r->err);
	if (!f)
		return;
	fprintf(f, "latency_ns_from,latency_ns_to,count,cumulative_fraction\n");
	for (size_t i = 0; sim_hist_bin(&st->lat, i, &lo, &hi, &n); i++) {
		if (!n)
			continue;
		cum += n;
		fprintf(f, "%llu,%llu,%llu,%.6f\n", (unsigned long long)lo, (unsigned long long)hi,
			(unsigned long long)n, (double)cum / (double)st->lat.total);
	}
	wl_out_close(o, r->err);
}

/* DIR/@name: a block per source (gnuplot `index`), in file order, each
 * written by @block and never empty (a row of nans keeps the count). */
static void write_blocks(struct run *r, const char *dir, const char *name,
			 bool (*block)(const struct run *, const struct src_state *, FILE *),
			 struct wl_out *o)
{
	char path[600];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = wl_out_open(o, path, r->err);
	if (!f)
		return;
	for (unsigned i = 0; i < r->w->nsrc; i++) {
		if (i)
			fputs("\n\n", f);
		if (!block(r, &r->src[i], f))
			fputs("nan nan nan nan nan nan\n", f);
	}
	wl_out_close(o, r->err);
}

/* latency_time.dat's block: a point per interrupt, the first
 * MAX_TIME_POINTS. Whether it has any. */
static bool time_block(const struct run *r, const struct src_state *st, FILE *f)
{
	(void)r;
	fprintf(f, "# source %s: assertion time since the start (ns), latency (ns)%s\n", st->s->name,
		st->npts == MAX_TIME_POINTS ? " (its first 100000 interrupts)" : "");
	for (size_t k = 0; k < st->npts; k++)
		fprintf(f, "%llu %llu\n", (unsigned long long)st->pts[k][0],
			(unsigned long long)st->pts[k][1]);
	return st->npts;
}

/*
 * What a reader of summary.json should not miss, after the closing line:
 * a source whose measured interrupts all failed to reach the handler (a
 * warning on @err, -q or not), and guest IPIs dropped (with the closing
 * line).
 */
static void closing_notes(const struct run *r, bool quiet, FILE *err)
{
	const struct workload *w = r->w;

	for (unsigned i = 0; i < w->nsrc; i++) {
		const struct src_state *st = &r->src[i];
		bool access = wl_source_is_access(st->s);

		if (st->asserted && !st->delivered && access)
			fprintf(err, "%s: warning: source %s: none of its %llu accesses was made "
				     "and completed%s\n",
				w->name, st->s->name, (unsigned long long)st->asserted,
				w->vguest[st->s->from].wfi
					? " (an idle: wfi guest runs code, and so makes accesses, only "
					  "once an interrupt wakes its vCPU)"
					: "");
		else if (st->asserted && !st->delivered)
			fprintf(err, "%s: warning: source %s: none of its %llu interrupts reached "
				     "the guest's handler%s\n",
				w->name, st->s->name, (unsigned long long)st->asserted,
				st->s->type == WL_IPI && (st->s->all_pairs ? w->guest_wfi
									   : w->vguest[st->s->from].wfi)
					? " (an idle: wfi guest runs code, and so sends IPIs, "
					  "only once an interrupt wakes its vCPU)"
					: "");
		if (st->dropped && !quiet && access)
			printf("%s: source %s: %llu of %llu accesses dropped (their vCPU had %d "
			       "trapping instructions waiting)\n",
			       w->name, st->s->name, (unsigned long long)st->dropped,
			       (unsigned long long)st->asserted, KVMSIM_GUEST_WRITES_WAITING);
		else if (st->dropped && !quiet)
			printf("%s: source %s: %llu of %llu guest IPIs dropped (their sender "
			       "had %d trapping writes waiting)\n",
			       w->name, st->s->name, (unsigned long long)st->dropped,
			       (unsigned long long)st->asserted, KVMSIM_GUEST_WRITES_WAITING);
	}
}

/*
 * latency_bins.dat's block: the latency of the interrupts asserted in each
 * bin of the measured window, the whole run however long (where
 * latency_time.dat stops at MAX_TIME_POINTS). A bin with none leaves a
 * blank line (a gap in a line plot) before the next one that has some.
 */
static bool bins_block(const struct run *r, const struct src_state *st, FILE *f)
{
	bool any = false, gap = false;

	fprintf(f,
		"# source %s: bin start since the start of the run (ns), bin width (ns), "
		"interrupts asserted in it and delivered, their latency p50, p99, max (ns)\n",
		st->s->name);
	for (size_t k = 0; st->bins && k < r->nbins; k++) {
		const struct sim_hist *h = &st->bins[k];

		if (!h->total) {
			gap = any;
			continue;
		}
		if (gap)
			fputc('\n', f);
		any = true;
		gap = false;
		fprintf(f, "%llu %llu %llu %llu %llu %llu\n",
			(unsigned long long)((r->warm - r->t0 + k * r->bin_ps) / 1000),
			(unsigned long long)(r->bin_ps / 1000), (unsigned long long)h->total,
			(unsigned long long)sim_hist_percentile_ppm(h, 500000),
			(unsigned long long)sim_hist_percentile_ppm(h, 990000),
			(unsigned long long)h->max);
	}
	return any;
}

/* Whether @w has access sources (summary.json's units say so). */
static bool access_units(const struct workload *w)
{
	for (unsigned i = 0; i < w->nsrc; i++)
		if (wl_source_is_access(&w->src[i]))
			return true;
	return false;
}

static int write_results(struct run *r, const char *dir, double host_s, uint64_t fired)
{
	const struct workload *w = r->w;
	double span_s = (double)(r->end - r->warm) / 1e12;
	json_t *sum = json_object(), *srcs = json_array(), *vcpus = json_array(), *host;
	uint64_t delivered = 0, exits = 0;
	char path[600];
	/* the run directory's files: replaced all together or not at all */
	struct wl_out outs[WL_MAX_SOURCES + 4];
	unsigned nout = 0;

	json_object_set_new(sum, "workload", json_string(w->name));
	json_object_set_new(sum, "controller", json_string(w->controller == WL_GICV2 ? "gicv2"
										     : "gicv3"));
	json_object_set_new(sum, "profile", json_string(w->profile));
	json_object_set_new(sum, "vcpus", json_integer(w->vcpus));
	json_object_set_new(sum, "pcpus", json_integer(w->pcpus));
	json_object_set_new(sum, "noise", json_boolean(w->noise));
	json_object_set_new(sum, "seed", json_integer((json_int_t)w->seed));
	json_object_set_new(sum, "simulated_ms", json_real(w->duration_ms));
	json_object_set_new(sum, "warmup_ms", json_real(w->warmup_ms));
	json_object_set_new(sum, "units",
			    json_string(access_units(w) ? "latencies in ns, throughput in interrupts "
							  "or accesses per s"
							: "latencies in ns, throughput in interrupts/s"));
	for (unsigned i = 0; i < w->nsrc; i++) {
		struct src_state *st = &r->src[i];
		json_t *o = json_object(), *stages = json_object();
		uint64_t done = st->delivered + st->coalesced + st->merged + st->dropped;
		uint64_t outstanding = st->asserted > done ? st->asserted - done : 0;

		json_object_set_new(o, "name", json_string(st->s->name));
		json_object_set_new(o, "type", json_string(type_names[st->s->type]));
		json_object_set_new(o, "intid", json_integer(st->s->intid));
		json_object_set_new(o, "asserted", json_integer((json_int_t)st->asserted));
		json_object_set_new(o, "delivered", json_integer((json_int_t)st->delivered));
		json_object_set_new(o, "coalesced",
				    json_integer((json_int_t)(st->coalesced + st->merged)));
		json_object_set_new(o, "dropped", json_integer((json_int_t)st->dropped));
		json_object_set_new(o, "outstanding", json_integer((json_int_t)outstanding));
		json_object_set_new(o, "throughput", json_real((double)st->delivered / span_s));
		json_object_set_new(o, "latency_ns", hist_json(&st->lat));
		bool access = wl_source_is_access(st->s);
		unsigned nst = access ? WL_NR_ACCESS_STAGES : WL_NR_STAGES;

		for (unsigned k = 0; k < nst; k++)
			json_object_set_new(stages, access ? wl_access_stage_names[k] : wl_stage_names[k],
					    json_real(st->delivered ? st->stage_ps[k] / 1000.0 /
									      (double)st->delivered
								    : 0));
		json_object_set_new(o, "stages_mean_ns", stages);
		/* an ioeventfd's stores: to the signal, where the paper's I/O
		 * latency out ends; an interrupt: to its completion */
		if (st->s->ioeventfd) {
			json_object_set_new(o, "completion_ns", json_pack("{s:i}", "count", 0));
			json_object_set_new(o, "notify_ns", hist_json(&st->done));
		} else {
			json_object_set_new(o, "completion_ns", hist_json(&st->done));
		}
		json_object_set_new(o, "exits_per_interrupt",
				    json_real(st->delivered ? (double)st->exits / (double)st->delivered
							    : 0));
		json_array_append_new(srcs, o);
		delivered += st->delivered;
		exits += st->exits;
		write_csv(r, dir, st, &outs[nout++]);
	}
	json_object_set_new(sum, "sources", srcs);
	write_blocks(r, dir, "latency_time.dat", time_block, &outs[nout++]);
	write_blocks(r, dir, "latency_bins.dat", bins_block, &outs[nout++]);
	for (unsigned c = 0; c < w->vcpus; c++) {
		json_t *o = json_object();
		uint64_t ex = 0, en = 0;

		kvmsim_vcpu_counters(r->vcpu[c], &ex, &en);
		json_object_set_new(o, "vcpu", json_integer(c));
		json_object_set_new(o, "latency_ns", hist_json(&r->vlat[c]));
		json_object_set_new(o, "exits", json_integer((json_int_t)(ex - r->vexits0[c])));
		json_object_set_new(o, "entries", json_integer((json_int_t)(en - r->ventries0[c])));
		json_array_append_new(vcpus, o);
	}
	json_object_set_new(sum, "vcpus_detail", vcpus);
	json_object_set_new(sum, "delivered", json_integer((json_int_t)delivered));
	json_object_set_new(sum, "throughput", json_real((double)delivered / span_s));
	json_object_set_new(sum, "exits_per_interrupt",
			    json_real(delivered ? (double)exits / (double)delivered : 0));
	snprintf(path, sizeof(path), "%s/summary.json", dir);
	dump(r, sum, path, JSON_INDENT(2) | JSON_REAL_PRECISION(12), &outs[nout++]);
	json_decref(sum);

	host = json_object();
	json_object_set_new(host, "build", json_string(KVMSIM_BUILD_KIND));
	json_object_set_new(host, "host_seconds", json_real(host_s));
	json_object_set_new(host, "events", json_integer((json_int_t)fired));
	json_object_set_new(host, "events_per_second", json_real(host_s > 0 ? fired / host_s : 0));
	json_object_set_new(host, "injections_per_second",
			    json_real(host_s > 0 ? (double)delivered / host_s : 0));
	snprintf(path, sizeof(path), "%s/host.json", dir);
	dump(r, host, path, JSON_INDENT(2), &outs[nout++]);
	json_decref(host);
	if (!wl_out_commit(outs, nout, r->err))
		return 0;
	fprintf(r->err, "kvmsim: %s: the run's results are not written (what was there is "
			"as it was)\n",
		dir);
	return -1;
}

/* mkdir @path, or find a directory there already. */
static int mkdir1(const char *path)
{
	struct stat sb;

	if (!mkdir(path, 0777))
		return 0;
	if (errno != EEXIST)
		return -1;
	if (stat(path, &sb))
		return -1;
	if (!S_ISDIR(sb.st_mode)) {
		errno = ENOTDIR;
		return -1;
	}
	return 0;
}

int wl_mkdirs(const char *dir)
{
	char buf[512];

	if (strlen(dir) >= sizeof(buf)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	snprintf(buf, sizeof(buf), "%s", dir);
	for (char *p = buf + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir1(buf))
			return -1;
		*p = '/';
	}
	return mkdir1(buf);
}

FILE *wl_out_open(struct wl_out *o, const char *path, FILE *err)
{
	bool fits = strlen(path) < sizeof(o->path);

	snprintf(o->path, sizeof(o->path), "%s", path);
	snprintf(o->tmp, sizeof(o->tmp), "%s.tmp", path);
	o->f = fits ? fopen(o->tmp, "w") : NULL;
	o->state = o->f ? 0 : -1;
	if (!o->f)
		fprintf(err, "kvmsim: cannot write %s: %s\n", path,
			fits ? strerror(errno) : "name too long");
	return o->f;
}

/* Close @f, written: 0, or the errno of a write that failed (EIO when it
 * is lost). */
static int close_written(FILE *f)
{
	int bad, e;

	/* the error of the write that failed may be gone; flushing what is
	 * left meets it again, and fclose() that of the last one */
	errno = 0;
	bad = fflush(f) || ferror(f);
	e = errno;
	if (fclose(f) && !bad) {
		bad = 1;
		e = errno;
	}
	return bad ? (e ? e : EIO) : 0;
}

int wl_out_close(struct wl_out *o, FILE *err)
{
	if (!o->state) {
		int e = close_written(o->f);

		o->f = NULL;
		o->state = 1;
		if (e) {
			unlink(o->tmp);
			o->state = -1;
			fprintf(err, "kvmsim: cannot write %s: %s\n", o->path, strerror(e));
		}
	}
	return o->state == 1 ? 0 : -1;
}

void wl_out_discard(struct wl_out *o)
{
	if (o->state == 0)
		fclose(o->f);
	if (o->state == 0 || o->state == 1)
		unlink(o->tmp);
	o->f = NULL;
	o->state = -1;
}

int wl_out_commit(struct wl_out *o, unsigned n, FILE *err)
{
	bool whole = true;

	for (unsigned i = 0; i < n; i++)
		whole &= !wl_out_close(&o[i], err);
	for (unsigned i = 0; i < n; i++) {
		if (o[i].state != 1)
			continue;
		if (whole && rename(o[i].tmp, o[i].path)) {
			fprintf(err, "kvmsim: cannot write %s: %s\n", o[i].path, strerror(errno));
			whole = false;
		}
		if (!whole)
			unlink(o[i].tmp);
		o[i].state = whole ? 2 : -1;
	}
	return whole ? 0 : -1;
}

/* Close the trace @*f written to @path (none: NULL): 0, or -1 after
 * saying why (@why: the errno sim_trace_close() met, its flush having
 * taken the stream's). */
static int trace_closed(struct run *r, FILE **f, const char *path, int why)
{
	int e;

	if (!*f)
		return 0;
	e = close_written(*f);
	*f = NULL;
	if (e == EIO && why)
		e = why;
	if (!e)
		return 0;
	fprintf(r->err, "kvmsim: cannot write %s: %s (what it holds is cut short)\n", path,
		strerror(e));
	return -1;
}

/*
 * The files a run writes in its results directory, besides each source's
 * latency_NAME.csv; with its plots, those of the plots too. Each is
 * written as NAME.tmp first (wl_out_open()).
 */
static const char *const run_files[] = { "summary.json", "host.json", "latency_time.dat",
					 "latency_bins.dat" };
static const char *const plot_files[] = {
	"latency_cdf.dat", "latency_cdf.gp",  "latency_cdf.png",  "latency_cdf.svg",
	"stages.dat",	   "stages.gp",	      "stages.png",	  "stages.svg",
	"latency_time.gp", "latency_time.png", "latency_time.svg",
};
#define NR_RUN_FILES (sizeof(run_files) / sizeof(run_files[0]))
#define NR_PLOT_FILES (sizeof(plot_files) / sizeof(plot_files[0]))

/* The @i-th name of the files a run of @w writes in its results directory
 * (a source's in @buf), NULL past the last. */
static const char *result_name(const struct workload *w, bool plots, size_t i,
			       char buf[WL_NAME + 16])
{
	if (i < NR_RUN_FILES)
		return run_files[i];
	i -= NR_RUN_FILES;
	if (plots && i < NR_PLOT_FILES)
		return plot_files[i];
	i -= plots ? NR_PLOT_FILES : 0;
	if (i >= w->nsrc)
		return NULL;
	snprintf(buf, WL_NAME + 16, "latency_%s.csv", w->src[i].name);
	return buf;
}

bool wl_run_writes(const struct workload *w, bool plots, const char *name)
{
	char buf[WL_NAME + 16];
	const char *r;

	for (size_t i = 0; (r = result_name(w, plots, i, buf)); i++) {
		size_t k = strlen(r);

		if (!strncmp(name, r, k) && (!name[k] || !strcmp(name + k, ".tmp")))
			return true;
	}
	return false;
}

/* The directory @path is in, stat()ed into @st (0, or -1), and its last
 * component in *@base. */
static int parent_stat(const char *path, struct stat *st, const char **base)
{
	const char *slash = strrchr(path, '/');
	char *dir;
	int r;

	*base = slash ? slash + 1 : path;
	if (!slash)
		return stat(".", st);
	dir = strndup(path, slash == path ? 1 : (size_t)(slash - path));
	r = dir ? stat(dir, st) : -1;
	free(dir);
	return r;
}

static bool same_inode(const struct stat *a, const struct stat *b)
{
	return a->st_dev == b->st_dev && a->st_ino == b->st_ino;
}

/* Whether paths @a and @b name one file: the same file where both exist
 * (a link), else one name in one directory however it is spelt. */
static bool same_file(const char *a, const char *b)
{
	struct stat sa, sb;
	const char *ba, *bb;

	if (!stat(a, &sa) && !stat(b, &sb))
		return same_inode(&sa, &sb);
	return !parent_stat(a, &sa, &ba) && !parent_stat(b, &sb, &bb) && same_inode(&sa, &sb) &&
	       !strcmp(ba, bb);
}

/*
 * Whether @path is where a run with @o writes one of its results, or a
 * link to one: that result's name is then in @name.
 */
static bool a_result(const struct workload *w, const struct wl_run_opts *o, const char *path,
		     char name[WL_NAME + 16])
{
	struct stat sp, sd, sf;
	const char *base, *r;
	char res[600];

	if (parent_stat(path, &sp, &base) || stat(o->outdir, &sd))
		return false;
	if (same_inode(&sp, &sd) && wl_run_writes(w, o->plots, base)) {
		snprintf(name, WL_NAME + 16, "%s", base);
		return true;
	}
	if (stat(path, &sf))
		return false;
	for (size_t i = 0; (r = result_name(w, o->plots, i, name)); i++) {
		snprintf(res, sizeof(res), "%s/%s", o->outdir, r);
		if (same_file(path, res)) {
			if (r != name)
				snprintf(name, WL_NAME + 16, "%s", r);
			return true;
		}
	}
	return false;
}

/* A trace file a run was asked for: its path (NULL: none) and the option
 * that named it, its format, and its stream once opened. */
struct trace_file {
	const char *path, *opt, *what;
	enum sim_trace_format fmt;
	FILE *f;
};

/*
 * Whether the trace files @tf[0..n) each have a file of their own, apart
 * from the run's results: else -1, said on @err, before anything is
 * written.
 */
static int traces_apart(const struct workload *w, const struct wl_run_opts *o,
			const struct trace_file *tf, unsigned n, FILE *err)
{
	char name[WL_NAME + 16];

	for (unsigned i = 0; i < n; i++) {
		if (!tf[i].path)
			continue;
		for (unsigned j = 0; j < i; j++) {
			if (tf[j].path && same_file(tf[i].path, tf[j].path)) {
				fprintf(err, "kvmsim: %s %s: %s writes there too; give each trace "
					     "a file of its own\n",
					tf[i].opt, tf[i].path, tf[j].opt);
				return -1;
			}
		}
		if (a_result(w, o, tf[i].path, name)) {
			fprintf(err, "kvmsim: %s %s: the run writes its %s there (-o %s); choose "
				     "another file\n",
				tf[i].opt, tf[i].path, name, o->outdir);
			return -1;
		}
	}
	return 0;
}

/*
 * SIGINT and SIGTERM during a run stop it at the next event (the sim it
 * runs, @stopping, is told) instead of killing it with its traces cut
 * mid-line: the traces are closed whole up to there and no results are
 * written. A signal the caller ignores stays ignored.
 */
static volatile sig_atomic_t stop_signal;
static struct sim *volatile stopping;

static void on_stop_signal(int sig)
{
	stop_signal = sig;
	if (stopping)
		sim_stop(stopping);
}

static const int stop_signals[] = { SIGINT, SIGTERM };
#define NR_STOP_SIGNALS (sizeof(stop_signals) / sizeof(stop_signals[0]))

/* Catch the stop signals for @sim, the caller's handlers kept in @old. */
static void catch_stop_signals(struct sim *sim, struct sigaction old[NR_STOP_SIGNALS])
{
	struct sigaction sa = { .sa_handler = on_stop_signal };

	sigemptyset(&sa.sa_mask);
	stop_signal = 0;
	stopping = sim;
	for (unsigned i = 0; i < NR_STOP_SIGNALS; i++) {
		sigaction(stop_signals[i], NULL, &old[i]);
		if (old[i].sa_handler != SIG_IGN)
			sigaction(stop_signals[i], &sa, NULL);
	}
}

/* Give back the caller's handlers @old (catch_stop_signals()). */
static void release_stop_signals(const struct sigaction old[NR_STOP_SIGNALS])
{
	for (unsigned i = 0; i < NR_STOP_SIGNALS; i++)
		if (old[i].sa_handler != SIG_IGN)
			sigaction(stop_signals[i], &old[i], NULL);
	stopping = NULL;
}

static double host_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int wl_run(const struct workload *w, const struct wl_run_opts *o, FILE *err)
{
	struct run *r = calloc(1, sizeof(*r));
	/* the trace files asked for, each a sink of the simulation's trace */
	struct trace_file tf[] = {
		{ o->trace, "--trace", "trace", SIM_TRACE_TEXT, NULL },
		{ o->vcd, "--vcd", "VCD", SIM_TRACE_VCD, NULL },
		{ o->perfetto, "--perfetto", "Perfetto trace", SIM_TRACE_CHROME, NULL },
	};
	const unsigned ntf = sizeof(tf) / sizeof(tf[0]);
	bool tracing = false, trace_bad = false;
	double t_host0;
	uint64_t fired0;
	int ret = -1;

	if (!r) {
		fprintf(err, "kvmsim: out of memory\n");
		return -1;
	}
	r->w = w;
	r->err = err;
	if (wl_mkdirs(o->outdir)) {
		fprintf(err, "kvmsim: cannot create %s: %s\n", o->outdir, strerror(errno));
		goto out;
	}
	if (traces_apart(w, o, tf, ntf, err))
		goto out;
	sim_rng_seed_named(&r->hrng, w->seed, "handler");
	for (unsigned c = 0; c < w->vcpus; c++)
		sim_hist_init(&r->vlat[c], 3);
	r->sys = r->vm = -1;
	r->every_request = o->every_request;
	t_host0 = host_now();
	setup(r);
	if (r->failed)
		goto out;
	for (unsigned i = 0; i < ntf; i++) {
		if (!tf[i].path)
			continue;
		tf[i].f = fopen(tf[i].path, "w");
		if (!tf[i].f || sim_trace_open(r->sim, tf[i].fmt, tf[i].f, o->trace_filter)) {
			fprintf(err, "kvmsim: cannot write %s %s: %s\n", tf[i].what, tf[i].path,
				strerror(errno));
			goto out;
		}
		tracing = true;
	}
	r->t0 = sim_now(r->sim);
	r->warm = r->t0 + us(w->warmup_ms * 1000);
	r->end = r->t0 + us(w->duration_ms * 1000);
	for (unsigned c = 0; c < w->vcpus; c++)
		kvmsim_vcpu_counters(r->vcpu[c], &r->vexits0[c], &r->ventries0[c]);
	start_sources(r);
	fired0 = sim_fired(r->sim);
	/* in steps of 1% of the simulated time, with progress after 1 s */
	uint64_t total_ns = (r->end - r->t0) / 1000, done_ns = 0;
	uint64_t step = total_ns / 100 ? total_ns / 100 : 1;
	bool shown = false;
	struct sigaction old_sa[NR_STOP_SIGNALS];

	catch_stop_signals(r->sim, old_sa);
	while (done_ns < total_ns && !r->failed && !stop_signal) {
		uint64_t n = step < total_ns - done_ns ? step : total_ns - done_ns;

		kvmsim_run(r->vm, n);
		done_ns += n;
		if (o->progress && host_now() - t_host0 > 1.0) {
			fprintf(stderr, "\r%s: %3u%% of %.3f ms simulated", w->name,
				(unsigned)(done_ns * 100 / total_ns), w->duration_ms);
			shown = true;
		}
	}
	release_stop_signals(old_sa);
	if (shown)
		fputc('\n', stderr);
	if (tracing) {
		/* a trace cut short (a full disk) fails the run; its results
		 * are still written */
		errno = 0;
		int e = -sim_trace_close(r->sim), why = errno;

		tracing = false;
		for (unsigned i = 0; i < ntf; i++)
			trace_bad |= trace_closed(r, &tf[i].f, tf[i].path, why) != 0;
		if (!trace_bad && e > 0) /* the VCD's temporary body */
			fprintf(err, "kvmsim: cannot write VCD %s: %s\n", o->vcd ? o->vcd : "",
				strerror(e));
		trace_bad |= e > 0;
	}
	if (r->failed)
		goto out;
	if (stop_signal) {
		fprintf(err, "kvmsim: %s: stopped by %s at %.3f of %.3f ms simulated: %sno results "
			     "written\n",
			w->name, stop_signal == SIGINT ? "SIGINT" : "SIGTERM",
			(double)(sim_now(r->sim) - r->t0) / 1e9, w->duration_ms,
			o->trace || o->vcd || o->perfetto ? "the traces end there, " : "");
		ret = stop_signal;
		goto out;
	}
	ret = write_results(r, o->outdir, host_now() - t_host0, sim_fired(r->sim) - fired0);
	if (!ret && o->plots)
		ret = wl_plot_run(o->outdir, err);
	if (!ret && !o->quiet)
		printf("%s: wrote %s/summary.json, host.json and latency_*.csv\n", w->name,
		       o->outdir);
	if (!ret)
		closing_notes(r, o->quiet, err);
	if (trace_bad)
		ret = -1;
out:
	if (tracing)
		sim_trace_close(r->sim);
	for (unsigned i = 0; i < ntf; i++)
		if (tf[i].f)
			fclose(tf[i].f);
	for (unsigned i = 0; i < WL_MAX_SOURCES; i++) {
		free(r->src[i].pts);
		for (size_t k = 0; r->src[i].bins && k < r->nbins; k++)
			sim_hist_destroy(&r->src[i].bins[k]);
		free(r->src[i].bins);
		sim_hist_destroy(&r->src[i].lat);
		sim_hist_destroy(&r->src[i].done);
		if (r->src[i].efd > 0)
			kvmsim_close(r->src[i].efd);
		if (r->src[i].rfd > 0)
			kvmsim_close(r->src[i].rfd);
	}
	for (unsigned c = 0; c < WL_MAX_VCPUS; c++)
		sim_hist_destroy(&r->vlat[c]);
	for (unsigned c = 0; c < w->vcpus; c++)
		if (r->vcpu[c] > 0)
			kvmsim_close(r->vcpu[c]);
	if (r->dev > 0)
		kvmsim_close(r->dev);
	if (r->vm > 0)
		kvmsim_close(r->vm);
	if (r->sys > 0)
		kvmsim_close(r->sys);
	free(r);
	return ret;
}
