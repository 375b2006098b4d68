/* SPDX-License-Identifier: MIT */
/*
 * workload.h — a kvmsim workload: the platform, the interrupt sources, the
 * guest's behaviour and the run (format: workloads/README.md), parsed from
 * YAML with every error naming the file, line, field and what was
 * expected; and the run that drives it through the public API.
 */
#ifndef KVMSIM_WORKLOADS_WORKLOAD_H
#define KVMSIM_WORKLOADS_WORKLOAD_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#define WL_MAX_SOURCES 32
/* KVM_MAX_VCPUS of 4.4's arm64 (a GICv2 VM: 8) */
#define WL_MAX_VCPUS 255
#define WL_NAME 64
/* Where a run puts the VGIC's regions (QEMU's virt machine's addresses):
 * the distributor, GICv2's CPU interface (8 KiB), GICv3's redistributors
 * (128 KiB a vCPU). */
#define WL_GIC_DIST_BASE 0x08000000ULL
#define WL_GICV2_CPU_BASE 0x08010000ULL
#define WL_GICV2_CPU_SIZE 0x2000ULL
#define WL_GICV3_REDIST_BASE 0x080A0000ULL
/* QEMU virt's first redistributor region holds 123 (0xF60000 bytes, up to
 * 0x09000000); a larger VM's redistributors go to its second region, at
 * 256 GiB (below 4.4's 40-bit guest-physical limit) */
#define WL_GICV3_REDIST_LOW_MAX 123
#define WL_GICV3_REDIST_HIGH 0x4000000000ULL

static inline unsigned long long wl_gicv3_redist_base(unsigned vcpus)
{
	return vcpus <= WL_GICV3_REDIST_LOW_MAX ? WL_GICV3_REDIST_BASE : WL_GICV3_REDIST_HIGH;
}
/* An mmio source's address unless it says: outside the VGIC's regions,
 * where QEMU's virt machine has its virtio-mmio transports: a device of
 * the VMM's. */
#define WL_MMIO_DEFAULT_ADDR 0x0a000000ULL

enum wl_controller { WL_GICV2, WL_GICV3 };
enum wl_source_type {
	WL_PERIODIC, WL_POISSON, WL_BURST, WL_IPI, WL_TIMER, WL_REPLAY,
	/* the guest's accesses, not interrupts (wl_source_is_access()) */
	WL_MMIO, /* loads or stores to a guest-physical address */
	WL_HVC,  /* PSCI_VERSION calls (HVC #0) */
};
enum wl_dist { WL_CONSTANT, WL_UNIFORM, WL_EXPONENTIAL, WL_NORMAL, WL_LOGNORMAL, WL_PARETO };

/* A distribution of durations in microseconds. */
struct wl_distribution {
	enum wl_dist kind;
	double mean_us;  /* constant, exponential, normal; the lognormal's mean */
	double min_us;   /* uniform; the Pareto scale */
	double max_us;   /* uniform */
	double stddev_us; /* normal */
	double sigma;    /* lognormal shape */
	double alpha;    /* Pareto shape */
};

struct wl_source {
	char name[WL_NAME];
	enum wl_source_type type;
	unsigned intid;      /* SPI sources: 32..; ipi: the SGI; timer: 27 */
	bool level;          /* SPI trigger */
	bool irqfd;          /* via irqfd (resampling when level) instead of KVM_IRQ_LINE */
	double period_us;    /* periodic, burst, timer; ipi when no rate */
	double rate_hz;      /* poisson, ipi */
	unsigned burst_count;
	double burst_gap_us;
	double start_us;
	unsigned from, to;   /* ipi: vCPUs; timer: vcpu in from */
	bool all_pairs;      /* ipi storm: every vCPU to every other */
	double *replay_us;   /* replay: assertion times, ascending */
	unsigned nreplay;
	uint64_t addr;       /* mmio: the guest-physical address */
	unsigned width;      /* mmio: bytes, 1, 2, 4 or 8 */
	bool write;          /* mmio: stores instead of loads */
	bool ioeventfd;      /* mmio: the stores signal an ioeventfd (KVM_IOEVENTFD)
			      * instead of exiting to the VMM */
	struct wl_distribution service; /* mmio: the VMM's device model's time
					 * before it calls KVM_RUN again */
};

