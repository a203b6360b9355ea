// RUN: quantc-opt --qc-lower-to-linalg --canonicalize --split-input-file %s | FileCheck %s

// Inputs that decide a result's size but are only known at run time (graph
// inputs): the size is computed from their values.

// Range: max(ceil((limit - start) / delta), 0) elements, none for delta 0.
// CHECK-LABEL: @range
// CHECK: %[[ZERO:.*]] = arith.cmpi eq, %[[D:.*]], %c0_i32
// CHECK: %[[SAFE:.*]] = arith.select %[[ZERO]], %c1_i32, %[[D]]
// CHECK: %[[N:.*]] = arith.ceildivsi %{{.*}}, %[[SAFE]]
// CHECK: %[[POS:.*]] = arith.maxsi %[[N]], %c0_i32
// CHECK: %[[LEN:.*]] = arith.select %[[ZERO]], %c0_i32, %[[POS]]
// CHECK: %[[SIZE:.*]] = arith.index_cast %[[LEN]] : i32 to index
// CHECK: tensor.empty(%[[SIZE]]) : tensor<?xi32>
func.func @range(%s: tensor<i32>, %l: tensor<i32>, %d: tensor<i32>) -> tensor<?xi32> {
  %y = qc.Range %s, %l, %d : (tensor<i32>, tensor<i32>, tensor<i32>) -> tensor<?xi32>
  return %y : tensor<?xi32>
}

// -----

// Floats count in double, as numpy's arange; NaN gives 0 elements.
// CHECK-LABEL: @range_float
// CHECK: arith.extf {{.*}} : f32 to f64
// CHECK: math.ceil
// CHECK: arith.cmpf ogt
// CHECK: arith.fptosi {{.*}} : f64 to i64
func.func @range_float(%s: tensor<f32>, %l: tensor<f32>, %d: tensor<f32>) -> tensor<?xf32> {
  %y = qc.Range %s, %l, %d : (tensor<f32>, tensor<f32>, tensor<f32>) -> tensor<?xf32>
  return %y : tensor<?xf32>
}

// -----

// TopK: K clamped to [0, n] sizes both results.
// CHECK-LABEL: @topk
// CHECK: %[[K:.*]] = arith.index_cast %{{.*}} : i64 to index
// CHECK: %[[K0:.*]] = arith.maxsi %[[K]], %c0
// CHECK: %[[KN:.*]] = arith.minsi %[[K0]], %c4
// CHECK: tensor.empty(%[[KN]]) : tensor<3x?xf32>
// CHECK: tensor.empty(%[[KN]]) : tensor<3x?xi64>
func.func @topk(%x: tensor<3x4xf32>, %k: tensor<1xi64>) -> (tensor<3x?xf32>, tensor<3x?xi64>) {
  %v, %i = qc.TopK %x, %k : (tensor<3x4xf32>, tensor<1xi64>) -> (tensor<3x?xf32>, tensor<3x?xi64>)
  return %v, %i : tensor<3x?xf32>, tensor<3x?xi64>
}

// -----

// OneHot: the depth (truncated, at least 0) sizes the new axis.
// CHECK-LABEL: @onehot
// CHECK: %[[D:.*]] = arith.fptosi %{{.*}} : f32 to i64
// CHECK: %[[DI:.*]] = arith.index_cast %[[D]] : i64 to index
// CHECK: %[[DEPTH:.*]] = arith.maxsi %[[DI]], %c0
// CHECK: tensor.empty(%[[DEPTH]]) : tensor<3x?xf32>
func.func @onehot(%x: tensor<3xi64>, %depth: tensor<f32>, %v: tensor<2xf32>) -> tensor<3x?xf32> {
  %y = qc.OneHot %x, %depth, %v : (tensor<3xi64>, tensor<f32>, tensor<2xf32>) -> tensor<3x?xf32>
  return %y : tensor<3x?xf32>
}

// -----

// Pad with run-time pads is a gather: each output index reads o - begin
// (mirrored for reflect) plus the crop offset, only where the dim keeps
// elements; the sizes are dim + begin + end, at least 0.
// CHECK-LABEL: @pad
// CHECK: tensor.empty(%{{.*}}, %{{.*}}) : tensor<?x?xf32>
// CHECK: linalg.generic
// CHECK:   arith.remsi
// CHECK:   scf.if %{{.*}} -> (f32) {
// CHECK:     tensor.extract %arg0
// CHECK:   } else {
// CHECK:     scf.yield %cst : f32
func.func @pad(%x: tensor<2x3xf32>, %pads: tensor<4xi64>) -> tensor<?x?xf32> {
  %y = qc.Pad %x, %pads {mode = "reflect", operandSegmentSizes = array<i32: 1, 1, 0, 0>} : (tensor<2x3xf32>, tensor<4xi64>) -> tensor<?x?xf32>
  return %y : tensor<?x?xf32>
}

// -----

// Split with run-time sizes: each size at least 0 and at most what is left.
// CHECK-LABEL: @split
// CHECK: %[[A:.*]] = arith.maxsi %{{.*}}, %c0
// CHECK: %[[SA:.*]] = arith.minsi %[[A]], %c6
// CHECK: tensor.extract_slice %arg0[0, 0] [2, %[[SA]]] [1, 1] : tensor<2x6xf32> to tensor<2x?xf32>
// CHECK: %[[LEFT:.*]] = arith.subi %c6, %{{.*}}
// CHECK: %[[SB:.*]] = arith.minsi %{{.*}}, %[[LEFT]]
// CHECK: tensor.extract_slice %arg0[0, %{{.*}}] [2, %[[SB]]] [1, 1]
func.func @split(%x: tensor<2x6xf32>, %s: tensor<2xi64>) -> (tensor<2x?xf32>, tensor<2x?xf32>) {
  %a, %b = qc.Split %x, %s {axis = 1 : i64} : (tensor<2x6xf32>, tensor<2xi64>) -> (tensor<2x?xf32>, tensor<2x?xf32>)
  return %a, %b : tensor<2x?xf32>, tensor<2x?xf32>
}

// -----

// Tile with run-time repeats: dim * max(repeats, 0) elements, each reading
// index i mod dim.
// CHECK-LABEL: @tile
// CHECK: %[[R:.*]] = arith.maxsi %{{.*}}, %c0
// CHECK: %[[N:.*]] = arith.muli %[[R]], %c4
// CHECK: tensor.empty(%[[N]]) : tensor<?xf32>
// CHECK: arith.remsi %{{.*}}, %c4
// CHECK: tensor.extract %arg0
func.func @tile(%x: tensor<4xf32>, %r: tensor<1xi64>) -> tensor<?xf32> {
  %y = qc.Tile %x, %r : (tensor<4xf32>, tensor<1xi64>) -> tensor<?xf32>
  return %y : tensor<?xf32>
}
