/* rs-plot-confusion.h — the validation set's confusion matrix: how often
 * each true class was predicted as each class. The layout is exposed so
 * the tests can check cells at known places. */
#pragma once

#include <cairo.h>
#include <glib.h>

#include "rs-plot-toolkit.h"

G_BEGIN_DECLS

/* Rows = true class, columns = predicted class; each cell coloured by its
 * share of its row (so every class reads the same however many rows it
 * has) and labelled with its count when there is room; the title gives
 * the validation accuracy, and the baseline's (may be NULL). A note instead
 * before the first validation pass or without a validation set. */
void rs_plot_confusion_draw (cairo_t *cr, const RsPlotStyle *style,
                             const RsSnapshot *snap, const RsSnapshot *baseline,
                             double width, double height);

typedef struct {
  RsPlotRect matrix;      /* the cells: true classes top to bottom, predicted left to right */
  int        classes;
  RsPlotRect colorbar;
  gboolean   labels;      /* counts are written in the cells */
  double     label_w;     /* room for the class labels left of the rows */
  double     label_h;     /* and above the columns */
  gboolean   vertical_names; /* column labels written upwards (wider than a column) */
  gboolean   numbers;     /* classes by number: their names leave no room */
  gboolean   valid;       /* FALSE: a note is drawn instead */
} RsPlotConfusionLayout;

void rs_plot_confusion_layout (cairo_t *cr, const RsPlotStyle *style, const RsSnapshot *snap,
                               const RsSnapshot *baseline, double width, double height,
                               RsPlotConfusionLayout *out);

G_END_DECLS
