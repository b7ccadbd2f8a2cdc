#include "rs-progress.h"

#include <glib/gi18n.h>
#include <math.h>
#include <unistd.h>

void
rs_progress_init (RsProgress *p, RsProgressMode mode, FILE *out, gint64 total)
{
  *p = (RsProgress) { 0 };
  if (mode == RS_PROGRESS_AUTO)
    mode = isatty (fileno (out)) ? RS_PROGRESS_BAR : RS_PROGRESS_EPOCHS;
  p->mode = mode;
  p->out = out;
  p->total = total;
  p->start_us = p->last_draw_us = g_get_monotonic_time ();
}

static void
print_epoch (RsProgress *p)
{
  if (p->epoch_steps == 0)
    return;
  /* The mean loss of the epoch's steps: with full batches that is the
   * single step's loss, exactly what the seed programs print; in their
   * words and numbers in every locale, for scripts that compare them. */
  char loss[G_ASCII_DTOSTR_BUF_SIZE];
  g_ascii_formatd (loss, sizeof loss, "%.4f", p->epoch_loss_sum / p->epoch_steps);
  fprintf (p->out, "Epoch: %d, Loss: %s\n", p->epoch, loss);
  p->epoch_loss_sum = 0.0;
  p->epoch_steps = 0;
}

static void
draw_bar (RsProgress *p)
{
  const int width = 30;
  double frac = p->total > 0 ? (double) (p->last.step + 1) / p->total : 0.0;
  frac = CLAMP (frac, 0.0, 1.0);
  int filled = (int) (frac * width + 0.5);
  double secs = (g_get_monotonic_time () - p->start_us) / 1e6;
  double rate = secs > 0 ? (p->last.step + 1) / secs : 0.0;
  fprintf (p->out, "\r[");
  for (int i = 0; i < width; i++)
    fputs (i < filled ? "#" : "-", p->out);
  /* The bar is for a person: the locale's words and numbers. */
  fputs ("] ", p->out);
  fprintf (p->out, _("%3.0f%%  step %lld/%lld  epoch %d  loss %.4f  acc %.1f%%"),
           100 * frac, (long long) (p->last.step + 1), (long long) p->total, p->last.epoch,
           p->last.loss, 100 * p->last.train_acc);
  if (!isnan (p->last.val_acc))
    fprintf (p->out, _("  val %.1f%%"), 100 * p->last.val_acc);
  if (!isnan (p->last.test_acc))
    fprintf (p->out, _("  test %.1f%%"), 100 * p->last.test_acc);
  fprintf (p->out, _("  %.0f steps/s"), rate);
  fputs (" \033[K", p->out);
  fflush (p->out);
}

void
rs_progress_update (RsProgress *p, const RsMetrics *m)
{
  if (p->mode == RS_PROGRESS_EPOCHS && m->epoch != p->epoch)
    {
      print_epoch (p);
      p->epoch = m->epoch;
    }
  p->epoch_loss_sum += m->loss;
  p->epoch_steps++;
  p->last = *m;
  p->has_last = TRUE;
  if (p->mode == RS_PROGRESS_BAR)
    {
      gint64 now = g_get_monotonic_time ();
      if (now - p->last_draw_us >= 100000)
        {
          draw_bar (p);
          p->last_draw_us = now;
        }
    }
}

void
rs_progress_finish (RsProgress *p)
{
  if (!p->has_last)
    return;
  if (p->mode == RS_PROGRESS_EPOCHS)
    print_epoch (p);
  else if (p->mode == RS_PROGRESS_BAR)
    {
      draw_bar (p);
      fputc ('\n', p->out);
    }
  /* The number a data set's benchmark table is about, in the format of
   * the epoch lines (scripts read it). */
  if (p->mode != RS_PROGRESS_NONE && !isnan (p->last.test_acc))
    {
      char acc[G_ASCII_DTOSTR_BUF_SIZE], loss[G_ASCII_DTOSTR_BUF_SIZE];
      g_ascii_formatd (acc, sizeof acc, "%.4f", p->last.test_acc);
      g_ascii_formatd (loss, sizeof loss, "%.4f", p->last.test_loss);
      fprintf (p->out, "Test accuracy: %s (loss %s, epoch %d)\n", acc, loss, p->last.epoch);
    }
  fflush (p->out);
}
