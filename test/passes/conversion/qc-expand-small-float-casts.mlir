// RUN: quantc-opt --qc-expand-small-float-casts --split-input-file %s | FileCheck %s

// f32 -> f8E4M3FN: the subnormal range rounds by a float addition (2^14 has
// the format's subnormal step as its ulp), the normal range by rebiasing
// the exponent (7 - 127 = -120, << 23) and adding half an ulp minus one plus
// the odd bit; codes past 0x7E (448) overflow to NaN (0x7F), NaN is 0x7F,
// and the sign is put back.
// CHECK-LABEL: func.func @trunc_e4m3fn
// CHECK-SAME: (%[[X:.*]]: f32)
// CHECK-DAG: %[[MAGIC:.*]] = arith.constant 1.638400e+04 : f32
// CHECK-DAG: %[[REBIAS:.*]] = arith.constant -1006108673 : i32
// CHECK-DAG: %[[MINNORMAL:.*]] = arith.constant 1015021568 : i32
// CHECK-DAG: %[[LARGEST:.*]] = arith.constant 126 : i32
// CHECK-DAG: %[[NAN:.*]] = arith.constant 127 : i32
// CHECK: %[[U:.*]] = arith.bitcast %[[X]] : f32 to i32
// CHECK: arith.addf %{{.*}}, %[[MAGIC]] : f32
// CHECK: arith.addi %{{.*}}, %[[REBIAS]] : i32
// CHECK: arith.cmpi ult, %{{.*}}, %[[MINNORMAL]] : i32
// CHECK: %[[OVER:.*]] = arith.cmpi ugt, %{{.*}}, %[[LARGEST]] : i32
// CHECK: arith.select %[[OVER]], %[[NAN]]
// CHECK: %[[BITS:.*]] = arith.trunci %{{.*}} : i32 to i8
// CHECK: %[[R:.*]] = arith.bitcast %[[BITS]] : i8 to f8E4M3FN
// CHECK: return %[[R]]
func.func @trunc_e4m3fn(%x: f32) -> f8E4M3FN {
  %0 = arith.truncf %x : f32 to f8E4M3FN
  return %0 : f8E4M3FN
}

// -----

// E5M2 overflows to inf (0x7C); its NaN is 0x7E.
// CHECK-LABEL: func.func @trunc_e5m2
// CHECK-DAG: %[[LARGEST:.*]] = arith.constant 123 : i32
// CHECK-DAG: %[[INF:.*]] = arith.constant 124 : i32
// CHECK: %[[OVER:.*]] = arith.cmpi ugt, %{{.*}}, %[[LARGEST]] : i32
// CHECK: arith.select %[[OVER]], %[[INF]]
// CHECK: arith.bitcast %{{.*}} : i8 to f8E5M2
func.func @trunc_e5m2(%x: f32) -> f8E5M2 {
  %0 = arith.truncf %x : f32 to f8E5M2
  return %0 : f8E5M2
}

// -----

// FNUZ: no -0 (a zero magnitude drops the sign) and one NaN, 0x80 (-128),
// for NaN and for overflow alike.
// CHECK-LABEL: func.func @trunc_e4m3fnuz
// CHECK-DAG: %[[NAN:.*]] = arith.constant 128 : i32
// CHECK-DAG: %[[ZERO:.*]] = arith.constant 0 : i32
// CHECK: %[[ISZERO:.*]] = arith.cmpi eq, %[[MAG:.*]], %[[ZERO]] : i32
// CHECK: arith.select %[[ISZERO]], %[[ZERO]]
// CHECK: %[[TONAN:.*]] = arith.ori
// CHECK: arith.select %[[TONAN]], %[[NAN]]
// CHECK: arith.bitcast %{{.*}} : i8 to f8E4M3FNUZ
func.func @trunc_e4m3fnuz(%x: f32) -> f8E4M3FNUZ {
  %0 = arith.truncf %x : f32 to f8E4M3FNUZ
  return %0 : f8E4M3FNUZ
}

