/* rs-dataset.h — labelled classification data: generators, CSV files,
 * IDX files, the shipped UCI sets, train/validation split, standardisation,
 * batching.
 *
 * One owner per buffer: an RsDataset owns x, y and class_names. */
#pragma once

#include <glib.h>
#include <stdint.h>

G_BEGIN_DECLS

typedef enum {
  RS_DATA_RANDOM,        /* seed-style: x ~ N(0,1), labels uniform */
  RS_DATA_SPIRALS,       /* 2-D, `classes` interleaved arms */
  RS_DATA_MOONS,         /* 2-D, two half circles (classes must be 2) */
  RS_DATA_CIRCLES,       /* 2-D, concentric rings, one per class */
  RS_DATA_XOR,           /* 2-D, quadrants, 2 classes */
  RS_DATA_BLOBS,         /* `features`-D Gaussian clusters, one per class */
  RS_DATA_CSV,           /* a CSV file */
  RS_DATA_DIGITS,        /* shipped: 1797 x 64 (8x8 images), 10 classes */
  RS_DATA_IRIS,          /* shipped: 150 x 4, 3 classes */
  RS_DATA_WINE,          /* shipped: 178 x 13, 3 classes */
  RS_DATA_BREAST_CANCER, /* shipped: 569 x 30, 2 classes */
  RS_DATA_IDX,           /* a folder of IDX files (Fashion-MNIST), with a test set */
} RsDataSource;

typedef struct {
  int n;              /* samples */
  int features;       /* columns of x */
  int classes;        /* labels are 0 .. classes-1 */
  float *x;           /* n * features, row-major */
  int32_t *y;         /* n */
  char **class_names; /* NULL-terminated, `classes` entries, or NULL */
  int image_w;        /* > 0 when each row is an image_w x image_h picture */
  int image_h;
} RsDataset;

/* "random", "spirals", ..., "digits", "breast-cancer"; "csv" for RS_DATA_CSV,
 * "idx" for RS_DATA_IDX. */
const char  *rs_data_source_to_string   (RsDataSource source);
gboolean     rs_data_source_from_string (const char *name, RsDataSource *out);
/* TRUE for the generators whose points live in the plane (decision boundary). */
gboolean     rs_data_source_is_2d       (RsDataSource source);

RsDataset   *rs_dataset_new  (int n, int features, int classes);
RsDataset   *rs_dataset_copy (const RsDataset *data);
void         rs_dataset_free (RsDataset *data);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RsDataset, rs_dataset_free)

/* Generators. `features` is used by RS_DATA_RANDOM and RS_DATA_BLOBS; the
 * 2-D generators require features == 2. Deterministic in `seed`.
 * `noise` is the stddev of Gaussian noise added to the 2-D generators'
 * points; random and blobs ignore it (blob clusters have unit variance).
 * Limits: 1 <= samples <= 10,000,000; 2 <= classes <= min (1000, samples).
 * class_names is NULL. */
RsDataset   *rs_dataset_generate (RsDataSource source, int samples, int features,
                                  int classes, double noise, guint64 seed,
                                  GError **error);

typedef enum {
  RS_CSV_HEADER_NONE,     /* the first line is a data row */
  RS_CSV_HEADER_NAMES,    /* column names */
  RS_CSV_HEADER_SKLEARN,  /* scikit-learn's "n_samples,n_features,class names..." */
} RsCsvHeader;

/* How many data rows RsCsvInfo keeps for a preview. */
#define RS_CSV_PREVIEW_ROWS 5

/* What the reader found besides the numbers, for a preview before
 * training; filled on success when RsCsvOptions.info is set, and left
 * empty on failure. Start it zeroed; free the contents with
 * rs_csv_info_clear(). */
typedef struct {
  RsCsvHeader header;
  char        separator;      /* ',' or ';' */
  int         columns;        /* in the file, a dropped index column included */
  int         label_column;   /* 0-based */
  int         index_column;   /* 0-based pandas index column that was dropped, or -1 */
  char      **column_names;   /* RS_CSV_HEADER_NAMES: `columns` names; else NULL */
  int         n_rows;         /* kept rows: at most RS_CSV_PREVIEW_ROWS */
  char      **rows[RS_CSV_PREVIEW_ROWS]; /* the first data rows' fields, as written */
} RsCsvInfo;

void         rs_csv_info_clear (RsCsvInfo *info);

/* How to read a CSV file; NULL means all defaults. */
typedef struct {
  /* Which column holds the class: NULL, "" or "last" for the last one; a
   * number is a position counted from 1 (as the error messages count);
   * anything else is a name in the header. */
  const char *label_column;
  RsCsvInfo  *info;           /* out, may be NULL: see RsCsvInfo */
} RsCsvOptions;

