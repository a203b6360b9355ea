// RUN: quantc-opt --qc-reciprocal-divisors --split-input-file %s | FileCheck %s

// x / c, c a constant: x * (1/c) (GELU's x / sqrt(2)). A divisor whose
// reciprocal is not a normal float (0, a subnormal's) stays a division.
// CHECK-LABEL: func.func @constant_divisor
// CHECK-DAG: %[[R:.*]] = arith.constant 0.707106769 : f32
// CHECK-DAG: %[[Z:.*]] = arith.constant 0.000000e+00 : f32
// CHECK: linalg.generic
// CHECK: arith.mulf %{{.*}}, %[[R]]
// CHECK: arith.divf %{{.*}}, %[[Z]]
#id = affine_map<(d0, d1) -> (d0, d1)>
func.func @constant_divisor(%x: tensor<4x16xf32>) -> tensor<4x16xf32> {
  %c = arith.constant 1.41421354 : f32
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<4x16xf32>
  %y = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%x : tensor<4x16xf32>) outs(%e : tensor<4x16xf32>) {
  ^bb0(%in: f32, %out: f32):
    %d = arith.divf %in, %c : f32
    %w = arith.divf %d, %z : f32
    linalg.yield %w : f32
  } -> tensor<4x16xf32>
  return %y : tensor<4x16xf32>
}

// -----

