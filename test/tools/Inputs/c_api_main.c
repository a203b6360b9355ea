/*===- c_api_main.c - drive a quantc-generated library through its C API ---===*
 *
 * Built by test/tools/c-api.test against libmlp.so and the mlp.h that
 * `quantc compile` writes beside it (and by c-api-resnet18.test for ResNet-18). It
 *   - prints the model's inputs and outputs as the context reports them,
 *   - runs it on deterministic inputs in [-1, 1] (element j of every input is
 *     sin(j * 0.01), image-like in scale for CNNs too),
 *     with caller-owned and with library-owned output buffers, and on a second
 *     context, and checks the three agree bit for bit,
 *   - writes every input and output as DIR/<name>.npy (for the onnxruntime
 *     comparison that follows in the test),
 *   - makes one bad call per validation rule and prints its status code and
 *     message, checking that a failed run leaves the caller's outputs alone,
 *   - runs once more to show the context is still usable.
 * Exit status: 0 when every self-check passed, 1 otherwise.
 *
 *===----------------------------------------------------------------------===*/
/* The model's header, written by quantc compile (it also declares the C API).
 * c-api.test uses mlp.h; other tests pass their model's header and counts. */
#ifndef QC_MODEL_HEADER
#define QC_MODEL_HEADER "mlp.h"
#define QC_MODEL_NUM_INPUTS QC_MLP_NUM_INPUTS
#define QC_MODEL_NUM_OUTPUTS QC_MLP_NUM_OUTPUTS
#endif
#include QC_MODEL_HEADER

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int failures = 0;

static void expect(int ok, const char *what) {
  printf("%s: %s\n", what, ok ? "yes" : "NO");
  if (!ok)
    ++failures;
}

static size_t element_count(int32_t rank, const int64_t *dims) {
  size_t n = 1;
  for (int32_t i = 0; i < rank; ++i)
    n *= (size_t)dims[i];
  return n;
}

static void print_dims(int32_t rank, const int64_t *dims) {
  printf("[");
  for (int32_t i = 0; i < rank; ++i)
    printf(i ? ", %lld" : "%lld", (long long)dims[i]);
  printf("]");
}

/* Prints "<label>: status <code> <message>" and frees the status; returns
 * the code. */
static qc_status_code_t report(const char *label, qc_status_t status) {
  qc_status_code_t code = qc_status_code(status);
  printf("%s: status %d %s\n", label, (int)code, qc_status_message(status));
  qc_status_free(status);
  return code;
}

/* A .npy (format 1.0) file: magic, header dict padded to 64 bytes, data. */
static int write_npy(const char *dir, const char *name, qc_dtype_t dtype,
                     int32_t rank, const int64_t *dims, const void *data) {
  const char *descr = dtype == QC_DTYPE_F32   ? "<f4"
                      : dtype == QC_DTYPE_F64 ? "<f8"
                      : dtype == QC_DTYPE_I64 ? "<i8"
                      : dtype == QC_DTYPE_I32 ? "<i4"
                                              : NULL;
  if (!descr) {
    printf("cannot write %s: dtype %s\n", name, qc_dtype_name(dtype));
    return 0;
  }
  char shape[256] = "";
  size_t used = 0;
  for (int32_t i = 0; i < rank; ++i)
    used += (size_t)snprintf(shape + used, sizeof shape - used,
                             "%lld%s", (long long)dims[i],
                             rank == 1 ? "," : (i + 1 < rank ? ", " : ""));
  char header[512];
  int len = snprintf(header, sizeof header,
                     "{'descr': '%s', 'fortran_order': False, 'shape': (%s), }",
                     descr, shape);
  /* magic (6) + version (2) + header length (2) + header + '\n' */
  int total = 10 + len + 1;
  int padded = (total + 63) / 64 * 64;
  for (; len < (int)sizeof header - 2 && 10 + len + 1 < padded; ++len)
    header[len] = ' ';
  header[len++] = '\n';

  char path[1024];
  snprintf(path, sizeof path, "%s/%s.npy", dir, name);
  FILE *f = fopen(path, "wb");
  if (!f) {
    printf("cannot open %s\n", path);
    return 0;
  }
  unsigned char prefix[10] = {0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0,
                              (unsigned char)(len & 0xff),
                              (unsigned char)(len >> 8)};
  size_t bytes = element_count(rank, dims) * qc_dtype_size(dtype);
  int ok = fwrite(prefix, 1, 10, f) == 10 &&
           fwrite(header, 1, (size_t)len, f) == (size_t)len &&
           fwrite(data, 1, bytes, f) == bytes;
  ok = (fclose(f) == 0) && ok;
  if (!ok)
    printf("cannot write %s\n", path);
  return ok;
}

