//===- Dtype.cpp - Element type names and sizes ---------------------------===//

#include "Dtype.h"

#include <string.h>

namespace {
struct DtypeEntry {
  qc_dtype_t dtype;
  const char *name; // the spelling used by qc_signature and messages
  size_t size;
};

// One table serves both directions so names and sizes cannot disagree.
const DtypeEntry kDtypes[] = {
    {QC_DTYPE_F32, "f32", 4},  {QC_DTYPE_F64, "f64", 8},
    {QC_DTYPE_F16, "f16", 2},  {QC_DTYPE_I8, "i8", 1},
    {QC_DTYPE_I16, "i16", 2},  {QC_DTYPE_I32, "i32", 4},
    {QC_DTYPE_I64, "i64", 8},  {QC_DTYPE_U8, "u8", 1},
    {QC_DTYPE_U16, "u16", 2},  {QC_DTYPE_U32, "u32", 4},
    {QC_DTYPE_U64, "u64", 8},  {QC_DTYPE_BOOL, "bool", 1},
    {QC_DTYPE_BF16, "bf16", 2},
    {QC_DTYPE_F8E4M3FN, "f8e4m3fn", 1},
    {QC_DTYPE_F8E4M3FNUZ, "f8e4m3fnuz", 1},
    {QC_DTYPE_F8E5M2, "f8e5m2", 1},
    {QC_DTYPE_F8E5M2FNUZ, "f8e5m2fnuz", 1},
    {QC_DTYPE_F8E8M0, "f8e8m0", 1},
    {QC_DTYPE_F4E2M1, "f4e2m1", 1},
    {QC_DTYPE_I4, "i4", 1},    {QC_DTYPE_U4, "u4", 1},
    {QC_DTYPE_I2, "i2", 1},    {QC_DTYPE_U2, "u2", 1},
};

const DtypeEntry *findDtype(qc_dtype_t dtype) {
  for (const DtypeEntry &entry : kDtypes)
    if (entry.dtype == dtype)
      return &entry;
  return nullptr;
}
} // namespace

namespace qc {

bool parseDtype(const char *text, size_t length, qc_dtype_t *out) {
  for (const DtypeEntry &entry : kDtypes) {
    if (strlen(entry.name) == length && memcmp(entry.name, text, length) == 0) {
      *out = entry.dtype;
      return true;
    }
  }
  return false;
}

} // namespace qc

extern "C" {

size_t qc_dtype_size(qc_dtype_t dtype) {
  const DtypeEntry *entry = findDtype(dtype);
  return entry ? entry->size : 0;
}

const char *qc_dtype_name(qc_dtype_t dtype) {
  const DtypeEntry *entry = findDtype(dtype);
  return entry ? entry->name : "unknown";
}

} // extern "C"