/* Whether @s makes guest accesses (mmio, hvc) rather than interrupts. */
static inline bool wl_source_is_access(const struct wl_source *s)
{
	return s->type == WL_MMIO || s->type == WL_HVC;
}

/*
 * What a microbenchmark file measures and what was published for it
 * (the optional `benchmark` section, workloads/microbench/README.md):
 * `kvmsim fidelity` runs the file and reports the simulated figure beside
 * the published one.
 */
enum wl_measure {
	WL_M_LATENCY,    /* the source's mean latency (interrupt or access) */
	WL_M_COMPLETION, /* the mean from the handler's entry to its EOI done */
	WL_M_ACK_EOI,    /* the acknowledge read and the EOI write: the mean
			  * handler stage plus the mean completion */
	WL_M_NOTIFY,     /* an ioeventfd store's: from the store to its
			  * eventfd signalled (notify_ns) */
};
extern const char *const wl_measure_names[];

struct wl_benchmark {
	bool present;
	char table[WL_NAME];  /* the published table: isca16, kvm-unit-tests, ... */
	char row[WL_NAME];    /* its row: hypercall, hvc, ... */
	double published;     /* the published figure, in `unit` */
	bool cycles;          /* unit: CPU cycles of the profile's clock, else ns */
	enum wl_measure measure;
	unsigned source;      /* index of the source measured */
	char cite[200];       /* where the figure is published */
	bool verified;        /* checked against that source by this project */
	char what[400];       /* what the benchmark times, and how the file
			       * reproduces it */
	char gap[600];        /* optional: what the model leaves out of this
			       * path, where a prediction misses */
};

struct workload {
	char file[256];
	char name[WL_NAME];
	enum wl_controller controller;
	char profile[WL_NAME];
	unsigned vcpus;
	unsigned pcpus;          /* for vCPU threads; fewer than vcpus overcommit */
	double timeslice_us, wakeup_gran_us, halt_poll_us;
	bool noise;              /* host noise: spread and the host's tick */
	struct wl_source src[WL_MAX_SOURCES];
	unsigned nsrc;
	bool guest_wfi;                 /* every vCPU's but those of vguest */
	struct wl_distribution handler; /* the same */
	/* each vCPU's guest: guest_wfi and handler, or guest.vcpus' own */
	struct wl_vcpu_guest {
		bool wfi;
		struct wl_distribution handler;
	} vguest[WL_MAX_VCPUS];
	double mask_every_us, mask_for_us; /* masking windows, 0: none */
	double duration_ms;
	double warmup_ms;
	uint64_t seed;
	struct wl_benchmark bench; /* optional */
};

/**
 * wl_load() - parse @path into @w, applying the "key.path=value" overrides
 * of @sets (--set) before validation. Returns 0, or -1 after writing one
 * error line "FILE:LINE: FIELD: ..." to @err.
 */
int wl_load(struct workload *w, const char *path, const char *const *sets, unsigned nsets,
	    FILE *err);
void wl_free(struct workload *w);

struct wl_run_opts {
	const char *outdir;   /* results directory (created) */
	const char *trace;    /* text trace file, or NULL */
	const char *vcd;      /* VCD trace file (GTKWave), or NULL */
	const char *perfetto; /* Chrome Trace Event JSON file (ui.perfetto.dev,
			       * chrome://tracing), or NULL */
	const char *trace_filter; /* which events the traces get: comma-separated
				   * fnmatch(3) patterns on "component:event";
				   * NULL for all */
	bool progress;        /* progress line on stderr */
	bool quiet;
	bool plots;           /* also the latency CDF and stage plots */
	bool every_request;   /* an IPI source makes each request (an event and a
			       * call) even where it knows it will be refused: the
			       * results are the same, only slower (the shortcut's
			       * check) */
};

/*
 * The stages of an interrupt's latency from its assertion to the guest
 * handler's entry (DESIGN.md: source -> controller -> CPU signal -> exit
 * -> injection -> entry -> guest acknowledge -> handler), each named after
 * what it ends with, as summary.json's stages_mean_ns and the stage plots
 * name them (workloads/README.md, "Results").
 */
