// RUN: quantc-opt --qc-collapse-dims --split-input-file %s | FileCheck %s

// A requantization-like loop over NCHW with a per-channel operand: H and W
// merge (every operand walks them together), N and C stay apart from them
// (the scale reads C alone).
// CHECK-DAG: #[[CH:.*]] = affine_map<(d0, d1, d2) -> (d1)>
// CHECK-DAG: #[[ID:.*]] = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
// CHECK-LABEL: func.func @per_channel
// CHECK: %[[X:.*]] = tensor.collapse_shape %arg0 {{\[\[}}0], [1], [2, 3]] : tensor<1x8x7x7xi32> into tensor<1x8x49xi32>
// CHECK: %[[Y:.*]] = linalg.generic {indexing_maps = [#[[ID]], #[[CH]], #[[ID]]], iterator_types = ["parallel", "parallel", "parallel"]} ins(%[[X]], %arg1 : tensor<1x8x49xi32>, tensor<8xf32>)
// CHECK: tensor.expand_shape %[[Y]] {{\[\[}}0], [1], [2, 3]] output_shape [1, 8, 7, 7] : tensor<1x8x49xf32> into tensor<1x8x7x7xf32>
#id4 = affine_map<(n, c, h, w) -> (n, c, h, w)>
#ch4 = affine_map<(n, c, h, w) -> (c)>
func.func @per_channel(%x: tensor<1x8x7x7xi32>, %s: tensor<8xf32>) -> tensor<1x8x7x7xf32> {
  %e = tensor.empty() : tensor<1x8x7x7xf32>
  %0 = linalg.generic {indexing_maps = [#id4, #ch4, #id4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%x, %s : tensor<1x8x7x7xi32>, tensor<8xf32>) outs(%e : tensor<1x8x7x7xf32>) {
  ^bb0(%a: i32, %b: f32, %o: f32):
    %f = arith.sitofp %a : i32 to f32
    %m = arith.mulf %f, %b : f32
    linalg.yield %m : f32
  } -> tensor<1x8x7x7xf32>
  return %0 : tensor<1x8x7x7xf32>
}

// -----

// Float: a SiLU after a convolution merges all its dims (the convolution's
// call does not take it in); a Relu reading the convolution's result, and the
// bias broadcast the convolution starts from, keep their dims
// (qc-linalg-to-cpu-kernels takes them into the call in NCHW form only).
// CHECK-LABEL: func.func @float_loops
// CHECK: %[[BIAS:.*]] = linalg.generic {{.*}} iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%arg2 : tensor<8xf32>)
// CHECK: %[[CONV:.*]] = linalg.conv_2d_nchw_fchw {{.*}} outs(%[[BIAS]] : tensor<1x8x7x7xf32>)
// CHECK: linalg.generic {{.*}} iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%[[CONV]] : tensor<1x8x7x7xf32>)
// CHECK: arith.maximumf
// CHECK: %[[FLAT:.*]] = tensor.collapse_shape %[[CONV]] {{\[\[}}0, 1, 2, 3]] : tensor<1x8x7x7xf32> into tensor<392xf32>
// CHECK: linalg.generic {{.*}} iterator_types = ["parallel"]} ins(%[[FLAT]] : tensor<392xf32>)
// CHECK: math.exp
#fid4 = affine_map<(n, c, h, w) -> (n, c, h, w)>
#fch4 = affine_map<(n, c, h, w) -> (c)>
func.func @float_loops(%x: tensor<1x4x9x9xf32>, %w: tensor<8x4x3x3xf32>, %b: tensor<8xf32>) -> (tensor<1x8x7x7xf32>, tensor<1x8x7x7xf32>) {
  %e = tensor.empty() : tensor<1x8x7x7xf32>
  %bias = linalg.generic {indexing_maps = [#fch4, #fid4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%b : tensor<8xf32>) outs(%e : tensor<1x8x7x7xf32>) {
  ^bb0(%a: f32, %o: f32):
    linalg.yield %a : f32
  } -> tensor<1x8x7x7xf32>
  %conv = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
      ins(%x, %w : tensor<1x4x9x9xf32>, tensor<8x4x3x3xf32>) outs(%bias : tensor<1x8x7x7xf32>) -> tensor<1x8x7x7xf32>
  %relu = linalg.generic {indexing_maps = [#fid4, #fid4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%conv : tensor<1x8x7x7xf32>) outs(%e : tensor<1x8x7x7xf32>) {
  ^bb0(%a: f32, %o: f32):
    %zero = arith.constant 0.0 : f32
    %r = arith.maximumf %a, %zero : f32
    linalg.yield %r : f32
  } -> tensor<1x8x7x7xf32>
  %silu = linalg.generic {indexing_maps = [#fid4, #fid4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%conv : tensor<1x8x7x7xf32>) outs(%e : tensor<1x8x7x7xf32>) {
  ^bb0(%a: f32, %o: f32):
    %one = arith.constant 1.0 : f32
    %n = arith.negf %a : f32
    %x1 = math.exp %n : f32
    %d = arith.addf %x1, %one : f32
    %s = arith.divf %a, %d : f32
    linalg.yield %s : f32
  } -> tensor<1x8x7x7xf32>
  return %relu, %silu : tensor<1x8x7x7xf32>, tensor<1x8x7x7xf32>
}

// -----

// A reduction over the last two dims: the parallel dims merge and so do the
// reduced ones. Two run-time dims never merge into one.
// CHECK-LABEL: func.func @reduction
// CHECK: linalg.generic {{.*}} iterator_types = ["parallel", "reduction"]} ins(%{{.*}} : tensor<6x20xi32>)
// CHECK-LABEL: func.func @runtime_dims
// CHECK: linalg.generic {{.*}} iterator_types = ["parallel", "parallel", "reduction"]} ins(%{{.*}} : tensor<?x?x20xi32>)
#in = affine_map<(a, b, c, d) -> (a, b, c, d)>
#out = affine_map<(a, b, c, d) -> (a, b)>
func.func @reduction(%x: tensor<2x3x4x5xi32>, %init: tensor<2x3xi32>) -> tensor<2x3xi32> {
  %0 = linalg.generic {indexing_maps = [#in, #out], iterator_types = ["parallel", "parallel", "reduction", "reduction"]}
      ins(%x : tensor<2x3x4x5xi32>) outs(%init : tensor<2x3xi32>) {
  ^bb0(%a: i32, %o: i32):
    %s = arith.addi %a, %o : i32
    linalg.yield %s : i32
  } -> tensor<2x3xi32>
  return %0 : tensor<2x3xi32>
}
func.func @runtime_dims(%x: tensor<?x?x4x5xi32>, %init: tensor<?x?xi32>) -> tensor<?x?xi32> {
  %0 = linalg.generic {indexing_maps = [#in, #out], iterator_types = ["parallel", "parallel", "reduction", "reduction"]}
      ins(%x : tensor<?x?x4x5xi32>) outs(%init : tensor<?x?xi32>) {
  ^bb0(%a: i32, %o: i32):
    %s = arith.addi %a, %o : i32
    linalg.yield %s : i32
  } -> tensor<?x?xi32>
  return %0 : tensor<?x?xi32>
}

// -----

// A contraction keeps its dims: no run of them is walked alike by A, B and
// C (the GEMM kernel matches it as it is).
// CHECK-LABEL: func.func @matmul
// CHECK-NOT: collapse_shape
// CHECK: iterator_types = ["parallel", "parallel", "reduction"]
#a = affine_map<(m, n, k) -> (m, k)>
#b = affine_map<(m, n, k) -> (k, n)>
#c = affine_map<(m, n, k) -> (m, n)>
func.func @matmul(%x: tensor<4x8xi32>, %y: tensor<8x16xi32>, %z: tensor<4x16xi32>) -> tensor<4x16xi32> {
  %0 = linalg.generic {indexing_maps = [#a, #b, #c], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%x, %y : tensor<4x8xi32>, tensor<8x16xi32>) outs(%z : tensor<4x16xi32>) {
  ^bb0(%p: i32, %q: i32, %o: i32):
    %m = arith.muli %p, %q : i32
    %s = arith.addi %o, %m : i32
    linalg.yield %s : i32
  } -> tensor<4x16xi32>
  return %0 : tensor<4x16xi32>
}
