// RUN: quantc-opt --qc-lower-to-linalg --split-input-file %s | FileCheck %s

// ConvTranspose: x spread by the strides into zeros (a strided
// insert_slice), the kernel flipped by its own copy, then a stride-1
// convolution whose x map adds the (dilated) kernel index.
// CHECK-DAG: #[[FLIP:.*]] = affine_map<(d0, d1, d2, d3, d4) -> (d0, d1, d2, -d3 + 2, -d4 + 2)>
// CHECK-DAG: #[[X:.*]] = affine_map<(d0, d1, d2, d3, d4, d5, d6, d7) -> (d0, d1, d5, d3 + d6, d4 + d7)>
// CHECK-LABEL: func.func @conv_transpose
// CHECK: tensor.insert_slice %arg0 into {{.*}}[0, 0, 2, 2] [1, 1, 3, 3] [1, 1, 3, 2]
// CHECK: linalg.generic {indexing_maps = [#[[FLIP]]
// CHECK: linalg.generic {indexing_maps = [#[[X]]
func.func @conv_transpose(%x: tensor<1x1x3x3xf32>, %w: tensor<1x2x3x3xf32>) -> tensor<1x2x9x7xf32> {
  %y = qc.ConvTranspose %x, %w {strides = array<i64: 3, 2>} : (tensor<1x1x3x3xf32>, tensor<1x2x3x3xf32>) -> tensor<1x2x9x7xf32>
  return %y : tensor<1x2x9x7xf32>
}

// -----

// ConvTranspose that only upsamples (kernel == strides, no pads): per tap
// one [M, C] x [C, H*W] contraction on the collapsed pixels, the bias as its
// init, copied to its strided share of the output; the taps cover the
// output, which has no init of its own. The GEMM kernel takes each
// contraction whole, and no zero is multiplied.
// CHECK-DAG: #[[UX:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d3, d2)>
// CHECK-DAG: #[[UW:.*]] = affine_map<(d0, d1, d2, d3) -> (d3, d1)>
// CHECK-LABEL: func.func @conv_transpose_upsample
// CHECK: %[[XF:.*]] = tensor.collapse_shape %arg0 {{\[}}[0], [1], [2, 3]] : tensor<1x4x5x6xf32> into tensor<1x4x30xf32>
// CHECK: tensor.empty() : tensor<1x3x10x12xf32>
// CHECK-COUNT-4: tensor.extract_slice %arg1[0, 0, {{[01]}}, {{[01]}}] [4, 3, 1, 1] [1, 1, 1, 1] : tensor<4x3x2x2xf32> to tensor<4x3xf32>
// CHECK-NOT: tensor.insert_slice %arg0
// CHECK: %[[BIAS:.*]] = linalg.generic {{.*}} ins(%arg2 : tensor<3xf32>) outs(%{{.*}} : tensor<1x3x30xf32>)
// CHECK: %[[TAP:.*]] = linalg.generic {indexing_maps = [#[[UX]], #[[UW]], {{.*}}], iterator_types = ["parallel", "parallel", "parallel", "reduction"]} ins(%[[XF]], %{{.*}} : tensor<1x4x30xf32>, tensor<4x3xf32>) outs(%[[BIAS]] : tensor<1x3x30xf32>)
// CHECK: %[[IMG:.*]] = tensor.expand_shape %[[TAP]] {{\[}}[0], [1], [2, 3]] output_shape [1, 3, 5, 6]
// CHECK: tensor.insert_slice %[[IMG]] into %{{.*}}[0, 0, 1, 1] [1, 3, 5, 6] [1, 1, 2, 2] : tensor<1x3x5x6xf32> into tensor<1x3x10x12xf32>
func.func @conv_transpose_upsample(%x: tensor<1x4x5x6xf32>, %w: tensor<4x3x2x2xf32>, %b: tensor<3xf32>) -> tensor<1x3x10x12xf32> {
  %y = qc.ConvTranspose %x, %w, %b {strides = array<i64: 2, 2>} : (tensor<1x4x5x6xf32>, tensor<4x3x2x2xf32>, tensor<3xf32>) -> tensor<1x3x10x12xf32>
  return %y : tensor<1x3x10x12xf32>
}

// -----

// LpPool: the window sums |x|^p (p - 1 multiplications), then pow(s, 1/p).
// CHECK-LABEL: func.func @lp_pool
// CHECK: math.absf
// CHECK-COUNT-2: arith.mulf
// CHECK: math.powf
func.func @lp_pool(%x: tensor<1x1x4x4xf32>) -> tensor<1x1x3x3xf32> {
  %y = qc.LpPool %x {kernel_shape = array<i64: 2, 2>, p = 3 : i64} : (tensor<1x1x4x4xf32>) -> tensor<1x1x3x3xf32>
  return %y : tensor<1x1x3x3xf32>
}

// -----

// MaxPool's Indices, when used: one generic yields the max and the flat
// position (from the loop indices) of its first occurrence.
// CHECK-LABEL: func.func @max_pool_indices
// CHECK: linalg.generic
// CHECK: linalg.index 0
// CHECK: arith.cmpf ogt
// CHECK: linalg.yield {{.*}}, {{.*}} : f32, i64
func.func @max_pool_indices(%x: tensor<1x1x4x4xf32>) -> tensor<1x1x2x2xi64> {
  %y, %i = qc.MaxPool %x {kernel_shape = array<i64: 2, 2>, strides = array<i64: 2, 2>} : (tensor<1x1x4x4xf32>) -> (tensor<1x1x2x2xf32>, tensor<1x1x2x2xi64>)
  return %i : tensor<1x1x2x2xi64>
}
