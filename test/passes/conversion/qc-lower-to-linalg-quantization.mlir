// RUN: quantc-opt --qc-lower-to-linalg --split-input-file %s | FileCheck %s

// QuantizeLinear per axis: the scale and zero point are read through a map
// of the axis, never broadcast; the value is divided in f32, rounded half to
// even, shifted by the zero point and saturated (maxnumf/minnumf: NaN goes
// to the lower bound), so that the conversion never overflows; the
// saturated value goes through int32, exact for 8 bits.
// CHECK: #[[ID:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK: #[[AXIS:.*]] = affine_map<(d0, d1) -> (d1)>
// CHECK: func.func @quantize_per_axis
// CHECK: linalg.generic {indexing_maps = [#[[ID]], #[[AXIS]], #[[AXIS]], #[[ID]]]
// CHECK: arith.divf
// CHECK: math.roundeven
// CHECK: arith.addf
// CHECK: arith.maxnumf {{.*}}, %cst{{.*}} : f32
// CHECK: arith.minnumf
// CHECK: arith.fptosi {{.*}} : f32 to i32
// CHECK: arith.trunci {{.*}} : i32 to i8
func.func @quantize_per_axis(%x: tensor<2x3xf32>, %s: tensor<3xf32>, %zp: tensor<3xui8>) -> tensor<2x3xui8> {
  %0 = qc.QuantizeLinear %x, %s, %zp : (tensor<2x3xf32>, tensor<3xf32>, tensor<3xui8>) -> tensor<2x3xui8>
  return %0 : tensor<2x3xui8>
}

// -----

// DequantizeLinear blocked along axis 1 by 2: the block is d1 floordiv 2.
// CHECK: #[[BLOCK:.*]] = affine_map<(d0, d1) -> (d0, d1 floordiv 2)>
// CHECK: func.func @dequantize_blocked
// CHECK: linalg.generic {indexing_maps = [#{{.*}}, #[[BLOCK]], #[[BLOCK]], #{{.*}}]
// CHECK: arith.sitofp
// CHECK: arith.subf
// CHECK: arith.mulf
func.func @dequantize_blocked(%x: tensor<4x5xi8>, %s: tensor<4x3xf32>, %zp: tensor<4x3xi8>) -> tensor<4x5xf32> {
  %0 = qc.DequantizeLinear %x, %s, %zp {block_size = 2 : i64} : (tensor<4x5xi8>, tensor<4x3xf32>, tensor<4x3xi8>) -> tensor<4x5xf32>
  return %0 : tensor<4x5xf32>
}

// -----

// MatMulInteger with a 2-D B: one contraction on the bytes themselves (no
// widened copies), each side extended by its signedness minus its zero
// point (A's per tensor, read through (), B's per column, through d1).
// CHECK: #[[ZA:.*]] = affine_map<(d0, d1, d2) -> ()>
// CHECK: #[[ZB:.*]] = affine_map<(d0, d1, d2) -> (d1)>
// CHECK: func.func @matmul_integer
// CHECK: linalg.generic {indexing_maps = [#{{.*}}, #{{.*}}, #[[ZA]], #[[ZB]], #{{.*}}], iterator_types = ["parallel", "parallel", "reduction"]} ins(%arg0, %arg1, %arg2, %arg3 : tensor<4x8xi8>, tensor<8x16xi8>, tensor<i8>, tensor<16xi8>) outs(%{{.*}} : tensor<4x16xi32>)
// CHECK: arith.extui {{.*}} : i8 to i32
// CHECK: arith.extui {{.*}} : i8 to i32
// CHECK: arith.subi
// CHECK: arith.extsi {{.*}} : i8 to i32
// CHECK: arith.extsi {{.*}} : i8 to i32
// CHECK: arith.subi
// CHECK: arith.muli
// CHECK: arith.addi
func.func @matmul_integer(%a: tensor<4x8xui8>, %b: tensor<8x16xi8>, %azp: tensor<ui8>, %bzp: tensor<16xi8>) -> tensor<4x16xi32> {
  %0 = qc.MatMulInteger %a, %b, %azp, %bzp {operandSegmentSizes = array<i32: 1, 1, 1, 1>} : (tensor<4x8xui8>, tensor<8x16xi8>, tensor<ui8>, tensor<16xi8>) -> tensor<4x16xi32>
  return %0 : tensor<4x16xi32>
}

// -----

