// RUN: quantc-opt %s --qc-fuse-elementwise=print-decisions --split-input-file 2>%t.decisions | FileCheck %s
// RUN: FileCheck %s --check-prefix=DECISIONS < %t.decisions

#id = affine_map<(d0, d1) -> (d0, d1)>
#row = affine_map<(d0, d1) -> (d0)>

// An elementwise chain (add -> exp -> mul) becomes one generic.
// CHECK-LABEL: func.func @chain
// CHECK: %[[FUSED:.*]] = linalg.generic
// CHECK: arith.addf
// CHECK: math.exp
// CHECK: arith.mulf
// CHECK-NOT: linalg.generic
// CHECK: return %[[FUSED]]
// DECISIONS: fusion decisions (analytical cost model
// DECISIONS-DAG: fusion: yes 'add' into '{{exp|mul}}': one user: saves writing and reading 4096 bytes
// DECISIONS-DAG: fusion: yes 'exp' into 'mul': one user: saves writing and reading 4096 bytes
func.func @chain(%a: tensor<32x32xf32>, %b: tensor<32x32xf32>) -> tensor<32x32xf32> {
  %e = tensor.empty() : tensor<32x32xf32>
  %0 = linalg.generic {indexing_maps = [#id, #id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%a, %b : tensor<32x32xf32>, tensor<32x32xf32>) outs(%e : tensor<32x32xf32>) {
  ^bb0(%x: f32, %y: f32, %o: f32):
    %s = arith.addf %x, %y : f32
    linalg.yield %s : f32
  } -> tensor<32x32xf32> loc("add")
  %1 = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%0 : tensor<32x32xf32>) outs(%e : tensor<32x32xf32>) {
  ^bb0(%x: f32, %o: f32):
    %s = math.exp %x : f32
    linalg.yield %s : f32
  } -> tensor<32x32xf32> loc("exp")
  %2 = linalg.generic {indexing_maps = [#id, #id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%1, %b : tensor<32x32xf32>, tensor<32x32xf32>) outs(%e : tensor<32x32xf32>) {
  ^bb0(%x: f32, %y: f32, %o: f32):
    %s = arith.mulf %x, %y : f32
    linalg.yield %s : f32
  } -> tensor<32x32xf32> loc("mul")
  return %2 : tensor<32x32xf32>
}

// -----

#id = affine_map<(d0, d1) -> (d0, d1)>
#row = affine_map<(d0, d1) -> (d0)>

// A reduction takes in an elementwise producer that costs little (the
// subtraction, here), so it is never written out; one with transcendental
// math (exp) stays a loop of its own: reduction loops run scalar today, and
// its vectorized loop costs less than the bytes fusing would save.
// CHECK-LABEL: func.func @reduction_producers
// CHECK: %[[EXP:.*]] = linalg.generic
// CHECK-SAME: iterator_types = ["parallel", "parallel"]
// CHECK: math.exp
// CHECK: linalg.generic
// CHECK-SAME: iterator_types = ["parallel", "reduction"]
// CHECK-SAME: ins(%[[EXP]], %arg0
// CHECK: arith.subf
// CHECK: arith.addf
// CHECK-NOT: linalg.generic
// DECISIONS-DAG: fusion: yes 'centre' into 'sum': one user
// DECISIONS-DAG: fusion: no  'exp2' into 'sum': one user, but its 20 operations per element would run in the consumer's scalar loop, costing more than the 4096 bytes saved
func.func @reduction_producers(%a: tensor<32x32xf32>) -> tensor<32xf32> {
  %e = tensor.empty() : tensor<32x32xf32>
  %z = arith.constant 0.0 : f32
  %one = arith.constant 1.0 : f32
  %er = tensor.empty() : tensor<32xf32>
  %init = linalg.fill ins(%z : f32) outs(%er : tensor<32xf32>) -> tensor<32xf32>
  %0 = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%a : tensor<32x32xf32>) outs(%e : tensor<32x32xf32>) {
  ^bb0(%x: f32, %o: f32):
    %s = math.exp %x : f32
    linalg.yield %s : f32
  } -> tensor<32x32xf32> loc("exp2")
  %1 = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%a : tensor<32x32xf32>) outs(%e : tensor<32x32xf32>) {
  ^bb0(%x: f32, %o: f32):
    %s = arith.subf %x, %one : f32
    linalg.yield %s : f32
  } -> tensor<32x32xf32> loc("centre")
  %2 = linalg.generic {indexing_maps = [#id, #id, #row], iterator_types = ["parallel", "reduction"]}
      ins(%0, %1 : tensor<32x32xf32>, tensor<32x32xf32>) outs(%init : tensor<32xf32>) {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %p = arith.addf %x, %y : f32
    %s = arith.addf %p, %acc : f32
    linalg.yield %s : f32
  } -> tensor<32xf32> loc("sum")
  return %2 : tensor<32xf32>
}

// -----

#id = affine_map<(d0, d1) -> (d0, d1)>
#a = affine_map<(d0, d1, d2) -> (d0, d2)>
#b = affine_map<(d0, d1, d2) -> (d2, d1)>
#c = affine_map<(d0, d1, d2) -> (d0, d1)>

// A result two ops read stays materialized; a contraction keeps its plain
// operands (for the GEMM kernel) even when its producer has one user.
// CHECK-LABEL: func.func @kept_apart
// CHECK: %[[NEG:.*]] = linalg.generic
// CHECK: arith.negf
// CHECK: linalg.generic
// CHECK-SAME: ins(%[[NEG]], %[[NEG]]
// CHECK: arith.mulf
// CHECK: arith.addf
// CHECK: linalg.generic
// CHECK-SAME: ins(%[[NEG]]
// DECISIONS-DAG: fusion: no  'neg' into 'matmul': the consumer is a contraction for the GEMM kernel
// DECISIONS-DAG: fusion: no  'neg' into 'abs': 2 users: it stays in memory for the others
func.func @kept_apart(%a: tensor<32x32xf32>) -> (tensor<32x32xf32>, tensor<32x32xf32>) {
  %e = tensor.empty() : tensor<32x32xf32>
  %z = arith.constant 0.0 : f32
  %init = linalg.fill ins(%z : f32) outs(%e : tensor<32x32xf32>) -> tensor<32x32xf32>
  %0 = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%a : tensor<32x32xf32>) outs(%e : tensor<32x32xf32>) {
  ^bb0(%x: f32, %o: f32):
    %s = arith.negf %x : f32
    linalg.yield %s : f32
  } -> tensor<32x32xf32> loc("neg")
  %1 = linalg.generic {indexing_maps = [#a, #b, #c], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%0, %0 : tensor<32x32xf32>, tensor<32x32xf32>) outs(%init : tensor<32x32xf32>) {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %m = arith.mulf %x, %y : f32
    %s = arith.addf %acc, %m : f32
    linalg.yield %s : f32
  } -> tensor<32x32xf32> loc("matmul")
  %2 = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%0 : tensor<32x32xf32>) outs(%e : tensor<32x32xf32>) {
  ^bb0(%x: f32, %o: f32):
    %s = math.absf %x : f32
    linalg.yield %s : f32
  } -> tensor<32x32xf32> loc("abs")
  return %1, %2 : tensor<32x32xf32>, tensor<32x32xf32>
}

