/* rs-sweep-page.c — the Sweep page (see rs-sweep-page.h). */
#include "rs-sweep-page.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "rs-error.h"
#include "rs-keys.h"
#include "rs-plot-sweep.h"
#include "rs-render-thread.h"
#include "rs-ui.h"

/* How often the main loop looks for points that ended (ms): a point takes
 * a second or more, a look is one lock. */
#define RS_SWEEP_POLL_MS 50

struct _RsSweepPage
{
  GtkWidget parent_instance;

  /* template */
  GtkFlowBox     *controls;
  GtkDropDown    *term_dropdown;
  GtkEntry       *from_entry;
  GtkEntry       *to_entry;
  GtkSpinButton  *points_spin;
  GtkDropDown    *spacing_dropdown;
  GtkButton      *start_button;
  GtkButton      *cancel_button;
  GtkButton      *best_button;
  GtkProgressBar *progress;
  GtkLabel       *status_label;
  GtkDrawingArea *curve_area;
  GtkDrawingArea *path_area;

  GStrv           terms;        /* the dropdown's terms, as --sweep names them */
  gboolean        updating;     /* the controls are being set: no defaults */
  gboolean        edited;       /* the student changed a control or started */
  RsExperiment   *lesson;       /* what set_experiment gave, for the defaults */

  /* the sweep running or shown */
  RsSweep        *sweep;        /* NULL when none runs */
  guint           poll_id;
  guint           serial;
  RsExperiment   *shown_exp;    /* the lesson it ran (NULL: none yet) */
  RsSweepSpec     shown_spec;
  RsSweepPoint   *points;       /* shown_spec.points, by index */
  gboolean       *ended;
  int             n_ended;
  RsSweepPoint   *plotted;      /* the ended ones, packed (shallow copies) */
  double          selected;

  gboolean        dark;
  gboolean        presentation;

  /* Each area's picture, drawn on a worker thread (a sweep with many
   * points of many units took ~28 ms a paint on the UI thread): the area
   * paints the last picture; a new one is drawn when the points, the
   * style or the size change, one at a time per area. */
  cairo_surface_t *picture[2];    /* [curve, path]; NULL: none yet */
  int              picture_w[2], picture_h[2];
  int              picture_n[2];  /* the points it shows */
  gboolean         rendering[2];  /* a render in flight */
  gboolean         stale[2];      /* something changed since it started */
  gboolean         outdated[2];   /* hidden when the points changed: drawn when shown */
};