int main(int argc, char **argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: %s OUT_DIR\n", argv[0]);
    return 2;
  }
  const char *out_dir = argv[1];

  /* NULL is success; the helpers accept it. */
  expect(qc_status_code(NULL) == QC_STATUS_OK &&
             strcmp(qc_status_message(NULL), "") == 0,
         "NULL status is OK with empty message");
  qc_status_free(NULL);
  qc_context_destroy(NULL);
  printf("dtype f32: %s %zu bytes; unknown dtype 99: %s %zu bytes\n",
         qc_dtype_name(QC_DTYPE_F32), qc_dtype_size(QC_DTYPE_F32),
         qc_dtype_name((qc_dtype_t)99), qc_dtype_size((qc_dtype_t)99));

  qc_context_t *context = NULL;
  if (report("create", qc_context_create(&context)) != QC_STATUS_OK ||
      !context)
    return 1;
  size_t n_in = qc_context_input_count(context);
  size_t n_out = qc_context_output_count(context);
  printf("model %s: %zu inputs, %zu outputs\n", qc_context_model_name(context),
         n_in, n_out);
  expect(n_in == QC_MODEL_NUM_INPUTS && n_out == QC_MODEL_NUM_OUTPUTS,
         "counts agree with the header");

  qc_tensor_info_t *in_info = calloc(n_in, sizeof *in_info);
  qc_tensor_info_t *out_info = calloc(n_out, sizeof *out_info);
  qc_tensor_t *inputs = calloc(n_in, sizeof *inputs);
  qc_tensor_t *outputs = calloc(n_out, sizeof *outputs);
  qc_tensor_t *owned = calloc(n_out, sizeof *owned);
  float **reference = calloc(n_out, sizeof *reference);
  if (!in_info || !out_info || !inputs || !outputs || !owned || !reference)
    return 1;

  for (size_t i = 0; i < n_in; ++i) {
    qc_status_t status = qc_context_input_info(context, i, &in_info[i]);
    if (status)
      return report("input_info", status), 1;
    printf("input %zu: %s %s ", i, in_info[i].name,
           qc_dtype_name(in_info[i].dtype));
    print_dims(in_info[i].rank, in_info[i].dims);
    printf("\n");
    if (in_info[i].dtype != QC_DTYPE_F32)
      return printf("only f32 inputs are supported here\n"), 1;
    size_t n = element_count(in_info[i].rank, in_info[i].dims);
    float *data = malloc(n * sizeof *data);
    if (!data)
      return 1;
    for (size_t j = 0; j < n; ++j)
      data[j] = (float)sin((double)j * 0.01);
    inputs[i] = (qc_tensor_t){in_info[i].dtype, in_info[i].rank,
                              in_info[i].dims, data, n * sizeof *data};
  }
  for (size_t i = 0; i < n_out; ++i) {
    qc_status_t status = qc_context_output_info(context, i, &out_info[i]);
    if (status)
      return report("output_info", status), 1;
    printf("output %zu: %s %s ", i, out_info[i].name,
           qc_dtype_name(out_info[i].dtype));
    print_dims(out_info[i].rank, out_info[i].dims);
    printf("\n");
    if (out_info[i].dtype != QC_DTYPE_F32)
      return printf("only f32 outputs are supported here\n"), 1;
    size_t n = element_count(out_info[i].rank, out_info[i].dims);
    outputs[i] = (qc_tensor_t){out_info[i].dtype, out_info[i].rank,
                               out_info[i].dims, malloc(n * sizeof(float)),
                               n * sizeof(float)};
    reference[i] = malloc(n * sizeof(float));
    if (!outputs[i].data || !reference[i])
      return 1;
  }
  qc_tensor_info_t scratch;
  report("input_info out of range",
         qc_context_input_info(context, n_in, &scratch));

  /* 1. caller-owned outputs */
  if (report("run caller-owned", qc_context_run(context, inputs, n_in, outputs,
                                                n_out)) != QC_STATUS_OK)
    return 1;
  for (size_t i = 0; i < n_out; ++i)
    memcpy(reference[i], outputs[i].data, outputs[i].byte_size);

  /* 2. library-owned outputs: data NULL, the context fills in the rest */
  if (report("run library-owned",
             qc_context_run(context, inputs, n_in, owned, n_out)) !=
      QC_STATUS_OK)
    return 1;
  int same = 1;
  for (size_t i = 0; i < n_out; ++i)
    same = same && owned[i].data && owned[i].dtype == out_info[i].dtype &&
           owned[i].rank == out_info[i].rank &&
           owned[i].byte_size == outputs[i].byte_size &&
           memcmp(owned[i].dims, out_info[i].dims,
                  (size_t)out_info[i].rank * sizeof(int64_t)) == 0 &&
           memcmp(owned[i].data, reference[i], outputs[i].byte_size) == 0;
  expect(same, "library-owned outputs identical");

  /* 3. a second, independent context */
  qc_context_t *second = NULL;
  if (report("create second", qc_context_create(&second)) != QC_STATUS_OK)
    return 1;
  for (size_t i = 0; i < n_out; ++i)
    memset(outputs[i].data, 0, outputs[i].byte_size);
  report("run second context",
         qc_context_run(second, inputs, n_in, outputs, n_out));
  same = 1;
  for (size_t i = 0; i < n_out; ++i)
    same = same &&
           memcmp(outputs[i].data, reference[i], outputs[i].byte_size) == 0;
  expect(same, "second context identical");
  qc_context_destroy(second);

  int finite = 1;
  for (size_t i = 0; i < n_out; ++i)
    for (size_t j = 0; j < outputs[i].byte_size / sizeof(float); ++j)
      finite = finite && isfinite(reference[i][j]);
  expect(finite, "outputs finite");
  for (size_t i = 0; i < n_in; ++i)
    if (!write_npy(out_dir, in_info[i].name, inputs[i].dtype, inputs[i].rank,
                   inputs[i].dims, inputs[i].data))
      ++failures;
  for (size_t i = 0; i < n_out; ++i)
    if (!write_npy(out_dir, out_info[i].name, out_info[i].dtype,
                   out_info[i].rank, out_info[i].dims, reference[i]))
      ++failures;

  /* 4. one bad call per rule. The caller's output buffers hold a sentinel
   * that no failed run may overwrite. */
  for (size_t i = 0; i < n_out; ++i)
    memset(outputs[i].data, 0x7f, outputs[i].byte_size);
  const qc_tensor_t good = inputs[0];
  const int64_t *dims = good.dims;
  int64_t wrong_dims[8];
  int32_t rank = good.rank;
  for (int32_t d = 0; d < rank && d < 8; ++d)
    wrong_dims[d] = dims[d];
  wrong_dims[rank - 1] -= 1;
  int64_t flat_dim = (int64_t)element_count(rank, dims);

  inputs[0].dtype = QC_DTYPE_I32;
  report("wrong dtype", qc_context_run(context, inputs, n_in, outputs, n_out));
  inputs[0].dtype = (qc_dtype_t)99;
  report("unknown dtype",
         qc_context_run(context, inputs, n_in, outputs, n_out));
  inputs[0] = good;
  inputs[0].rank = 1;
  inputs[0].dims = &flat_dim;
  report("wrong rank", qc_context_run(context, inputs, n_in, outputs, n_out));
  inputs[0] = good;
  inputs[0].dims = NULL;
  report("NULL dims", qc_context_run(context, inputs, n_in, outputs, n_out));
  inputs[0] = good;
  inputs[0].dims = wrong_dims;
  report("wrong dim", qc_context_run(context, inputs, n_in, outputs, n_out));
  inputs[0] = good;
  inputs[0].data = NULL;
  report("NULL data", qc_context_run(context, inputs, n_in, outputs, n_out));
  inputs[0] = good;
  inputs[0].byte_size = good.byte_size - 1;
  report("too-small byte_size",
         qc_context_run(context, inputs, n_in, outputs, n_out));
  inputs[0] = good;
  report("too many inputs",
         qc_context_run(context, inputs, n_in + 1, outputs, n_out));
  report("too few inputs",
         qc_context_run(context, inputs, n_in - 1, outputs, n_out));
  report("NULL inputs", qc_context_run(context, NULL, n_in, outputs, n_out));
  report("too few outputs",
         qc_context_run(context, inputs, n_in, outputs, n_out - 1));
  qc_tensor_t saved_output = outputs[0];
  {
    int64_t bad_out[8];
    for (int32_t d = 0; d < out_info[0].rank && d < 8; ++d)
      bad_out[d] = out_info[0].dims[d];
    bad_out[0] += 1;
    outputs[0].dims = bad_out;
    report("wrong output dim",
           qc_context_run(context, inputs, n_in, outputs, n_out));
  }
  outputs[0] = saved_output;
  outputs[0].byte_size = saved_output.byte_size / 2;
  report("too-small output",
         qc_context_run(context, inputs, n_in, outputs, n_out));
  outputs[0] = saved_output;
  outputs[0].dtype = QC_DTYPE_F64;
  report("wrong output dtype",
         qc_context_run(context, inputs, n_in, outputs, n_out));
  outputs[0] = saved_output;
  report("NULL context", qc_context_run(NULL, inputs, n_in, outputs, n_out));

  int untouched = 1;
  for (size_t i = 0; i < n_out; ++i)
    for (size_t j = 0; j < outputs[i].byte_size; ++j)
      untouched = untouched && ((unsigned char *)outputs[i].data)[j] == 0x7f;
  expect(untouched, "failed runs left the outputs untouched");

  /* 5. the context still works and still gives the same answer */
  report("run after errors",
         qc_context_run(context, inputs, n_in, outputs, n_out));
  same = 1;
  for (size_t i = 0; i < n_out; ++i)
    same = same &&
           memcmp(outputs[i].data, reference[i], outputs[i].byte_size) == 0;
  expect(same, "same outputs after errors");

  qc_context_destroy(context);
  for (size_t i = 0; i < n_in; ++i)
    free(inputs[i].data);
  for (size_t i = 0; i < n_out; ++i) {
    free(outputs[i].data);
    free(reference[i]);
  }
  free(in_info);
  free(out_info);
  free(inputs);
  free(outputs);
  free(owned);
  free(reference);
  printf("%s\n", failures ? "SELF-CHECKS FAILED" : "all self-checks passed");
  return failures ? 1 : 0;
}