// -----

// Sources other than f32 go through f32: f16 exactly, f64 rounding first.
// CHECK-LABEL: func.func @trunc_from_f16_and_f64
// CHECK: arith.extf %{{.*}} : f16 to f32
// CHECK: arith.bitcast %{{.*}} : i8 to f8E5M2FNUZ
// CHECK: arith.truncf %{{.*}} : f64 to f32
// CHECK: arith.bitcast %{{.*}} : i4 to f4E2M1FN
func.func @trunc_from_f16_and_f64(%h: f16, %d: f64) -> (f8E5M2FNUZ, f4E2M1FN) {
  %0 = arith.truncf %h : f16 to f8E5M2FNUZ
  %1 = arith.truncf %d : f64 to f4E2M1FN
  return %0, %1 : f8E5M2FNUZ, f4E2M1FN
}

// -----

// Extension: normal codes move up and rebias (+120 << 23), subnormal ones
// are mantissa * 2^-9; 0x7F is NaN; the sign goes to bit 31. f16 results
// come from the f32 (exact).
// CHECK-LABEL: func.func @ext_e4m3fn
// CHECK-SAME: (%[[X:.*]]: f8E4M3FN)
// CHECK-DAG: %[[REBIAS:.*]] = arith.constant 1006632960 : i32
// CHECK-DAG: %[[STEP:.*]] = arith.constant 0.001953125 : f32
// CHECK-DAG: %[[QNAN:.*]] = arith.constant 2143289344 : i32
// CHECK: %[[B:.*]] = arith.bitcast %[[X]] : f8E4M3FN to i8
// CHECK: arith.extui %[[B]] : i8 to i32
// CHECK: arith.addi %{{.*}}, %[[REBIAS]] : i32
// CHECK: arith.mulf %{{.*}}, %[[STEP]] : f32
// CHECK: arith.select %{{.*}}, %[[QNAN]]
// CHECK: %[[F:.*]] = arith.bitcast %{{.*}} : i32 to f32
// CHECK: %[[H:.*]] = arith.truncf %[[F]] : f32 to f16
// CHECK: return %[[H]]
func.func @ext_e4m3fn(%x: f8E4M3FN) -> f16 {
  %0 = arith.extf %x : f8E4M3FN to f16
  return %0 : f16
}

// -----

// E5M2's inf (0x7C) becomes f32's; codes above it are NaN.
// CHECK-LABEL: func.func @ext_e5m2
// CHECK-DAG: %[[INF:.*]] = arith.constant 124 : i32
// CHECK-DAG: %[[F32INF:.*]] = arith.constant 2139095040 : i32
// CHECK: %[[ISINF:.*]] = arith.cmpi eq, %{{.*}}, %[[INF]] : i32
// CHECK: arith.select %[[ISINF]], %[[F32INF]]
// CHECK: arith.cmpi ugt, %{{.*}}, %[[INF]] : i32
func.func @ext_e5m2(%x: f8E5M2) -> f32 {
  %0 = arith.extf %x : f8E5M2 to f32
  return %0 : f32
}

// -----

// bfloat16 takes upstream's expansion; f8E8M0FNU and the casts LLVM lowers
// itself are left alone.
// CHECK-LABEL: func.func @others
// CHECK-NOT: arith.truncf %{{.*}} : f32 to bf16
// CHECK: arith.bitcast %{{.*}} : i16 to bf16
// CHECK: arith.truncf %{{.*}} : f32 to f8E8M0FNU
// CHECK: arith.truncf %{{.*}} : f32 to f16
func.func @others(%x: f32) -> (bf16, f8E8M0FNU, f16) {
  %0 = arith.truncf %x : f32 to bf16
  %1 = arith.truncf %x : f32 to f8E8M0FNU
  %2 = arith.truncf %x : f32 to f16
  return %0, %1, %2 : bf16, f8E8M0FNU, f16
}