G_DEFINE_FINAL_TYPE (RsSweepPage, rs_sweep_page, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_RUNNING,
  PROP_DARK,
  PROP_PRESENTATION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  POINT_ACTIVATED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void redraw_plots (RsSweepPage *self);

int
rs_sweep_page_get_jobs (void)
{
  return MAX (1, (int) g_get_num_processors () - 1);
}

/* ------------------------------------------------------------------ */
/* terms                                                                */

/* What a student reads for a term: "fc1 L2", "every layer L2", "lr". */
static char *
term_label (const char *term, const RsExperiment *exp)
{
  RsSweepSpec spec;

  if (!rs_sweep_spec_init (&spec, exp, term, 1, 2, 2, TRUE, "", NULL))
    return g_strdup (term);
  const char *label = _(spec.key->label);
  if (spec.every_layer)
    /* TRANSLATORS: a sweep's term, %s is "L2", "dropout", … */
    return g_strdup_printf (_("every layer's %s"), label);
  if (spec.layer >= 0)
    return g_strdup_printf ("fc%d %s", spec.layer + 1, label);
  return g_strdup (label);
}

/* Every term a sweep of `exp` can vary, from the key table: each layer's
 * live strengths (dropout on hidden layers only, as the layer rows), the
 * same for every layer at once, then the other sections' numbers. */
static GStrv
list_terms (const RsExperiment *exp)
{
  gsize n;
  const RsKey *keys = rs_keys (&n);
  g_autoptr (GStrvBuilder) b = g_strv_builder_new ();

  for (int l = -1; l < exp->n_layers; l++)
    for (gsize i = 0; i < n; i++)
      {
        const RsKey *k = &keys[i];
        if (k->section != RS_SECTION_LAYER || k->type != RS_KEY_DOUBLE
            || !(k->flags & RS_KEY_CONTROL) || (k->flags & RS_KEY_EVENT_ONLY))
          continue;
        if (g_str_equal (k->name, "dropout") && l == exp->n_layers - 1)
          continue;
        g_autofree char *term = l < 0 ? g_strconcat ("fc*.", k->name, NULL)
                                      : g_strdup_printf ("fc%d.%s", l + 1, k->name);
        g_strv_builder_add (b, term);
      }
  for (gsize i = 0; i < n; i++)
    {
      const RsKey *k = &keys[i];
      if (k->section == RS_SECTION_LAYER || k->type != RS_KEY_DOUBLE
          || !(k->flags & RS_KEY_CONTROL) || (k->flags & RS_KEY_EVENT_ONLY))
        continue;
      g_autofree char *term = g_strdup_printf ("%s.%s", rs_section_name (k->section), k->name);
      g_strv_builder_add (b, term);
    }
  return g_strv_builder_end (b);
}

static void
set_number (GtkEntry *entry,
            double    v)
{
  char text[G_ASCII_DTOSTR_BUF_SIZE];

  rs_format_double (text, v);
  gtk_editable_set_text (GTK_EDITABLE (entry), text);
}

/* A term's range when the lesson names none: strengths over four decades;
 * shares (dropout, momentum, smoothing: below 1) evenly from 0. */
static void
default_range (const RsKey *key,
               double      *from,
               double      *to,
               int         *points,
               gboolean    *linear)
{
  if (isfinite (key->max) && key->max <= 1)
    {
      *from = MAX (key->min, 0);
      *to = 0.8 * key->max;
      *points = 9;
      *linear = TRUE;
    }
  else
    {
      *from = 1e-5;
      *to = 1e-1;
      *points = 13;
      *linear = FALSE;
    }
}

/* The controls' accessible names say which term they set. */
static void
update_accessible_names (RsSweepPage *self)
{
  guint i = gtk_drop_down_get_selected (self->term_dropdown);
  g_autofree char *label = self->terms != NULL && i < g_strv_length (self->terms)
                           ? term_label (self->terms[i], self->lesson) : g_strdup ("");
  /* TRANSLATORS: accessible names; %s is the swept term, "fc1 L2" */
  g_autofree char *from = g_strdup_printf (_("Sweep %s from"), label);
  g_autofree char *to = g_strdup_printf (_("Sweep %s to"), label);
  g_autofree char *points = g_strdup_printf (_("Sweep %s: number of points"), label);
  g_autofree char *spacing = g_strdup_printf (_("Sweep %s: spacing"), label);

  rs_ui_set_accessible_label (GTK_WIDGET (self->term_dropdown), _("Sweep term"));
  rs_ui_set_accessible_label (GTK_WIDGET (self->from_entry), from);
  rs_ui_set_accessible_label (GTK_WIDGET (self->to_entry), to);
  rs_ui_set_accessible_label (GTK_WIDGET (self->points_spin), points);
  rs_ui_set_accessible_label (GTK_WIDGET (self->spacing_dropdown), spacing);
}

static void
on_edited (RsSweepPage *self)
{
  if (!self->updating)
    self->edited = TRUE;
}

static void
on_term_selected (GtkDropDown *dropdown,
                  GParamSpec  *pspec,
                  RsSweepPage *self)
{
  update_accessible_names (self);
  if (self->updating || self->lesson == NULL)
    return;
  if (pspec != NULL)
    self->edited = TRUE;

  guint i = gtk_drop_down_get_selected (dropdown);
  RsSweepSpec spec;
  if (self->terms == NULL || i >= g_strv_length (self->terms))
    return;
  /* the lesson's own range for its term, a default for the others */
  if (rs_sweep_spec_from_experiment (&spec, self->lesson))
    {
      g_autofree char *term = rs_sweep_spec_term (&spec);
      if (g_str_equal (term, self->terms[i]))
        {
          rs_sweep_page_set_spec (self, &spec);
          return;
        }
    }
  int layer = -1;
  g_autofree char *one = g_str_has_prefix (self->terms[i], "fc*.")
                         ? g_strconcat ("fc1.", self->terms[i] + 4, NULL) : NULL;
  const RsKey *key = rs_experiment_find_key (self->lesson, one ? one : self->terms[i], "",
                                             &layer, NULL);
  if (key == NULL)
    return;
  double from, to;
  int points;
  gboolean linear;
  default_range (key, &from, &to, &points, &linear);
  self->updating = TRUE;
  set_number (self->from_entry, from);
  set_number (self->to_entry, to);
  gtk_spin_button_set_value (self->points_spin, points);
  gtk_drop_down_set_selected (self->spacing_dropdown, linear ? 1 : 0);
  self->updating = FALSE;
}

void
rs_sweep_page_set_spec (RsSweepPage       *self,
                        const RsSweepSpec *spec)
{
  g_return_if_fail (RS_IS_SWEEP_PAGE (self));

  g_autofree char *term = rs_sweep_spec_term (spec);
  self->updating = TRUE;
  for (guint i = 0; self->terms != NULL && self->terms[i] != NULL; i++)
    if (g_str_equal (self->terms[i], term))
      gtk_drop_down_set_selected (self->term_dropdown, i);
  set_number (self->from_entry, spec->from);
  set_number (self->to_entry, spec->to);
  gtk_spin_button_set_value (self->points_spin, spec->points);
  gtk_drop_down_set_selected (self->spacing_dropdown, spec->linear ? 1 : 0);
  self->updating = FALSE;
  update_accessible_names (self);
}

/* The entry's number: "1e-5", "0.001" and a decimal comma ("0,001"). */
static gboolean
entry_number (GtkEntry  *entry,
              double    *out,
              GError   **error)
{
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (entry))));
  g_strdelimit (text, ",", '.');
  char *end = NULL;
  *out = g_ascii_strtod (text, &end);
  if (*text == '\0' || end == text || *end != '\0')
    {
      g_set_error (error, RS_ERROR, RS_ERROR_PARSE, _("Sweep: '%s' is not a number"),
                   gtk_editable_get_text (GTK_EDITABLE (entry)));
      return FALSE;
    }
  return TRUE;
}

