/* fuzz-preset.c — rs_experiment_load_from_data on arbitrary bytes.
 *
 * Checks: no crash, leak, hang or huge allocation; a refused input gives a
 * one-line RS_ERROR; an accepted preset validates, and writing it with
 * rs_experiment_to_ini and loading that back gives an equal experiment
 * (rs_experiment_equal) whose ini text is the same again: the round trip
 * the window's "Save preset" relies on. */
#include <string.h>

#include "fuzz-common.h"
#include "rs-experiment.h"

#define NAME "fuzz/preset.ini"

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  GError *error = NULL;
  RsExperiment *exp = rs_experiment_load_from_data (data != NULL ? (const char *) data : "",
                                                    size, NAME, &error);
  if (exp == NULL)
    {
      fuzz_check_error ("rs_experiment_load_from_data", error);
      g_error_free (error);
      return 0;
    }
  if (error != NULL)
    fuzz_fail ("load succeeded and set an error: %s", error->message);
  if (!rs_experiment_validate (exp, &error))
    fuzz_fail ("a loaded preset does not validate: %s", error->message);

  char *ini = rs_experiment_to_ini (exp);
  RsExperiment *again = rs_experiment_load_from_data (ini, strlen (ini), NAME, &error);
  if (again == NULL)
    fuzz_fail ("the written preset does not load: %s\n--- written:\n%s", error->message, ini);
  if (!rs_experiment_equal (exp, again))
    fuzz_fail ("the written preset loads as a different experiment\n--- written:\n%s", ini);
  char *ini2 = rs_experiment_to_ini (again);
  if (strcmp (ini, ini2) != 0)
    fuzz_fail ("writing is not stable\n--- first:\n%s--- second:\n%s", ini, ini2);

  g_free (ini2);
  g_free (ini);
  rs_experiment_free (again);
  rs_experiment_free (exp);
  return 0;
}
