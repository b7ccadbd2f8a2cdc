/* rs-plot-view.c — GtkWidget that shows one rs_plot_*_draw picture.
 *
 * The view owns no plot logic: it keeps the latest snapshot, a style
 * (light/dark from the window, presentation size, log axes) and hands
 * both to rs_plot_draw_kind(), the function the exporter calls too.
 *
 * The picture is drawn into a client-side cairo image, as the PNG export
 * is, and painted from there: the renderer never replays thousands of
 * curve points (on X11 with the cairo renderer that replay went through
 * the X server). While training, a new snapshot is drawn on a worker
 * thread and the view is queued for a frame only when the picture is
 * done, so the frame clock never waits for an expensive plot (a full-size
 * dashboard takes several ms). Snapshots are immutable
 * and the plots are cairo and GLib only, so that is safe. Anything else
 * that changes the picture (size, scale, style, kind, baseline, the page
 * being shown again) is drawn at once, in the frame. So is the first
 * snapshot after a control change, as soon as it arrives: a lambda just
 * moved is on screen with the next frame (one slow frame on a click), not
 * behind the picture the render thread is drawing.
 *
 * (A cairo node, not a GdkTexture: GTK 4.8's cairo renderer converts a
 * texture's pixels through floats each time it draws it, which made the
 * frames slower than before.) */
#include "rs-plot-view.h"

#include <glib/gi18n.h>
#include <string.h>

#include "rs-plot-describe.h"
#include "rs-plot-loss.h"
#include "rs-render-thread.h"
#include "rs-ui.h"

/* A screen reader hears the plot's description when it changes; a new
 * one every snapshot (up to 30 a second) would be noise, and costs a
 * string per view per snapshot. */
#define RS_DESCRIBE_INTERVAL_US G_USEC_PER_SEC

static RsPlotViewClock describe_clock = g_get_monotonic_time;

static void describe_now (RsPlotView *self);

struct _RsPlotView
{
  GtkWidget parent_instance;

  RsPlotKind     kind;
  RsSnapshot    *snap;
  RsSnapshot    *baseline;       /* the pinned run, or NULL */
  RsSnapshot    *twin;           /* a twin's B (the loss plot draws both), or NULL */
  char          *twin_label[2];  /* "A: fc1 L1 0", "B: fc1 L1 0.01" */
  char          *subject;        /* whose plot, for its name ("B"), or NULL */
  gboolean       dark;
  gboolean       presentation;
  gboolean       log_y;
  gboolean       log_bins;

  /* the picture */
  cairo_surface_t *picture;      /* NULL: none yet, or it no longer applies */
  RsSnapshot    *picture_snap;   /* what it shows */
  int            picture_width, picture_height, picture_scale;
  guint          generation;     /* bumped by every change but a new snapshot */
  GCancellable  *render;         /* the render in flight, NULL if none */
  RsSnapshot    *drawn_snap;     /* what the last snapshot() put on screen */

  /* the accessible description */
  RsSnapshot    *described_snap; /* what it says (a reference, compared only) */
  gboolean       described;      /* described_snap is valid */
  gint64         described_us;   /* when, on describe_clock */
  guint          describe_id;    /* one-shot: the last snapshot of a burst */
};

typedef struct {
  RsPlotKind     kind;
  RsPlotStyle    style;
  RsSnapshot    *snap;           /* may be NULL: an empty plot area */
  RsSnapshot    *baseline;       /* may be NULL */
  RsSnapshot    *twin;           /* may be NULL */
  char          *twin_label[2];
  int            width, height, scale;
  guint          generation;
} RenderJob;

