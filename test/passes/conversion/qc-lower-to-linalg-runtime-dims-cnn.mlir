// RUN: quantc-opt --qc-lower-to-linalg --canonicalize --split-input-file --verify-diagnostics %s | FileCheck %s

// Convolution-network ops with run-time batch and spatial dims: the output
// sizes are index arithmetic on tensor.dim of the input, and the padding is a
// tensor.pad of run-time size.

// floor((H + 2 - 3) / 2) + 1 for the rows, the columns alike.
// CHECK-LABEL: @conv
// CHECK: %[[H:.*]] = tensor.dim %arg0, %c2
// CHECK: arith.floordivsi
// CHECK: %[[W:.*]] = tensor.dim %arg0, %c3
// CHECK: arith.floordivsi
// CHECK: tensor.pad %arg0 low[0, 0, 1, 1] high[0, 0, 1, 1]
// CHECK: } : tensor<?x3x?x?xf32> to tensor<?x3x?x?xf32>
// CHECK: %[[N:.*]] = tensor.dim %arg0, %c0
// CHECK: tensor.empty(%[[N]], %{{.*}}, %{{.*}}) : tensor<?x4x?x?xf32>
// CHECK: linalg.conv_2d_nchw_fchw {{.*}} -> tensor<?x4x?x?xf32>
func.func @conv(%x: tensor<?x3x?x?xf32>, %w: tensor<4x3x3x3xf32>, %b: tensor<4xf32>) -> tensor<?x4x?x?xf32> {
  %y = qc.Conv %x, %w, %b {pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>} : (tensor<?x3x?x?xf32>, tensor<4x3x3x3xf32>, tensor<4xf32>) -> tensor<?x4x?x?xf32>
  return %y : tensor<?x4x?x?xf32>
}

// -----

// SAME_UPPER: the pads themselves are run-time values.
// CHECK-LABEL: @conv_same_depthwise
// CHECK: %[[W:.*]] = tensor.dim %arg0, %c3
// CHECK: arith.ceildivsi %[[W]], %c2
// CHECK: tensor.pad %arg0 low[0, 0, 1, %{{.*}}] high[0, 0, 1, %{{.*}}]
// CHECK: linalg.depthwise_conv_2d_nchw_chw {{.*}} -> tensor<1x4x8x?xf32>
func.func @conv_same_depthwise(%x: tensor<1x4x8x?xf32>, %w: tensor<4x1x3x3xf32>) -> tensor<1x4x8x?xf32> {
  %y = qc.Conv %x, %w {auto_pad = "SAME_UPPER", group = 4 : i64, strides = array<i64: 1, 2>} : (tensor<1x4x8x?xf32>, tensor<4x1x3x3xf32>) -> tensor<1x4x8x?xf32>
  return %y : tensor<1x4x8x?xf32>
}

// -----

// CHECK-LABEL: @conv_1d_grouped
// CHECK: tensor.expand_shape %{{.*}} output_shape [%{{.*}}, 2, 2, %{{.*}}] : tensor<?x4x?xf32> into tensor<?x2x2x?xf32>
// CHECK: linalg.generic
// CHECK: tensor.collapse_shape {{.*}} into tensor<?x4x?xf32>
func.func @conv_1d_grouped(%x: tensor<?x4x?xf32>, %w: tensor<4x2x3xf32>) -> tensor<?x4x?xf32> {
  %y = qc.Conv %x, %w {group = 2 : i64, dilations = array<i64: 2>} : (tensor<?x4x?xf32>, tensor<4x2x3xf32>) -> tensor<?x4x?xf32>
  return %y : tensor<?x4x?xf32>
}

// -----

// ceil_mode: the output size is corrected when the last window would start
// in the end padding, and the end padding grows by what the windows reach.
// CHECK-LABEL: @maxpool_ceil
// CHECK: %[[H:.*]] = tensor.dim %arg0, %c2
// CHECK: arith.ceildivsi
// CHECK: arith.select
// CHECK: tensor.pad %arg0 low[0, 0, 0, 0] high[0, 0, %{{.*}}, 0]
// CHECK: linalg.generic
// CHECK-SAME: outs(%{{.*}} : tensor<?x2x?x3xf32>)
func.func @maxpool_ceil(%x: tensor<?x2x?x7xf32>) -> tensor<?x2x?x3xf32> {
  %y, %i = qc.MaxPool %x {ceil_mode = 1 : i64, kernel_shape = array<i64: 3, 3>, strides = array<i64: 2, 2>} : (tensor<?x2x?x7xf32>) -> (tensor<?x2x?x3xf32>, tensor<?x2x?x3xi64>)
  return %y : tensor<?x2x?x3xf32>
}