enum wl_stage {
	WL_ST_QUEUE,   /* assertion -> queued and its vCPU kicked */
	WL_ST_SIGNAL,  /* -> the CPU takes the interrupt: the exit begins */
	WL_ST_EXIT,    /* -> the exit done */
	WL_ST_HOST,    /* -> written into a list register */
	WL_ST_ENTRY,   /* -> the world switch in done */
	WL_ST_ACK,     /* -> the guest's acknowledge read */
	WL_ST_HANDLER, /* -> the read returned: the handler's entry */
	WL_NR_STAGES,
};
extern const char *const wl_stage_names[WL_NR_STAGES];

/*
 * The stages of a guest access (an mmio or hvc source's), from the
 * trapping instruction to the guest running past it, each named after
 * what it ends with: exit (exception and world switch out done), kernel
 * (KVM's part: the VGIC's sync, the decode, an in-kernel device's
 * emulation or the return from KVM_RUN to the VMM), vmm (the VMM's device
 * model, until it calls KVM_RUN again), return (that KVM_RUN back to the
 * run loop), entry (the flush and the world switch in).
 */
enum wl_access_stage {
	WL_AS_EXIT, WL_AS_KERNEL, WL_AS_VMM, WL_AS_RETURN, WL_AS_ENTRY, WL_NR_ACCESS_STAGES,
};
extern const char *const wl_access_stage_names[WL_NR_ACCESS_STAGES];

/** wl_mkdirs() - mkdir -p @dir. 0, or -1 with errno. */
int wl_mkdirs(const char *dir);

/**
 * struct wl_out - a result file written whole or not at all: written as
 * PATH.tmp beside it and renamed over PATH only once complete (and, for a
 * set of files, only once every one of them is), so that a failed write (a
 * full disk) leaves no cut file and the previous run's files as they were.
 */
struct wl_out {
	FILE *f;
	int state; /* 0: being written, 1: written whole, 2: in place, -1: failed */
	char path[600];
	char tmp[608];
};

/** wl_out_open() - start writing @path: the stream to write (@o->f), or
 * NULL after saying "kvmsim: cannot write PATH: why" on @err. */
FILE *wl_out_open(struct wl_out *o, const char *path, FILE *err);

/** wl_out_close() - stop writing @o (no-op once closed): 0 if it was
 * written whole, else -1 after saying "kvmsim: cannot write PATH: why" on
 * @err (the temporary removed). PATH is not touched yet. */
int wl_out_close(struct wl_out *o, FILE *err);

/** wl_out_commit() - put the @n files @o[] in place, closing those still
 * open, if every one was written whole: 0. Else -1 (each failure said on
 * @err) with none of them put in place and every temporary removed (but
 * for a rename that fails midway, which a full disk does not cause: the
 * files before it stay in place). */
int wl_out_commit(struct wl_out *o, unsigned n, FILE *err);

/** wl_out_discard() - give up the file @o, open or closed (an error on
 * the way): its temporary removed, PATH as it was. */
void wl_out_discard(struct wl_out *o);

/**
 * wl_run() - run @w and write OUTDIR/summary.json (deterministic),
 * OUTDIR/host.json (host time, events per second) and
 * OUTDIR/latency_<source>.csv. Returns 0, or -1 after an error message.
 * SIGINT or SIGTERM (unless ignored) stops the run at its next event: its
 * traces are closed whole up to there, no results are written, and the
 * signal's number is returned (after a message); the caller may raise it
 * again once its own state is tidied.
 */
int wl_run(const struct workload *w, const struct wl_run_opts *o, FILE *err);

/* Whether a run of @w (with its plots: @plots) writes a file @name in its
 * results directory, or writes it as @name first. */
bool wl_run_writes(const struct workload *w, bool plots, const char *name);

/* Whether @s is a name of a workload or source: letters, digits, '-', '_'
 * and '.', at least one (its length is the caller's to check). */
bool wl_name_ok(const char *s);

/**
 * wl_summary_load() - DIR/summary.json, checked for what compare, sweep and
 * the plots read from it: the workload's and its sources' names (as
 * wl_name_ok()), and their numbers. NULL after an error message naming
 * the file and the field; json_decref() the result.
 */
struct json_t *wl_summary_load(const char *dir, FILE *err);