gboolean
rs_sweep_page_get_spec (RsSweepPage         *self,
                        const RsExperiment  *exp,
                        RsSweepSpec         *spec,
                        GError             **error)
{
  double from, to;

  g_return_val_if_fail (RS_IS_SWEEP_PAGE (self), FALSE);

  guint i = gtk_drop_down_get_selected (self->term_dropdown);
  if (self->terms == NULL || i >= g_strv_length (self->terms))
    {
      g_set_error (error, RS_ERROR, RS_ERROR_VALUE, _("Sweep: no term chosen"));
      return FALSE;
    }
  if (!entry_number (self->from_entry, &from, error) || !entry_number (self->to_entry, &to, error))
    return FALSE;
  gtk_spin_button_update (self->points_spin);
  return rs_sweep_spec_init (spec, exp, self->terms[i], from, to,
                             gtk_spin_button_get_value_as_int (self->points_spin),
                             gtk_drop_down_get_selected (self->spacing_dropdown) == 1,
                             _("Sweep"), error);
}

/* ------------------------------------------------------------------ */
/* the points                                                           */

static void
clear_points (RsSweepPage *self)
{
  for (int i = 0; self->points != NULL && i < self->shown_spec.points; i++)
    rs_sweep_point_clear (&self->points[i]);
  g_clear_pointer (&self->points, g_free);
  g_clear_pointer (&self->ended, g_free);
  g_clear_pointer (&self->plotted, g_free);
  self->n_ended = 0;
}

static void
update_status (RsSweepPage *self)
{
  int best = rs_sweep_page_get_best (self);
  g_autofree char *text = NULL;

  if (self->shown_exp == NULL)
    text = g_strdup (_("Pick a term and a range, then Start: one run per value, drawn as each ends"));
  else
    {
      g_autofree char *id = rs_sweep_spec_term (&self->shown_spec);
      g_autofree char *term = term_label (id, self->shown_exp);
      /* TRANSLATORS: "fc1 L2: 5 of 13 points" */
      text = g_strdup_printf (_("%s: %d of %d points"), term, self->n_ended,
                              self->shown_spec.points);
      if (best >= 0)
        {
          char v[G_ASCII_DTOSTR_BUF_SIZE];
          g_ascii_formatd (v, sizeof v, "%.3g", self->points[best].value);
          g_autofree char *with = g_strdup_printf (_("%s · best %s"), text, v);
          g_free (text);
          text = g_steal_pointer (&with);
        }
    }
  gtk_label_set_text (self->status_label, text);
  gtk_actionable_set_action_target (GTK_ACTIONABLE (self->best_button), "i", best);
  gtk_widget_set_sensitive (GTK_WIDGET (self->best_button), best >= 0);
  gtk_widget_set_sensitive (GTK_WIDGET (self->cancel_button), self->sweep != NULL);
}

