// RUN: quantc-opt %s --qc-reductions-to-loops --split-input-file | FileCheck %s

// A sum over the last axis, with exp fused into it: the parallel dim is the
// outer loop; the reduction loop carries the sum, loaded before it and
// stored after it, and the add is reassociable.
// CHECK-LABEL: func.func @sum_of_exp
// CHECK: scf.for %[[I:.*]] = %{{.*}} to %{{.*}} step
// CHECK:   %[[INIT:.*]] = memref.load %{{.*}}[%[[I]]] : memref<4xf32>
// CHECK:   %[[SUM:.*]] = scf.for %[[J:.*]] = %{{.*}} to %{{.*}} step %{{.*}} iter_args(%[[ACC:.*]] = %[[INIT]]) -> (f32) {
// CHECK:     %[[X:.*]] = memref.load %{{.*}}[%[[I]], %[[J]]] : memref<4x128xf32>
// CHECK:     %[[E:.*]] = math.exp %[[X]] : f32
// CHECK:     %[[S:.*]] = arith.addf %[[ACC]], %[[E]] fastmath<reassoc> : f32
// CHECK:     scf.yield %[[S]] : f32
// CHECK:   memref.store %[[SUM]], %{{.*}}[%[[I]]] : memref<4xf32>
// CHECK-NOT: linalg.generic
func.func @sum_of_exp(%x: memref<4x128xf32>, %out: memref<4xf32>) {
  linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0)>],
                  iterator_types = ["parallel", "reduction"]}
      ins(%x : memref<4x128xf32>) outs(%out : memref<4xf32>) {
  ^bb0(%a: f32, %acc: f32):
    %e = math.exp %a : f32
    %s = arith.addf %acc, %e : f32
    linalg.yield %s : f32
  }
  return
}

// -----

// Two reduction dims (the last two), two outputs (a max and the index of
// its row, from linalg.index) and an input broadcast along the reduced
// dims: nested reduction loops thread both accumulators.
// CHECK-LABEL: func.func @max_and_row
// CHECK: scf.for %[[B:.*]] =
// CHECK:   memref.load %{{.*}}[%[[B]]] : memref<2xf32>
// CHECK:   memref.load %{{.*}}[%[[B]]] : memref<2xi64>
// CHECK:   %[[OUTER:.*]]:2 = scf.for %[[R:.*]] = {{.*}} iter_args(%[[M0:.*]] = %{{.*}}, %[[I0:.*]] = %{{.*}}) -> (f32, i64) {
// CHECK:     %[[INNER:.*]]:2 = scf.for %[[C:.*]] = {{.*}} iter_args(%[[M:.*]] = %[[M0]], %[[I:.*]] = %[[I0]]) -> (f32, i64) {
// CHECK:       memref.load %{{.*}}[%[[B]], %[[R]], %[[C]]] : memref<2x3x5xf32>
// CHECK:       memref.load %{{.*}}[%[[B]]] : memref<2xf32>
// CHECK:       arith.index_cast %[[R]] : index to i64
// CHECK:       arith.cmpf ogt, %{{.*}}, %[[M]] fastmath<reassoc>
// CHECK:       scf.yield
// CHECK:     scf.yield %[[INNER]]#0, %[[INNER]]#1 : f32, i64
// CHECK:   memref.store %[[OUTER]]#0, %{{.*}}[%[[B]]] : memref<2xf32>
// CHECK:   memref.store %[[OUTER]]#1, %{{.*}}[%[[B]]] : memref<2xi64>
func.func @max_and_row(%x: memref<2x3x5xf32>, %bias: memref<2xf32>, %max: memref<2xf32>, %row: memref<2xi64>) {
  linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1, d2)>, affine_map<(d0, d1, d2) -> (d0)>,
                                   affine_map<(d0, d1, d2) -> (d0)>, affine_map<(d0, d1, d2) -> (d0)>],
                  iterator_types = ["parallel", "reduction", "reduction"]}
      ins(%x, %bias : memref<2x3x5xf32>, memref<2xf32>) outs(%max, %row : memref<2xf32>, memref<2xi64>) {
  ^bb0(%a: f32, %b: f32, %m: f32, %i: i64):
    %v = arith.addf %a, %b : f32
    %r = linalg.index 1 : index
    %ri = arith.index_cast %r : index to i64
    %greater = arith.cmpf ogt, %v, %m : f32
    %nm = arith.select %greater, %v, %m : f32
    %ni = arith.select %greater, %ri, %i : i64
    linalg.yield %nm, %ni : f32, i64
  }
  return
}

// -----

// A reduction over an outer axis, with a parallel dim inside it, is left to
// the generic lowering (which vectorizes across that dim); so are ops on
// tensors and ops without a reduction.
// CHECK-LABEL: func.func @left_alone
// CHECK-COUNT-2: linalg.generic
// CHECK-NOT: scf.for
func.func @left_alone(%x: memref<4x128xf32>, %out: memref<128xf32>, %y: memref<4x128xf32>) {
  linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d1)>],
                  iterator_types = ["reduction", "parallel"]}
      ins(%x : memref<4x128xf32>) outs(%out : memref<128xf32>) {
  ^bb0(%a: f32, %acc: f32):
    %s = arith.maximumf %acc, %a : f32
    linalg.yield %s : f32
  }
  linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>],
                  iterator_types = ["parallel", "parallel"]}
      ins(%x : memref<4x128xf32>) outs(%y : memref<4x128xf32>) {
  ^bb0(%a: f32, %o: f32):
    %e = math.exp %a : f32
    linalg.yield %e : f32
  }
  return
}

// -----

// A large reduction (1 x 96 x 512 iterations): its outermost loop of two or
// more iterations (the rows; the batch of 1 is skipped) is marked for
// qc-parallelize-loops to share among the threads. The small ones above
// are not.
// CHECK-LABEL: func.func @large_row_max
// CHECK: scf.for
// CHECK-NOT: qc.share_among_threads
// CHECK: scf.for
// CHECK: scf.for {{.*}} iter_args
// CHECK: } {qc.share_among_threads}
// CHECK: }
// CHECK-NOT: qc.share_among_threads
func.func @large_row_max(%x: memref<1x96x512xf32>, %out: memref<1x96xf32>) {
  linalg.generic {indexing_maps = [affine_map<(b, r, c) -> (b, r, c)>, affine_map<(b, r, c) -> (b, r)>],
                  iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%x : memref<1x96x512xf32>) outs(%out : memref<1x96xf32>) {
  ^bb0(%a: f32, %acc: f32):
    %m = arith.maximumf %acc, %a : f32
    linalg.yield %m : f32
  }
  return
}
