// RUN: quantc-opt --pass-pipeline='builtin.module(func.func(qc-parallelize-loops))' --split-input-file %s | FileCheck %s

// A large elementwise op written in place (a Relu on an arena slice): its
// loop nest with the first loop of two or more iterations (channels; the
// batch loop of one stays serial) shared as an OpenMP worksharing loop with
// nowait, the inner loops serial. The views of the slice are made again
// inside the region, so that the input and the output are one pointer there.
#id = affine_map<(n, c, h, w) -> (n, c, h, w)>
// CHECK-LABEL: func.func @relu_in_place
// CHECK: %[[SLICE:.*]] = call @slice
// CHECK: scf.for %[[N:.*]] = %{{.*}} to %{{.*}} step
// CHECK:   omp.parallel {
// CHECK:     memref.view %[[SLICE]]
// CHECK:     omp.wsloop nowait {
// CHECK:       omp.loop_nest (%[[C:.*]]) : index = (%{{.*}}) to (%{{.*}}) step (%{{.*}}) {
// CHECK:         scf.for %[[H:.*]] = 
// CHECK:           scf.for %[[W:.*]] = 
// CHECK:             arith.maximumf
// CHECK:         omp.yield
// CHECK:     omp.terminator
// CHECK-NOT: linalg.generic
func.func private @slice() -> memref<?xi8>
func.func @relu_in_place() {
  %s = call @slice() : () -> memref<?xi8>
  %c0 = arith.constant 0 : index
  %x = memref.view %s[%c0][] : memref<?xi8> to memref<1x32x64x64xf32>
  %y = memref.view %s[%c0][] : memref<?xi8> to memref<1x32x64x64xf32>
  %zero = arith.constant 0.0 : f32
  linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%x : memref<1x32x64x64xf32>) outs(%y : memref<1x32x64x64xf32>) {
  ^bb0(%in: f32, %out: f32):
    %r = arith.maximumf %in, %zero : f32
    linalg.yield %r : f32
  }
  return
}

// -----

// A reduction over the inner dim (a row sum, as in softmax and LayerNorm):
// the rows are shared out, each row's sum stays one serial loop.
#idr = affine_map<(i, j) -> (i, j)>
#rowr = affine_map<(i, j) -> (i)>
// CHECK-LABEL: func.func @row_sums
// CHECK: omp.parallel {
// CHECK:   omp.wsloop nowait {
// CHECK:     omp.loop_nest (%[[I:.*]]) : index
// CHECK:       scf.for %[[J:.*]] =
// CHECK:         arith.addf
// CHECK-NOT: linalg.generic
func.func @row_sums(%big: memref<512x512xf32>, %sum: memref<512xf32>) {
  linalg.generic {indexing_maps = [#idr, #rowr], iterator_types = ["parallel", "reduction"]}
      ins(%big : memref<512x512xf32>) outs(%sum : memref<512xf32>) {
  ^bb0(%in: f32, %out: f32):
    %r = arith.addf %in, %out : f32
    linalg.yield %r : f32
  }
  return
}

// -----

// Left for convert-linalg-to-loops: an op too small to pay for the team
// (4096 iterations), a reduction over the outer dim (a column sum: every
// outer iteration adds into every output), and run-time sizes.
#id2 = affine_map<(i, j) -> (i, j)>
#row = affine_map<(i, j) -> (j)>
// CHECK-LABEL: func.func @left_alone
// CHECK-NOT: omp.
// CHECK-COUNT-3: linalg.generic
func.func @left_alone(%a: memref<64x64xf32>, %b: memref<64x64xf32>,
                      %big: memref<512x512xf32>, %sum: memref<512xf32>,
                      %d: memref<?x512xf32>, %e: memref<?x512xf32>) {
  linalg.generic {indexing_maps = [#id2, #id2], iterator_types = ["parallel", "parallel"]}
      ins(%a : memref<64x64xf32>) outs(%b : memref<64x64xf32>) {
  ^bb0(%in: f32, %out: f32):
    %r = arith.negf %in : f32
    linalg.yield %r : f32
  }
  linalg.generic {indexing_maps = [#id2, #row], iterator_types = ["reduction", "parallel"]}
      ins(%big : memref<512x512xf32>) outs(%sum : memref<512xf32>) {
  ^bb0(%in: f32, %out: f32):
    %r = arith.addf %in, %out : f32
    linalg.yield %r : f32
  }
  linalg.generic {indexing_maps = [#id2, #id2], iterator_types = ["parallel", "parallel"]}
      ins(%d : memref<?x512xf32>) outs(%e : memref<?x512xf32>) {
  ^bb0(%in: f32, %out: f32):
    %r = arith.negf %in : f32
    linalg.yield %r : f32
  }
  return
}

// -----

// A loop qc-reductions-to-loops marked (a large reduction's rows) becomes
// the worksharing loop as it is, its reduction loop inside, unmarked.
// CHECK-LABEL: func.func @marked_rows
// CHECK: omp.parallel {
// CHECK:   omp.wsloop nowait {
// CHECK:     omp.loop_nest (%[[R:.*]]) : index
// CHECK:       scf.for {{.*}} iter_args
// CHECK:       memref.store {{.*}}[%[[R]]]
// CHECK-NOT: qc.share_among_threads
func.func @marked_rows(%x: memref<96x512xf32>, %out: memref<96xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c96 = arith.constant 96 : index
  %c512 = arith.constant 512 : index
  scf.for %r = %c0 to %c96 step %c1 {
    %init = memref.load %out[%r] : memref<96xf32>
    %m = scf.for %c = %c0 to %c512 step %c1 iter_args(%acc = %init) -> (f32) {
      %v = memref.load %x[%r, %c] : memref<96x512xf32>
      %n = arith.maximumf %acc, %v : f32
      scf.yield %n : f32
    }
    memref.store %m, %out[%r] : memref<96xf32>
  } {qc.share_among_threads}
  return
}
