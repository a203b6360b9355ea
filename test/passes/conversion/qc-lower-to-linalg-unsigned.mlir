// RUN: quantc-opt --qc-lower-to-linalg --split-input-file --verify-diagnostics %s | FileCheck %s

// Unsigned types become signless (the function too); ops that only move
// data are lowered as for signed integers, and constants keep their bits.
// CHECK-LABEL: func.func @signature_and_data_movement
// CHECK-SAME: (%[[X:.*]]: tensor<4xi8>) -> tensor<2x2xi8>
// CHECK: %[[C:.*]] = arith.constant dense<[-56, 1, 2, 3]> : tensor<4xi8>
// CHECK: %[[SUM:.*]] = linalg.generic
// CHECK: arith.addi
// CHECK: %[[R:.*]] = tensor.expand_shape %[[SUM]]
// CHECK: linalg.transpose ins(%[[R]] : tensor<2x2xi8>)
// CHECK-NOT: ui8
func.func @signature_and_data_movement(%x: tensor<4xui8>) -> tensor<2x2xui8> {
  %c = qc.Constant {value = dense<[200, 1, 2, 3]> : tensor<4xui8>} : tensor<4xui8>
  %s = qc.Add %x, %c : (tensor<4xui8>, tensor<4xui8>) -> tensor<4xui8>
  %shape = qc.Constant {value = dense<2> : tensor<2xi64>} : tensor<2xi64>
  %r = qc.Reshape %s, %shape : (tensor<4xui8>, tensor<2xi64>) -> tensor<2x2xui8>
  %t = qc.Transpose %r {perm = array<i64: 1, 0>} : (tensor<2x2xui8>) -> tensor<2x2xui8>
  return %t : tensor<2x2xui8>
}

// -----

// Division, remainder, ordering, max/min, Clip and right shifts use the
// unsigned arith ops; Abs is the value itself.
// CHECK-LABEL: func.func @arithmetic
// CHECK: arith.divui
// CHECK: arith.remui
// CHECK: arith.cmpi ult
// CHECK: arith.cmpi uge
// CHECK: arith.maxui
// CHECK: arith.minui
// CHECK: arith.maxui
// CHECK: arith.minui
// CHECK: arith.shrui
// CHECK-NOT: arith.shrsi
// CHECK: ^bb0(%[[IN:.*]]: i16, %{{.*}}: i16):
// CHECK-NEXT: linalg.yield %[[IN]] : i16
func.func @arithmetic(%x: tensor<4xui16>, %y: tensor<4xui16>, %lo: tensor<ui16>, %hi: tensor<ui16>)
    -> (tensor<4xui16>, tensor<4xui16>, tensor<4xi1>, tensor<4xi1>, tensor<4xui16>, tensor<4xui16>, tensor<4xui16>, tensor<4xui16>, tensor<4xui16>) {
  %d = qc.Div %x, %y : (tensor<4xui16>, tensor<4xui16>) -> tensor<4xui16>
  %m = qc.Mod %x, %y : (tensor<4xui16>, tensor<4xui16>) -> tensor<4xui16>
  %l = qc.Less %x, %y : (tensor<4xui16>, tensor<4xui16>) -> tensor<4xi1>
  %g = qc.GreaterOrEqual %x, %y : (tensor<4xui16>, tensor<4xui16>) -> tensor<4xi1>
  %max = qc.Max %x, %y : (tensor<4xui16>, tensor<4xui16>) -> tensor<4xui16>
  %min = qc.Min %x, %y : (tensor<4xui16>, tensor<4xui16>) -> tensor<4xui16>
  %c = qc.Clip %x, %lo, %hi {operandSegmentSizes = array<i32: 1, 1, 1>} : (tensor<4xui16>, tensor<ui16>, tensor<ui16>) -> tensor<4xui16>
  %s = qc.BitShift %x, %y {direction = "RIGHT"} : (tensor<4xui16>, tensor<4xui16>) -> tensor<4xui16>
  %a = qc.Abs %x : (tensor<4xui16>) -> tensor<4xui16>
  return %d, %m, %l, %g, %max, %min, %c, %s, %a : tensor<4xui16>, tensor<4xui16>, tensor<4xi1>, tensor<4xi1>, tensor<4xui16>, tensor<4xui16>, tensor<4xui16>, tensor<4xui16>, tensor<4xui16>
}

// -----