// Softmax's normalization, e / sum[row]: the reciprocals of the sums are
// one generic over the rows, and the division a multiplication by them.
// A sum below 2^-126 (subnormal) is scaled by 2^64 first, so that its
// reciprocal is finite: e * s * (1 / (sum * s)), s = 2^64 or 1 per row.
// CHECK-LABEL: func.func @row_divisor
// CHECK-DAG: %[[BIG:.*]] = arith.constant 1.84467441E+19 : f32
// CHECK-DAG: %[[ONE:.*]] = arith.constant 1.000000e+00 : f32
// CHECK-DAG: %[[MIN:.*]] = arith.constant 1.17549435E-38 : f32
// CHECK-DAG: %[[E1:.*]] = tensor.empty() : tensor<2x3xf32>
// CHECK-DAG: %[[E2:.*]] = tensor.empty() : tensor<2x3xf32>
// CHECK: %[[REC:[0-9]+]]:2 = linalg.generic {indexing_maps = [#[[ROW:.*]], #[[ROW]], #[[ROW]]], iterator_types = ["parallel", "parallel"]} ins(%arg1 : tensor<2x3xf32>) outs(%{{.*}}, %{{.*}} :
// CHECK:   ^bb0(%[[SUM:[a-z0-9_]+]]: f32,
// CHECK:   %[[ABS:.*]] = math.absf %[[SUM]]
// CHECK:   %[[TINY:.*]] = arith.cmpf olt, %[[ABS]], %[[MIN]]
// CHECK:   %[[S:.*]] = arith.select %[[TINY]], %[[BIG]], %[[ONE]]
// CHECK:   %[[SCALED:.*]] = arith.mulf %[[SUM]], %[[S]]
// CHECK:   %[[R:.*]] = arith.divf %[[ONE]], %[[SCALED]]
// CHECK:   linalg.yield %[[S]], %[[R]]
// CHECK: linalg.generic {{.*}} ins(%arg0, %[[REC]]#0, %[[REC]]#1 : tensor<2x3x8xf32>, tensor<2x3xf32>, tensor<2x3xf32>) outs
// CHECK-NEXT: ^bb0(%[[X:[a-z0-9_]+]]: f32, %[[XS:[a-z0-9_]+]]: f32, %[[XR:[a-z0-9_]+]]: f32,
// CHECK-NOT: arith.divf
// CHECK:   %[[M:.*]] = arith.mulf %[[X]], %[[XS]]
// CHECK:   arith.mulf %[[M]], %[[XR]]
#x3 = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
#row = affine_map<(d0, d1, d2) -> (d0, d1)>
func.func @row_divisor(%e: tensor<2x3x8xf32>, %sum: tensor<2x3xf32>) -> tensor<2x3x8xf32> {
  %init = tensor.empty() : tensor<2x3x8xf32>
  %y = linalg.generic {indexing_maps = [#x3, #row, #x3], iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%e, %sum : tensor<2x3x8xf32>, tensor<2x3xf32>) outs(%init : tensor<2x3x8xf32>) {
  ^bb0(%a: f32, %s: f32, %out: f32):
    %q = arith.divf %a, %s : f32
    linalg.yield %q : f32
  } -> tensor<2x3x8xf32>
  return %y : tensor<2x3x8xf32>
}

// -----

// LayerNorm's normalization as fusion leaves it: (x - mean) * 1/sqrt(var / N
// + eps) * gamma + beta. The whole row-invariant chain (divide, add, sqrt,
// reciprocal) moves to the per-row generic; the per-element loop keeps a
// subtraction and three multiply/adds.
// CHECK-LABEL: func.func @layer_norm
// CHECK: %[[REC:[0-9]+]]:2 = linalg.generic {{.*}} ins(%arg1 : tensor<4xf32>)
// CHECK:   math.sqrt
// CHECK:   arith.divf
// CHECK: linalg.generic {{.*}} ins(%arg0, %arg2, %arg3, %arg4, %[[REC]]#0, %[[REC]]#1 :
// CHECK-NOT: math.sqrt
// CHECK-NOT: arith.divf
// CHECK: linalg.yield
#x2 = affine_map<(d0, d1) -> (d0, d1)>
#r = affine_map<(d0, d1) -> (d0)>
#c = affine_map<(d0, d1) -> (d1)>
func.func @layer_norm(%x: tensor<4x16xf32>, %var: tensor<4xf32>, %gamma: tensor<16xf32>, %beta: tensor<16xf32>, %mean: tensor<4xf32>) -> tensor<4x16xf32> {
  %n = arith.constant 16.0 : f32
  %eps = arith.constant 1.0e-5 : f32
  %one = arith.constant 1.0 : f32
  %init = tensor.empty() : tensor<4x16xf32>
  %y = linalg.generic {indexing_maps = [#x2, #r, #c, #c, #r, #x2], iterator_types = ["parallel", "parallel"]}
      ins(%x, %var, %gamma, %beta, %mean : tensor<4x16xf32>, tensor<4xf32>, tensor<16xf32>, tensor<16xf32>, tensor<4xf32>) outs(%init : tensor<4x16xf32>) {
  ^bb0(%in: f32, %v: f32, %g: f32, %b: f32, %m: f32, %out: f32):
    %0 = arith.divf %v, %n : f32
    %1 = arith.addf %0, %eps : f32
    %2 = math.sqrt %1 : f32
    %3 = arith.divf %one, %2 : f32
    %4 = arith.subf %in, %m : f32
    %5 = arith.mulf %4, %3 : f32
    %6 = arith.mulf %5, %g : f32
    %7 = arith.addf %6, %b : f32
    linalg.yield %7 : f32
  } -> tensor<4x16xf32>
  return %y : tensor<4x16xf32>
}

// -----

// Left alone: a divisor that varies along the innermost loop, and a
// reduction (its loops are not all parallel).
// CHECK-LABEL: func.func @left_alone
// CHECK-COUNT-2: arith.divf %{{.*}}, %{{.*}} : f32
// CHECK-NOT: arith.mulf
#x2 = affine_map<(d0, d1) -> (d0, d1)>
#cols = affine_map<(d0, d1) -> (d1)>
#red = affine_map<(d0, d1) -> (d0)>
func.func @left_alone(%x: tensor<4x16xf32>, %d: tensor<16xf32>, %s: tensor<4xf32>) -> (tensor<4x16xf32>, tensor<4xf32>) {
  %init = tensor.empty() : tensor<4x16xf32>
  %y = linalg.generic {indexing_maps = [#x2, #cols, #x2], iterator_types = ["parallel", "parallel"]}
      ins(%x, %d : tensor<4x16xf32>, tensor<16xf32>) outs(%init : tensor<4x16xf32>) {
  ^bb0(%a: f32, %b: f32, %out: f32):
    %q = arith.divf %a, %b : f32
    linalg.yield %q : f32
  } -> tensor<4x16xf32>
  %z = linalg.generic {indexing_maps = [#x2, #red, #red], iterator_types = ["parallel", "reduction"]}
      ins(%x, %s : tensor<4x16xf32>, tensor<4xf32>) outs(%s : tensor<4xf32>) {
  ^bb0(%a: f32, %b: f32, %acc: f32):
    %q = arith.divf %a, %b : f32
    %t = arith.addf %acc, %q : f32
    linalg.yield %t : f32
  } -> tensor<4xf32>
  return %y, %z : tensor<4x16xf32>, tensor<4xf32>
}