/* Copies the points that ended since the last look. */
static void
collect (RsSweepPage *self)
{
  gboolean changed = FALSE;

  for (int i = 0; i < self->shown_spec.points; i++)
    if (!self->ended[i] && rs_sweep_get_point (self->sweep, i, &self->points[i]))
      {
        self->ended[i] = TRUE;
        self->n_ended++;
        changed = TRUE;
      }
  if (!changed)
    return;
  int n = 0;
  for (int i = 0; i < self->shown_spec.points; i++)
    if (self->ended[i])
      self->plotted[n++] = self->points[i];
  redraw_plots (self);
}

static void
update_progress (RsSweepPage *self)
{
  gint64 done = 0, total = 1;

  if (self->sweep != NULL)
    rs_sweep_get_progress (self->sweep, &done, &total);
  else if (self->shown_exp != NULL)
    done = total = MAX (self->n_ended, 1);
  else
    done = 0;
  gtk_progress_bar_set_fraction (self->progress, total > 0 ? (double) done / total : 0);
}

/* Ends the sweep: the workers are joined (after at most a step each). */
static void
stop (RsSweepPage *self)
{
  if (self->sweep == NULL)
    return;
  g_clear_handle_id (&self->poll_id, g_source_remove);
  g_clear_pointer (&self->sweep, rs_sweep_free);
  update_status (self);
  update_progress (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);
}

static gboolean
poll_cb (gpointer data)
{
  RsSweepPage *self = data;
  guint serial = rs_sweep_get_serial (self->sweep);

  if (serial != self->serial)
    {
      self->serial = serial;
      collect (self);
      update_status (self);
    }
  update_progress (self);
  if (rs_sweep_is_done (self->sweep))
    {
      self->poll_id = 0;
      stop (self);
      return G_SOURCE_REMOVE;
    }
  return G_SOURCE_CONTINUE;
}

gboolean
rs_sweep_page_start (RsSweepPage         *self,
                     const RsExperiment  *exp,
                     GError             **error)
{
  RsSweepSpec spec;

  g_return_val_if_fail (RS_IS_SWEEP_PAGE (self), FALSE);

  if (!rs_sweep_page_get_spec (self, exp, &spec, error))
    return FALSE;
  RsSweepOptions options = { .jobs = rs_sweep_page_get_jobs (), .unit_layer = -1,
                             .low_priority = TRUE };
  rs_sweep_page_cancel (self);
  RsSweep *sweep = rs_sweep_start (exp, &spec, &options, NULL, NULL, error);
  if (sweep == NULL)
    return FALSE;

  clear_points (self);
  for (int k = 0; k < 2; k++)
    g_clear_pointer (&self->picture[k], cairo_surface_destroy);
  g_clear_pointer (&self->shown_exp, rs_experiment_free);
  self->shown_exp = rs_experiment_copy (exp);
  self->shown_spec = spec;
  self->edited = TRUE;
  self->points = g_new0 (RsSweepPoint, spec.points);
  self->ended = g_new0 (gboolean, spec.points);
  self->plotted = g_new0 (RsSweepPoint, spec.points);
  self->selected = NAN;
  self->sweep = sweep;
  self->serial = 0;
  self->poll_id = g_timeout_add (RS_SWEEP_POLL_MS, poll_cb, self);
  update_status (self);
  update_progress (self);
  redraw_plots (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);
  return TRUE;
}

void
rs_sweep_page_cancel (RsSweepPage *self)
{
  g_return_if_fail (RS_IS_SWEEP_PAGE (self));

  if (self->sweep == NULL)
    return;
  /* what ended before the cancel still counts */
  collect (self);
  stop (self);
}

gboolean
rs_sweep_page_get_edited (RsSweepPage *self)
{
  g_return_val_if_fail (RS_IS_SWEEP_PAGE (self), FALSE);

  return self->edited;
}

gboolean
rs_sweep_page_get_running (RsSweepPage *self)
{
  g_return_val_if_fail (RS_IS_SWEEP_PAGE (self), FALSE);

  return self->sweep != NULL;
}

RsSweep *
rs_sweep_page_get_sweep (RsSweepPage *self)
{
  g_return_val_if_fail (RS_IS_SWEEP_PAGE (self), NULL);

  return self->sweep;
}

