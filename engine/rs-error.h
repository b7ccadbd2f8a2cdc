/* rs-error.h — the one error domain of the engine.
 *
 * Every message is one line that names the file and the place
 * ("presets/x.ini: [layer fc1] l1: must be >= 0, got -1"), so the CLI can
 * print it as it is and the window can show it in a dialog. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define RS_ERROR (rs_error_quark ())

typedef enum {
  RS_ERROR_IO,        /* a file could not be read or written */
  RS_ERROR_PARSE,     /* a file's syntax is wrong (CSV, INI, JSON header) */
  RS_ERROR_VALUE,     /* a value is out of range or of the wrong kind */
  RS_ERROR_SHAPE,     /* sizes do not agree (tensor shapes, data width vs model) */
  RS_ERROR_DIVERGED,  /* the loss became NaN or infinite */
} RsErrorCode;

GQuark rs_error_quark (void);

G_END_DECLS
