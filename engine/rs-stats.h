/* rs-stats.h — what the plots show about a layer: weight-magnitude
 * histograms, sparsity, activation statistics. */
#pragma once

#include <glib.h>
#include <stdint.h>

G_BEGIN_DECLS

/* A histogram of |w|. Linear bins split [0, hi); log bins split
 * [lo, hi) evenly in log10, and `below` counts |w| < lo (exact zeros
 * included). Values >= hi land in the last bin. */
typedef struct {
  int      n_bins;
  gboolean log_bins;
  double   lo, hi;
  guint32  below;     /* log bins only */
  guint32  total;     /* every value counted (below included) */
  guint32 *counts;    /* n_bins, owned */
  double  *edges;     /* n_bins + 1 edges as drawn (rs_histogram_edge), owned */
  double   origin;    /* lo, or log2 (lo) for log bins: the fast bin estimate */
  double   scale;     /* bins per unit (per log2 unit for log bins) */
} RsHistogram;

#define RS_HISTOGRAM_LOG_LO 1e-5
#define RS_HISTOGRAM_LOG_HI 10.0

RsHistogram *rs_histogram_new  (int n_bins, gboolean log_bins, double lo, double hi);
RsHistogram *rs_histogram_copy (const RsHistogram *h);
void         rs_histogram_free (RsHistogram *h);
/* Clears the counts and counts |values[i]|. */
void         rs_histogram_fill (RsHistogram *h, const float *values, gsize n);
/* Left edge of bin i (i == n_bins gives hi). */
double       rs_histogram_edge (const RsHistogram *h, int i);

/* Fraction of |values| < threshold. */
double       rs_stats_fraction_below (const float *values, gsize n, double threshold);
double       rs_stats_max_abs (const float *values, gsize n);
double       rs_stats_l2_norm (const float *values, gsize n);
/* Fraction of units (columns of a rows x units matrix) whose |a| < threshold
 * on every row: dead or silent units. */
double       rs_stats_dead_unit_fraction (const float *act, int rows, int units,
                                          double threshold);

G_END_DECLS
