// RUN: quantc-opt --qc-linalg-to-cpu-kernels --split-input-file --verify-diagnostics %s | FileCheck %s

// Softmax along the last dim: the leading dims collapse into the kernel's
// rows, one call for the whole tensor (attention's [batch, heads, query,
// key] scores).
// CHECK-LABEL: func.func @softmax_rows
// CHECK-DAG: %[[X:.*]] = memref.collapse_shape %arg0 {{\[}}[0, 1, 2], [3]] : memref<1x12x128x128xf32> into memref<1536x128xf32>
// CHECK-DAG: %[[Y:.*]] = memref.collapse_shape %arg1 {{\[}}[0, 1, 2], [3]] : memref<1x12x128x128xf32> into memref<1536x128xf32>
// CHECK: %[[XC:.*]] = memref.cast %[[X]] : memref<1536x128xf32> to memref<?x?xf32, strided<[?, ?], offset: ?>>
// CHECK: %[[YC:.*]] = memref.cast %[[Y]] : memref<1536x128xf32> to memref<?x?xf32, strided<[?, ?], offset: ?>>
// CHECK: call @qc_kernel_softmax_f32(%[[XC]], %[[YC]])
// CHECK-NOT: linalg.softmax
// CHECK: func.func private @qc_kernel_softmax_f32(memref<?x?xf32, strided<[?, ?], offset: ?>>, memref<?x?xf32, strided<[?, ?], offset: ?>>) attributes {llvm.emit_c_interface}
func.func @softmax_rows(%x: memref<1x12x128x128xf32>, %y: memref<1x12x128x128xf32>) {
  linalg.softmax dimension(3) ins(%x : memref<1x12x128x128xf32>) outs(%y : memref<1x12x128x128xf32>)
  return
}

// -----

// A view whose leading dims do not collapse (every other row of a wider
// buffer): a loop over the outer dim, each call on a [rows, cols] view.
// CHECK-LABEL: func.func @softmax_strided
// CHECK: scf.for %[[I:.*]] = %c0 to %c2 step %c1
// CHECK: %[[X:.*]] = memref.subview %arg0[%[[I]], 0, 0] [1, 3, 5] [1, 1, 1]
// CHECK: call @qc_kernel_softmax_f32(
// CHECK-NOT: linalg.softmax
func.func @softmax_strided(%x: memref<2x3x5xf32, strided<[40, 10, 1]>>, %y: memref<2x3x5xf32>) {
  linalg.softmax dimension(2) ins(%x : memref<2x3x5xf32, strided<[40, 10, 1]>>) outs(%y : memref<2x3x5xf32>)
  return
}

// -----

// Along another dim the kernel cannot take it, and nothing else lowers a
// softmax: an error, not a crash further down.
func.func @softmax_inner(%x: memref<4x8xf32>, %y: memref<4x8xf32>) {
  // expected-error @+1 {{softmax is supported on the CPU only in f32 along the last of two or more dims}}
  linalg.softmax dimension(0) ins(%x : memref<4x8xf32>) outs(%y : memref<4x8xf32>)
  return
}