G_DEFINE_FINAL_TYPE (RsPlotView, rs_plot_view, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_KIND,
  PROP_DARK,
  PROP_PRESENTATION,
  PROP_LOG_Y,
  PROP_LOG_BINS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

GType
rs_plot_kind_get_type (void)
{
  static gsize type_id = 0;
  /* Nicks are rs_plot_kind_to_string()'s names, so .ui files say
   * <property name="kind">loss</property>. */
  static const GEnumValue values[] = {
    { RS_PLOT_DASHBOARD,      "RS_PLOT_DASHBOARD",      "dashboard" },
    { RS_PLOT_LOSS,           "RS_PLOT_LOSS",           "loss" },
    { RS_PLOT_HISTOGRAMS,     "RS_PLOT_HISTOGRAMS",     "histograms" },
    { RS_PLOT_HISTOGRAM_TIME, "RS_PLOT_HISTOGRAM_TIME", "histogram-time" },
    { RS_PLOT_WEIGHTS,        "RS_PLOT_WEIGHTS",        "weights" },
    { RS_PLOT_ACTIVATIONS,    "RS_PLOT_ACTIVATIONS",    "activations" },
    { RS_PLOT_DIGIT_TILES,    "RS_PLOT_DIGIT_TILES",    "digit-tiles" },
    { RS_PLOT_BOUNDARY,       "RS_PLOT_BOUNDARY",       "boundary" },
    { RS_PLOT_CONFUSION,      "RS_PLOT_CONFUSION",      "confusion" },
    { 0, NULL, NULL }
  };

  if (g_once_init_enter (&type_id))
    {
      GType type = g_enum_register_static (g_intern_static_string ("RsPlotKind"), values);
      g_once_init_leave (&type_id, type);
    }
  return type_id;
}

void
rs_plot_view_get_style (RsPlotView  *self,
                        RsPlotStyle *style)
{
  g_return_if_fail (RS_IS_PLOT_VIEW (self));

  rs_plot_style_init (style, self->dark ? RS_PLOT_THEME_DARK : RS_PLOT_THEME_LIGHT,
                      self->presentation);
  style->log_y = self->log_y;
  style->log_bins = self->log_bins;
}

static RenderJob *
render_job_new (RsPlotView *self,
                int         width,
                int         height,
                int         scale)
{
  RenderJob *job = g_new0 (RenderJob, 1);

  job->kind = self->kind;
  rs_plot_view_get_style (self, &job->style);
  job->snap = self->snap != NULL ? rs_snapshot_ref (self->snap) : NULL;
  /* snapshots are immutable: the job may draw the pinned run while the
   * view replaces it */
  job->baseline = self->baseline != NULL ? rs_snapshot_ref (self->baseline) : NULL;
  job->twin = self->twin != NULL ? rs_snapshot_ref (self->twin) : NULL;
  for (int r = 0; r < 2; r++)
    job->twin_label[r] = g_strdup (self->twin_label[r]);
  job->width = width;
  job->height = height;
  job->scale = scale;
  job->generation = self->generation;
  return job;
}

static void
render_job_free (gpointer data)
{
  RenderJob *job = data;

  g_clear_pointer (&job->snap, rs_snapshot_unref);
  g_clear_pointer (&job->baseline, rs_snapshot_unref);
  g_clear_pointer (&job->twin, rs_snapshot_unref);
  for (int r = 0; r < 2; r++)
    g_free (job->twin_label[r]);
  g_free (job);
}

/* Any thread. NULL when cairo cannot make the image (absurd sizes). The
 * plots paint an opaque background, so the image has no alpha channel:
 * the renderer then copies it into the frame instead of blending every
 * pixel (a full-size plot is half a million pixels, every frame). */
static cairo_surface_t *
render_job_draw (const RenderJob *job)
{
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24,
                                                         job->width * job->scale,
                                                         job->height * job->scale);
  if (cairo_surface_status (surface) != CAIRO_STATUS_SUCCESS)
    {
      cairo_surface_destroy (surface);
      return NULL;
    }
  cairo_surface_set_device_scale (surface, job->scale, job->scale);

  cairo_t *cr = cairo_create (surface);
  if (job->snap != NULL && job->twin != NULL && job->kind == RS_PLOT_LOSS)
    rs_plot_loss_twin_draw (cr, &job->style, job->snap, job->twin, job->twin_label[0],
                            job->twin_label[1], job->width, job->height);
  else if (job->snap != NULL)
    rs_plot_draw_kind (cr, job->kind, &job->style, job->snap, job->baseline,
                       job->width, job->height);
  else
    {
      const RsColor *bg = &job->style.background;
      cairo_set_source_rgba (cr, bg->r, bg->g, bg->b, bg->a);
      cairo_paint (cr);
    }
  cairo_destroy (cr);
  cairo_surface_flush (surface);
  return surface;
}

/* Takes `surface` as the picture of `job`. */
static void
show_surface (RsPlotView      *self,
              const RenderJob *job,
              cairo_surface_t *surface)
{
  g_clear_pointer (&self->picture, cairo_surface_destroy);
  self->picture = cairo_surface_reference (surface);
  g_clear_pointer (&self->picture_snap, rs_snapshot_unref);
  self->picture_snap = job->snap != NULL ? rs_snapshot_ref (job->snap) : NULL;
  self->picture_width = job->width;
  self->picture_height = job->height;
  self->picture_scale = job->scale;
}

