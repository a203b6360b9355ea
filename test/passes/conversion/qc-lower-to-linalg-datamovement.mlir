// RUN: quantc-opt --qc-lower-to-linalg --split-input-file %s | FileCheck %s

// A positive-step Slice is a tensor.extract_slice; a negative step reads
// backwards through a linalg.generic.
// CHECK-LABEL: func.func @slice
// CHECK: tensor.extract_slice %{{.*}}[1, 0] [2, 3] [2, 1]
// CHECK: linalg.generic
// CHECK-SAME: iterator_types = ["parallel", "parallel"]
// CHECK: arith.muli
// CHECK: tensor.extract
func.func @slice(%x: tensor<5x3xf32>) -> (tensor<2x3xf32>, tensor<5x3xf32>) {
  %s = qc.Constant {value = dense<1> : tensor<1xi64>} : tensor<1xi64>
  %e = qc.Constant {value = dense<4> : tensor<1xi64>} : tensor<1xi64>
  %a = qc.Constant {value = dense<0> : tensor<1xi64>} : tensor<1xi64>
  %st = qc.Constant {value = dense<2> : tensor<1xi64>} : tensor<1xi64>
  %y = qc.Slice %x, %s, %e, %a, %st {operandSegmentSizes = array<i32: 1, 1, 1, 1, 1>} : (tensor<5x3xf32>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>) -> tensor<2x3xf32>
  %s2 = qc.Constant {value = dense<-1> : tensor<1xi64>} : tensor<1xi64>
  %e2 = qc.Constant {value = dense<-9223372036854775807> : tensor<1xi64>} : tensor<1xi64>
  %m = qc.Constant {value = dense<-1> : tensor<1xi64>} : tensor<1xi64>
  %z = qc.Slice %x, %s2, %e2, %a, %m {operandSegmentSizes = array<i32: 1, 1, 1, 1, 1>} : (tensor<5x3xf32>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>) -> tensor<5x3xf32>
  return %y, %z : tensor<2x3xf32>, tensor<5x3xf32>
}

// -----

// CHECK-LABEL: func.func @split
// CHECK: tensor.extract_slice %{{.*}}[0, 0] [3, 2] [1, 1]
// CHECK: tensor.extract_slice %{{.*}}[0, 2] [3, 3] [1, 1]
func.func @split(%x: tensor<3x5xf32>) -> (tensor<3x2xf32>, tensor<3x3xf32>) {
  %a, %b = qc.Split %x {axis = 1 : i64, split = array<i64: 2, 3>} : (tensor<3x5xf32>) -> (tensor<3x2xf32>, tensor<3x3xf32>)
  return %a, %b : tensor<3x2xf32>, tensor<3x3xf32>
}

// -----

// Constant padding is tensor.pad after a crop for negative pads; reflect maps
// each output index into the input.
// CHECK-LABEL: func.func @pad
// CHECK: tensor.extract_slice %{{.*}}[1, 0] [1, 3] [1, 1]
// CHECK: tensor.pad %{{.*}} low[0, 2] high[0, 1]
// CHECK: linalg.generic
// CHECK: arith.remsi
// CHECK: tensor.extract
func.func @pad(%x: tensor<2x3xf32>, %v: tensor<f32>) -> (tensor<1x6xf32>, tensor<2x7xf32>) {
  %p = qc.Constant {value = dense<[-1, 2, 0, 1]> : tensor<4xi64>} : tensor<4xi64>
  %y = qc.Pad %x, %p, %v {operandSegmentSizes = array<i32: 1, 1, 1, 0>} : (tensor<2x3xf32>, tensor<4xi64>, tensor<f32>) -> tensor<1x6xf32>
  %q = qc.Constant {value = dense<[0, 2, 0, 2]> : tensor<4xi64>} : tensor<4xi64>
  %z = qc.Pad %x, %q {mode = "reflect", operandSegmentSizes = array<i32: 1, 1, 0, 0>} : (tensor<2x3xf32>, tensor<4xi64>) -> tensor<2x7xf32>
  return %y, %z : tensor<1x6xf32>, tensor<2x7xf32>
}

// -----

// Tile broadcasts to [r0, d0, r1, d1] and collapses the pairs.
// CHECK-LABEL: func.func @tile_expand
// CHECK: linalg.broadcast ins(%{{.*}} : tensor<2x3xf32>) outs(%{{.*}} : tensor<2x2x3x3xf32>) dimensions = [0, 2]
// CHECK: tensor.collapse_shape {{.*}} {{\[\[}}0, 1], [2, 3]] : tensor<2x2x3x3xf32> into tensor<4x9xf32>
// CHECK: linalg.generic
// CHECK-SAME: iterator_types = ["parallel", "parallel", "parallel"]
func.func @tile_expand(%x: tensor<2x3xf32>) -> (tensor<4x9xf32>, tensor<5x2x3xf32>) {
  %r = qc.Constant {value = dense<[2, 3]> : tensor<2xi64>} : tensor<2xi64>
  %t = qc.Tile %x, %r : (tensor<2x3xf32>, tensor<2xi64>) -> tensor<4x9xf32>
  %s = qc.Constant {value = dense<[5, 1, 1]> : tensor<3xi64>} : tensor<3xi64>
  %e = qc.Expand %x, %s : (tensor<2x3xf32>, tensor<3xi64>) -> tensor<5x2x3xf32>
  return %t, %e : tensor<4x9xf32>, tensor<5x2x3xf32>
}

