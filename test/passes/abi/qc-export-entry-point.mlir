// RUN: quantc-opt --qc-export-entry-point --split-input-file --verify-diagnostics --allow-unregistered-dialect %s | FileCheck %s

// The signature names every input and output with its ONNX name (percent-
// encoded), dtype and dims; inputs become read-only for bufferization.
// CHECK: llvm.mlir.global external constant @qc_signature("quantc-signature 2\0Amodel my%20net\0Aresults out-params\0Ainput x f32 2 1 4\0Ainput ids i64 1 3\0Aoutput y:0 f32 2 1 4\0A\00")
// CHECK: func.func private @qc_main(%{{.*}}: tensor<1x4xf32> {bufferization.writable = false}, %{{.*}}: tensor<3xi64> {bufferization.writable = false}) -> tensor<1x4xf32> attributes {llvm.emit_c_interface}
module attributes {qc.model_name = "my net"} {
  func.func @qc_main(%x: tensor<1x4xf32> {qc.name = "x"}, %ids: tensor<3xi64> {qc.name = "ids"}) -> (tensor<1x4xf32> {qc.name = "y:0"}) {
    return %x : tensor<1x4xf32>
  }
}


// -----

// Dims known only at run time carry the importer's bounds and names into the
// signature; an output sized at run time makes every result "returned", and
// the entry stays public so that bufferization keeps its results.
// CHECK: quantc-signature 2\0Amodel model\0Aresults returned\0Ainput ids i64 2 ?1:8:batch ?0:-1:seq\0Ainput w f32 1 4\0Aoutput y f32 2 ?0:-1: 4\0Aoutput n i64 0\0A\00")
// CHECK: func.func @qc_main(%{{.*}}: tensor<?x?xi64> {bufferization.writable = false}, %{{.*}}: tensor<4xf32> {bufferization.writable = false}) -> (tensor<?x4xf32>, tensor<i64>) attributes {llvm.emit_c_interface}
module {
  func.func @qc_main(%ids: tensor<?x?xi64> {qc.name = "ids", qc.dim_names = ["batch", "seq"], qc.dim_bounds = array<i64: 1, 8, 0, -1>}, %w: tensor<4xf32> {qc.name = "w"}) -> (tensor<?x4xf32> {qc.name = "y"}, tensor<i64> {qc.name = "n"}) {
    %y = "test.y"() : () -> tensor<?x4xf32>
    %n = "test.n"() : () -> tensor<i64>
    return %y, %n : tensor<?x4xf32>, tensor<i64>
  }
}

// -----

module {
  // expected-error @+1 {{input 'ids' has qc.dim_names/qc.dim_bounds that do not match its rank 1}}
  func.func @qc_main(%ids: tensor<?xi64> {qc.name = "ids", qc.dim_names = ["a", "b"], qc.dim_bounds = array<i64: 0, -1>}) {
    return
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

// bfloat16, float8, float4 and the 4- and 2-bit integers.
// CHECK: input a bf16 1 2\0Ainput b f8e4m3fn 1 2\0Ainput c f8e4m3fnuz 1 2\0Ainput d f8e5m2 1 2\0Ainput e f8e5m2fnuz 1 2\0Ainput f f8e8m0 1 2\0Ainput g f4e2m1 1 2\0Ainput h i4 1 2\0Ainput i u4 1 2\0Ainput j i2 1 2\0Ainput k u2 1 2\0Aoutput y i4 1 2
module {
  func.func @qc_main(%a: tensor<2xbf16> {qc.name = "a"}, %b: tensor<2xf8E4M3FN> {qc.name = "b"}, %c: tensor<2xf8E4M3FNUZ> {qc.name = "c"}, %d: tensor<2xf8E5M2> {qc.name = "d"}, %e: tensor<2xf8E5M2FNUZ> {qc.name = "e"}, %f: tensor<2xf8E8M0FNU> {qc.name = "f"}, %g: tensor<2xf4E2M1FN> {qc.name = "g"}, %h: tensor<2xi4> {qc.name = "h"}, %i: tensor<2xui4> {qc.name = "i"}, %j: tensor<2xi2> {qc.name = "j"}, %k: tensor<2xui2> {qc.name = "k"}) -> (tensor<2xi4> {qc.name = "y"}) {
    return %h : tensor<2xi4>
  }
}

// -----

module {
  // expected-error @+1 {{element type 'complex<f32>' is not supported at the model's interface}}
  func.func @qc_main(%a: tensor<2xcomplex<f32>> {qc.name = "a"}) -> (tensor<2xcomplex<f32>> {qc.name = "b"}) {
    return %a : tensor<2xcomplex<f32>>
  }
}

// -----

// expected-error @+1 {{no entry function @qc_main}}
module {
}
