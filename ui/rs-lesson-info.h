/* rs-lesson-info.h — the lesson's title, the description a teacher reads
 * out, and one line about the data and the model. */
#pragma once

#include <gtk/gtk.h>

#include "rs-experiment.h"

G_BEGIN_DECLS

#define RS_TYPE_LESSON_INFO (rs_lesson_info_get_type ())
G_DECLARE_FINAL_TYPE (RsLessonInfo, rs_lesson_info, RS, LESSON_INFO, GtkWidget)

GtkWidget *rs_lesson_info_new (void);

/* summary: "digits · 1797 samples (1347 train / 450 val) · 64-32-10 ReLU ·
 * Adam lr 0.001" (see rs_lesson_summary()). */
void       rs_lesson_info_set (RsLessonInfo *self, const RsExperiment *exp,
                               const char *summary);

/* Compact (presentation mode, large text): the data-and-model line is
 * left out. */
void       rs_lesson_info_set_compact (RsLessonInfo *self, gboolean compact);

/* "iris" or the file's name; "4-32-3". */
void       rs_lesson_append_data_name (GString *s, const RsExperiment *exp);
void       rs_lesson_append_sizes (GString *s, const RsExperiment *exp);

/* The summary line from the experiment and the split the session made. */
char      *rs_lesson_summary (const RsExperiment *exp, int n_train, int n_val);

G_END_DECLS