static gboolean
picture_fits (RsPlotView *self)
{
  GtkWidget *widget = GTK_WIDGET (self);

  return self->picture != NULL
         && gtk_widget_get_width (widget) == self->picture_width
         && gtk_widget_get_height (widget) == self->picture_height
         && gtk_widget_get_scale_factor (widget) == self->picture_scale;
}

static void
cancel_render (RsPlotView *self)
{
  if (self->render == NULL)
    return;
  g_cancellable_cancel (self->render);
  g_clear_object (&self->render);
}

/* The picture no longer applies: the next frame draws a new one at once. */
static void
invalidate (RsPlotView *self)
{
  self->generation++;
  cancel_render (self);
  g_clear_pointer (&self->picture, cairo_surface_destroy);
  g_clear_pointer (&self->picture_snap, rs_snapshot_unref);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* A picture drawn off the main thread. Everything in it is taken and let
 * go on the main thread; the worker only fills in `surface`. */
typedef struct {
  RsPlotView      *view;         /* a reference */
  RenderJob       *job;
  GCancellable    *cancellable;  /* a reference */
  cairo_surface_t *surface;      /* the result, NULL if cancelled or failed */
} Render;

static void start_render (RsPlotView *self);

/* Main thread: shows the picture if nothing has changed it meanwhile. */
static void
render_done (gpointer data)
{
  Render *render = data;
  RsPlotView *self = render->view;
  RenderJob *job = render->job;

  if (self->render == render->cancellable)
    g_clear_object (&self->render);
  if (render->surface != NULL && !g_cancellable_is_cancelled (render->cancellable)
      && job->generation == self->generation && self->picture != NULL
      && job->width == self->picture_width && job->height == self->picture_height
      && job->scale == self->picture_scale)
    {
      show_surface (self, job, render->surface);
      gtk_widget_queue_draw (GTK_WIDGET (self));
      /* A newer snapshot came while this one was drawn. */
      if (self->picture_snap != self->snap && self->render == NULL && picture_fits (self))
        start_render (self);
    }

  g_clear_pointer (&render->surface, cairo_surface_destroy);
  render_job_free (render->job);
  g_object_unref (render->cancellable);
  g_object_unref (render->view);
  g_free (render);
}

/* On the render thread. */
static void
render_work (gpointer data)
{
  Render *render = data;

  if (!g_cancellable_is_cancelled (render->cancellable))
    render->surface = render_job_draw (render->job);
}

static void
start_render (RsPlotView *self)
{
  Render *render = g_new0 (Render, 1);

  self->render = g_cancellable_new ();
  render->view = g_object_ref (self);
  render->job = render_job_new (self, self->picture_width, self->picture_height,
                                self->picture_scale);
  render->cancellable = g_object_ref (self->render);
  rs_render_thread_push (render_work, render_done, render);
}

/* Draws the picture on the main thread, now. */
static void
draw_now (RsPlotView *self)
{
  GtkWidget *widget = GTK_WIDGET (self);

  self->generation++;   /* a render in flight is older */
  cancel_render (self);
  RenderJob *job = render_job_new (self, gtk_widget_get_width (widget),
                                   gtk_widget_get_height (widget),
                                   gtk_widget_get_scale_factor (widget));
  cairo_surface_t *surface = render_job_draw (job);
  if (surface != NULL)
    show_surface (self, job, surface);
  g_clear_pointer (&surface, cairo_surface_destroy);
  render_job_free (job);
}

static void
rs_plot_view_snapshot (GtkWidget   *widget,
                       GtkSnapshot *snapshot)
{
  RsPlotView *self = RS_PLOT_VIEW (widget);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);

  if (width <= 0 || height <= 0)
    return;

  if (!picture_fits (self))
    draw_now (self);   /* nothing that fits: this frame is exact */
  else if (self->picture_snap != self->snap && self->render == NULL)
    start_render (self);

  g_clear_pointer (&self->drawn_snap, rs_snapshot_unref);
  if (self->picture == NULL)
    return;
  cairo_t *cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));
  cairo_set_source_surface (cr, self->picture, 0, 0);
  cairo_paint (cr);
  cairo_destroy (cr);
  self->drawn_snap = self->picture_snap != NULL ? rs_snapshot_ref (self->picture_snap) : NULL;
}

