// RUN: quantc-opt --qc-lower-to-linalg --split-input-file %s | FileCheck %s

// A saturating float8 cast clamps to +-448 (E4M3FN's largest value) in f32,
// NaN-propagating, then truncates; saturate = 0 truncates directly.
// CHECK-LABEL: func.func @float8_saturate
// CHECK: ^bb0(%[[X:.*]]: f32, %{{.*}}: f8E4M3FN):
// CHECK: %[[HI:.*]] = arith.minimumf %[[X]], %{{.*}} : f32
// CHECK: %[[LO:.*]] = arith.maximumf %[[HI]], %{{.*}} : f32
// CHECK: arith.truncf %[[LO]] : f32 to f8E4M3FN
// CHECK: ^bb0(%[[Y:.*]]: f32, %{{.*}}: f8E4M3FN):
// CHECK-NEXT: arith.truncf %[[Y]] : f32 to f8E4M3FN
func.func @float8_saturate(%x: tensor<4xf32>) -> (tensor<4xf8E4M3FN>, tensor<4xf8E4M3FN>) {
  %0 = qc.Cast %x {to = 17 : i64} : (tensor<4xf32>) -> tensor<4xf8E4M3FN>
  %1 = qc.Cast %x {to = 17 : i64, saturate = 0 : i64} : (tensor<4xf32>) -> tensor<4xf8E4M3FN>
  return %0, %1 : tensor<4xf8E4M3FN>, tensor<4xf8E4M3FN>
}

// -----

// bfloat16 and f16 convert through f32; float to int4 through i64, wrapping.
// CHECK-LABEL: func.func @through_wider
// CHECK: arith.extf %{{.*}} : bf16 to f32
// CHECK: arith.truncf %{{.*}} : f32 to f16
// CHECK: %[[W:.*]] = arith.fptosi %{{.*}} : f32 to i64
// CHECK: arith.trunci %[[W]] : i64 to i4
func.func @through_wider(%x: tensor<4xbf16>, %y: tensor<4xf32>) -> (tensor<4xf16>, tensor<4xi4>) {
  %0 = qc.Cast %x {to = 10 : i64} : (tensor<4xbf16>) -> tensor<4xf16>
  %1 = qc.Cast %y {to = 22 : i64} : (tensor<4xf32>) -> tensor<4xi4>
  return %0, %1 : tensor<4xf16>, tensor<4xi4>
}

// -----

// float8e8m0 is built from the f32 exponent (round_mode "up": any fraction
// rounds up, not past 0xFE when saturating) and read back as 2^(e-127).
// CHECK-LABEL: func.func @e8m0
// CHECK: arith.bitcast %{{.*}} : f32 to i32
// CHECK: arith.shrui
// CHECK: arith.andi %{{.*}}, %{{.*}} : i32
// CHECK: arith.trunci %{{.*}} : i32 to i8
// CHECK: arith.bitcast %{{.*}} : i8 to f8E8M0FNU
// CHECK: arith.bitcast %{{.*}} : f8E8M0FNU to i8
// CHECK: arith.shli
// CHECK: arith.bitcast %{{.*}} : i32 to f32
func.func @e8m0(%x: tensor<4xf32>) -> tensor<4xf32> {
  %0 = qc.Cast %x {to = 24 : i64} : (tensor<4xf32>) -> tensor<4xf8E8M0FNU>
  %1 = qc.Cast %0 {to = 1 : i64} : (tensor<4xf8E8M0FNU>) -> tensor<4xf32>
  return %1 : tensor<4xf32>
}
