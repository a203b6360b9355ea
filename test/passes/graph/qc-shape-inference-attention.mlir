// RUN: quantc-opt --qc-shape-inference --split-input-file --verify-diagnostics %s | FileCheck %s

// 3-D inputs are split into heads; grouped-query attention (4 query heads
// over 2 key/value heads) with a past cache of 3 positions.
// CHECK-LABEL: func.func @gqa_3d_past
// CHECK: qc.Attention {{.*}} -> (tensor<2x5x32xf32>, tensor<2x2x9x8xf32>, tensor<2x2x9x8xf32>, tensor<2x4x5x9xf32>)
func.func @gqa_3d_past(%q: tensor<2x5x32xf32>, %k: tensor<2x6x16xf32>, %v: tensor<2x6x16xf32>,
                       %pk: tensor<2x2x3x8xf32>, %pv: tensor<2x2x3x8xf32>) -> tensor<*xf32> {
  %y, %pk2, %pv2, %qk = qc.Attention %q, %k, %v, %pk, %pv {operandSegmentSizes = array<i32: 1, 1, 1, 0, 1, 1, 0>, q_num_heads = 4 : i64, kv_num_heads = 2 : i64} : (tensor<2x5x32xf32>, tensor<2x6x16xf32>, tensor<2x6x16xf32>, tensor<2x2x3x8xf32>, tensor<2x2x3x8xf32>) -> (tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf32>)
  return %y : tensor<*xf32>
}

// -----

func.func @heads_not_a_multiple(%q: tensor<1x3x4x8xf32>, %k: tensor<1x2x6x8xf32>, %v: tensor<1x2x6x8xf32>) -> tensor<*xf32> {
  // expected-error @+1 {{the 3 query heads are not a multiple of the 2 key/value heads}}
  %y, %pk, %pv, %qk = qc.Attention %q, %k, %v {operandSegmentSizes = array<i32: 1, 1, 1, 0, 0, 0, 0>} : (tensor<1x3x4x8xf32>, tensor<1x2x6x8xf32>, tensor<1x2x6x8xf32>) -> (tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf32>)
  return %y : tensor<*xf32>
}

// -----

func.func @mask_too_long(%q: tensor<1x1x4x8xf32>, %k: tensor<1x1x6x8xf32>, %v: tensor<1x1x6x8xf32>, %m: tensor<4x7xi1>) -> tensor<*xf32> {
  // expected-error @+1 {{attn_mask's last dim 7 exceeds the total key length 6}}
  %y, %pk, %pv, %qk = qc.Attention %q, %k, %v, %m {operandSegmentSizes = array<i32: 1, 1, 1, 1, 0, 0, 0>} : (tensor<1x1x4x8xf32>, tensor<1x1x6x8xf32>, tensor<1x1x6x8xf32>, tensor<4x7xi1>) -> (tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf32>)
  return %y : tensor<*xf32>
}
