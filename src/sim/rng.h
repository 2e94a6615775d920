/* SPDX-License-Identifier: MIT */
/*
 * Deterministic pseudo-random numbers: xoshiro256** seeded through
 * splitmix64 (Blackman & Vigna).  One stream a run; never rand(3), time or
 * addresses, so a seed reproduces a run on any machine.
 */
#ifndef IOMMUSIM_SIM_RNG_H
#define IOMMUSIM_SIM_RNG_H

#include <stdint.h>

struct sim_rng {
	uint64_t s[4];
};

static inline uint64_t splitmix64(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/** sim_rng_seed() - seed a stream; equal seeds give equal streams. */
static inline void sim_rng_seed(struct sim_rng *r, uint64_t seed)
{
	uint64_t x = seed;

	for (int i = 0; i < 4; i++)
		r->s[i] = splitmix64(&x);
}

static inline uint64_t rotl64(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

/** sim_rng_next() - the next 64 random bits. */
static inline uint64_t sim_rng_next(struct sim_rng *r)
{
	uint64_t *s = r->s;
	uint64_t result = rotl64(s[1] * 5, 7) * 9;
	uint64_t t = s[1] << 17;

	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rotl64(s[3], 45);
	return result;
}

/**
 * sim_rng_below() - a uniform integer in [0, n), n > 0 (Lemire's method,
 * unbiased).
 */
static inline uint64_t sim_rng_below(struct sim_rng *r, uint64_t n)
{
	__uint128_t m = (__uint128_t)sim_rng_next(r) * n;
	uint64_t l = (uint64_t)m;

	if (l < n) {
		uint64_t t = -n % n;

		while (l < t) {
			m = (__uint128_t)sim_rng_next(r) * n;
			l = (uint64_t)m;
		}
	}
	return (uint64_t)(m >> 64);
}

#endif