// -----

#vec = affine_map<(d0, d1) -> (d1)>
#id = affine_map<(d0, d1) -> (d0, d1)>
#col = affine_map<(d0) -> (d0)>

// A run-time dim counts as 64 elements, not 1: a Resize's index vector
// (one per column) read by the gather at every pixel would be computed per
// pixel if fused, in the gather's scalar loop. With its run-time dims
// counted as 1 this pair was fused (PP-OCR det with run-time H and W).
// CHECK-LABEL: func.func @broadcast_index_vector
// CHECK: %[[IDX:.*]] = linalg.generic
// CHECK: arith.fptosi
// CHECK: linalg.generic
// CHECK-SAME: ins(%[[IDX]]
// CHECK: tensor.extract
// DECISIONS: fusion: no  'index' into 'gather': one user, but its 25 operations per element would run 64 times per element in the consumer's scalar loop, costing more than the 512 bytes saved
func.func @broadcast_index_vector(%x: tensor<?x?xf32>, %h: index, %w: index) -> tensor<?x?xf32> {
  %ev = tensor.empty(%w) : tensor<?xi64>
  %half = arith.constant 0.5 : f64
  %idx = linalg.generic {indexing_maps = [#col], iterator_types = ["parallel"]}
      outs(%ev : tensor<?xi64>) {
  ^bb0(%o: i64):
    %i = linalg.index 0 : index
    %ii = arith.index_cast %i : index to i64
    %f = arith.sitofp %ii : i64 to f64
    %s = arith.mulf %f, %half : f64
    %r = math.floor %s : f64
    %c = arith.fptosi %r : f64 to i64
    linalg.yield %c : i64
  } -> tensor<?xi64> loc("index")
  %e = tensor.empty(%h, %w) : tensor<?x?xf32>
  %y = linalg.generic {indexing_maps = [#vec, #id], iterator_types = ["parallel", "parallel"]}
      ins(%idx : tensor<?xi64>) outs(%e : tensor<?x?xf32>) {
  ^bb0(%j: i64, %o: f32):
    %i = linalg.index 0 : index
    %jj = arith.index_cast %j : i64 to index
    %v = tensor.extract %x[%i, %jj] : tensor<?x?xf32>
    linalg.yield %v : f32
  } -> tensor<?x?xf32> loc("gather")
  return %y : tensor<?x?xf32>
}