// Run-time rows and a zero point per row in A's shape (DynamicQuantizeRows
// makes them): A [?, ?, K] and its zero point collapse to [M, K] and [M]
// (views), the byte contraction reads the zero point by row (d0), and the
// [M, N] product is reshaped back (tensor.reshape: MLIR 22 cannot expand
// one dim into two run-time dims through expand_shape).
// CHECK: #[[ROW:.*]] = affine_map<(d0, d1, d2) -> (d0)>
// CHECK: func.func @matmul_integer_rows
// CHECK-DAG: %[[A:.*]] = tensor.collapse_shape %arg0 {{\[\[}}0, 1], [2]] : tensor<?x?x8xi8> into tensor<?x8xi8>
// CHECK-DAG: %[[ZA:.*]] = tensor.collapse_shape %arg2 {{\[\[}}0, 1, 2]] : tensor<?x?x1xi8> into tensor<?xi8>
// CHECK: %[[C:.*]] = linalg.generic {indexing_maps = [#{{.*}}, #{{.*}}, #[[ROW]], #{{.*}}], {{.*}} ins(%[[A]], %arg1, %[[ZA]] : tensor<?x8xi8>, tensor<8x16xi8>, tensor<?xi8>) outs(%{{.*}} : tensor<?x16xi32>)
// CHECK: tensor.reshape %[[C]](%{{.*}}) : (tensor<?x16xi32>, tensor<3xindex>) -> tensor<?x?x16xi32>
func.func @matmul_integer_rows(%a: tensor<?x?x8xui8>, %b: tensor<8x16xi8>, %azp: tensor<?x?x1xui8>) -> tensor<?x?x16xi32> {
  %0 = qc.MatMulInteger %a, %b, %azp {operandSegmentSizes = array<i32: 1, 1, 1, 0>} : (tensor<?x?x8xui8>, tensor<8x16xi8>, tensor<?x?x1xui8>) -> tensor<?x?x16xi32>
  return %0 : tensor<?x?x16xi32>
}

// -----

// One run-time dim is expanded back through expand_shape.
// CHECK: func.func @matmul_integer_one_runtime_dim
// CHECK: tensor.collapse_shape %arg0 {{\[\[}}0, 1], [2]] : tensor<?x4x8xi8> into tensor<?x8xi8>
// CHECK: tensor.expand_shape %{{.*}} {{\[\[}}0, 1], [2]] output_shape [%{{.*}}, 4, 16] : tensor<?x16xi32> into tensor<?x4x16xi32>
func.func @matmul_integer_one_runtime_dim(%a: tensor<?x4x8xui8>, %b: tensor<8x16xi8>, %azp: tensor<ui8>) -> tensor<?x4x16xi32> {
  %0 = qc.MatMulInteger %a, %b, %azp {operandSegmentSizes = array<i32: 1, 1, 1, 0>} : (tensor<?x4x8xui8>, tensor<8x16xi8>, tensor<ui8>) -> tensor<?x4x16xi32>
  return %0 : tensor<?x4x16xi32>
}

// -----

// DynamicQuantizeRows: the max and min (from 0) of each row, both in one
// pass over the row, a scale and a zero point per row from them, then each
// element divided by its row's scale, rounded and shifted by its row's zero
// point. The per-row results get back their last dim of size 1.
// CHECK: #[[ROWS:.*]] = affine_map<(d0, d1) -> (d0)>
// CHECK: func.func @dynamic_quantize_rows
// CHECK: %[[R:.*]]:2 = linalg.generic {{.*}} iterator_types = ["parallel", "reduction"]} ins(%arg0 : tensor<5x7xf32>) outs(%{{.*}}, %{{.*}} : tensor<5xf32>, tensor<5xf32>)
// CHECK-NEXT: ^bb0(%[[X:.*]]: f32, %[[MAX:.*]]: f32, %[[MIN:.*]]: f32):
// CHECK-DAG: %[[HI:.*]] = arith.maxnumf %[[X]], %[[MAX]]
// CHECK-DAG: %[[LO:.*]] = arith.minnumf %[[X]], %[[MIN]]
// CHECK: linalg.yield %[[HI]], %[[LO]]
// CHECK: %[[S:.*]] = linalg.generic {{.*}} ins(%[[R]]#0, %[[R]]#1 : tensor<5xf32>, tensor<5xf32>)
// CHECK: arith.divf
// CHECK: %[[Z:.*]] = linalg.generic {{.*}} ins(%[[R]]#1, %[[S]] : tensor<5xf32>, tensor<5xf32>) outs(%{{.*}} : tensor<5xi8>)
// CHECK: %[[Y:.*]] = linalg.generic {indexing_maps = [#{{.*}}, #[[ROWS]], #[[ROWS]], #{{.*}}], {{.*}} ins(%arg0, %[[S]], %[[Z]] : tensor<5x7xf32>, tensor<5xf32>, tensor<5xi8>) outs(%{{.*}} : tensor<5x7xi8>)
// CHECK: arith.divf
// CHECK: math.roundeven
// CHECK-DAG: %[[S2:.*]] = tensor.expand_shape %[[S]] {{\[\[}}0, 1]] output_shape [5, 1] : tensor<5xf32> into tensor<5x1xf32>
// CHECK-DAG: %[[Z2:.*]] = tensor.expand_shape %[[Z]] {{\[\[}}0, 1]] output_shape [5, 1] : tensor<5xi8> into tensor<5x1xi8>
// CHECK: return %[[Y]], %[[S2]], %[[Z2]]
func.func @dynamic_quantize_rows(%x: tensor<5x7xf32>) -> (tensor<5x7xui8>, tensor<5x1xf32>, tensor<5x1xui8>) {
  %y, %s, %z = qc.DynamicQuantizeRows %x : (tensor<5x7xf32>) -> (tensor<5x7xui8>, tensor<5x1xf32>, tensor<5x1xui8>)
  return %y, %s, %z : tensor<5x7xui8>, tensor<5x1xf32>, tensor<5x1xui8>
}

