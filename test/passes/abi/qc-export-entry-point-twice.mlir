// RUN: quantc-opt --qc-export-entry-point --qc-export-entry-point %s | FileCheck %s

// Run again on its own output (as quantc-opt's quantc-cpu pipeline does on
// `quantc compile --emit=linalg` output), the pass replaces the signature it
// wrote the first time. The old signature was the module's first op, and
// taking the insertion point before erasing it wrote into freed memory.
// The second run no longer sees the ONNX names the first one consumed.
// CHECK: llvm.mlir.global external constant @qc_signature("quantc-signature 2\0Amodel m\0Aresults out-params\0Ainput input0 f32 2 1 4\0Aoutput output0 f32 2 1 4\0A\00")
// CHECK-NOT: @qc_signature
// CHECK: func.func private @qc_main
module attributes {qc.model_name = "m"} {
  func.func @qc_main(%x: tensor<1x4xf32> {qc.name = "x"}) -> (tensor<1x4xf32> {qc.name = "y"}) {
    return %x : tensor<1x4xf32>
  }
}