// -----

// The element count of each window is computed in the kernel.
// CHECK-LABEL: @avgpool
// CHECK: tensor.pad %arg0 low[0, 0, 1, 1] high[0, 0, 1, 1]
// CHECK: linalg.generic
// CHECK: linalg.generic
// CHECK: linalg.index 2
// CHECK: arith.cmpi sge
// CHECK: arith.sitofp
// CHECK: arith.divf
func.func @avgpool(%x: tensor<?x2x?x?xf32>) -> tensor<?x2x?x?xf32> {
  %y = qc.AveragePool %x {kernel_shape = array<i64: 3, 3>, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>} : (tensor<?x2x?x?xf32>) -> tensor<?x2x?x?xf32>
  return %y : tensor<?x2x?x?xf32>
}

// -----

// CHECK-LABEL: @global_average_pool
// CHECK-DAG: %[[H:.*]] = tensor.dim %arg0, %c2
// CHECK-DAG: %[[W:.*]] = tensor.dim %arg0, %c3
// CHECK: %[[HW:.*]] = arith.muli %[[H]], %[[W]]
// CHECK: arith.index_cast %[[HW]]
// CHECK: tensor.reshape
func.func @global_average_pool(%x: tensor<?x8x?x?xf32>) -> tensor<?x8x1x1xf32> {
  %y = qc.GlobalAveragePool %x : (tensor<?x8x?x?xf32>) -> tensor<?x8x1x1xf32>
  return %y : tensor<?x8x1x1xf32>
}

// -----

// CHECK-LABEL: @flatten
// CHECK-DAG: %[[N:.*]] = tensor.dim %arg0, %c0
// CHECK-DAG: %[[H:.*]] = tensor.dim %arg0, %c2
// CHECK: %[[I:.*]] = arith.muli %[[H]], %c12
// CHECK: tensor.from_elements %[[N]], %[[I]] : tensor<2xindex>
func.func @flatten(%x: tensor<?x3x?x4xf32>) -> tensor<?x?xf32> {
  %y = qc.Flatten %x : (tensor<?x3x?x4xf32>) -> tensor<?x?xf32>
  return %y : tensor<?x?xf32>
}

// -----

// CHECK-LABEL: @gemm
// CHECK: %[[M:.*]] = tensor.dim %arg0, %c0
// CHECK: tensor.empty(%[[M]]) : tensor<?x5xf32>
func.func @gemm(%a: tensor<?x8xf32>, %b: tensor<5x8xf32>, %c: tensor<5xf32>) -> tensor<?x5xf32> {
  %y = qc.Gemm %a, %b, %c {transB = 1 : i64} : (tensor<?x8xf32>, tensor<5x8xf32>, tensor<5xf32>) -> tensor<?x5xf32>
  return %y : tensor<?x5xf32>
}

// -----