// -----

// DepthToSpace (DCR) is a 6-D transpose between two reshapes.
// CHECK-LABEL: func.func @depth_to_space
// CHECK: tensor.expand_shape {{.*}} into tensor<1x2x2x2x2x3xf32>
// CHECK: linalg.transpose {{.*}} permutation = [0, 3, 4, 1, 5, 2]
// CHECK: tensor.collapse_shape
func.func @depth_to_space(%x: tensor<1x8x2x3xf32>) -> tensor<1x2x4x6xf32> {
  %y = qc.DepthToSpace %x {blocksize = 2 : i64} : (tensor<1x8x2x3xf32>) -> tensor<1x2x4x6xf32>
  return %y : tensor<1x2x4x6xf32>
}

// -----

// Trilu keeps column - row >= k, with k read at run time.
// CHECK-LABEL: func.func @trilu
// CHECK: %[[K:.*]] = tensor.extract %{{.*}}[] : tensor<i64>
// CHECK: linalg.generic
// CHECK: arith.cmpi sge
// CHECK: arith.select
func.func @trilu(%x: tensor<3x4xf32>, %k: tensor<i64>) -> tensor<3x4xf32> {
  %y = qc.Trilu %x, %k : (tensor<3x4xf32>, tensor<i64>) -> tensor<3x4xf32>
  return %y : tensor<3x4xf32>
}

// -----

// CHECK-LABEL: func.func @gathers
// CHECK: linalg.generic
// CHECK: arith.maxsi
// CHECK: arith.minsi
// CHECK: tensor.extract %arg0
// CHECK: linalg.generic
// CHECK: tensor.extract %arg2
// CHECK: tensor.extract %arg0
func.func @gathers(%x: tensor<2x3xf32>, %i: tensor<2x2xi64>, %j: tensor<2x1xi64>) -> (tensor<2x2xf32>, tensor<2x3xf32>) {
  %g = qc.GatherElements %x, %i {axis = 1 : i64} : (tensor<2x3xf32>, tensor<2x2xi64>) -> tensor<2x2xf32>
  %n = qc.GatherND %x, %j : (tensor<2x3xf32>, tensor<2x1xi64>) -> tensor<2x3xf32>
  return %g, %n : tensor<2x2xf32>, tensor<2x3xf32>
}

// -----

// Scatters are a sequential loop nest over the updates.
// CHECK-LABEL: func.func @scatter
// CHECK: scf.for
// CHECK: scf.for
// CHECK: tensor.extract %arg1
// CHECK: arith.mulf
// CHECK: tensor.insert
func.func @scatter(%x: tensor<3x3xf32>, %i: tensor<2x3xi64>, %u: tensor<2x3xf32>) -> tensor<3x3xf32> {
  %y = qc.ScatterElements %x, %i, %u {reduction = "mul"} : (tensor<3x3xf32>, tensor<2x3xi64>, tensor<2x3xf32>) -> tensor<3x3xf32>
  return %y : tensor<3x3xf32>
}

// -----

// OneHot compares the loop index along axis with the normalized index.
// CHECK-LABEL: func.func @one_hot
// CHECK: linalg.generic
// CHECK: linalg.index 0
// CHECK: arith.cmpi eq
// CHECK: arith.select
func.func @one_hot(%i: tensor<3xi64>, %v: tensor<2xf32>) -> tensor<4x3xf32> {
  %d = qc.Constant {value = dense<4> : tensor<i64>} : tensor<i64>
  %y = qc.OneHot %i, %d, %v {axis = 0 : i64} : (tensor<3xi64>, tensor<i64>, tensor<2xf32>) -> tensor<4x3xf32>
  return %y : tensor<4x3xf32>
}

// -----

// Linear Resize: constant index and weight tables per resized axis, one
// reduction loop per axis over its taps. Nearest is a pure gather.
// CHECK-LABEL: func.func @resize
// CHECK: arith.constant dense<{{.*}}> : tensor<4x2xi64>
// CHECK: arith.constant dense<{{.*}}> : tensor<4x2xf32>
// CHECK: linalg.generic
// CHECK-SAME: iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction"]
// CHECK: tensor.extract %arg0
// CHECK: arith.mulf
// CHECK: arith.addf
// CHECK: linalg.generic
// CHECK-SAME: iterator_types = ["parallel", "parallel", "parallel", "parallel"]
// CHECK: tensor.extract %arg0
func.func @resize(%x: tensor<1x1x2x2xf32>) -> (tensor<1x1x4x4xf32>, tensor<1x1x4x4xf32>) {
  %s = qc.Constant {value = dense<[1.0, 1.0, 2.0, 2.0]> : tensor<4xf32>} : tensor<4xf32>
  %a = qc.Resize %x, %s {mode = "linear", operandSegmentSizes = array<i32: 1, 0, 1, 0>} : (tensor<1x1x2x2xf32>, tensor<4xf32>) -> tensor<1x1x4x4xf32>
  %b = qc.Resize %x, %s {operandSegmentSizes = array<i32: 1, 0, 1, 0>} : (tensor<1x1x2x2xf32>, tensor<4xf32>) -> tensor<1x1x4x4xf32>
  return %a, %b : tensor<1x1x4x4xf32>, tensor<1x1x4x4xf32>
}

