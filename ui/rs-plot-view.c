/* rs-plot-view.c — GtkWidget whose snapshot() is an rs_plot_*_draw call.
 *
 * The view owns no plot logic: it keeps the latest snapshot, a style
 * (light/dark from the window, presentation size, log axes) and hands
 * both to rs_plot_draw_kind(), the function the exporter calls too. */
#include "rs-plot-view.h"

#include "rs-ui.h"

struct _RsPlotView
{
  GtkWidget parent_instance;

  RsPlotKind  kind;
  RsSnapshot *snap;
  RsHistory  *baseline;
  gboolean    dark;
  gboolean    presentation;
  gboolean    log_y;
  gboolean    log_bins;
};

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

static void
rs_plot_view_snapshot (GtkWidget   *widget,
                       GtkSnapshot *snapshot)
{
  RsPlotView *self = RS_PLOT_VIEW (widget);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  RsPlotStyle style;

  if (width <= 0 || height <= 0)
    return;

  rs_plot_view_get_style (self, &style);

  cairo_t *cr = gtk_snapshot_append_cairo (snapshot,
                                           &GRAPHENE_RECT_INIT (0, 0, width, height));
  if (self->snap != NULL)
    rs_plot_draw_kind (cr, self->kind, &style, self->snap, self->baseline, width, height);
  else
    {
      cairo_set_source_rgba (cr, style.background.r, style.background.g,
                             style.background.b, style.background.a);
      cairo_paint (cr);
    }
  cairo_destroy (cr);
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
      *minimum = 240;
      *natural = 640;
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
rs_plot_view_finalize (GObject *object)
{
  RsPlotView *self = RS_PLOT_VIEW (object);

  g_clear_pointer (&self->snap, rs_snapshot_unref);
  g_clear_pointer (&self->baseline, rs_history_free);

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
  gtk_widget_queue_draw (GTK_WIDGET (self));
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

  object_class->finalize = rs_plot_view_finalize;
  object_class->get_property = rs_plot_view_get_property;
  object_class->set_property = rs_plot_view_set_property;

  widget_class->snapshot = rs_plot_view_snapshot;
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

static void
rs_plot_view_init (RsPlotView *self)
{
  self->kind = RS_PLOT_LOSS;
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
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  rs_plot_kind_to_string (kind), -1);
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_KIND]);
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
  g_clear_pointer (&self->snap, rs_snapshot_unref);
  self->snap = snap;
  /* A hidden stack page is unmapped: queueing costs nothing there. */
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

RsSnapshot *
rs_plot_view_get_snapshot (RsPlotView *self)
{
  g_return_val_if_fail (RS_IS_PLOT_VIEW (self), NULL);

  return self->snap;
}

void
rs_plot_view_set_baseline (RsPlotView      *self,
                           const RsHistory *baseline)
{
  g_return_if_fail (RS_IS_PLOT_VIEW (self));

  g_clear_pointer (&self->baseline, rs_history_free);
  if (baseline != NULL)
    self->baseline = rs_history_copy (baseline);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}