gboolean
rs_sweep_page_hold (RsSweepPage *self,
                    gboolean     hold)
{
  g_return_val_if_fail (RS_IS_SWEEP_PAGE (self), FALSE);

  if (self->sweep == NULL)
    return FALSE;
  rs_sweep_hold (self->sweep, hold);
  return TRUE;
}

void
rs_sweep_page_set_experiment (RsSweepPage        *self,
                              const RsExperiment *exp)
{
  RsSweepSpec spec;

  g_return_if_fail (RS_IS_SWEEP_PAGE (self));

  rs_sweep_page_cancel (self);
  clear_points (self);
  g_clear_pointer (&self->shown_exp, rs_experiment_free);
  g_clear_pointer (&self->lesson, rs_experiment_free);
  self->lesson = rs_experiment_copy (exp);

  g_strfreev (self->terms);
  self->terms = list_terms (exp);
  g_autoptr (GtkStringList) labels = gtk_string_list_new (NULL);
  for (guint i = 0; self->terms[i] != NULL; i++)
    {
      g_autofree char *label = term_label (self->terms[i], exp);
      gtk_string_list_append (labels, label);
    }
  self->updating = TRUE;
  gtk_drop_down_set_model (self->term_dropdown, G_LIST_MODEL (labels));
  self->updating = FALSE;

  if (rs_sweep_spec_from_experiment (&spec, exp))
    rs_sweep_page_set_spec (self, &spec);
  else
    {
      /* fc1's L2 (the first layer's first strength would be L1) */
      guint first = 0;
      for (guint i = 0; self->terms[i] != NULL; i++)
        if (g_str_equal (self->terms[i], "fc1.l2"))
          first = i;
      gtk_drop_down_set_selected (self->term_dropdown, first);
      on_term_selected (self->term_dropdown, NULL, self);
    }
  self->edited = FALSE;
  update_accessible_names (self);
  update_status (self);
  update_progress (self);
  redraw_plots (self);
}

const RsSweepSpec *
rs_sweep_page_get_shown_spec (RsSweepPage *self)
{
  g_return_val_if_fail (RS_IS_SWEEP_PAGE (self), NULL);

  return self->shown_exp != NULL ? &self->shown_spec : NULL;
}

const RsExperiment *
rs_sweep_page_get_shown_experiment (RsSweepPage *self)
{
  g_return_val_if_fail (RS_IS_SWEEP_PAGE (self), NULL);

  return self->shown_exp;
}

const RsSweepPoint *
rs_sweep_page_get_point (RsSweepPage *self,
                         int          index)
{
  g_return_val_if_fail (RS_IS_SWEEP_PAGE (self), NULL);

  if (self->shown_exp == NULL || index < 0 || index >= self->shown_spec.points
      || !self->ended[index])
    return NULL;
  return &self->points[index];
}

int
rs_sweep_page_get_n_ended (RsSweepPage *self)
{
  g_return_val_if_fail (RS_IS_SWEEP_PAGE (self), 0);

  return self->n_ended;
}

int
rs_sweep_page_get_best (RsSweepPage *self)
{
  g_return_val_if_fail (RS_IS_SWEEP_PAGE (self), -1);

  int best = self->n_ended > 0 ? rs_sweep_best_point (self->plotted, self->n_ended) : -1;
  return best >= 0 ? self->plotted[best].index : -1;
}

void
rs_sweep_page_set_selected (RsSweepPage *self,
                            double       value)
{
  g_return_if_fail (RS_IS_SWEEP_PAGE (self));

  self->selected = value;
  redraw_plots (self);
}

/* ------------------------------------------------------------------ */
/* drawing and clicks                                                   */

static RsPlotSweepKind
area_kind (RsSweepPage *self,
           GtkWidget   *area)
{
  return area == GTK_WIDGET (self->path_area) ? RS_PLOT_SWEEP_PATH : RS_PLOT_SWEEP_CURVE;
}

static void
plot_data (RsSweepPage     *self,
           RsPlotStyle     *style,
           RsPlotSweepData *data)
{
  rs_plot_style_init (style, self->dark ? RS_PLOT_THEME_DARK : RS_PLOT_THEME_LIGHT,
                      self->presentation);
  *data = (RsPlotSweepData) {
    .style = style,
    .spec = self->shown_exp != NULL ? &self->shown_spec : NULL,
    .points = self->plotted,
    .n = self->n_ended,
    .threshold = self->shown_exp != NULL ? self->shown_exp->sparsity_threshold : 0,
    .selected = self->selected,
  };
}