// -----

// A and B with the same batch dims: one contraction over (batch, m, n, k)
// on the bytes themselves, as for a 2-D B, starting from zeros.
// CHECK-DAG: #[[BA:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d3)>
// CHECK-DAG: #[[BB:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d3, d2)>
// CHECK-DAG: #[[BONE:.*]] = affine_map<(d0, d1, d2, d3) -> ()>
// CHECK-DAG: #[[BC:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2)>
// CHECK: func.func @batched_matmul_integer
// CHECK: %[[ZEROS:.*]] = linalg.fill {{.*}} -> tensor<2x4x3xi32>
// CHECK: linalg.generic {indexing_maps = [#[[BA]], #[[BB]], #[[BONE]], #[[BC]]], iterator_types = ["parallel", "parallel", "parallel", "reduction"]} ins(%arg0, %arg1, %arg2 : tensor<2x4x8xi8>, tensor<2x8x3xi8>, tensor<i8>) outs(%[[ZEROS]] : tensor<2x4x3xi32>)
// CHECK: arith.extsi
// CHECK: arith.extui
// CHECK: arith.subi
// CHECK: arith.muli
func.func @batched_matmul_integer(%a: tensor<2x4x8xi8>, %b: tensor<2x8x3xui8>, %bzp: tensor<ui8>) -> tensor<2x4x3xi32> {
  %0 = qc.MatMulInteger %a, %b, %bzp {operandSegmentSizes = array<i32: 1, 1, 0, 1>} : (tensor<2x4x8xi8>, tensor<2x8x3xui8>, tensor<ui8>) -> tensor<2x4x3xi32>
  return %0 : tensor<2x4x3xi32>
}

// -----

// Zero points per row of A and per column of B in each batch (A's shape
// with K = 1, B's with K = 1): read without their unit dim, per (batch,
// row) and (batch, column).
// CHECK-DAG: #[[ROW:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d1)>
// CHECK-DAG: #[[COL:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d2)>
// CHECK: func.func @batched_zero_points
// CHECK-DAG: %[[ZA:.*]] = tensor.collapse_shape %arg2 {{\[\[}}0], [1, 2]] : tensor<2x4x1xi8> into tensor<2x4xi8>
// CHECK-DAG: %[[ZB:.*]] = tensor.collapse_shape %arg3 {{\[\[}}0], [1, 2]] : tensor<2x1x3xi8> into tensor<2x3xi8>
// CHECK: linalg.generic {indexing_maps = [#{{.*}}, #{{.*}}, #[[ROW]], #[[COL]], #{{.*}}], {{.*}} ins(%arg0, %arg1, %[[ZA]], %[[ZB]] : tensor<2x4x8xi8>, tensor<2x8x3xi8>, tensor<2x4xi8>, tensor<2x3xi8>)
func.func @batched_zero_points(%a: tensor<2x4x8xui8>, %b: tensor<2x8x3xui8>, %azp: tensor<2x4x1xui8>, %bzp: tensor<2x1x3xui8>) -> tensor<2x4x3xi32> {
  %0 = qc.MatMulInteger %a, %b, %azp, %bzp {operandSegmentSizes = array<i32: 1, 1, 1, 1>} : (tensor<2x4x8xui8>, tensor<2x8x3xui8>, tensor<2x4x1xui8>, tensor<2x1x3xui8>) -> tensor<2x4x3xi32>
  return %0 : tensor<2x4x3xi32>
}

