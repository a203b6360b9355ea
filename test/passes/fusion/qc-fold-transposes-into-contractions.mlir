// RUN: quantc-opt --qc-fold-transposes-into-contractions --split-input-file %s | FileCheck %s

// Attention's scores, Q K^T per head, from Q and K split into heads by a
// transpose each: the contraction reads [1, 128, 12, 32] Q and K through
// permuted maps, and both transposes go.
// CHECK-DAG: #[[Q:.*]] = affine_map<(d0, d1, d2, d3, d4) -> (d0, d2, d1, d4)>
// CHECK-DAG: #[[K:.*]] = affine_map<(d0, d1, d2, d3, d4) -> (d0, d3, d1, d4)>
// CHECK-DAG: #[[S:.*]] = affine_map<(d0, d1, d2, d3, d4) -> (d0, d1, d2, d3)>
// CHECK-LABEL: func.func @scores
// CHECK-NOT: linalg.transpose
// CHECK: linalg.generic {indexing_maps = [#[[Q]], #[[K]], #[[S]]]
// CHECK-SAME: ins(%arg0, %arg1 : tensor<1x128x12x32xf32>, tensor<1x128x12x32xf32>)
// CHECK-NOT: linalg.transpose
#lhs = affine_map<(b, h, m, n, k) -> (b, h, m, k)>
#rhs = affine_map<(b, h, m, n, k) -> (b, h, k, n)>
#out = affine_map<(b, h, m, n, k) -> (b, h, m, n)>
func.func @scores(%q: tensor<1x128x12x32xf32>, %k: tensor<1x128x12x32xf32>) -> tensor<1x12x128x128xf32> {
  %eq = tensor.empty() : tensor<1x12x128x32xf32>
  %qt = linalg.transpose ins(%q : tensor<1x128x12x32xf32>) outs(%eq : tensor<1x12x128x32xf32>) permutation = [0, 2, 1, 3]
  %ek = tensor.empty() : tensor<1x12x32x128xf32>
  %kt = linalg.transpose ins(%k : tensor<1x128x12x32xf32>) outs(%ek : tensor<1x12x32x128xf32>) permutation = [0, 2, 3, 1]
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x12x128x128xf32>
  %init = linalg.fill ins(%zero : f32) outs(%e : tensor<1x12x128x128xf32>) -> tensor<1x12x128x128xf32>
  %s = linalg.generic {indexing_maps = [#lhs, #rhs, #out], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction"]}
      ins(%qt, %kt : tensor<1x12x128x32xf32>, tensor<1x12x32x128xf32>) outs(%init : tensor<1x12x128x128xf32>) {
  ^bb0(%a: f32, %b: f32, %acc: f32):
    %p = arith.mulf %a, %b : f32
    %r = arith.addf %acc, %p : f32
    linalg.yield %r : f32
  } -> tensor<1x12x128x128xf32>
  return %s : tensor<1x12x128x128xf32>
}

// -----

// The heads joined back: P V per head, transposed to [1, 128, 12, 32]. The
// contraction fills the transpose's destination and writes it through its
// output map permuted; the transpose goes.
// CHECK-DAG: #[[P:.*]] = affine_map<(d0, d1, d2, d3, d4) -> (d0, d1, d2, d4)>
// CHECK-DAG: #[[V:.*]] = affine_map<(d0, d1, d2, d3, d4) -> (d0, d1, d4, d3)>
// CHECK-DAG: #[[O:.*]] = affine_map<(d0, d1, d2, d3, d4) -> (d0, d2, d1, d3)>
// CHECK-LABEL: func.func @context
// CHECK: %[[E:.*]] = tensor.empty() : tensor<1x128x12x32xf32>
// CHECK: %[[F:.*]] = linalg.fill ins(%{{.*}} : f32) outs(%[[E]] : tensor<1x128x12x32xf32>)
// CHECK: %[[C:.*]] = linalg.generic {indexing_maps = [#[[P]], #[[V]], #[[O]]]
// CHECK-SAME: outs(%[[F]] : tensor<1x128x12x32xf32>)
// CHECK-NOT: linalg.transpose
// CHECK: return %[[C]]
#lhs2 = affine_map<(b, h, m, n, k) -> (b, h, m, k)>
#rhs2 = affine_map<(b, h, m, n, k) -> (b, h, k, n)>
#out2 = affine_map<(b, h, m, n, k) -> (b, h, m, n)>
func.func @context(%p: tensor<1x12x128x128xf32>, %v: tensor<1x12x128x32xf32>) -> tensor<1x128x12x32xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x12x128x32xf32>
  %init = linalg.fill ins(%zero : f32) outs(%e : tensor<1x12x128x32xf32>) -> tensor<1x12x128x32xf32>
  %c = linalg.generic {indexing_maps = [#lhs2, #rhs2, #out2], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction"]}
      ins(%p, %v : tensor<1x12x128x128xf32>, tensor<1x12x128x32xf32>) outs(%init : tensor<1x12x128x32xf32>) {
  ^bb0(%a: f32, %b: f32, %acc: f32):
    %m = arith.mulf %a, %b : f32
    %r = arith.addf %acc, %m : f32
    linalg.yield %r : f32
  } -> tensor<1x12x128x32xf32>
  %et = tensor.empty() : tensor<1x128x12x32xf32>
  %t = linalg.transpose ins(%c : tensor<1x12x128x32xf32>) outs(%et : tensor<1x128x12x32xf32>) permutation = [0, 2, 1, 3]
  return %t : tensor<1x128x12x32xf32>
}

// -----

// A transpose read by an elementwise op stays a copy (a loop reading
// through a permuted map would walk memory with a stride), and so does one
// of a contraction whose result has another user.
// CHECK-LABEL: func.func @kept
// CHECK: linalg.transpose
// CHECK: linalg.transpose
#id = affine_map<(d0, d1) -> (d0, d1)>
#mk = affine_map<(m, n, k) -> (m, k)>
#kn = affine_map<(m, n, k) -> (k, n)>
#mn = affine_map<(m, n, k) -> (m, n)>
func.func @kept(%x: tensor<4x8xf32>, %w: tensor<8x8xf32>) -> (tensor<8x4xf32>, tensor<8x4xf32>, tensor<4x8xf32>) {
  %e = tensor.empty() : tensor<8x4xf32>
  %t = linalg.transpose ins(%x : tensor<4x8xf32>) outs(%e : tensor<8x4xf32>) permutation = [1, 0]
  %y = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%t : tensor<8x4xf32>) outs(%e : tensor<8x4xf32>) {
  ^bb0(%a: f32, %o: f32):
    %n = arith.negf %a : f32
    linalg.yield %n : f32
  } -> tensor<8x4xf32>
  %zero = arith.constant 0.0 : f32
  %e2 = tensor.empty() : tensor<4x8xf32>
  %init = linalg.fill ins(%zero : f32) outs(%e2 : tensor<4x8xf32>) -> tensor<4x8xf32>
  %c = linalg.generic {indexing_maps = [#mk, #kn, #mn], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%x, %w : tensor<4x8xf32>, tensor<8x8xf32>) outs(%init : tensor<4x8xf32>) {
  ^bb0(%a: f32, %b: f32, %acc: f32):
    %m = arith.mulf %a, %b : f32
    %r = arith.addf %acc, %m : f32
    linalg.yield %r : f32
  } -> tensor<4x8xf32>
  %e3 = tensor.empty() : tensor<8x4xf32>
  %ct = linalg.transpose ins(%c : tensor<4x8xf32>) outs(%e3 : tensor<8x4xf32>) permutation = [1, 0]
  return %y, %ct, %c : tensor<8x4xf32>, tensor<8x4xf32>, tensor<4x8xf32>
}
