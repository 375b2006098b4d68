// SPDX-License-Identifier: MIT
/*
 * rng.c — xoshiro256**, splitmix64, and distributions built from IEEE basic
 * operations only.
 *
 * sim_log() and sim_exp() follow the algorithms of fdlibm's e_log.c and
 * e_exp.c (Sun Microsystems, 1993, freely redistributable), including their
 * minimax coefficients; error < 1 ulp. They use no libm function, so every
 * IEEE-754 machine computes the same bits.
 */
#include <math.h>
#include <string.h>

#include "rng.h"

uint64_t sim_mix64(uint64_t z)
{
	z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
	return z ^ (z >> 31);
}

uint64_t sim_splitmix64(uint64_t *state)
{
	*state += UINT64_C(0x9e3779b97f4a7c15);
	return sim_mix64(*state);
}

uint64_t sim_fnv1a64(const char *s)
{
	uint64_t h = UINT64_C(0xcbf29ce484222325);

	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= UINT64_C(0x100000001b3);
	}
	return h;
}

void sim_rng_seed(struct sim_rng *r, uint64_t seed, uint64_t stream)
{
	uint64_t sm = seed ^ sim_mix64(stream);

	for (int i = 0; i < 4; i++)
		r->s[i] = sim_splitmix64(&sm);
	r->has_spare = false;
	r->spare = 0;
}

void sim_rng_seed_named(struct sim_rng *r, uint64_t seed, const char *name)
{
	sim_rng_seed(r, seed, sim_fnv1a64(name));
}

void sim_rng_set_state(struct sim_rng *r, const uint64_t s[4])
{
	memcpy(r->s, s, sizeof(r->s));
	r->has_spare = false;
	r->spare = 0;
}

static inline uint64_t rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

uint64_t sim_rng_next(struct sim_rng *r)
{
	uint64_t *s = r->s;
	uint64_t result = rotl(s[1] * 5, 7) * 9;
	uint64_t t = s[1] << 17;

	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rotl(s[3], 45);
	return result;
}

/* Lemire, "Fast random integer generation in an interval" (2019). */
uint64_t sim_rng_below(struct sim_rng *r, uint64_t n)
{
	unsigned __int128 m;
	uint64_t l;

	if (n == 0)
		return 0;
	m = (unsigned __int128)sim_rng_next(r) * n;
	l = (uint64_t)m;
	if (l < n) {
		uint64_t t = -n % n;

		while (l < t) {
			m = (unsigned __int128)sim_rng_next(r) * n;
			l = (uint64_t)m;
		}
	}
	return (uint64_t)(m >> 64);
}

double sim_rng_uniform(struct sim_rng *r)
{
	return (double)(sim_rng_next(r) >> 11) * 0x1.0p-53;
}

/* (0, 1]: never 0, so its logarithm is finite. */
static double uniform_open0(struct sim_rng *r)
{
	return (double)((sim_rng_next(r) >> 11) + 1) * 0x1.0p-53;
}

/*
 * The exponential by Marsaglia and Tsang's ziggurat ("The Ziggurat Method
 * for Generating Random Variables", J. Stat. Software 5(8), 2000): the
 * density e^-x covered by 256 layers of equal area v, layer 0 a base strip
 * holding the tail beyond r. One 64-bit draw picks a layer (low 8 bits) and
 * a point x in it (53 bits above, disjoint from the layer's: Doornik 2005);
 * x under the next layer up is accepted at once (98.9 % of draws), else the
 * tail (r + an exponential, by memorylessness) or the wedge is decided
 * with the density itself. About a tenth of the cost of -log(U), the same
 * distribution. The tables come from sim_exp()/sim_log(), so every machine
 * builds the same ones.
 */
#define ZIG_LAYERS 256
#define ZIG_R 7.697117470131487       /* where the tail starts */
#define ZIG_V 3.949659822581572e-3    /* area of each layer */
#define ZIG_M 0x1.0p53                /* the point's range: 53 bits */