typedef struct {
  RsSweepPage     *page;     /* a reference */
  int              k;
  RsPlotSweepKind  kind;
  RsPlotStyle      style;
  RsSweepSpec      spec;
  RsSweepPoint    *points;   /* deep copies: the page may clear its own */
  int              n;
  double           threshold, selected;
  int              width, height, scale;
  cairo_surface_t *surface;  /* the result */
} SweepRender;

static void
sweep_render_free (SweepRender *r)
{
  for (int i = 0; i < r->n; i++)
    rs_sweep_point_clear (&r->points[i]);
  g_free (r->points);
  g_clear_pointer (&r->surface, cairo_surface_destroy);
  g_object_unref (r->page);
  g_free (r);
}

/* On the render thread. */
static void
sweep_render_work (gpointer data)
{
  SweepRender *r = data;
  RsPlotSweepData plot = { &r->style, &r->spec, r->points, r->n, r->threshold, r->selected };
  r->surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, r->width * r->scale,
                                           r->height * r->scale);
  cairo_surface_set_device_scale (r->surface, r->scale, r->scale);
  cairo_t *cr = cairo_create (r->surface);
  rs_plot_sweep_draw (cr, r->kind, &plot, r->width, r->height);
  cairo_destroy (cr);
  cairo_surface_flush (r->surface);
}

static void render_done (gpointer data);

static GtkWidget *
plot_area (RsSweepPage *self, int k)
{
  return GTK_WIDGET (k ? self->path_area : self->curve_area);
}

/* Draws area k's picture on a worker thread, or marks it stale when one
 * is being drawn (render_done starts the next). */
static void
start_render (RsSweepPage *self, int k)
{
  GtkWidget *area = plot_area (self, k);
  int width = gtk_widget_get_width (area), height = gtk_widget_get_height (area);
  RsPlotStyle style;
  RsPlotSweepData data;

  plot_data (self, &style, &data);
  if (data.spec == NULL || width <= 0 || height <= 0)
    return;
  /* A hidden page draws nothing: its pictures would take the CPU from the
   * page on screen, and from the frame after a lambda change. */
  if (!gtk_widget_get_mapped (area))
    {
      self->outdated[k] = TRUE;
      return;
    }
  self->outdated[k] = FALSE;
  if (self->rendering[k])
    {
      self->stale[k] = TRUE;
      return;
    }
  SweepRender *r = g_new0 (SweepRender, 1);
  r->page = g_object_ref (self);
  r->k = k;
  r->kind = k ? RS_PLOT_SWEEP_PATH : RS_PLOT_SWEEP_CURVE;
  r->style = style;
  r->spec = *data.spec;
  r->points = g_new0 (RsSweepPoint, MAX (data.n, 1));
  for (int i = 0; i < data.n; i++)
    rs_sweep_point_copy (&r->points[i], &data.points[i]);
  r->n = data.n;
  r->threshold = data.threshold;
  r->selected = data.selected;
  r->width = width;
  r->height = height;
  r->scale = MAX (1, gtk_widget_get_scale_factor (area));
  self->rendering[k] = TRUE;
  self->stale[k] = FALSE;
  rs_render_thread_push (sweep_render_work, render_done, r);
}

/* On the main thread: the picture drawn. */
static void
render_done (gpointer data)
{
  SweepRender *r = data;
  RsSweepPage *self = r->page;
  int k = r->k;

  self->rendering[k] = FALSE;
  if (plot_area (self, k) == NULL)
    {
      sweep_render_free (r); /* disposed while it drew */
      return;
    }
  g_clear_pointer (&self->picture[k], cairo_surface_destroy);
  self->picture[k] = g_steal_pointer (&r->surface);
  self->picture_w[k] = r->width;
  self->picture_h[k] = r->height;
  self->picture_n[k] = r->n;
  gtk_widget_queue_draw (plot_area (self, k));
  if (self->stale[k])
    start_render (self, k);
  sweep_render_free (r);
}

/* The points, the selection or the style changed: new pictures. */
static void
redraw_plots (RsSweepPage *self)
{
  for (int k = 0; k < 2; k++)
    {
      if (self->picture[k] == NULL && !self->rendering[k])
        gtk_widget_queue_draw (plot_area (self, k)); /* the first, drawn in place */
      else
        start_render (self, k);
    }
}

