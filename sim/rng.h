/* SPDX-License-Identifier: MIT */
/*
 * rng.h — seeded, per-stream random numbers and the distributions that
 * workloads use.
 *
 * Generator: xoshiro256** (Blackman & Vigna, 2018), state seeded by four
 * outputs of splitmix64. Stream n of seed s starts splitmix64 at
 * s ^ sim_mix64(n); stream 0 is therefore exactly the reference seeding of
 * xoshiro256** from splitmix64(s). Named streams use n = FNV-1a-64(name), so
 * adding a source never changes the numbers another source draws.
 *
 * Identical on every machine: the distributions use only IEEE-754 basic
 * operations (+ - * / sqrt, correctly rounded everywhere; kvmsim builds with
 * -ffp-contract=off) and kvmsim's own sim_log()/sim_exp(), never libm.
 */
#ifndef KVMSIM_SIM_RNG_H
#define KVMSIM_SIM_RNG_H

#include <stdbool.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

struct sim_rng {
	uint64_t s[4];
	bool has_spare; /* normal(): the polar method's second value */
	double spare;
};

/** sim_splitmix64() - advance a splitmix64 state and return its output. */
uint64_t sim_splitmix64(uint64_t *state);

/** sim_mix64() - the splitmix64 output function (a bijection, 0 -> 0). */
uint64_t sim_mix64(uint64_t z);

/** sim_fnv1a64() - FNV-1a 64-bit hash of a NUL-terminated string. */
uint64_t sim_fnv1a64(const char *s);

/** sim_rng_seed() - stream @stream of seed @seed. */
void sim_rng_seed(struct sim_rng *r, uint64_t seed, uint64_t stream);

/** sim_rng_seed_named() - stream FNV-1a-64(@name) of seed @seed. */
void sim_rng_seed_named(struct sim_rng *r, uint64_t seed, const char *name);

/** sim_rng_set_state() - load a raw xoshiro256** state (not all zero). */
void sim_rng_set_state(struct sim_rng *r, const uint64_t s[4]);

/** sim_rng_next() - the next 64 raw bits (xoshiro256**). */
uint64_t sim_rng_next(struct sim_rng *r);

/** sim_rng_below() - uniform integer in [0, @n), unbiased; 0 if @n is 0. */
uint64_t sim_rng_below(struct sim_rng *r, uint64_t n);

/** sim_rng_uniform() - uniform double in [0, 1) with 53 random bits. */
double sim_rng_uniform(struct sim_rng *r);

/**
 * sim_rng_exponential() - exponential with mean @mean: the ziggurat of
 * Marsaglia and Tsang (2000), 256 layers; one 64-bit draw for 98.9 % of
 * values, more for the rest.
 */
double sim_rng_exponential(struct sim_rng *r, double mean);

/** sim_rng_normal() - normal(@mean, @stddev), Marsaglia's polar method. */
double sim_rng_normal(struct sim_rng *r, double mean, double stddev);

/** sim_rng_lognormal() - exp(normal(@mu, @sigma)). */
double sim_rng_lognormal(struct sim_rng *r, double mu, double sigma);

/** sim_rng_pareto() - Pareto type I: scale @xm > 0, shape @alpha > 0. */
double sim_rng_pareto(struct sim_rng *r, double xm, double alpha);

/** sim_log() - natural logarithm, the same bits on every machine. */
double sim_log(double x);

/** sim_exp() - e^x, the same bits on every machine. */
double sim_exp(double x);

#ifdef __cplusplus
}
#endif

#endif /* KVMSIM_SIM_RNG_H */