// CHECK-LABEL: @batchnorm
// CHECK: tensor.dim %arg0, %c0
func.func @batchnorm(%x: tensor<?x2x?x?xf32>, %s: tensor<2xf32>, %b: tensor<2xf32>, %m: tensor<2xf32>, %v: tensor<2xf32>) -> tensor<?x2x?x?xf32> {
  %y, %rm, %rv = qc.BatchNormalization %x, %s, %b, %m, %v : (tensor<?x2x?x?xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> (tensor<?x2x?x?xf32>, tensor<2xf32>, tensor<2xf32>)
  return %y : tensor<?x2x?x?xf32>
}

// -----

// The output size is floor(in * scale) and the input index floor(o / scale).
// CHECK-LABEL: @resize_nearest
// CHECK: %[[H:.*]] = tensor.dim %arg0, %c2
// CHECK: arith.mulf %{{.*}}, %cst
// CHECK: math.floor
// CHECK: linalg.generic
// CHECK: arith.divf
// CHECK: tensor.extract %arg0
func.func @resize_nearest(%x: tensor<?x2x?x?xf32>) -> tensor<?x2x?x?xf32> {
  %s = qc.Constant {value = dense<[1.0, 1.0, 2.0, 2.0]> : tensor<4xf32>} : tensor<4xf32>
  %y = qc.Resize %x, %s {coordinate_transformation_mode = "asymmetric", nearest_mode = "floor", operandSegmentSizes = array<i32: 1, 0, 1, 0>} : (tensor<?x2x?x?xf32>, tensor<4xf32>) -> tensor<?x2x?x?xf32>
  return %y : tensor<?x2x?x?xf32>
}

// -----

// The general lowering: X spread with zeros, then a stride-1 convolution.
// CHECK-LABEL: @conv_transpose
// CHECK: %[[H:.*]] = tensor.dim %arg0, %c2
// CHECK: tensor.insert_slice %arg0
// CHECK: linalg.generic {{.*}} outs(%{{.*}} : tensor<?x1x2x?x?xf32>)
func.func @conv_transpose(%x: tensor<?x3x?x?xf32>, %w: tensor<3x2x3x3xf32>) -> tensor<?x2x?x?xf32> {
  %y = qc.ConvTranspose %x, %w {strides = array<i64: 2, 2>} : (tensor<?x3x?x?xf32>, tensor<3x2x3x3xf32>) -> tensor<?x2x?x?xf32>
  return %y : tensor<?x2x?x?xf32>
}

// -----

// An upsampling ConvTranspose (kernel == strides, no pads) with run-time
// N, H and W: per tap a contraction over the collapsed pixels for the GEMM,
// as with static sizes. Its [N, M, H*W] result becomes the image through
// tensor.reshape (LLVM 22's expand-strided-metadata crashes on an
// expand_shape splitting one dim into two run-time ones).
// CHECK-LABEL: @conv_transpose_upsample
// CHECK: %[[XF:.*]] = tensor.collapse_shape %arg0 {{\[}}[0], [1], [2, 3]] : tensor<?x3x?x?xf32> into tensor<?x3x?xf32>
// CHECK-NOT: tensor.insert_slice %arg0
// CHECK: %[[TAP:.*]] = linalg.generic {{.*}} iterator_types = ["parallel", "parallel", "parallel", "reduction"]} ins(%[[XF]], %{{.*}} : tensor<?x3x?xf32>, tensor<3x2xf32>) outs(%{{.*}} : tensor<?x2x?xf32>)
// CHECK: %[[IMG:.*]] = tensor.reshape %[[TAP]](%{{.*}}) : (tensor<?x2x?xf32>, tensor<4xindex>) -> tensor<?x2x?x?xf32>
// CHECK: tensor.insert_slice %[[IMG]] into %{{.*}}[0, 0, 0, 0] [%{{.*}}, 2, %{{.*}}, %{{.*}}] [1, 1, 2, 2]
// CHECK-COUNT-3: tensor.insert_slice %{{.*}} [1, 1, 2, 2]
func.func @conv_transpose_upsample(%x: tensor<?x3x?x?xf32>, %w: tensor<3x2x2x2xf32>) -> tensor<?x2x?x?xf32> {
  %y = qc.ConvTranspose %x, %w {strides = array<i64: 2, 2>} : (tensor<?x3x?x?xf32>, tensor<3x2x2x2xf32>) -> tensor<?x2x?x?xf32>
  return %y : tensor<?x2x?x?xf32>
}

// -----

// With H static, the tap's image is an expand_shape; a trailing pad makes
// the output 2W - 1 wide, so that ConvTranspose is not a pure upsampling
// and takes the general lowering.
// CHECK-LABEL: @conv_transpose_upsample_static_h
// CHECK: tensor.expand_shape %{{.*}} {{\[}}[0], [1], [2, 3]] output_shape [%{{.*}}, 2, 4, %{{.*}}] : tensor<?x2x?xf32> into tensor<?x2x4x?xf32>
// CHECK-LABEL: @conv_transpose_end_pad
// CHECK: tensor.insert_slice %arg0
func.func @conv_transpose_upsample_static_h(%x: tensor<?x3x4x?xf32>, %w: tensor<3x2x2x2xf32>) -> tensor<?x2x8x?xf32> {
  %y = qc.ConvTranspose %x, %w {strides = array<i64: 2, 2>} : (tensor<?x3x4x?xf32>, tensor<3x2x2x2xf32>) -> tensor<?x2x8x?xf32>
  return %y : tensor<?x2x8x?xf32>
}
func.func @conv_transpose_end_pad(%x: tensor<?x3x4x?xf32>, %w: tensor<3x2x2x2xf32>) -> tensor<?x2x8x?xf32> {
  %y = qc.ConvTranspose %x, %w {strides = array<i64: 2, 2>, pads = array<i64: 0, 0, 0, 1>} : (tensor<?x3x4x?xf32>, tensor<3x2x2x2xf32>) -> tensor<?x2x8x?xf32>
  return %y : tensor<?x2x8x?xf32>
}