// -----

// NonZero: a reduction counts the non-zero elements (NaN is non-zero: une),
// which sizes the result; a loop nest over X (a run-time dim from
// tensor.dim) writes each one's coordinates at the running position.
// CHECK-LABEL: func.func @nonzero
// CHECK: %[[COUNT:.*]] = linalg.generic {{.*}}iterator_types = ["reduction", "reduction"]{{.*}} ins(%arg0 : tensor<3x?xf32>)
// CHECK: arith.cmpf une
// CHECK: arith.extui
// CHECK: arith.addi
// CHECK: %[[N64:.*]] = tensor.extract %[[COUNT]][] : tensor<i64>
// CHECK: %[[N:.*]] = arith.index_cast %[[N64]] : i64 to index
// CHECK: %[[EMPTY:.*]] = tensor.empty(%[[N]]) : tensor<2x?xi64>
// CHECK: %[[DIM:.*]] = tensor.dim %arg0, %{{.*}}
// CHECK: scf.for %[[I:.*]] = %c0 to %c3 {{.*}} iter_args(%[[P0:.*]] = %c0, %[[T0:.*]] = %[[EMPTY]])
// CHECK: scf.for %[[J:.*]] = %c0 to %[[DIM]] {{.*}} iter_args(%[[P:.*]] = %[[P0]], %[[T:.*]] = %[[T0]])
// CHECK: %[[V:.*]] = tensor.extract %arg0[%[[I]], %[[J]]]
// CHECK: %[[NZ:.*]] = arith.cmpf une, %[[V]]
// CHECK: scf.if %[[NZ]]
// CHECK: %[[CI:.*]] = arith.index_cast %[[I]] : index to i64
// CHECK: %[[T1:.*]] = tensor.insert %[[CI]] into %[[T]][%{{.*}}, %[[P]]]
// CHECK: %[[CJ:.*]] = arith.index_cast %[[J]] : index to i64
// CHECK: tensor.insert %[[CJ]] into %[[T1]][%{{.*}}, %[[P]]]
// CHECK: arith.addi %[[P]], %c1
func.func @nonzero(%x: tensor<3x?xf32>) -> tensor<2x?xi64> {
  %0 = qc.NonZero %x : (tensor<3x?xf32>) -> tensor<2x?xi64>
  return %0 : tensor<2x?xi64>
}

// -----

// A scalar: only the count, into an empty 0 x nnz result.
// CHECK-LABEL: func.func @nonzero_scalar
// CHECK: arith.cmpi ne
// CHECK: %[[N:.*]] = arith.index_cast
// CHECK: %[[EMPTY:.*]] = tensor.empty(%[[N]]) : tensor<0x?xi64>
// CHECK-NOT: scf.for
// CHECK: return %[[EMPTY]]
func.func @nonzero_scalar(%x: tensor<i32>) -> tensor<0x?xi64> {
  %0 = qc.NonZero %x : (tensor<i32>) -> tensor<0x?xi64>
  return %0 : tensor<0x?xi64>
}

// -----

// A transpose that moves only dims of one keeps the elements in order: a
// view ([2, 3, 1] -> [2, 1, 3]), not a copy. One that moves others copies.
// CHECK-LABEL: func.func @transpose_unit_dims
// CHECK: %[[C:.*]] = tensor.collapse_shape %arg0 {{\[\[}}0, 1, 2]] : tensor<2x3x1xf32> into tensor<6xf32>
// CHECK: %[[E:.*]] = tensor.expand_shape %[[C]] {{\[\[}}0, 1, 2]] output_shape [2, 1, 3] : tensor<6xf32> into tensor<2x1x3xf32>
// CHECK: %[[T:.*]] = linalg.transpose ins(%arg0 : tensor<2x3x1xf32>) {{.*}} permutation = [1, 0, 2]
// CHECK: return %[[E]], %[[T]]
func.func @transpose_unit_dims(%x: tensor<2x3x1xf32>) -> (tensor<2x1x3xf32>, tensor<3x2x1xf32>) {
  %a = qc.Transpose %x {perm = array<i64: 0, 2, 1>} : (tensor<2x3x1xf32>) -> tensor<2x1x3xf32>
  %b = qc.Transpose %x {perm = array<i64: 1, 0, 2>} : (tensor<2x3x1xf32>) -> tensor<3x2x1xf32>
  return %a, %b : tensor<2x1x3xf32>, tensor<3x2x1xf32>
}