// -----

// A B broadcast over A's batch: each input is widened to int32 minus its
// zero point first, then contracted in int32 by the MatMul lowering.
// CHECK: func.func @broadcast_batch_matmul_integer
// CHECK: %[[A:.*]] = linalg.generic
// CHECK: arith.extsi {{.*}} : i8 to i32
// CHECK: %[[B:.*]] = linalg.generic
// CHECK: arith.extui {{.*}} : i8 to i32
// CHECK: arith.subi
// CHECK: linalg.generic {{.*}} ins(%[[A]], %[[B]] : tensor<2x4x8xi32>, tensor<1x8x3xi32>)
// CHECK: arith.muli
func.func @broadcast_batch_matmul_integer(%a: tensor<2x4x8xi8>, %b: tensor<1x8x3xui8>, %bzp: tensor<ui8>) -> tensor<2x4x3xi32> {
  %0 = qc.MatMulInteger %a, %b, %bzp {operandSegmentSizes = array<i32: 1, 1, 0, 1>} : (tensor<2x4x8xi8>, tensor<1x8x3xui8>, tensor<ui8>) -> tensor<2x4x3xi32>
  return %0 : tensor<2x4x3xi32>
}

// -----

// QLinearConv with one group, 1 x 1: one windowed contraction on the bytes
// over (n, f, oh, ow, c, kh, kw), reading x[n, c, oh + kh, ow + kw] and
// w[f, c, kh, kw], x's zero point per tensor and w's per filter (d1); the
// sums start from the bias broadcast along f and come out NCHW, which the
// requantization reads.
// CHECK-DAG: #[[BIAS:.*]] = affine_map<(d0, d1, d2, d3) -> (d1)>
// CHECK-DAG: #[[X:.*]] = affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d0, d4, d2 + d5, d3 + d6)>
// CHECK-DAG: #[[W:.*]] = affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d1, d4, d5, d6)>
// CHECK-DAG: #[[ONE:.*]] = affine_map<(d0, d1, d2, d3, d4, d5, d6) -> ()>
// CHECK-DAG: #[[WZP:.*]] = affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d1)>
// CHECK-DAG: #[[Y:.*]] = affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d0, d1, d2, d3)>
// CHECK: func.func @qlinear_conv_1x1
// CHECK: %[[INIT:.*]] = linalg.generic {indexing_maps = [#[[BIAS]], #{{.*}}]{{.*}} ins(%arg6 : tensor<8xi32>) outs(%{{.*}} : tensor<1x8x3x3xi32>)
// CHECK: linalg.generic {indexing_maps = [#[[X]], #[[W]], #[[ONE]], #[[WZP]], #[[Y]]], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction", "reduction"]} ins(%arg0, %arg3, %arg2, %arg5 : tensor<1x4x3x3xi8>, tensor<8x4x1x1xi8>, tensor<i8>, tensor<8xi8>) outs(%[[INIT]] : tensor<1x8x3x3xi32>)
// CHECK: arith.extui
// CHECK: arith.extsi
// CHECK: math.roundeven
func.func @qlinear_conv_1x1(%x: tensor<1x4x3x3xui8>, %s: tensor<f32>, %zp: tensor<ui8>, %w: tensor<8x4x1x1xi8>, %ws: tensor<8xf32>, %wzp: tensor<8xi8>, %b: tensor<8xi32>) -> tensor<1x8x3x3xui8> {
  %0 = qc.QLinearConv %x, %s, %zp, %w, %ws, %wzp, %s, %zp, %b : (tensor<1x4x3x3xui8>, tensor<f32>, tensor<ui8>, tensor<8x4x1x1xi8>, tensor<8xf32>, tensor<8xi8>, tensor<f32>, tensor<ui8>, tensor<8xi32>) -> tensor<1x8x3x3xui8>
  return %0 : tensor<1x8x3x3xui8>
}

// -----