static void
rs_plot_view_map (GtkWidget *widget)
{
  RsPlotView *self = RS_PLOT_VIEW (widget);

  GTK_WIDGET_CLASS (rs_plot_view_parent_class)->map (widget);

  if (!self->described || self->described_snap != self->snap)
    describe_now (self);
}

static void
rs_plot_view_unmap (GtkWidget *widget)
{
  RsPlotView *self = RS_PLOT_VIEW (widget);

  GTK_WIDGET_CLASS (rs_plot_view_parent_class)->unmap (widget);

  /* A hidden page keeps no picture (a full-size image each) and draws a
   * fresh one when it is shown again. */
  invalidate (self);
  g_clear_pointer (&self->drawn_snap, rs_snapshot_unref);
}

static void
rs_plot_view_measure (GtkWidget      *widget,
                      GtkOrientation  orientation,
                      int             for_size,
                      int            *minimum,
                      int            *natural,
                      int            *minimum_baseline,
                      int            *natural_baseline)
{
  /* Small enough to share a page with another plot, large enough that the
   * axes stay readable. */
  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      /* a square matrix beside another plot wants less width */
      RsPlotView *self = RS_PLOT_VIEW (widget);
      *minimum = 240;
      *natural = self->kind == RS_PLOT_CONFUSION ? 420 : 640;
    }
  else
    {
      *minimum = 160;
      *natural = 420;
    }
}

static GtkSizeRequestMode
rs_plot_view_get_request_mode (GtkWidget *widget)
{
  return GTK_SIZE_REQUEST_CONSTANT_SIZE;
}

static void
rs_plot_view_dispose (GObject *object)
{
  RsPlotView *self = RS_PLOT_VIEW (object);

  cancel_render (self);
  g_clear_handle_id (&self->describe_id, g_source_remove);
  g_clear_pointer (&self->picture, cairo_surface_destroy);
  g_clear_pointer (&self->picture_snap, rs_snapshot_unref);
  g_clear_pointer (&self->drawn_snap, rs_snapshot_unref);
  g_clear_pointer (&self->described_snap, rs_snapshot_unref);

  G_OBJECT_CLASS (rs_plot_view_parent_class)->dispose (object);
}

static void
rs_plot_view_finalize (GObject *object)
{
  RsPlotView *self = RS_PLOT_VIEW (object);

  g_clear_pointer (&self->snap, rs_snapshot_unref);
  g_clear_pointer (&self->baseline, rs_snapshot_unref);
  g_clear_pointer (&self->twin, rs_snapshot_unref);
  for (int r = 0; r < 2; r++)
    g_free (self->twin_label[r]);
  g_free (self->subject);

  G_OBJECT_CLASS (rs_plot_view_parent_class)->finalize (object);
}

static void
set_flag (RsPlotView *self,
          gboolean   *field,
          gboolean    value,
          int         prop_id)
{
  value = !!value;
  if (*field == value)
    return;
  *field = value;
  invalidate (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop_id]);
}

