// RUN: quantc-opt --qc-lower-to-linalg --split-input-file %s | FileCheck %s

// A Loop that only M ends becomes an scf.for of M iterations; each scan
// output is stacked into a tensor of M slices made before the loop.
// CHECK-LABEL: func.func @for_loop
// CHECK: %[[STACK:.*]] = tensor.empty() : tensor<4x2xf32>
// CHECK: %[[R:.*]]:2 = scf.for %[[IV:.*]] = %{{.*}} to %{{.*}} step %{{.*}} iter_args(%[[Y:.*]] = %arg0, %[[S:.*]] = %[[STACK]])
// CHECK:   arith.index_cast %[[IV]] : index to i64
// CHECK:   %[[SUM:.*]] = linalg.generic
// CHECK:   %[[INS:.*]] = tensor.insert_slice %[[SUM]] into %[[S]][%[[IV]], 0] [1, 2] [1, 1] : tensor<2xf32> into tensor<4x2xf32>
// CHECK:   scf.yield %[[SUM]], %[[INS]]
// CHECK: return %[[R]]#0, %[[R]]#1
// CHECK-NOT: qc.
func.func @for_loop(%y: tensor<2xf32>) -> (tensor<2xf32>, tensor<4x2xf32>) {
  %m = qc.Constant {value = dense<4> : tensor<i64>} : tensor<i64>
  %r:2 = qc.Loop max %m : tensor<i64> carried(%y : tensor<2xf32>) -> (tensor<2xf32>, tensor<4x2xf32>) {
  ^bb0(%i: tensor<i64>, %c: tensor<i1>, %y_in: tensor<2xf32>):
    %s = qc.Add %y_in, %y_in : (tensor<2xf32>, tensor<2xf32>) -> tensor<2xf32>
    qc.Yield %c, %s, %s : tensor<i1>, tensor<2xf32>, tensor<2xf32>
  }
  return %r#0, %r#1 : tensor<2xf32>, tensor<4x2xf32>
}

// -----

// A condition that may stop it early: an scf.while over (iteration,
// condition, carried values, stacks). The stacks start with room for
// min(M, 1024) slices, double when full, and are cut to the iterations run.
// A carried value the body yields with a run-time dim where the model
// declared a static one is checked: NaN when the declaration was wrong.
// CHECK-LABEL: func.func @while_loop
// CHECK: %[[CAP:.*]] = arith.minui %{{.*}}, %c1024
// CHECK: %[[STACK:.*]] = tensor.empty(%[[CAP]]) : tensor<?x1xf32>
// CHECK: %[[W:.*]]:4 = scf.while (%[[I:.*]] = %{{.*}}, %[[C:.*]] = %{{.*}}, %[[Y:.*]] = %arg2, %[[S:.*]] = %[[STACK]])
// CHECK:   %[[LT:.*]] = arith.cmpi slt, %[[I]], %{{.*}}
// CHECK:   %[[GO:.*]] = arith.andi %[[C]], %[[LT]]
// CHECK:   scf.condition(%[[GO]])
// CHECK: } do {
// CHECK:   scf.if %{{.*}} -> (tensor<1xf32>) {
// CHECK:     tensor.cast %{{.*}} : tensor<?xf32> to tensor<1xf32>
// CHECK:   } else {
// CHECK:     arith.constant 0x7FC00000 : f32
// CHECK:   arith.cmpi uge, %{{.*}}, %{{.*}} : index
// CHECK:   scf.if %{{.*}} -> (tensor<?x1xf32>) {
// CHECK:     tensor.empty(%{{.*}}) : tensor<?x1xf32>
// CHECK:   tensor.insert_slice %{{.*}} into %{{.*}}[%{{.*}}, 0] [1, 1] [1, 1] : tensor<1xf32> into tensor<?x1xf32>
// CHECK:   scf.yield
// CHECK: %[[USED:.*]] = tensor.extract_slice %[[W]]#3[0, 0] [%[[W]]#0, 1] [1, 1]
// CHECK: return %[[W]]#2, %[[USED]]
func.func @while_loop(%m: tensor<i64>, %cond: tensor<i1>, %y: tensor<1xf32>, %x: tensor<?xf32>) -> (tensor<1xf32>, tensor<?x1xf32>) {
  %r:2 = qc.Loop max %m : tensor<i64> cond %cond : tensor<i1> carried(%y : tensor<1xf32>) -> (tensor<1xf32>, tensor<?x1xf32>) attributes {body_output_types = [tensor<i1>, tensor<1xf32>, tensor<1xf32>]} {
  ^bb0(%i: tensor<i64>, %c: tensor<i1>, %y_in: tensor<1xf32>):
    %s = qc.Add %y_in, %x : (tensor<1xf32>, tensor<?xf32>) -> tensor<?xf32>
    qc.Yield %c, %s, %s : tensor<i1>, tensor<?xf32>, tensor<?xf32>
  }
  return %r#0, %r#1 : tensor<1xf32>, tensor<?x1xf32>
}

