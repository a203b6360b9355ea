// RUN: quantc-opt --qc-emit-packed-entry %s | FileCheck %s

// qc_entry unpacks one descriptor pointer per argument and calls the C
// wrapper; the model's own functions become internal.
// CHECK: llvm.func internal @_mlir_ciface_qc_main
// CHECK: llvm.func @qc_entry(%[[ARGS:.*]]: !llvm.ptr)
// CHECK: %[[P0:.*]] = llvm.getelementptr %[[ARGS]][0] : (!llvm.ptr) -> !llvm.ptr, !llvm.ptr
// CHECK: %[[A0:.*]] = llvm.load %[[P0]] : !llvm.ptr -> !llvm.ptr
// CHECK: %[[P1:.*]] = llvm.getelementptr %[[ARGS]][1]
// CHECK: %[[A1:.*]] = llvm.load %[[P1]]
// CHECK: llvm.call @_mlir_ciface_qc_main(%[[A0]], %[[A1]])
module {
  llvm.func @_mlir_ciface_qc_main(%in: !llvm.ptr, %out: !llvm.ptr) {
    llvm.return
  }
}
