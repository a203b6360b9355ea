// RUN: quantc-opt --qc-export-entry-point --split-input-file --verify-diagnostics %s | FileCheck %s

// The signature names every input and output with its ONNX name (percent-
// encoded), dtype and dims; inputs become read-only for bufferization.
// CHECK: llvm.mlir.global external constant @qc_signature("quantc-signature 1\0Amodel my%20net\0Ainput x f32 2 1 4\0Ainput ids i64 1 3\0Aoutput y:0 f32 2 1 4\0A\00")
// CHECK: func.func private @qc_main(%{{.*}}: tensor<1x4xf32> {bufferization.writable = false}, %{{.*}}: tensor<3xi64> {bufferization.writable = false}) -> tensor<1x4xf32> attributes {llvm.emit_c_interface}
module attributes {qc.model_name = "my net"} {
  func.func @qc_main(%x: tensor<1x4xf32> {qc.name = "x"}, %ids: tensor<3xi64> {qc.name = "ids"}) -> (tensor<1x4xf32> {qc.name = "y:0"}) {
    return %x : tensor<1x4xf32>
  }
}


// -----

// An output that is an input, or repeats an earlier output, gets its own copy.
// CHECK: output a f32 1 4\0Aoutput b f32 1 4\0Aoutput c f32 1 4
// CHECK: %[[R:.*]] = qc.Relu
// CHECK: %[[IN:.*]] = bufferization.alloc_tensor() copy(%arg0)
// CHECK: %[[DUP:.*]] = bufferization.alloc_tensor() copy(%[[R]])
// CHECK: return %[[IN]], %[[R]], %[[DUP]]
module {
  func.func @qc_main(%x: tensor<4xf32> {qc.name = "x"}) -> (tensor<4xf32> {qc.name = "a"}, tensor<4xf32> {qc.name = "b"}, tensor<4xf32> {qc.name = "c"}) {
    %r = qc.Relu %x : (tensor<4xf32>) -> tensor<4xf32>
    return %x, %r, %r : tensor<4xf32>, tensor<4xf32>, tensor<4xf32>
  }
}

// -----

// Unsigned element types are named u8 ... u64, as the runtime's qc_dtype_t.
// CHECK: input a u8 1 2\0Ainput b u16 1 2\0Ainput c u32 1 2\0Aoutput d u64 1 2
module {
  func.func @qc_main(%a: tensor<2xui8> {qc.name = "a"}, %b: tensor<2xui16> {qc.name = "b"}, %c: tensor<2xui32> {qc.name = "c"}) -> (tensor<2xui64> {qc.name = "d"}) {
    %d = qc.Cast %c {to = 13 : i64} : (tensor<2xui32>) -> tensor<2xui64>
    return %d : tensor<2xui64>
  }
}

// -----

module {
  // expected-error @+1 {{element type 'bf16' is not supported at the model's interface}}
  func.func @qc_main(%a: tensor<2xbf16> {qc.name = "a"}) -> (tensor<2xbf16> {qc.name = "b"}) {
    return %a : tensor<2xbf16>
  }
}

// -----

// expected-error @+1 {{no entry function @qc_main}}
module {
}