// -----

// Scan: an scf.for over the scan axis; a reversed scan input is read from
// the end, and each scan output is written along its own axis.
// CHECK-LABEL: func.func @scan
// CHECK: %[[STACK:.*]] = tensor.empty() : tensor<2x3xf32>
// CHECK: scf.for %[[T:.*]] = %{{.*}} to %c3{{.*}} step %{{.*}} iter_args(%[[S:.*]] = %arg0, %[[OUT:.*]] = %[[STACK]])
// CHECK:   %[[REV:.*]] = arith.subi %{{.*}}, %[[T]]
// CHECK:   tensor.extract_slice %arg1[0, %[[REV]]] [2, 1] [1, 1] : tensor<2x3xf32> to tensor<2xf32>
// CHECK:   tensor.insert_slice %{{.*}} into %[[OUT]][0, %[[T]]] [2, 1] [1, 1] : tensor<2xf32> into tensor<2x3xf32>
func.func @scan(%init: tensor<2xf32>, %x: tensor<2x3xf32>) -> (tensor<2xf32>, tensor<2x3xf32>) {
  %r:2 = qc.Scan %init, %x : (tensor<2xf32>, tensor<2x3xf32>) -> (tensor<2xf32>, tensor<2x3xf32>) attributes {num_scan_inputs = 1 : i64, scan_input_axes = array<i64: 1>, scan_input_directions = array<i64: 1>, scan_output_axes = array<i64: 1>} {
  ^bb0(%s: tensor<2xf32>, %xi: tensor<2xf32>):
    %n = qc.Add %s, %xi : (tensor<2xf32>, tensor<2xf32>) -> tensor<2xf32>
    qc.Yield %n, %n : tensor<2xf32>, tensor<2xf32>
  }
  return %r#0, %r#1 : tensor<2xf32>, tensor<2x3xf32>
}

// -----

// Opset 8's batched Scan: an scf.for over the batch around the scan.
// CHECK-LABEL: func.func @batched
// CHECK: scf.for %[[B:.*]] = {{.*}} iter_args
// CHECK:   tensor.extract_slice %arg1[%[[B]], 0, 0] [1, 3, 2] [1, 1, 1] : tensor<1x3x2xf32> to tensor<3x2xf32>
// CHECK:   scf.for
// CHECK:   tensor.insert_slice %{{.*}} into %{{.*}}[%[[B]], 0, 0] [1, 3, 2] [1, 1, 1] : tensor<3x2xf32> into tensor<1x3x2xf32>
func.func @batched(%init: tensor<1x2xf32>, %x: tensor<1x3x2xf32>) -> (tensor<1x2xf32>, tensor<1x3x2xf32>) {
  %r:2 = qc.Scan %init, %x : (tensor<1x2xf32>, tensor<1x3x2xf32>) -> (tensor<1x2xf32>, tensor<1x3x2xf32>) attributes {batched, num_scan_inputs = 1 : i64} {
  ^bb0(%s: tensor<2xf32>, %xi: tensor<2xf32>):
    %n = qc.Add %s, %xi : (tensor<2xf32>, tensor<2xf32>) -> tensor<2xf32>
    qc.Yield %n, %n : tensor<2xf32>, tensor<2xf32>
  }
  return %r#0, %r#1 : tensor<1x2xf32>, tensor<1x3x2xf32>
}

// -----

// Unsigned values are signless after lowering, in the body too.
// CHECK-LABEL: func.func @unsigned
// CHECK: scf.for {{.*}} -> (tensor<3xi8>)
func.func @unsigned(%x: tensor<3xui8>) -> tensor<3xui8> {
  %m = qc.Constant {value = dense<2> : tensor<i64>} : tensor<i64>
  %r = qc.Loop max %m : tensor<i64> carried(%x : tensor<3xui8>) -> (tensor<3xui8>) {
  ^bb0(%i: tensor<i64>, %c: tensor<i1>, %x_in: tensor<3xui8>):
    %d = qc.Div %x_in, %x : (tensor<3xui8>, tensor<3xui8>) -> tensor<3xui8>
    qc.Yield %c, %d : tensor<i1>, tensor<3xui8>
  }
  return %r : tensor<3xui8>
}