static struct {
	/* what a draw reads, side by side: one cache line, not two */
	struct {
		uint64_t k; /* accept the point at once below this */
		double w;   /* the layer's width / ZIG_M */
	} l[ZIG_LAYERS];
	double f[ZIG_LAYERS]; /* e^-(the layer's width) */
} zig;

/* At load, before any draw (the tables are constant afterwards). */
static void __attribute__((constructor)) zig_init(void)
{
	double de = ZIG_R, te = ZIG_R;
	double q = ZIG_V / sim_exp(-de);

	zig.l[0].k = (uint64_t)((de / q) * ZIG_M);
	zig.l[1].k = 0;
	zig.l[0].w = q / ZIG_M;
	zig.l[ZIG_LAYERS - 1].w = de / ZIG_M;
	zig.f[0] = 1.0;
	zig.f[ZIG_LAYERS - 1] = sim_exp(-de);
	for (int i = ZIG_LAYERS - 2; i >= 1; i--) {
		de = -sim_log(ZIG_V / de + sim_exp(-de));
		zig.l[i + 1].k = (uint64_t)((de / te) * ZIG_M);
		te = de;
		zig.f[i] = sim_exp(-de);
		zig.l[i].w = de / ZIG_M;
	}
}

double sim_rng_exponential(struct sim_rng *r, double mean)
{
	for (;;) {
		uint64_t u = sim_rng_next(r), j = u >> 11;
		unsigned i = (unsigned)u & (ZIG_LAYERS - 1);
		double x = (double)j * zig.l[i].w;

		if (j < zig.l[i].k)
			return mean * x;
		if (i == 0)
			return mean * (ZIG_R - sim_log(uniform_open0(r)));
		if (zig.f[i] + sim_rng_uniform(r) * (zig.f[i - 1] - zig.f[i]) < sim_exp(-x))
			return mean * x;
	}
}

double sim_rng_normal(struct sim_rng *r, double mean, double stddev)
{
	double u, v, s, m;

	if (r->has_spare) {
		r->has_spare = false;
		return mean + stddev * r->spare;
	}
	do {
		u = 2.0 * sim_rng_uniform(r) - 1.0;
		v = 2.0 * sim_rng_uniform(r) - 1.0;
		s = u * u + v * v;
	} while (s >= 1.0 || s == 0.0);
	m = sqrt(-2.0 * sim_log(s) / s);
	r->spare = v * m;
	r->has_spare = true;
	return mean + stddev * (u * m);
}

double sim_rng_lognormal(struct sim_rng *r, double mu, double sigma)
{
	return sim_exp(sim_rng_normal(r, mu, sigma));
}

double sim_rng_pareto(struct sim_rng *r, double xm, double alpha)
{
	/* Inverse CDF: xm * U^(-1/alpha), U in (0, 1]. */
	return xm * sim_exp(-sim_log(uniform_open0(r)) / alpha);
}

/* ---- portable log and exp (fdlibm algorithms) ------------------------- */

static inline uint64_t dbits(double x)
{
	uint64_t u;

	memcpy(&u, &x, sizeof(u));
	return u;
}

static inline double bitsd(uint64_t u)
{
	double x;

	memcpy(&x, &u, sizeof(x));
	return x;
}