// ConvInteger 3 x 3, stride 2, two images: x is padded with its zero point
// (padding then adds nothing) and read through the window map (oh * 2 + kh,
// ow * 2 + kw) by one contraction from zeros: no copy of the windows.
// CHECK-DAG: #[[WINDOW:.*]] = affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d0, d4, d2 * 2 + d5, d3 * 2 + d6)>
// CHECK: func.func @conv_integer_window
// CHECK: %[[ZP:.*]] = tensor.extract %arg1[] : tensor<i8>
// CHECK: %[[PADDED:.*]] = tensor.pad %arg0 low[0, 0, 1, 1] high[0, 0, 1, 1]
// CHECK: tensor.yield %[[ZP]] : i8
// CHECK: %[[ZEROS:.*]] = linalg.fill ins(%{{.*}} : i32) outs(%{{.*}} : tensor<2x8x3x3xi32>)
// CHECK: linalg.generic {indexing_maps = [#[[WINDOW]], {{.*}} ins(%[[PADDED]], %arg2, %arg1 : tensor<2x4x7x7xi8>, tensor<8x4x3x3xi8>, tensor<i8>) outs(%[[ZEROS]] : tensor<2x8x3x3xi32>)
// CHECK-NOT: linalg.generic
// CHECK: return
func.func @conv_integer_window(%x: tensor<2x4x5x5xui8>, %zp: tensor<ui8>, %w: tensor<8x4x3x3xi8>) -> tensor<2x8x3x3xi32> {
  %0 = qc.ConvInteger %x, %w, %zp {operandSegmentSizes = array<i32: 1, 1, 1, 0>, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>} : (tensor<2x4x5x5xui8>, tensor<8x4x3x3xi8>, tensor<ui8>) -> tensor<2x8x3x3xi32>
  return %0 : tensor<2x8x3x3xi32>
}

// -----

// Depthwise: x - zx and w - zw as exact float32 integers, the float
// depthwise convolution (padding x - zx with 0), and the sums back as int32.
// CHECK: func.func @conv_integer_depthwise
// CHECK: arith.subi
// CHECK: arith.sitofp
// CHECK: linalg.depthwise_conv_2d_nchw_chw {{.*}} ins(%{{.*}}, %{{.*}} : tensor<1x4x7x7xf32>, tensor<4x3x3xf32>) outs(%{{.*}} : tensor<1x4x5x5xf32>)
// CHECK: arith.fptosi {{.*}} : f32 to i32
func.func @conv_integer_depthwise(%x: tensor<1x4x5x5xui8>, %zp: tensor<ui8>, %w: tensor<4x1x3x3xi8>, %wzp: tensor<4xi8>) -> tensor<1x4x5x5xi32> {
  %0 = qc.ConvInteger %x, %w, %zp, %wzp {group = 4 : i64, pads = array<i64: 1, 1, 1, 1>, operandSegmentSizes = array<i32: 1, 1, 1, 1>} : (tensor<1x4x5x5xui8>, tensor<4x1x3x3xi8>, tensor<ui8>, tensor<4xi8>) -> tensor<1x4x5x5xi32>
  return %0 : tensor<1x4x5x5xi32>
}

// -----

// QLinearConv 3 x 3: the windowed contraction (above), the int32 bias
// starting the sums; the requantization reads the per-channel weight scale
// by output channel.
// CHECK: #[[CHANNEL:.*]] = affine_map<(d0, d1, d2, d3) -> (d1)>
// CHECK: func.func @qlinear_conv
// CHECK: tensor.pad
// CHECK: linalg.generic {{.*}} ins(%{{.*}}, %arg3, %arg2, %arg5 : tensor<1x2x7x7xi8>, tensor<4x2x3x3xi8>, tensor<i8>, tensor<i8>) outs(%{{.*}} : tensor<1x4x5x5xi32>)
func.func @qlinear_conv(%x: tensor<1x2x5x5xui8>, %s: tensor<f32>, %zp: tensor<ui8>, %w: tensor<4x2x3x3xi8>, %ws: tensor<4xf32>, %wzp: tensor<i8>, %b: tensor<4xi32>) -> tensor<1x4x5x5xui8> {
  %0 = qc.QLinearConv %x, %s, %zp, %w, %ws, %wzp, %s, %zp, %b {pads = array<i64: 1, 1, 1, 1>} : (tensor<1x2x5x5xui8>, tensor<f32>, tensor<ui8>, tensor<4x2x3x3xi8>, tensor<4xf32>, tensor<i8>, tensor<f32>, tensor<ui8>, tensor<4xi32>) -> tensor<1x4x5x5xui8>
  return %0 : tensor<1x4x5x5xui8>
}