/**
 * wl_plot_run() - DIR's plots from its summary.json and CSVs: the latency
 * CDF (latency_cdf.dat/.gp, p50/p99/p99.9 marked), the per-stage
 * breakdown (stages.dat/.gp) and latency against time (latency_time.gp on
 * the run's latency_time.dat), rendered to PNG and SVG when gnuplot is
 * installed (one warning otherwise; a warning if gnuplot fails). 0, or -1
 * after saying what could not be written (an image gnuplot cut short is
 * removed).
 */
int wl_plot_run(const char *dir, FILE *err);

/**
 * wl_compare() - `kvmsim compare` of 1 to 64 run directories:
 * @outdir/compare.md (latency p50/p99/p99.9/max, completion p50, exits per
 * interrupt, throughput; a row per source of each run, ratios against the
 * first row) and the plots compare_cdf and compare_stages. 0 or -1.
 */
int wl_compare(const char *const *dirs, unsigned ndirs, const char *outdir, FILE *out,
	       FILE *err);

/* One point of a sweep: its --set overrides and its directory name. */
struct wl_point {
	char set[8][128];
	unsigned nset;
	char name[1024]; /* "KEY=V,KEY=V" */
};

/**
 * wl_sweep_grid() - expand "KEY=V1,V2,..." parameters into the grid of
 * every combination, the first parameter varying slowest. *@out is
 * malloc'd. 0, or -1 after an error message on @err.
 */
int wl_sweep_grid(const char *const *params, unsigned nparams, struct wl_point **out,
		  unsigned *npoints, FILE *err);

enum wl_sweep_mode {
	WL_SWEEP_RUN,     /* run every point, then collect */
	WL_SWEEP_LIST,    /* print the points' commands, one per line */
	WL_SWEEP_COLLECT, /* the table and plot from points run elsewhere */
};

/**
 * wl_sweep() - `kvmsim sweep`: run every point of the grid as
 * `SELF run FILE -q -o OUTDIR/POINT --set ...`, @jobs processes at a time
 * (0: one per online CPU), then write OUTDIR/sweep.md and the plot of
 * throughput and p99 latency against the first parameter. WL_SWEEP_LIST
 * prints those commands to @out instead and runs nothing; WL_SWEEP_COLLECT
 * only writes the table and plot from the points' summary.json.
 */
int wl_sweep(const char *self, const char *file, const char *const *params, unsigned nparams,
	     const char *outdir, unsigned jobs, enum wl_sweep_mode mode, FILE *out, FILE *err);

/**
 * wl_plot_sweep() - OUTDIR/sweep.gp on OUTDIR/sweep.dat (one block per
 * series, columns: value, throughput, p50, p99, coalesced, label), x
 * labelled @xlabel, numeric or one tick per label; series titled @titles.
 * Rendered when gnuplot is there. 0, or -1 after saying what could not be
 * written (the script, or an image gnuplot cut short).
 */
int wl_plot_sweep(const char *outdir, const char *xlabel, bool numeric,
		  const char *const *titles, unsigned nseries, FILE *err);

/**
 * wl_fidelity() - `kvmsim fidelity`: every microbenchmark file of @paths
 * (files, or directories of .yaml files) is checked, then run into
 * @outdir/runs/NAME; @outdir/fidelity.md, fidelity.json and the ratio plot
 * fidelity (.dat, .gp, PNG and SVG) lay each simulated figure beside the
 * published one with the ratio and the row's role (calibration or
 * prediction, from its profile), and @out gets the table. Progress on
 * @err unless @quiet. 0; -1 after an error message; a signal's number if
 * one stopped a run (wl_run()).
 */
int wl_fidelity(const char *const *paths, unsigned npaths, const char *outdir, bool quiet,
		FILE *out, FILE *err);

/**
 * wl_plot_fidelity() - @outdir/fidelity.gp on its fidelity.dat of @nrows
 * rows (index, ratio, role, label): a bar per row, calibration rows apart
 * from predictions, the +-25 % band marked; rendered when gnuplot is
 * there. 0 or -1 (as wl_plot_sweep()).
 */
int wl_plot_fidelity(const char *outdir, unsigned nrows, FILE *err);

/**
 * wl_trace_diff() - compare two text traces: 0 equal, 1 different (the
 * first divergence and the event counts written to @out), -1 error.
 */
int wl_trace_diff(const char *a, const char *b, FILE *out, FILE *err);

#endif /* KVMSIM_WORKLOADS_WORKLOAD_H */