static void
rs_plot_view_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  RsPlotView *self = RS_PLOT_VIEW (object);

  switch (prop_id)
    {
    case PROP_KIND:
      g_value_set_enum (value, self->kind);
      break;
    case PROP_DARK:
      g_value_set_boolean (value, self->dark);
      break;
    case PROP_PRESENTATION:
      g_value_set_boolean (value, self->presentation);
      break;
    case PROP_LOG_Y:
      g_value_set_boolean (value, self->log_y);
      break;
    case PROP_LOG_BINS:
      g_value_set_boolean (value, self->log_bins);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rs_plot_view_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  RsPlotView *self = RS_PLOT_VIEW (object);

  switch (prop_id)
    {
    case PROP_KIND:
      rs_plot_view_set_kind (self, g_value_get_enum (value));
      break;
    case PROP_DARK:
      set_flag (self, &self->dark, g_value_get_boolean (value), prop_id);
      break;
    case PROP_PRESENTATION:
      set_flag (self, &self->presentation, g_value_get_boolean (value), prop_id);
      break;
    case PROP_LOG_Y:
      set_flag (self, &self->log_y, g_value_get_boolean (value), prop_id);
      break;
    case PROP_LOG_BINS:
      set_flag (self, &self->log_bins, g_value_get_boolean (value), prop_id);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rs_plot_view_class_init (RsPlotViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = rs_plot_view_dispose;
  object_class->finalize = rs_plot_view_finalize;
  object_class->get_property = rs_plot_view_get_property;
  object_class->set_property = rs_plot_view_set_property;

  widget_class->snapshot = rs_plot_view_snapshot;
  widget_class->map = rs_plot_view_map;
  widget_class->unmap = rs_plot_view_unmap;
  widget_class->measure = rs_plot_view_measure;
  widget_class->get_request_mode = rs_plot_view_get_request_mode;

  properties[PROP_KIND] =
    g_param_spec_enum ("kind", NULL, NULL, RS_TYPE_PLOT_KIND, RS_PLOT_LOSS,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_DARK] =
    g_param_spec_boolean ("dark", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PRESENTATION] =
    g_param_spec_boolean ("presentation", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LOG_Y] =
    g_param_spec_boolean ("log-y", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LOG_BINS] =
    g_param_spec_boolean ("log-bins", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_css_name (widget_class, "plotview");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

/* The plot's name for a screen reader: the kind in words, not its file
 * name ("Weight histograms over time", not "histogram-time"). */
static void
update_label (RsPlotView *self)
{
  /* TRANSLATORS: a plot's accessible name: whose ("B") and which */
  g_autofree char *name = self->subject != NULL
                          ? g_strdup_printf (_("%s: %s"), self->subject,
                                             rs_plot_kind_title (self->kind))
                          : NULL;
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  name != NULL ? name : rs_plot_kind_title (self->kind), -1);
}

void
rs_plot_view_set_subject (RsPlotView *self, const char *subject)
{
  g_return_if_fail (RS_IS_PLOT_VIEW (self));

  g_free (self->subject);
  self->subject = g_strdup (subject);
  update_label (self);
}

static void
rs_plot_view_init (RsPlotView *self)
{
  self->kind = RS_PLOT_LOSS;
  /* The default kind is never "set": it is named and described here. */
  update_label (self);
  describe_now (self);
  gtk_widget_set_hexpand (GTK_WIDGET (self), TRUE);
  gtk_widget_set_vexpand (GTK_WIDGET (self), TRUE);
  gtk_widget_set_overflow (GTK_WIDGET (self), GTK_OVERFLOW_HIDDEN);
}

GtkWidget *
rs_plot_view_new (RsPlotKind kind)
{
  return g_object_new (RS_TYPE_PLOT_VIEW, "kind", kind, NULL);
}

RsPlotKind
rs_plot_view_get_kind (RsPlotView *self)
{
  g_return_val_if_fail (RS_IS_PLOT_VIEW (self), RS_PLOT_LOSS);

  return self->kind;
}

void
rs_plot_view_set_kind (RsPlotView *self,
                       RsPlotKind  kind)
{
  g_return_if_fail (RS_IS_PLOT_VIEW (self));
  g_return_if_fail (kind < RS_PLOT_N_KINDS);

  if (self->kind == kind)
    return;
  self->kind = kind;
  update_label (self);
  describe_now (self);
  invalidate (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_KIND]);
}

/* The description says what the picture shows now: the kind's words for
 * the current snapshot. */
static void
describe_now (RsPlotView *self)
{
  g_autofree char *text = rs_plot_describe (self->kind, self->snap);

  g_clear_handle_id (&self->describe_id, g_source_remove);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, text, -1);
  g_clear_pointer (&self->described_snap, rs_snapshot_unref);
  self->described_snap = self->snap != NULL ? rs_snapshot_ref (self->snap) : NULL;
  self->described = TRUE;
  self->described_us = describe_clock ();
}

static gboolean
describe_later_cb (gpointer data)
{
  RsPlotView *self = data;

  self->describe_id = 0;
  describe_now (self);
  return G_SOURCE_REMOVE;
}

/* At most once per RS_DESCRIBE_INTERVAL_US, driven by new snapshots: the
 * first of a burst at once, the last one when the interval is over (a
 * one-shot timeout, armed only while a newer snapshot waits, so nothing
 * runs while the trainer is idle). */
static void
describe_limited (RsPlotView *self)
{
  /* A hidden page is described when it is shown. */
  if (!gtk_widget_get_mapped (GTK_WIDGET (self)))
    {
      self->described = FALSE;
      return;
    }
  if (self->described && self->described_snap == self->snap)
    return;
  gint64 wait = self->described
                ? self->described_us + RS_DESCRIBE_INTERVAL_US - describe_clock () : 0;
  if (wait <= 0)
    describe_now (self);
  else if (self->describe_id == 0)
    self->describe_id = g_timeout_add ((guint) ((wait + 999) / 1000), describe_later_cb, self);
}

void
rs_plot_view_set_clock (RsPlotViewClock clock)
{
  describe_clock = clock != NULL ? clock : g_get_monotonic_time;
}

/* Whether `snap` records a control change (an event: a lambda, the
 * optimizer) that `old` does not. */
static gboolean
has_new_event (const RsSnapshot *snap,
               const RsSnapshot *old)
{
  const RsHistory *h = snap != NULL ? snap->history : NULL;
  const RsHistory *o = old != NULL ? old->history : NULL;

  if (h == NULL || h->n_events == 0)
    return FALSE;
  if (o == NULL || o->n_events != h->n_events)
    return TRUE;

  const RsEvent *a = &h->events[h->n_events - 1];
  const RsEvent *b = &o->events[o->n_events - 1];
  return a->step != b->step || a->layer != b->layer || a->new_value != b->new_value
         || strcmp (a->key, b->key) != 0;
}

void
rs_plot_view_set_snapshot (RsPlotView *self,
                           RsSnapshot *snap)
{
  g_return_if_fail (RS_IS_PLOT_VIEW (self));

  if (snap == self->snap)
    return;
  if (snap != NULL)
    rs_snapshot_ref (snap);
  gboolean control_change = has_new_event (snap, self->snap);
  g_clear_pointer (&self->snap, rs_snapshot_unref);
  self->snap = snap;
  describe_limited (self);

  /* Hidden (an unmapped stack page): drawn when shown. After a control
   * change: drawn now. On screen with a picture that still fits: drawn
   * off the main thread, queued when done (a render in flight starts the
   * next one). Otherwise: in the next frame. */
  if (!gtk_widget_get_mapped (GTK_WIDGET (self)))
    return;
  if (control_change && gtk_widget_get_width (GTK_WIDGET (self)) > 0
      && gtk_widget_get_height (GTK_WIDGET (self)) > 0)
    {
      draw_now (self);
      gtk_widget_queue_draw (GTK_WIDGET (self));
    }
  else if (picture_fits (self))
    {
      if (self->render == NULL)
        start_render (self);
    }
  else
    gtk_widget_queue_draw (GTK_WIDGET (self));
}

RsSnapshot *
rs_plot_view_get_snapshot (RsPlotView *self)
{
  g_return_val_if_fail (RS_IS_PLOT_VIEW (self), NULL);

  return self->snap;
}

RsSnapshot *
rs_plot_view_get_drawn_snapshot (RsPlotView *self)
{
  g_return_val_if_fail (RS_IS_PLOT_VIEW (self), NULL);

  return self->drawn_snap;
}

void
rs_plot_view_set_baseline (RsPlotView *self,
                           RsSnapshot *baseline)
{
  g_return_if_fail (RS_IS_PLOT_VIEW (self));

  if (self->baseline == baseline)
    return;
  g_clear_pointer (&self->baseline, rs_snapshot_unref);
  self->baseline = baseline != NULL ? rs_snapshot_ref (baseline) : NULL;
  invalidate (self);
}

void
rs_plot_view_set_twin (RsPlotView *self, RsSnapshot *b, const char *label_a,
                       const char *label_b)
{
  g_return_if_fail (RS_IS_PLOT_VIEW (self));

  /* B arrives with each of A's snapshots: drawn with the next one, as a
   * new snapshot is; turning the twin on or off, or new names, redraw */
  gboolean redraw = (self->twin == NULL) != (b == NULL)
                    || g_strcmp0 (self->twin_label[0], label_a) != 0
                    || g_strcmp0 (self->twin_label[1], label_b) != 0;
  if (b != NULL)
    rs_snapshot_ref (b);
  g_clear_pointer (&self->twin, rs_snapshot_unref);
  self->twin = b;
  if (!redraw)
    return;
  g_free (self->twin_label[0]);
  g_free (self->twin_label[1]);
  self->twin_label[0] = g_strdup (label_a);
  self->twin_label[1] = g_strdup (label_b);
  invalidate (self);
}

RsSnapshot *
rs_plot_view_get_twin (RsPlotView *self)
{
  g_return_val_if_fail (RS_IS_PLOT_VIEW (self), NULL);

  return self->twin;
}

RsSnapshot *
rs_plot_view_get_baseline (RsPlotView *self)
{
  g_return_val_if_fail (RS_IS_PLOT_VIEW (self), NULL);

  return self->baseline;
}
