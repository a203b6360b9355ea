/*===- quantc/runtime.h - C API of a quantc-generated library -----*- C -*-===*
 *
 * Every library written by `quantc compile` exports this API. The contract
 * (symbols, memref layout, signature text) is docs/runtime-abi.md.
 *
 * Ownership, in one place:
 *  - A non-NULL qc_status_t belongs to the caller: free it with
 *    qc_status_free(). NULL means success.
 *  - Strings and dims returned through qc_tensor_info_t, and the model name,
 *    live as long as the context they came from.
 *  - Buffers passed to qc_context_run belong to the caller. Input buffers are
 *    never written. An output whose `data` is NULL gets a buffer owned by the
 *    context, valid until the next run on that context or its destruction.
 *
 * Threads: separate contexts may run concurrently on separate threads; one
 * context must not be used by two threads at once. The library keeps no
 * process-global mutable state.
 *
 *===----------------------------------------------------------------------===*/
#ifndef QUANTC_RUNTIME_H
#define QUANTC_RUNTIME_H

#include <stddef.h>
#include <stdint.h>

/* The runtime is compiled with hidden visibility; only the API is exported. */
#ifndef QC_API
#if defined(_WIN32)
#define QC_API
#else
#define QC_API __attribute__((visibility("default")))
#endif
#endif

