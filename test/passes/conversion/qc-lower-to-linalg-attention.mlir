// RUN: quantc-opt --qc-lower-to-linalg %s | FileCheck %s

// Grouped-query attention reads key/value head h floordiv 2 through the
// indexing maps (no repeated copy of K and V); the causal rule compares loop
// indices inside the bias generic; the softmax guards all-masked rows.
// CHECK-DAG: #[[KV:.*]] = affine_map<(d0, d1, d2, d3, d4) -> (d0, d1 floordiv 2, d3, d4)>
// CHECK-LABEL: func.func @causal_gqa
// QKᵀ: a reduction over the head dim.
// CHECK: linalg.generic {{{.*}}#[[KV]]{{.*}}iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction"]}
// The bias: causal from the indices.
// CHECK: linalg.index 2
// CHECK: linalg.index 3
// CHECK: arith.cmpi sle
// Softmax with the all-masked guard, then P·V.
// CHECK: math.exp
// CHECK: arith.select
// CHECK: linalg.generic {{{.*}}#[[KV]]{{.*}}iterator_types = ["parallel", "parallel", "parallel", "reduction", "parallel"]}
func.func @causal_gqa(%q: tensor<1x4x3x8xf32>, %k: tensor<1x2x5x8xf32>, %v: tensor<1x2x5x8xf32>) -> tensor<1x4x3x8xf32> {
  %y, %pk, %pv, %qk = qc.Attention %q, %k, %v {operandSegmentSizes = array<i32: 1, 1, 1, 0, 0, 0, 0>, is_causal = 1 : i64} : (tensor<1x4x3x8xf32>, tensor<1x2x5x8xf32>, tensor<1x2x5x8xf32>) -> (tensor<1x4x3x8xf32>, tensor<1x2x5x8xf32>, tensor<1x2x5x8xf32>, tensor<1x4x3x5xf32>)
  return %y : tensor<1x4x3x8xf32>
}