static void
draw_area (GtkDrawingArea *area,
           cairo_t        *cr,
           int             width,
           int             height,
           gpointer        user_data)
{
  RsSweepPage *self = user_data;
  RsPlotStyle style;
  RsPlotSweepData data;

  plot_data (self, &style, &data);
  if (data.spec == NULL)
    {
      cairo_set_source_rgb (cr, style.background.r, style.background.g, style.background.b);
      cairo_paint (cr);
      return;
    }
  int k = area_kind (self, GTK_WIDGET (area)) == RS_PLOT_SWEEP_PATH;
  if (self->picture[k] == NULL)
    {
      /* the first picture: drawn here, so the page never shows blank */
      rs_plot_sweep_draw (cr, area_kind (self, GTK_WIDGET (area)), &data, width, height);
      start_render (self, k);
      return;
    }
  cairo_save (cr);
  if (self->picture_w[k] != width || self->picture_h[k] != height)
    {
      /* resized: the old picture stretched until the new one is drawn */
      cairo_scale (cr, (double) width / self->picture_w[k], (double) height / self->picture_h[k]);
      start_render (self, k);
    }
  else if (self->outdated[k])
    start_render (self, k);   /* shown again: the last picture until the new one */
  cairo_set_source_surface (cr, self->picture[k], 0, 0);
  cairo_paint (cr);
  cairo_restore (cr);
}

int
rs_sweep_page_hit (RsSweepPage *self,
                   GtkWidget   *area,
                   double       x,
                   double       y)
{
  RsPlotStyle style;
  RsPlotSweepData data;

  g_return_val_if_fail (RS_IS_SWEEP_PAGE (self), -1);

  plot_data (self, &style, &data);
  if (data.spec == NULL || data.n == 0)
    return -1;
  /* the plot's layout measures text: a scratch surface gives it a cairo_t */
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 1, 1);
  cairo_t *cr = cairo_create (surface);
  int hit = rs_plot_sweep_hit (cr, area_kind (self, area), &data, gtk_widget_get_width (area),
                               gtk_widget_get_height (area), x, y);
  cairo_destroy (cr);
  cairo_surface_destroy (surface);
  return hit >= 0 ? data.points[hit].index : -1;
}

static void
on_released (GtkGestureClick *gesture,
             int              n_press,
             double           x,
             double           y,
             RsSweepPage     *self)
{
  GtkWidget *area = gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (gesture));
  int index = rs_sweep_page_hit (self, area, x, y);

  if (index >= 0)
    g_signal_emit (self, signals[POINT_ACTIVATED], 0, index);
}

cairo_surface_t *
rs_sweep_page_get_picture (RsSweepPage *self,
                           GtkWidget   *area,
                           int         *n_points)
{
  g_return_val_if_fail (RS_IS_SWEEP_PAGE (self), NULL);

  int k = area == GTK_WIDGET (self->path_area);
  *n_points = self->picture[k] != NULL ? self->picture_n[k] : -1;
  return self->picture[k];
}

GtkWidget *
rs_sweep_page_get_curve_area (RsSweepPage *self)
{
  g_return_val_if_fail (RS_IS_SWEEP_PAGE (self), NULL);

  return GTK_WIDGET (self->curve_area);
}

GtkWidget *
rs_sweep_page_get_path_area (RsSweepPage *self)
{
  g_return_val_if_fail (RS_IS_SWEEP_PAGE (self), NULL);

  return GTK_WIDGET (self->path_area);
}

/* ------------------------------------------------------------------ */
/* the GObject                                                          */

static void
rs_sweep_page_dispose (GObject *object)
{
  RsSweepPage *self = RS_SWEEP_PAGE (object);

  g_clear_handle_id (&self->poll_id, g_source_remove);
  g_clear_pointer (&self->sweep, rs_sweep_free);
  gtk_widget_dispose_template (GTK_WIDGET (object), RS_TYPE_SWEEP_PAGE);
  /* the boxes around the bound children */
  for (GtkWidget *child; (child = gtk_widget_get_first_child (GTK_WIDGET (object))) != NULL; )
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (rs_sweep_page_parent_class)->dispose (object);
}

static void
rs_sweep_page_finalize (GObject *object)
{
  RsSweepPage *self = RS_SWEEP_PAGE (object);

  clear_points (self);
  for (int k = 0; k < 2; k++)
    g_clear_pointer (&self->picture[k], cairo_surface_destroy);
  g_clear_pointer (&self->shown_exp, rs_experiment_free);
  g_clear_pointer (&self->lesson, rs_experiment_free);
  g_strfreev (self->terms);

  G_OBJECT_CLASS (rs_sweep_page_parent_class)->finalize (object);
}

