/* fuzz-common.h — what every regscope fuzzer checks besides "no crash".
 *
 * Included once by each harness (tests/fuzz/fuzz-*.c). */
#pragma once

#include <glib.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rs-error.h"

int LLVMFuzzerInitialize (int *argc, char ***argv);
int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

/* Stops the run so libFuzzer saves the input as a crash. */
G_GNUC_NORETURN static void fuzz_fail (const char *format, ...) G_GNUC_PRINTF (1, 2);

static void
fuzz_fail (const char *format, ...)
{
  va_list args;
  va_start (args, format);
  fputs ("fuzz: ", stderr);
  vfprintf (stderr, format, args);
  fputc ('\n', stderr);
  va_end (args);
  abort ();
}

/* A reader refused the input: the error must be the engine's and say what
 * went wrong in one non-empty line of UTF-8, as rs-error.h promises. */
static void
fuzz_check_error (const char *what, const GError *error)
{
  if (error == NULL)
    fuzz_fail ("%s failed without an error", what);
  if (error->domain != RS_ERROR)
    fuzz_fail ("%s: error from domain %s, not RS_ERROR: %s", what,
               g_quark_to_string (error->domain), error->message);
  if (error->message == NULL || error->message[0] == '\0')
    fuzz_fail ("%s: empty error message", what);
  if (strchr (error->message, '\n') != NULL)
    fuzz_fail ("%s: error message of more than one line: %s", what, error->message);
  if (!g_utf8_validate (error->message, -1, NULL))
    fuzz_fail ("%s: error message is not UTF-8: %s", what, error->message);
}

/* GLib criticals and warnings (a g_return_if_fail that fired, a bad
 * format) are bugs too: make them abort. */
int
LLVMFuzzerInitialize (int *argc, char ***argv)
{
  g_log_set_always_fatal (G_LOG_FATAL_MASK | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING);
  return 0;
}