double sim_log(double x)
{
	static const double ln2_hi = 6.93147180369123816490e-01,
			    ln2_lo = 1.90821492927058770002e-10,
			    Lg1 = 6.666666666666735130e-01,
			    Lg2 = 3.999999999940941908e-01,
			    Lg3 = 2.857142874366239149e-01,
			    Lg4 = 2.222219843214978396e-01,
			    Lg5 = 1.818357216161805012e-01,
			    Lg6 = 1.531383769920937332e-01,
			    Lg7 = 1.479819860511658591e-01;
	uint64_t ix = dbits(x);
	int k = 0;
	double f, s, z, w, R, t1, t2, hfsq, dk;
	uint32_t hx;

	if (x != x)
		return x; /* NaN */
	if (x == 0.0)
		return -HUGE_VAL;
	if (ix >> 63)
		return (x - x) / 0.0; /* log(-x) = NaN */
	if (x == HUGE_VAL)
		return x;
	if ((ix >> 52) == 0) { /* subnormal: scale up by 2^54 */
		k -= 54;
		x *= 0x1.0p54;
		ix = dbits(x);
	}
	hx = (uint32_t)(ix >> 32);
	k += (int)(hx >> 20) - 1023;
	hx &= 0x000fffff;
	{
		/* Normalise x into [sqrt(2)/2, sqrt(2)). */
		uint32_t i = (hx + 0x95f64) & 0x100000;

		ix = ((uint64_t)(hx | (i ^ 0x3ff00000)) << 32) |
		     (ix & 0xffffffffu);
		k += (int)(i >> 20);
	}
	f = bitsd(ix) - 1.0;
	dk = (double)k;
	if ((0x000fffff & (2 + hx)) < 3) { /* -2^-20 <= f < 2^-20 */
		if (f == 0.0)
			return k == 0 ? 0.0 : dk * ln2_hi + dk * ln2_lo;
		R = f * f * (0.5 - 0.33333333333333333 * f);
		if (k == 0)
			return f - R;
		return dk * ln2_hi - ((R - dk * ln2_lo) - f);
	}
	s = f / (2.0 + f);
	z = s * s;
	w = z * z;
	t1 = w * (Lg2 + w * (Lg4 + w * Lg6));
	t2 = z * (Lg1 + w * (Lg3 + w * (Lg5 + w * Lg7)));
	R = t2 + t1;
	if ((((int32_t)hx - 0x6147a) | (0x6b851 - (int32_t)hx)) > 0) {
		hfsq = 0.5 * f * f;
		if (k == 0)
			return f - (hfsq - s * (hfsq + R));
		return dk * ln2_hi -
		       ((hfsq - (s * (hfsq + R) + dk * ln2_lo)) - f);
	}
	if (k == 0)
		return f - s * (f - R);
	return dk * ln2_hi - ((s * (f - R) - dk * ln2_lo) - f);
}

double sim_exp(double x)
{
	static const double o_threshold = 7.09782712893383973096e+02,
			    u_threshold = -7.45133219101941108420e+02,
			    ln2HI = 6.93147180369123816490e-01,
			    ln2LO = 1.90821492927058770002e-10,
			    invln2 = 1.44269504088896338700e+00,
			    P1 = 1.66666666666666019037e-01,
			    P2 = -2.77777777770155933842e-03,
			    P3 = 6.61375632143793436117e-05,
			    P4 = -1.65339022054652515390e-06,
			    P5 = 4.13813679705723846039e-08;
	double hi, lo, r, rr, c, y;
	int k;

	if (x != x)
		return x;
	if (x > o_threshold)
		return HUGE_VAL;
	if (x < u_threshold)
		return 0.0;
	if (x > -0x1.0p-28 && x < 0x1.0p-28)
		return 1.0 + x;
	/* x = k*ln2 + r, |r| <= ln2/2, k rounded to nearest. */
	k = (int)(invln2 * x + (x < 0 ? -0.5 : 0.5));
	hi = x - (double)k * ln2HI;
	lo = (double)k * ln2LO;
	r = hi - lo;
	rr = r * r;
	c = r - rr * (P1 + rr * (P2 + rr * (P3 + rr * (P4 + rr * P5))));
	y = 1.0 - ((lo - (r * c) / (2.0 - c)) - hi);
	/* y * 2^k, in two exact steps so that subnormal results round once. */
	if (k >= -1021) {
		if (k > 1023)
			return y * 2.0 * bitsd((uint64_t)(k - 1 + 1023) << 52);
		return y * bitsd((uint64_t)(k + 1023) << 52);
	}
	return y * bitsd((uint64_t)(k + 1000 + 1023) << 52) * 0x1.0p-1000;
}
