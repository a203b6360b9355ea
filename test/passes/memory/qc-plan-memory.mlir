// RUN: quantc-opt %s --qc-plan-memory --split-input-file | FileCheck %s

// Positions count every op of the body. %a (live 1..3) dies before %c
// (5..7) is born, so they share offset 0; %b (3..7) lives beside both. The
// elementwise generic (7) that reads %b for the last time writes %d
// (7..8) in place of it, at %b's offset.
#id = affine_map<(d0) -> (d0)>
// CHECK: module attributes {qc.memory_plan = {arena_bytes = 8192 : i64,
// CHECK-SAME: buffers = array<i64: 1, 3, 0, 4096, 3, 7, 4096, 4096, 5, 7, 0, 4096, 7, 8, 4096, 4096>,
// CHECK-SAME: lower_bound_bytes = 8192 : i64, naive_bytes = 16384 : i64
// Each buffer is a slice of the arena, (arena bytes, offset, bytes); %d is
// %b's slice.
// CHECK-LABEL: func.func private @qc_runtime_arena(i64, i64, i64) -> memref<?xi8>
// CHECK-SAME: llvm.emit_c_interface
// CHECK-LABEL: func.func @qc_main
// CHECK: %[[A:.*]] = call @qc_runtime_arena(%c8192_i64{{.*}}, %c0_i64{{.*}}, %c4096_i64{{.*}})
// CHECK: %[[B:.*]] = call @qc_runtime_arena(%c8192_i64{{.*}}, %c4096_i64{{.*}}, %c4096_i64{{.*}})
// CHECK: %[[C:.*]] = call @qc_runtime_arena(%c8192_i64{{.*}}, %c0_i64{{.*}}, %c4096_i64{{.*}})
// CHECK-NOT: call @qc_runtime_arena
// CHECK: memref.view %[[A]][%c0{{.*}}][] : memref<?xi8> to memref<1024xf32>
// CHECK: memref.view %[[B]][%c0{{.*}}][] : memref<?xi8> to memref<1024xf32>
// CHECK: memref.view %[[C]][%c0{{.*}}][] : memref<?xi8> to memref<1024xf32>
// CHECK: memref.view %[[B]][%c0{{.*}}][] : memref<?xi8> to memref<1024xf32>
// CHECK-NOT: memref.alloc
// CHECK-NOT: memref.dealloc
// CHECK: return
// CHECK: llvm.mlir.global external constant @qc_memory_plan(dense<[8192, 8192, 16384, 4]> : tensor<4xi64>)
func.func @qc_main(%x: memref<1024xf32>, %y: memref<1024xf32>) {
  %a = memref.alloc() {alignment = 64 : i64} : memref<1024xf32>
  memref.copy %x, %a : memref<1024xf32> to memref<1024xf32>
  %b = memref.alloc() {alignment = 64 : i64} : memref<1024xf32>
  memref.copy %a, %b : memref<1024xf32> to memref<1024xf32>
  %c = memref.alloc() {alignment = 64 : i64} : memref<1024xf32>
  memref.copy %x, %c : memref<1024xf32> to memref<1024xf32>
  %d = memref.alloc() {alignment = 64 : i64} : memref<1024xf32>
  linalg.generic {indexing_maps = [#id, #id, #id], iterator_types = ["parallel"]}
      ins(%b, %c : memref<1024xf32>, memref<1024xf32>) outs(%d : memref<1024xf32>) {
  ^bb0(%in: f32, %in2: f32, %out: f32):
    %s = arith.addf %in, %in2 : f32
    linalg.yield %s : f32
  }
  memref.copy %d, %y : memref<1024xf32> to memref<1024xf32>
  memref.dealloc %a : memref<1024xf32>
  memref.dealloc %b : memref<1024xf32>
  memref.dealloc %c : memref<1024xf32>
  memref.dealloc %d : memref<1024xf32>
  return
}

// -----

// A view keeps its buffer alive: %a is read through a subview at position 5,
// so %b (live at 3) cannot take its place. A buffer with a run-time size, one
// allocated inside a loop, and one the function never frees stay on the heap.
// CHECK: qc.memory_plan = {arena_bytes = 512 : i64,
// CHECK-SAME: buffers = array<i64: 1, 5, 0, 256, 3, 3, 256, 256>
// CHECK-LABEL: func.func @qc_main
// CHECK: memref.view
// CHECK: memref.view
// CHECK: memref.alloc(%{{.*}}) : memref<?xf32>
// CHECK: scf.for
// CHECK: memref.alloc() : memref<4xf32>
// CHECK: memref.dealloc
// CHECK: memref.alloc() : memref<8xf32>
// CHECK: memref.dealloc %{{.*}} : memref<?xf32>
// CHECK-NOT: memref.dealloc
// CHECK: return
func.func @qc_main(%x: memref<64xf32>, %y: memref<32xf32>, %n: index) -> memref<8xf32> {
  %a = memref.alloc() : memref<64xf32>
  memref.copy %x, %a : memref<64xf32> to memref<64xf32>
  %b = memref.alloc() : memref<64xf32>
  memref.copy %x, %b : memref<64xf32> to memref<64xf32>
  %s = memref.subview %a[0] [32] [1] : memref<64xf32> to memref<32xf32, strided<[1]>>
  memref.copy %s, %y : memref<32xf32, strided<[1]>> to memref<32xf32>
  %dyn = memref.alloc(%n) : memref<?xf32>
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  scf.for %i = %c0 to %n step %c1 {
    %t = memref.alloc() : memref<4xf32>
    memref.dealloc %t : memref<4xf32>
  }
  %r = memref.alloc() : memref<8xf32>
  memref.dealloc %dyn : memref<?xf32>
  memref.dealloc %a : memref<64xf32>
  memref.dealloc %b : memref<64xf32>
  return %r : memref<8xf32>
}

// -----

// A loop's result may be its iter_arg: %a lives as long as %l is used
// (position 6), so %b (5) gets memory of its own.
// CHECK: qc.memory_plan = {arena_bytes = 512 : i64,
// CHECK-SAME: buffers = array<i64: 3, 6, 0, 256, 5, 5, 256, 256>
func.func @qc_main(%x: memref<64xf32>, %y: memref<64xf32>, %n: index) {
  %a = memref.alloc() : memref<64xf32>
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %l = scf.for %i = %c0 to %n step %c1 iter_args(%it = %a) -> memref<64xf32> {
    scf.yield %it : memref<64xf32>
  }
  %b = memref.alloc() : memref<64xf32>
  memref.copy %x, %b : memref<64xf32> to memref<64xf32>
  memref.copy %l, %y : memref<64xf32> to memref<64xf32>
  memref.dealloc %a : memref<64xf32>
  memref.dealloc %b : memref<64xf32>
  return
}

// -----

// Yielded out of a branch, %a escapes the walk (the yield is its user, not
// the scf.if): it lives until its dealloc (5), so %b (3) gets memory of its
// own.
// CHECK: qc.memory_plan = {arena_bytes = 512 : i64,
// CHECK-SAME: buffers = array<i64: 1, 5, 0, 256, 3, 3, 256, 256>
func.func @qc_main(%x: memref<64xf32>, %y: memref<64xf32>, %c: i1) {
  %a = memref.alloc() : memref<64xf32>
  %r = scf.if %c -> memref<64xf32> {
    scf.yield %a : memref<64xf32>
  } else {
    scf.yield %x : memref<64xf32>
  }
  %b = memref.alloc() : memref<64xf32>
  memref.copy %x, %b : memref<64xf32> to memref<64xf32>
  memref.copy %r, %y : memref<64xf32> to memref<64xf32>
  memref.dealloc %a : memref<64xf32>
  memref.dealloc %b : memref<64xf32>
  return
}