// Casts zero-extend and convert unsigned sources with uitofp; a float goes
// to a narrow unsigned type through int64 (numpy's wrap-around), to uint64
// with fptoui from 0 up. Between ui8 and i8 the bits stay.
// CHECK-LABEL: func.func @casts
// CHECK: arith.uitofp %{{.*}} : i8 to f32
// CHECK: arith.extui %{{.*}} : i8 to i32
// CHECK: arith.fptosi %{{.*}} : f32 to i64
// CHECK-NEXT: arith.trunci %{{.*}} : i64 to i8
// CHECK: arith.fptoui %{{.*}} : f32 to i64
// CHECK: ^bb0(%[[IN:.*]]: i8, %{{.*}}: i8):
// CHECK-NEXT: linalg.yield %[[IN]] : i8
func.func @casts(%x: tensor<4xui8>, %f: tensor<4xf32>)
    -> (tensor<4xf32>, tensor<4xi32>, tensor<4xui8>, tensor<4xui64>, tensor<4xi8>) {
  %a = qc.Cast %x {to = 1 : i64} : (tensor<4xui8>) -> tensor<4xf32>
  %b = qc.Cast %x {to = 6 : i64} : (tensor<4xui8>) -> tensor<4xi32>
  %c = qc.Cast %f {to = 2 : i64} : (tensor<4xf32>) -> tensor<4xui8>
  %d = qc.Cast %f {to = 13 : i64} : (tensor<4xf32>) -> tensor<4xui64>
  %e = qc.Cast %x {to = 3 : i64} : (tensor<4xui8>) -> tensor<4xi8>
  return %a, %b, %c, %d, %e : tensor<4xf32>, tensor<4xi32>, tensor<4xui8>, tensor<4xui64>, tensor<4xi8>
}

// -----

// Reductions start from the unsigned extremes (0, and all ones = -1 as i8)
// and compare unsigned; the integer mean divides unsigned.
// CHECK-LABEL: func.func @reductions
// CHECK: %[[ZERO:.*]] = arith.constant 0 : i8
// CHECK: linalg.fill ins(%[[ZERO]] : i8)
// CHECK: arith.maxui
// CHECK: %[[ONES:.*]] = arith.constant -1 : i8
// CHECK: linalg.fill ins(%[[ONES]] : i8)
// CHECK: arith.minui
// CHECK: arith.divui
// CHECK: arith.cmpi ugt
// CHECK: arith.cmpi ugt
func.func @reductions(%x: tensor<2x4xui8>) -> (tensor<2xui8>, tensor<2xui8>, tensor<2xui8>, tensor<2xi64>, tensor<2x2xui8>, tensor<2x2xi64>) {
  %mx = qc.ReduceMax %x {axes = array<i64: 1>, keepdims = 0 : i64} : (tensor<2x4xui8>) -> tensor<2xui8>
  %mn = qc.ReduceMin %x {axes = array<i64: 1>, keepdims = 0 : i64} : (tensor<2x4xui8>) -> tensor<2xui8>
  %me = qc.ReduceMean %x {axes = array<i64: 1>, keepdims = 0 : i64} : (tensor<2x4xui8>) -> tensor<2xui8>
  %am = qc.ArgMax %x {axis = 1 : i64, keepdims = 0 : i64} : (tensor<2x4xui8>) -> tensor<2xi64>
  %k = qc.Constant {value = dense<2> : tensor<1xi64>} : tensor<1xi64>
  %v, %i = qc.TopK %x, %k {axis = 1 : i64} : (tensor<2x4xui8>, tensor<1xi64>) -> (tensor<2x2xui8>, tensor<2x2xi64>)
  return %mx, %mn, %me, %am, %v, %i : tensor<2xui8>, tensor<2xui8>, tensor<2xui8>, tensor<2xi64>, tensor<2x2xui8>, tensor<2x2xi64>
}

// -----

// MaxPool of unsigned integers pads with 0 and takes maxui.
// CHECK-LABEL: func.func @max_pool
// CHECK: %[[ZERO:.*]] = arith.constant 0 : i8
// CHECK: tensor.pad
// CHECK: tensor.yield %[[ZERO]] : i8
// CHECK: arith.maxui
func.func @max_pool(%x: tensor<1x1x4x4xui8>) -> tensor<1x1x2x2xui8> {
  %y, %i = qc.MaxPool %x {kernel_shape = array<i64: 2, 2>, strides = array<i64: 2, 2>, pads = array<i64: 1, 1, 0, 0>} : (tensor<1x1x4x4xui8>) -> (tensor<1x1x2x2xui8>, tensor<1x1x2x2xi64>)
  return %y : tensor<1x1x2x2xui8>
}

// -----

// A lowering that does not know unsigned types (OneHot's, here) fails
// instead of computing with signed semantics; qc-shape-inference refuses
// such ops before (qc-shape-inference-elementwise.mlir).
func.func @not_unsigned_aware(%i: tensor<3xi64>, %d: tensor<i64>, %v: tensor<2xui8>) -> tensor<3x4xui8> {
  // expected-error @+1 {{failed to legalize operation 'qc.OneHot'}}
  %o = qc.OneHot %i, %d, %v {axis = -1 : i64} : (tensor<3xi64>, tensor<i64>, tensor<2xui8>) -> tensor<3x4xui8>
  return %o : tensor<3x4xui8>
}

// -----

// A large constant (a dense_resource blob) changes type, not bytes.
// CHECK-LABEL: func.func @blob
// CHECK: arith.constant dense_resource<w> : tensor<4xi8>
func.func @blob() -> tensor<4xui8> {
  %c = qc.Constant {value = dense_resource<w> : tensor<4xui8>} : tensor<4xui8>
  return %c : tensor<4xui8>
}

{-#
  dialect_resources: {
    builtin: {
      w: "0x01000000C8010203"
    }
  }
#-}
