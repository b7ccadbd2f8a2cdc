/* rs-rng.h — a small deterministic RNG (xoshiro256**, seeded by splitmix64).
 *
 * regscope does not try to reproduce torch.manual_seed's stream: runs that
 * must agree with PyTorch number for number load PyTorch's init and data
 * (safetensors + CSV). Streams are split by purpose so that, e.g., changing
 * the data does not change the initial weights. */
#pragma once

#include <glib.h>
#include <stdint.h>

G_BEGIN_DECLS

typedef struct {
  uint64_t s[4];
  double   spare;     /* the second Box–Muller value */
  gboolean has_spare;
} RsRng;

/* Purposes mixed into the seed so each consumer has its own stream. */
enum {
  RS_RNG_STREAM_DATA = 1,
  RS_RNG_STREAM_INIT = 2,
  RS_RNG_STREAM_SPLIT = 3,
  RS_RNG_STREAM_SHUFFLE = 4,
  RS_RNG_STREAM_PROBE = 5,
  RS_RNG_STREAM_DROPOUT = 6,  /* dropout masks: their own, so the batch order is the same */
  RS_RNG_STREAM_INPUT_NOISE = 7,
};

void     rs_rng_init      (RsRng *rng, guint64 seed, guint64 stream);
uint64_t rs_rng_next      (RsRng *rng);
/* Uniform in [0, 1) with 53 bits. */
double   rs_rng_uniform   (RsRng *rng);
/* Uniform in [lo, hi). */
double   rs_rng_uniform_range (RsRng *rng, double lo, double hi);
/* Standard normal (Box–Muller, both values used). */
double   rs_rng_normal    (RsRng *rng);
/* Uniform integer in [0, n), unbiased. n > 0. */
uint32_t rs_rng_below     (RsRng *rng, uint32_t n);
/* Fisher–Yates shuffle of idx[0..n). */
void     rs_rng_shuffle   (RsRng *rng, int32_t *idx, int n);

G_END_DECLS
