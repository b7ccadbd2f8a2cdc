/* rs-cli.h — the headless command line (`regscope-train`), also used by
 * `regscope` when there is no display. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Runs `regscope-train` with these arguments (argv[0] is the program name).
 * Returns the process exit status: 0 on success, 1 on bad input or a
 * diverged run, 2 on a usage error. */
int rs_cli_main (int argc, char **argv);

G_END_DECLS