#ifdef __cplusplus
extern "C" {
#endif

/*===-- Status ------------------------------------------------------------===*/

/* An error: a code and a message. NULL means success. */
typedef struct qc_status_s *qc_status_t;

typedef enum {
  QC_STATUS_OK = 0,
  QC_STATUS_INVALID_ARGUMENT = 1, /* the caller passed something wrong */
  QC_STATUS_OUT_OF_MEMORY = 2,
  QC_STATUS_INTERNAL = 3, /* the library itself is broken (e.g. its signature) */
} qc_status_code_t;

/* QC_STATUS_OK for NULL. */
QC_API qc_status_code_t qc_status_code(qc_status_t status);
/* "" for NULL. The string is owned by `status` and freed with it. */
QC_API const char *qc_status_message(qc_status_t status);
/* Frees a status returned by this API. NULL is fine. */
QC_API void qc_status_free(qc_status_t status);

/*===-- Element types -----------------------------------------------------===*/

/* Element types use ONNX TensorProto numbering. */
typedef enum {
  QC_DTYPE_F32 = 1,
  QC_DTYPE_U8 = 2,
  QC_DTYPE_I8 = 3,
  QC_DTYPE_U16 = 4,
  QC_DTYPE_I16 = 5,
  QC_DTYPE_I32 = 6,
  QC_DTYPE_I64 = 7,
  QC_DTYPE_BOOL = 9, /* one byte per element, 0 or 1 */
  QC_DTYPE_F16 = 10,
  QC_DTYPE_F64 = 11,
  QC_DTYPE_U32 = 12,
  QC_DTYPE_U64 = 13,
  QC_DTYPE_BF16 = 16,
  /* float8: one byte per element, the OCP/ONNX encodings */
  QC_DTYPE_F8E4M3FN = 17,
  QC_DTYPE_F8E4M3FNUZ = 18,
  QC_DTYPE_F8E5M2 = 19,
  QC_DTYPE_F8E5M2FNUZ = 20,
  /* 4- and 2-bit types: one byte per element (not packed), the value in the
     low bits (two's complement for the signed ones), the high bits zero */
  QC_DTYPE_U4 = 21,
  QC_DTYPE_I4 = 22,
  QC_DTYPE_F4E2M1 = 23,
  QC_DTYPE_F8E8M0 = 24,
  QC_DTYPE_U2 = 25,
  QC_DTYPE_I2 = 26,
} qc_dtype_t;

/* Bytes per element; 0 if `dtype` is not one of the values above. */
QC_API size_t qc_dtype_size(qc_dtype_t dtype);
/* "f32", "i64", "bool", ...; "unknown" for any other value. Static storage. */
QC_API const char *qc_dtype_name(qc_dtype_t dtype);

/*===-- Tensors -----------------------------------------------------------===*/

/* Describes one model input or output. Every array has `rank` entries and is
 * owned by the context. */
typedef struct {
  const char *name;    /* the ONNX value name */
  qc_dtype_t dtype;
  int32_t rank;
  const int64_t *dims; /* the size, or -1 for a dim known only at run time */
  /* The sizes a run accepts for each dim (equal to dims[i] when fixed);
   * max_dims[i] is -1 when unbounded. An output's run-time dims are -1 and
   * 0..-1 here: their sizes come back from qc_context_run. */
  const int64_t *min_dims;
  const int64_t *max_dims;
  /* The model's name for each dim ("" for none, e.g. "batch"): the inputs'
   * dims that share a name must have the same size in a run. */
  const char *const *dim_names;
} qc_tensor_info_t;

/* A buffer passed to or returned from qc_context_run. */
typedef struct {
  qc_dtype_t dtype;
  int32_t rank;
  const int64_t *dims; /* `rank` entries */
  void *data;          /* row-major, contiguous */
  size_t byte_size;    /* size of the buffer at `data` */
} qc_tensor_t;

/*===-- Context -----------------------------------------------------------===*/

/* One instance of the model: its description, activation memory and any
 * library-owned output buffers. */
typedef struct qc_context_s qc_context_t;

/* Creates a context. On success stores it in *out_context (free it with
 * qc_context_destroy) and returns NULL; on failure *out_context is NULL. */
QC_API qc_status_t qc_context_create(qc_context_t **out_context);
/* Destroys a context and every buffer it owns. NULL is fine. */
QC_API void qc_context_destroy(qc_context_t *context);

/* Sets how many threads this context's runs use (1 to 64; more is clamped
 * to 64). A new context uses 1 and creates no thread. With N > 1 the context
 * keeps N - 1 worker threads; the thread that calls qc_context_run is the
 * N-th. Returns QC_STATUS_INVALID_ARGUMENT for a NULL context or N < 1, and
 * QC_STATUS_OUT_OF_MEMORY when the threads cannot be created (the context
 * then keeps one thread). Not to be called during a run. */
QC_API qc_status_t qc_context_set_threads(qc_context_t *context, int threads);
/* The thread count runs use; 0 for a NULL context. */
QC_API int qc_context_threads(const qc_context_t *context);
/* The vector instruction set the kernels chose on this CPU ("avx512",
 * "avx2" or "generic"); "" for a NULL context. */
QC_API const char *qc_context_isa(const qc_context_t *context);

/* The model's name; "" for a NULL context. Owned by the context. */
QC_API const char *qc_context_model_name(const qc_context_t *context);
/* Number of model inputs / outputs; 0 for a NULL context. */
QC_API size_t qc_context_input_count(const qc_context_t *context);
QC_API size_t qc_context_output_count(const qc_context_t *context);

/* Describes input / output `index` (0-based, model order). The pointers in
 * *out_info live as long as the context. */
QC_API qc_status_t qc_context_input_info(const qc_context_t *context,
                                         size_t index,
                                         qc_tensor_info_t *out_info);
QC_API qc_status_t qc_context_output_info(const qc_context_t *context,
                                          size_t index,
                                          qc_tensor_info_t *out_info);

/* Runs the model once. Inputs and outputs are taken by position, in the order
 * of the *_info calls. Before any model code runs, every pointer, count,
 * dtype, rank, dim (fixed, within its bounds, equal to the other dims of the
 * same name) and byte_size is checked; a mismatch returns
 * QC_STATUS_INVALID_ARGUMENT naming the tensor, and nothing is written.
 *
 * An output with `data == NULL` is given a buffer owned by the context (valid
 * until the next run on this context or its destruction), and its `data`,
 * `byte_size`, `dtype`, `rank` and `dims` are filled in (`dims` is owned by
 * the context too). Any other output is validated like an input and written
 * in place; for an output with run-time dims the caller's `dims` must match
 * the sizes the run produces, which is checked after the run (and then
 * nothing is written). Library-owned buffers are the simpler choice there. */
QC_API qc_status_t qc_context_run(qc_context_t *context,
                                  const qc_tensor_t *inputs, size_t input_count,
                                  qc_tensor_t *outputs, size_t output_count);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* QUANTC_RUNTIME_H */