static void
rs_sweep_page_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  RsSweepPage *self = RS_SWEEP_PAGE (object);

  switch (prop_id)
    {
    case PROP_RUNNING:
      g_value_set_boolean (value, self->sweep != NULL);
      break;
    case PROP_DARK:
      g_value_set_boolean (value, self->dark);
      break;
    case PROP_PRESENTATION:
      g_value_set_boolean (value, self->presentation);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rs_sweep_page_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  RsSweepPage *self = RS_SWEEP_PAGE (object);

  switch (prop_id)
    {
    case PROP_DARK:
      self->dark = g_value_get_boolean (value);
      break;
    case PROP_PRESENTATION:
      self->presentation = g_value_get_boolean (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      return;
    }
  redraw_plots (self);
}

static void
rs_sweep_page_class_init (RsSweepPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  rs_ui_init ();

  object_class->dispose = rs_sweep_page_dispose;
  object_class->finalize = rs_sweep_page_finalize;
  object_class->get_property = rs_sweep_page_get_property;
  object_class->set_property = rs_sweep_page_set_property;

  properties[PROP_RUNNING] =
    g_param_spec_boolean ("running", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_DARK] =
    g_param_spec_boolean ("dark", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  properties[PROP_PRESENTATION] =
    g_param_spec_boolean ("presentation", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* A point was clicked: its index in the sweep. */
  signals[POINT_ACTIVATED] =
    g_signal_new ("point-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_INT);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RS_RESOURCE_PREFIX "/ui/rs-sweep-page.ui");
  gtk_widget_class_bind_template_child (widget_class, RsSweepPage, controls);
  gtk_widget_class_bind_template_child (widget_class, RsSweepPage, term_dropdown);
  gtk_widget_class_bind_template_child (widget_class, RsSweepPage, from_entry);
  gtk_widget_class_bind_template_child (widget_class, RsSweepPage, to_entry);
  gtk_widget_class_bind_template_child (widget_class, RsSweepPage, points_spin);
  gtk_widget_class_bind_template_child (widget_class, RsSweepPage, spacing_dropdown);
  gtk_widget_class_bind_template_child (widget_class, RsSweepPage, start_button);
  gtk_widget_class_bind_template_child (widget_class, RsSweepPage, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, RsSweepPage, best_button);
  gtk_widget_class_bind_template_child (widget_class, RsSweepPage, progress);
  gtk_widget_class_bind_template_child (widget_class, RsSweepPage, status_label);
  gtk_widget_class_bind_template_child (widget_class, RsSweepPage, curve_area);
  gtk_widget_class_bind_template_child (widget_class, RsSweepPage, path_area);
}

static void
rs_sweep_page_init (RsSweepPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->selected = NAN;
  gtk_drawing_area_set_draw_func (self->curve_area, draw_area, self, NULL);
  gtk_drawing_area_set_draw_func (self->path_area, draw_area, self, NULL);
  GtkWidget *areas[] = { GTK_WIDGET (self->curve_area), GTK_WIDGET (self->path_area) };
  for (guint i = 0; i < G_N_ELEMENTS (areas); i++)
    {
      GtkGesture *click = gtk_gesture_click_new ();
      g_signal_connect (click, "released", G_CALLBACK (on_released), self);
      gtk_widget_add_controller (areas[i], GTK_EVENT_CONTROLLER (click));
    }
  g_signal_connect (self->term_dropdown, "notify::selected", G_CALLBACK (on_term_selected), self);
  g_signal_connect_swapped (self->from_entry, "changed", G_CALLBACK (on_edited), self);
  g_signal_connect_swapped (self->to_entry, "changed", G_CALLBACK (on_edited), self);
  g_signal_connect_swapped (self->points_spin, "value-changed", G_CALLBACK (on_edited), self);
  g_signal_connect_swapped (self->spacing_dropdown, "notify::selected", G_CALLBACK (on_edited),
                            self);
  rs_ui_set_accessible_label (GTK_WIDGET (self->progress), _("Sweep progress"));
  update_accessible_names (self);
  update_status (self);
}

GtkWidget *
rs_sweep_page_new (void)
{
  return g_object_new (RS_TYPE_SWEEP_PAGE, NULL);
}
