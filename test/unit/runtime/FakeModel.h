//===- FakeModel.h - A hand-written stand-in for compiled model code ------===//
//
// FakeModel.cpp defines qc_signature and qc_entry the way the compiler's
// object does, for this model:
//
//   inputs:  x               f32[2, 3]
//            "scale factor"  f32[]        (name percent-encoded in the text)
//   outputs: y               f32[2, 3]    y = x * scale + 1
//            positives       i64[2]       count of x > 0 per row
//            total           f64[]        sum of y
//
// qc_entry checks every descriptor against docs/runtime-abi.md and aborts
// with a message if one is wrong.
//
//===----------------------------------------------------------------------===//
#ifndef QUANTC_TEST_UNIT_RUNTIME_FAKEMODEL_H
#define QUANTC_TEST_UNIT_RUNTIME_FAKEMODEL_H

extern "C" void qc_entry(void **args);
extern "C" const char qc_signature[];

#endif