/* A CSV file: an optional UTF-8 BOM; a first line that is either
 *   - scikit-learn's header "n_samples,n_features,class names..." or
 *   - column names or
 *   - already a data row (numbers, and the label);
 * then one row per sample: numeric features and the label (the last
 * column unless options->label_column says otherwise).
 *
 * - Separator: ';' if the first line has one outside double quotes, else
 *   ','. Where ';' separates, a number may have a decimal comma ("5,1").
 * - Labels: if the first data row's label is a number, every label is a
 *   class number (an integer >= 0; with a scikit-learn header, below its
 *   class count). Class numbers whose set is exactly {1, ..., K}, K >= 2,
 *   become 0..K-1 (K classes, not K+1), with class_names "1".."K".
 *   Otherwise every label is a class name ("setosa"): the classes are the
 *   different names in sorted (byte) order, as sklearn's LabelEncoder
 *   numbers them, kept in class_names; with a scikit-learn header a name
 *   must be one of the header's classes.
 * - pandas' index: a first column whose header name is empty (or
 *   "Unnamed: 0") is dropped. A first feature column holding 0, 1, 2, ...
 *   (or 1, 2, 3, ...) row by row is refused as an index, naming it.
 * CRLF and a missing final newline are fine. Errors name the file, line and
 * column: "data.csv:17: column 3: 'abc' is not a number". */
RsDataset   *rs_dataset_load_csv (const char *path, GError **error);
RsDataset   *rs_dataset_load_csv_with (const char *path, const RsCsvOptions *options,
                                       GError **error);
/* The same format and limits from text already in memory (len bytes, no
 * terminating NUL needed); messages start with name_for_errors ("<memory>"
 * when NULL) instead of the file name. */
RsDataset   *rs_dataset_parse_csv (const char *data, gsize len,
                                   const char *name_for_errors, GError **error);
RsDataset   *rs_dataset_parse_csv_with (const char *data, gsize len,
                                        const char *name_for_errors,
                                        const RsCsvOptions *options, GError **error);

/* TRUE for what RsCsvOptions.label_column accepts: NULL, "", "last", a
 * position from 1 to 1000000, or a name (anything else not all digits). */
gboolean     rs_csv_label_column_is_valid (const char *label_column);

/* Class k's name (from the file: a header, text labels, or "1".."K" for
 * labels counted from 1), or NULL when the classes are just numbers. */
const char  *rs_dataset_class_name (const RsDataset *data, int k);

/* What the data hold, in one line: "150 rows, 4 features, 3 classes:
 * setosa, versicolor, virginica" (the first 10 class names, then "..."). */
char        *rs_dataset_describe (const RsDataset *data);

/* IDX files (the MNIST format: a magic, big-endian sizes, row-major
 * elements), each gzip'd or not (told by gzip's magic). Images are unsigned
 * bytes of 2 or 3 dimensions (n x features or n x height x width; 3 sets
 * image_w and image_h); pixels 0..255 become x = 0..1. Labels are unsigned
 * bytes of 1 dimension, as many as images; classes = largest label + 1.
 * Errors name the file: "t10k-labels-idx1-ubyte.gz: truncated in the
 * labels", "...: 100 labels for the 200 images of ...". */
RsDataset   *rs_dataset_load_idx (const char *images_path, const char *labels_path,
                                  GError **error);
/* The same from bytes in memory (either may be gzip'd); names for errors. */
RsDataset   *rs_dataset_parse_idx (const guint8 *images, gsize images_len,
                                   const char *images_name,
                                   const guint8 *labels, gsize labels_len,
                                   const char *labels_name, GError **error);
/* A folder laid out as MNIST and Fashion-MNIST ship: train-images-idx3-ubyte,
 * train-labels-idx1-ubyte and, optionally, the test set t10k-images-idx3-ubyte,
 * t10k-labels-idx1-ubyte (each may end in .gz). *test is NULL without the
 * t10k pair; with it, its images have the training images' size, its labels
 * are within the training classes and test->classes = train->classes. */
gboolean     rs_dataset_load_idx_dir (const char *dir, RsDataset **train,
                                      RsDataset **test, GError **error);

/* The shipped sets, read from `<datadir>/datasets/`. */
RsDataset   *rs_dataset_load_builtin (RsDataSource source, const char *datadir,
                                      GError **error);

/* Split by a seeded permutation: the first (1 - fraction) of the permuted
 * rows train, the rest validate. fraction == 0 gives *val = NULL and a copy
 * in *train (row order kept, so a CSV's order is the training order).
 * Both sides get at least one row when all->n >= 2; a single row trains
 * and *val is NULL. */
void         rs_dataset_split (const RsDataset *all, double validation_fraction,
                               guint64 seed, RsDataset **train, RsDataset **val);

/* Standardise every feature to zero mean, unit variance using the training
 * set's statistics (constant columns are left centred). val and test may
 * be NULL. */
void         rs_dataset_standardize (RsDataset *train, RsDataset *val, RsDataset *test);

G_END_DECLS
