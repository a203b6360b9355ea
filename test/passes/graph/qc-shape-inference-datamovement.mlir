// RUN: quantc-opt --qc-shape-inference --split-input-file --verify-diagnostics %s | FileCheck %s

// Slice: clamped out-of-range bounds, a negative step, default axes.
// CHECK-LABEL: func.func @slice
func.func @slice(%x: tensor<20x10x5xf32>) -> (tensor<*xf32>, tensor<*xf32>) {
  %s = qc.Constant {value = dense<[0, 1000]> : tensor<2xi64>} : tensor<2xi64>
  %e = qc.Constant {value = dense<[3, 1001]> : tensor<2xi64>} : tensor<2xi64>
  %a = qc.Constant {value = dense<[0, 1]> : tensor<2xi64>} : tensor<2xi64>
  // CHECK: qc.Slice {{.*}} -> tensor<3x0x5xf32>
  %y = qc.Slice %x, %s, %e, %a {operandSegmentSizes = array<i32: 1, 1, 1, 1, 0>} : (tensor<20x10x5xf32>, tensor<2xi64>, tensor<2xi64>, tensor<2xi64>) -> tensor<*xf32>
  %s2 = qc.Constant {value = dense<[20, 10, 4]> : tensor<3xi64>} : tensor<3xi64>
  %e2 = qc.Constant {value = dense<[0, 0, 1]> : tensor<3xi64>} : tensor<3xi64>
  %st = qc.Constant {value = dense<[-1, -3, -2]> : tensor<3xi64>} : tensor<3xi64>
  %ax = qc.Constant {value = dense<[0, 1, 2]> : tensor<3xi64>} : tensor<3xi64>
  // CHECK: qc.Slice {{.*}} -> tensor<19x3x2xf32>
  %z = qc.Slice %x, %s2, %e2, %ax, %st {operandSegmentSizes = array<i32: 1, 1, 1, 1, 1>} : (tensor<20x10x5xf32>, tensor<3xi64>, tensor<3xi64>, tensor<3xi64>, tensor<3xi64>) -> tensor<*xf32>
  return %y, %z : tensor<*xf32>, tensor<*xf32>
}

// -----

// A shape subgraph with Slice, Size, ConstantOfShape, Expand and Range folds
// to constants.
// CHECK-LABEL: func.func @shape_folds
// CHECK-DAG: qc.Constant {value = dense<24> : tensor<i64>}
// CHECK-DAG: qc.Constant {value = dense<7> : tensor<2x3xi32>}
// CHECK-DAG: qc.Constant {value = dense<[5, 3, 1]> : tensor<3xi64>}
// CHECK-NOT: qc.Shape
// CHECK-NOT: qc.Slice
// CHECK-NOT: qc.Range
// CHECK: qc.Reshape {{.*}} -> tensor<6x4xf32>
func.func @shape_folds(%x: tensor<2x3x4xf32>) -> (tensor<*xf32>, tensor<*xi64>, tensor<*xi32>, tensor<*xi64>) {
  %shape = qc.Shape %x : (tensor<2x3x4xf32>) -> tensor<*xi64>
  %s = qc.Constant {value = dense<-1> : tensor<1xi64>} : tensor<1xi64>
  %e = qc.Constant {value = dense<9223372036854775807> : tensor<1xi64>} : tensor<1xi64>
  %last = qc.Slice %shape, %s, %e {operandSegmentSizes = array<i32: 1, 1, 1, 0, 0>} : (tensor<*xi64>, tensor<1xi64>, tensor<1xi64>) -> tensor<*xi64>
  %m = qc.Constant {value = dense<-1> : tensor<1xi64>} : tensor<1xi64>
  %target = qc.Concat %m, %last {axis = 0 : i64} : (tensor<1xi64>, tensor<*xi64>) -> tensor<*xi64>
  %r = qc.Reshape %x, %target : (tensor<2x3x4xf32>, tensor<*xi64>) -> tensor<*xf32>
  %n = qc.Size %x : (tensor<2x3x4xf32>) -> tensor<*xi64>
  %dims = qc.Constant {value = dense<[2, 3]> : tensor<2xi64>} : tensor<2xi64>
  %c = qc.ConstantOfShape %dims {value = dense<7> : tensor<1xi32>} : (tensor<2xi64>) -> tensor<*xi32>
  %start = qc.Constant {value = dense<5> : tensor<i64>} : tensor<i64>
  %limit = qc.Constant {value = dense<0> : tensor<i64>} : tensor<i64>
  %delta = qc.Constant {value = dense<-2> : tensor<i64>} : tensor<i64>
  %range = qc.Range %start, %limit, %delta : (tensor<i64>, tensor<i64>, tensor<i64>) -> tensor<*xi64>
  return %r, %n, %c, %range : tensor<*xf32>, tensor<*xi64>, tensor<*xi32>, tensor<*xi64>
}

// -----

// Split: opset-18 num_outputs with a smaller last chunk, and split sizes.
// CHECK-LABEL: func.func @split
// CHECK: qc.Split {{.*}} -> (tensor<3x2xf32>, tensor<3x2xf32>, tensor<3x1xf32>)
// CHECK: qc.Split {{.*}} -> (tensor<1x5xf32>, tensor<2x5xf32>)
func.func @split(%x: tensor<3x5xf32>) -> (tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf32>) {
  %a, %b, %c = qc.Split %x {axis = 1 : i64, num_outputs = 3 : i64} : (tensor<3x5xf32>) -> (tensor<*xf32>, tensor<*xf32>, tensor<*xf32>)
  %sizes = qc.Constant {value = dense<[1, 2]> : tensor<2xi64>} : tensor<2xi64>
  %d, %e = qc.Split %x, %sizes : (tensor<3x5xf32>, tensor<2xi64>) -> (tensor<*xf32>, tensor<*xf32>)
  return %a, %b, %c, %d, %e : tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf32>
}

// -----

// Pad with axes and negative pads, Tile, Expand, Trilu, DepthToSpace, OneHot.
// CHECK-LABEL: func.func @shapes
// CHECK: qc.Pad {{.*}} -> tensor<2x7xf32>
// CHECK: qc.Tile {{.*}} -> tensor<4x9xf32>
// CHECK: qc.Expand {{.*}} -> tensor<5x2x3xf32>
// CHECK: qc.Trilu {{.*}} -> tensor<2x3xf32>
// CHECK: qc.DepthToSpace {{.*}} -> tensor<1x2x4x6xf32>
// CHECK: qc.OneHot {{.*}} -> tensor<2x10x3xf32>
func.func @shapes(%x: tensor<2x3xf32>, %d: tensor<1x8x2x3xf32>, %i: tensor<2x3xi64>) -> (tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf32>) {
  %pads = qc.Constant {value = dense<[-1, 5]> : tensor<2xi64>} : tensor<2xi64>
  %axes = qc.Constant {value = dense<[-1]> : tensor<1xi64>} : tensor<1xi64>
  %p = qc.Pad %x, %pads, %axes {mode = "edge", operandSegmentSizes = array<i32: 1, 1, 0, 1>} : (tensor<2x3xf32>, tensor<2xi64>, tensor<1xi64>) -> tensor<*xf32>
  %reps = qc.Constant {value = dense<[2, 3]> : tensor<2xi64>} : tensor<2xi64>
  %t = qc.Tile %x, %reps : (tensor<2x3xf32>, tensor<2xi64>) -> tensor<*xf32>
  %shape = qc.Constant {value = dense<[5, 1, 1]> : tensor<3xi64>} : tensor<3xi64>
  %e = qc.Expand %x, %shape : (tensor<2x3xf32>, tensor<3xi64>) -> tensor<*xf32>
  %u = qc.Trilu %x {upper = 0 : i64} : (tensor<2x3xf32>) -> tensor<*xf32>
  %s = qc.DepthToSpace %d {blocksize = 2 : i64, mode = "CRD"} : (tensor<1x8x2x3xf32>) -> tensor<*xf32>
  %depth = qc.Constant {value = dense<10> : tensor<i64>} : tensor<i64>
  %values = qc.Constant {value = dense<[0.0, 1.0]> : tensor<2xf32>} : tensor<2xf32>
  %o = qc.OneHot %i, %depth, %values {axis = 1 : i64} : (tensor<2x3xi64>, tensor<i64>, tensor<2xf32>) -> tensor<*xf32>
  return %p, %t, %e, %u, %s, %o : tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf32>
}

// -----

// Gathers and scatters.
// CHECK-LABEL: func.func @gathers
// CHECK: qc.GatherElements {{.*}} -> tensor<2x2xf32>
// CHECK: qc.GatherND {{.*}} -> tensor<2x4xf32>
// CHECK: qc.ScatterND {{.*}} -> tensor<2x3x4xf32>
func.func @gathers(%x: tensor<2x3x4xf32>, %i: tensor<2x2xi64>, %j: tensor<2x1xi64>, %u: tensor<2x4xf32>) -> (tensor<*xf32>, tensor<*xf32>, tensor<*xf32>) {
  %m = qc.Constant {value = dense<1.0> : tensor<2x3xf32>} : tensor<2x3xf32>
  %g = qc.GatherElements %m, %i {axis = 1 : i64} : (tensor<2x3xf32>, tensor<2x2xi64>) -> tensor<*xf32>
  %n = qc.GatherND %x, %j {batch_dims = 1 : i64} : (tensor<2x3x4xf32>, tensor<2x1xi64>) -> tensor<*xf32>
  %k = qc.Constant {value = dense<[[0, 1], [1, 2]]> : tensor<2x2xi64>} : tensor<2x2xi64>
  %s = qc.ScatterND %x, %k, %u {reduction = "add"} : (tensor<2x3x4xf32>, tensor<2x2xi64>, tensor<2x4xf32>) -> tensor<*xf32>
  return %g, %n, %s : tensor<*xf32>, tensor<*xf32>, tensor<*xf32>
}

// -----

// Resize: output sizes from scales (floor), from sizes with a kept aspect
// ratio, and with axes; Upsample.
// CHECK-LABEL: func.func @resize
// CHECK: qc.Resize {{.*}} -> tensor<1x1x2x4xf32>
// CHECK: qc.Resize {{.*}} -> tensor<1x1x7x7xf32>
// CHECK: qc.Upsample {{.*}} -> tensor<1x1x8x12xf32>
func.func @resize(%x: tensor<1x1x4x4xf32>, %y: tensor<1x1x4x6xf32>) -> (tensor<*xf32>, tensor<*xf32>, tensor<*xf32>) {
  %scales = qc.Constant {value = dense<[1.0, 1.0, 0.6, 1.2]> : tensor<4xf32>} : tensor<4xf32>
  %a = qc.Resize %x, %scales {mode = "linear", operandSegmentSizes = array<i32: 1, 0, 1, 0>} : (tensor<1x1x4x4xf32>, tensor<4xf32>) -> tensor<*xf32>
  %sizes = qc.Constant {value = dense<[7, 8]> : tensor<2xi64>} : tensor<2xi64>
  %b = qc.Resize %x, %sizes {axes = array<i64: 2, 3>, keep_aspect_ratio_policy = "not_larger", operandSegmentSizes = array<i32: 1, 0, 0, 1>} : (tensor<1x1x4x4xf32>, tensor<2xi64>) -> tensor<*xf32>
  %up = qc.Constant {value = dense<[1.0, 1.0, 2.0, 2.0]> : tensor<4xf32>} : tensor<4xf32>
  %c = qc.Upsample %y, %up : (tensor<1x1x4x6xf32>, tensor<4xf32>) -> tensor<*xf32>
  return %a, %b, %c : tensor<*xf32>, tensor<*xf32>, tensor<*xf32>
}

// -----

// A start known only at run time gives a run-time size.
// CHECK-LABEL: @slice_runtime_starts
// CHECK: qc.Slice {{.*}} -> tensor<?xf32>
func.func @slice_runtime_starts(%x: tensor<4xf32>, %s: tensor<1xi64>) -> tensor<*xf32> {
  %e = qc.Constant {value = dense<3> : tensor<1xi64>} : tensor<1xi64>
  %y = qc.Slice %x, %s, %e {operandSegmentSizes = array<i32: 1, 1, 1, 0, 0>} : (tensor<4xf32>, tensor<1xi64>, tensor<1xi64>) -> tensor<*xf32>
  return %y : tensor<*xf32>
}

// -----

func.func @slice_zero_step(%x: tensor<4xf32>) -> tensor<*xf32> {
  %c = qc.Constant {value = dense<0> : tensor<1xi64>} : tensor<1xi64>
  // expected-error @+1 {{steps must not be 0}}
  %y = qc.Slice %x, %c, %c, %c, %c {operandSegmentSizes = array<i32: 1, 1, 1, 1, 1>} : (tensor<4xf32>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>) -> tensor<*xf32>
  return %y : tensor<*xf32>
}

// -----

func.func @split_bad_sizes(%x: tensor<5xf32>) -> (tensor<*xf32>, tensor<*xf32>) {
  // expected-error @+1 {{split sizes add up to 4, not to the dim 5}}
  %a, %b = qc.Split %x {split = array<i64: 2, 2>} : (tensor<5xf32>) -> (tensor<*xf32>, tensor<*xf32>)
  return %a, %b : tensor<*xf32>, tensor<*xf32>
}

// -----

func.func @pad_mode(%x: tensor<4xf32>) -> tensor<*xf32> {
  %p = qc.Constant {value = dense<[1, 1]> : tensor<2xi64>} : tensor<2xi64>
  // expected-error @+1 {{mode 'symmetric' is not one of constant, reflect, edge, wrap}}
  %y = qc.Pad %x, %p {mode = "symmetric", operandSegmentSizes = array<i32: 1, 1, 0, 0>} : (tensor<4xf32>, tensor<2xi64>) -> tensor<*xf32>
  return %y : tensor<*xf32>
}

// -----

// Repeats only known at run time give run-time dims.
// CHECK-LABEL: @tile_runtime
// CHECK: qc.Tile {{.*}} -> tensor<?xf32>
func.func @tile_runtime(%x: tensor<4xf32>, %r: tensor<1xi64>) -> tensor<*xf32> {
  %y = qc.Tile %x, %r : (tensor<4xf32>, tensor<1xi64>) -> tensor<*xf32>
  return %y : tensor<*xf32>
}

// -----

func.func @tile_runtime_length(%x: tensor<4xf32>, %r: tensor<?xi64>) -> tensor<*xf32> {
  // expected-error @+1 {{the 'repeats' input must be a 1-D tensor of a known length}}
  %y = qc.Tile %x, %r : (tensor<4xf32>, tensor<?xi64>) -> tensor<*xf32>
  return %y : tensor<*xf32>
}

// -----

func.func @expand_bad(%x: tensor<3xf32>) -> tensor<*xf32> {
  %s = qc.Constant {value = dense<[2, 4]> : tensor<2xi64>} : tensor<2xi64>
  // expected-error @+1 {{cannot expand 'tensor<3xf32>' to the given shape}}
  %y = qc.Expand %x, %s : (tensor<3xf32>, tensor<2xi64>) -> tensor<*xf32>
  return %y : tensor<*xf32>
}

// -----

// CHECK-LABEL: @constant_of_shape_runtime
// CHECK: qc.ConstantOfShape {{.*}} -> tensor<?x?xf32>
func.func @constant_of_shape_runtime(%s: tensor<2xi64>) -> tensor<*xf32> {
  %y = qc.ConstantOfShape %s : (tensor<2xi64>) -> tensor<*xf32>
  return %y : tensor<*xf32>
}

// -----

func.func @gather_elements_rank(%x: tensor<2x3xf32>, %i: tensor<2xi64>) -> tensor<*xf32> {
  // expected-error @+1 {{data and indices must have the same rank >= 1}}
  %y = qc.GatherElements %x, %i : (tensor<2x3xf32>, tensor<2xi64>) -> tensor<*xf32>
  return %y : tensor<*xf32>
}

// -----

func.func @gather_nd_batch(%x: tensor<2x3xf32>, %i: tensor<2x1xi64>) -> tensor<*xf32> {
  // expected-error @+1 {{batch_dims 2 does not fit}}
  %y = qc.GatherND %x, %i {batch_dims = 2 : i64} : (tensor<2x3xf32>, tensor<2x1xi64>) -> tensor<*xf32>
  return %y : tensor<*xf32>
}

// -----

func.func @scatter_reduction(%x: tensor<3xf32>, %i: tensor<1xi64>, %u: tensor<1xf32>) -> tensor<*xf32> {
  // expected-error @+1 {{reduction 'sub' is not one of none, add, mul, max, min}}
  %y = qc.ScatterElements %x, %i, %u {reduction = "sub"} : (tensor<3xf32>, tensor<1xi64>, tensor<1xf32>) -> tensor<*xf32>
  return %y : tensor<*xf32>
}

// -----

func.func @scatter_nd_updates(%x: tensor<3x4xf32>, %i: tensor<2x1xi64>, %u: tensor<2x3xf32>) -> tensor<*xf32> {
  // expected-error @+1 {{must have the shape indices.shape[:-1] + data.shape[indices.shape[-1]:]}}
  %y = qc.ScatterND %x, %i, %u : (tensor<3x4xf32>, tensor<2x1xi64>, tensor<2x3xf32>) -> tensor<*xf32>
  return %y : tensor<*xf32>
}

// -----

func.func @trilu_rank(%x: tensor<3xf32>) -> tensor<*xf32> {
  // expected-error @+1 {{input must have rank >= 2}}
  %y = qc.Trilu %x : (tensor<3xf32>) -> tensor<*xf32>
  return %y : tensor<*xf32>
}

// -----

func.func @depth_to_space_channels(%x: tensor<1x6x2x2xf32>) -> tensor<*xf32> {
  // expected-error @+1 {{channels 6 do not divide by blocksize^2}}
  %y = qc.DepthToSpace %x {blocksize = 2 : i64} : (tensor<1x6x2x2xf32>) -> tensor<*xf32>
  return %y : tensor<*xf32>
}

// -----

func.func @space_to_depth_mode(%x: tensor<1x1x4x4xf32>) -> tensor<*xf32> {
  // expected-error @+1 {{mode 'XYZ' is not DCR or CRD}}
  %y = qc.SpaceToDepth %x {blocksize = 2 : i64, mode = "XYZ"} : (tensor<1x1x4x4xf32>) -> tensor<*xf32>
  return %y : tensor<*xf32>
}

// -----

func.func @eye_like_dtype(%x: tensor<2x2xf32>) -> tensor<*xf32> {
  // expected-error @+1 {{dtype STRING (TensorProto data type 8) is not supported}}
  %y = qc.EyeLike %x {dtype = 8 : i64} : (tensor<2x2xf32>) -> tensor<*xf32>
  return %y : tensor<*xf32>
}

// -----

// bfloat16 is a type EyeLike knows (qc-widen-bf16 then refuses to compute
// it: qc-widen-bf16.mlir).
// CHECK-LABEL: func.func @eye_like_bfloat16
// CHECK: qc.EyeLike {{.*}} -> tensor<2x2xbf16>
func.func @eye_like_bfloat16(%x: tensor<2x2xf32>) -> tensor<*xbf16> {
  %y = qc.EyeLike %x {dtype = 16 : i64} : (tensor<2x2xf32>) -> tensor<*xbf16>
  return %y : tensor<*xbf16>
}

// -----

// Sizes from values only known at run time: OneHot's depth, Range's
// start/limit/delta.
// CHECK-LABEL: func.func @runtime_sizes
func.func @runtime_sizes(%i: tensor<3xi64>, %d: tensor<i64>, %s: tensor<f32>) -> (tensor<*xf32>, tensor<*xf32>) {
  %v = qc.Constant {value = dense<[0.0, 1.0]> : tensor<2xf32>} : tensor<2xf32>
  // CHECK: qc.OneHot {{.*}} -> tensor<3x?xf32>
  %y = qc.OneHot %i, %d, %v : (tensor<3xi64>, tensor<i64>, tensor<2xf32>) -> tensor<*xf32>
  // CHECK: qc.Range {{.*}} -> tensor<?xf32>
  %r = qc.Range %s, %s, %s : (tensor<f32>, tensor<f32>, tensor<f32>) -> tensor<*xf32>
  return %y, %r : tensor<*xf32>, tensor<*xf32>
}

// -----

func.func @resize_mode(%x: tensor<1x1x2x2xf32>) -> tensor<*xf32> {
  %s = qc.Constant {value = dense<2.0> : tensor<4xf32>} : tensor<4xf32>
  // expected-error @+1 {{mode 'area' is not one of nearest, linear, cubic}}
  %y = qc.Resize %x, %s {mode = "area", operandSegmentSizes = array<i32: 1, 0, 1, 0>} : (tensor<1x1x2x2xf32>, tensor<4xf32>) -> tensor<*xf32>
  return %y : tensor<*xf32>
}

// -----

func.func @resize_both(%x: tensor<1x1x2x2xf32>) -> tensor<*xf32> {
  // expected-error @+1 {{needs exactly one of 'scales' and 'sizes'}}
  %y = qc.Resize %x {operandSegmentSizes = array<i32: 1, 0, 0, 0>} : (tensor<1x1x2x2xf32>) -> tensor<*xf32>
  return %y : tensor<*xf32>
}

// -----

func.func @resize_linear_int(%x: tensor<1x1x2x2xi32>) -> tensor<*xi32> {
  %s = qc.Constant {value = dense<2.0> : tensor<4xf32>} : tensor<4xf32>
  // expected-error @+1 {{mode 'linear' supports floating-point tensors only}}
  %y = qc.Resize %x, %s {mode = "linear", operandSegmentSizes = array<i32: 1, 0, 1, 0>} : (tensor<1x1x2x2xi32>, tensor<4xf32>) -> tensor<*xi32>
  return %y : tensor<*xi32>
}

// -----

func.func @resize_transform(%x: tensor<1x1x2x2xf32>) -> tensor<*xf32> {
  %s = qc.Constant {value = dense<2.0> : tensor<4xf32>} : tensor<4xf32>
  // expected-error @+1 {{coordinate_transformation_mode 'corners' is not supported}}
  %y = qc.Resize %x, %s {coordinate_transformation_mode = "corners", operandSegmentSizes = array<i32: 1, 0, 1, 0>} : (tensor<1x1x2x2xf32>, tensor<4xf32>) -> tensor<*xf32>
  return %y : tensor<*xf32>
}

// -----

func.func @gather_elements_empty_dim(%x: tensor<2x0xf32>, %i: tensor<2x1xi64>) -> tensor<*xf32> {
  // expected-error @+1 {{indexes dim 1 of 'tensor<2x0xf32>', which is empty}}
  %y = qc.GatherElements %x, %i {axis = 1 : i64} : (tensor<2x0xf32>, tensor<2x1xi64>) -> tensor<*xf32>
  return %y : tensor<*xf32>
}

// -----

// Data movement takes unsigned data as any other.
// CHECK-LABEL: func.func @unsigned_data
func.func @unsigned_data(%x: tensor<2x3xui16>) -> tensor<*xui16> {
  %r = qc.Constant {value = dense<[1, 2]> : tensor<2xi64>} : tensor<2xi64>
  // CHECK: qc.Tile {{.*}} -> tensor<2x6xui16>
  %t = qc.Tile %x, %r : (tensor<2x3xui16>, tensor<2xi64>) -> tensor<*xui16>
  return %t : tensor<*xui16>
}

// -----

func.func @range_unsigned(%s: tensor<ui32>, %l: tensor<ui32>, %d: tensor<ui32>) -> tensor<*xui32> {
  // expected-error @+1 {{does not support unsigned integer tensors yet, got 'tensor<ui32>'}}
  %r = qc.Range %s, %l, %d : (tensor<ui32>, tensor<ui32>, tensor<ui32>) -> tensor<*xui32>
  return %r : tensor<*xui32>
}

// -----

func.func @scatter_max_unsigned(%x: tensor<4xui8>, %i: tensor<2xi64>, %u: tensor<2xui8>) -> tensor<*xui8> {
  // expected-error @+1 {{reduction 'max' is not supported on unsigned tensors yet}}
  %y = qc.ScatterElements %x, %i, %u {reduction = "max"} : (tensor<4xui8>, tensor<2xi64>, tensor<2xui8>) -> tensor<*xui8>
  return %y : tensor<*xui8>
}

// -----

func.func @gather_unsigned_indices(%x: tensor<4xf32>, %i: tensor<2xui64>) -> tensor<*xf32> {
  // expected-error @+1 {{indices must be int32 or int64, got 'tensor<2xui64>'}}
  %y = qc.Gather %x, %i : (tensor<4xf32>, tensor<2xui64>) -> tensor<*xf32>
  return %y : tensor<*xf32>
}

// -----

// Transpose of a constant folds: torch's F.pad computes Pad's pads as
// Reshape [-1, 2] -> Slice (reversed) -> Transpose -> Reshape [-1] of a small
// constant (silero-vad's reflect padding), and the pads must be known.
// CHECK-LABEL: func.func @transpose_folds
// CHECK-DAG: qc.Constant {value = dense<{{\[}}[1, 4], [2, 5], [3, 6]]> : tensor<3x2xi64>}
// CHECK-DAG: qc.Constant {value = dense<{{\[}}{{\[}}[0, 2, 4], [6, 8, 10]], {{\[}}[1, 3, 5], [7, 9, 11]]]> : tensor<2x2x3xi64>}
// CHECK-NOT: qc.Transpose
// CHECK: qc.Pad {{.*}} -> tensor<1x640xf32>
func.func @transpose_folds(%x: tensor<1x576xf32>) -> (tensor<*xi64>, tensor<*xi64>, tensor<*xf32>) {
  %c = qc.Constant {value = dense<[[1, 2, 3], [4, 5, 6]]> : tensor<2x3xi64>} : tensor<2x3xi64>
  %t = qc.Transpose %c : (tensor<2x3xi64>) -> tensor<*xi64>
  %c3 = qc.Constant {value = dense<[[[0, 1], [2, 3], [4, 5]], [[6, 7], [8, 9], [10, 11]]]> : tensor<2x3x2xi64>} : tensor<2x3x2xi64>
  %t3 = qc.Transpose %c3 {perm = array<i64: 2, 0, 1>} : (tensor<2x3x2xi64>) -> tensor<*xi64>
  %p = qc.Constant {value = dense<[[0, 0], [64, 0]]> : tensor<2x2xi64>} : tensor<2x2xi64>
  %pt = qc.Transpose %p {perm = array<i64: 1, 0>} : (tensor<2x2xi64>) -> tensor<*xi64>
  %flat = qc.Constant {value = dense<-1> : tensor<1xi64>} : tensor<1xi64>
  %pads = qc.Reshape %pt, %flat : (tensor<*xi64>, tensor<1xi64>) -> tensor<*xi64>
  %y = qc.Pad %x, %pads {mode = "reflect", operandSegmentSizes = array<i32: 1, 1, 0, 0>} : (tensor<1x576xf32>, tensor<*xi64>) -> tensor<*xf32>
  return %t, %t3, %y : tensor<*xi64>, tensor<*xi64>, tensor<*xf32>
}

// -----

// Slice axes or steps only known at run time: any dim may be sliced.
// CHECK-LABEL: @slice_runtime_axes
// CHECK: qc.Slice {{.*}} -> tensor<?x?xf32>
func.func @slice_runtime_axes(%x: tensor<4x5xf32>, %axes: tensor<1xi64>) -> tensor<*xf32> {
  %s = qc.Constant {value = dense<1> : tensor<1xi64>} : tensor<1xi64>
  %e = qc.Constant {value = dense<3> : tensor<1xi64>} : tensor<1xi64>
  %y = qc.Slice %x, %s, %e, %axes {operandSegmentSizes = array<i32: 1, 1, 1, 1, 0>} : (tensor<4x5xf32>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>) -> tensor<*xf32>
  return %y : tensor<*xf32>
}

// -----

// Pad and Split sizes only known at run time: the dims they change.
// CHECK-LABEL: @pad_split_runtime
// CHECK: qc.Pad {{.*}} -> tensor<2x?xf32>
// CHECK: qc.Split {{.*}} -> (tensor<2x?xf32>, tensor<2x?xf32>)
func.func @pad_split_runtime(%x: tensor<2x6xf32>, %p: tensor<2xi64>, %s: tensor<2xi64>) -> (tensor<*xf32>, tensor<*xf32>) {
  %axes = qc.Constant {value = dense<1> : tensor<1xi64>} : tensor<1xi64>
  %y = qc.Pad %x, %p, %axes {operandSegmentSizes = array<i32: 1, 1, 0, 1>} : (tensor<2x6xf32>, tensor<2xi64>, tensor<1xi64>) -> tensor<*xf32>
  %a, %b = qc.Split %x, %s {axis = 1 : i64} : (tensor<2x6xf32>, tensor<2xi64>) -> (tensor<*xf32>, tensor<*xf32>)
  return %y, %a : tensor<*xf32>, tensor<*xf32>
}

// -----

// NonZero: rank(X) x nnz int64, nnz only known at run time; a scalar gives
// 0 x nnz.
// CHECK-LABEL: func.func @nonzero
// CHECK: qc.NonZero %arg0 : (tensor<2x?x4xf32>) -> tensor<3x?xi64>
// CHECK: qc.NonZero %arg1 : (tensor<5xi1>) -> tensor<1x?xi64>
// CHECK: qc.NonZero %arg2 : (tensor<ui8>) -> tensor<0x?xi64>
func.func @nonzero(%x: tensor<2x?x4xf32>, %b: tensor<5xi1>, %s: tensor<ui8>) -> (tensor<*xi64>, tensor<*xi64>, tensor<*xi64>) {
  %0 = qc.NonZero %x : (tensor<2x?x4xf32>) -> tensor<*xi64>
  %1 = qc.NonZero %b : (tensor<5xi1>) -> tensor<*xi64>
  %2 = qc.NonZero %s : (tensor<ui8>) -> tensor<*xi64>
  return %0, %1, %2 : tensor<*xi64>, tensor<*xi64>, tensor<*xi64>
}

// -----

// A transpose of a transpose is one transpose (perm [0, 2, 3, 1] then
// [0, 1, 3, 2] is [0, 2, 1, 3]); two that undo each other are none.
// CHECK-LABEL: func.func @transpose_of_transpose
// CHECK: %[[T:.*]] = qc.Transpose %arg0 {perm = array<i64: 0, 2, 1, 3>} : (tensor<1x5x2x3xf32>) -> tensor<1x2x5x3xf32>
// CHECK: return %[[T]], %arg0
func.func @transpose_of_transpose(%x: tensor<1x5x2x3xf32>) -> (tensor<*xf32>, tensor<*xf32>) {
  %a = qc.Transpose %x {perm = array<i64: 0, 2, 3, 1>} : (tensor<1x5x2x3xf32>) -> tensor<*xf32>
  %b = qc.Transpose %a {perm = array<i64: 0, 1, 3, 2>} : (tensor<*xf32>) -> tensor<*xf32>
  %c = qc.Transpose %x {perm = array<i64: 0, 2, 1, 3>} : (tensor<1x5x2x3xf32>) -> tensor<*xf32>
  %d = qc.Transpose %c {perm = array<i64: 0, 2, 1, 3>} : (tensor<*xf32>) -> tensor<*xf32>
  return %b, %d : tensor<*xf32>, tensor<*xf32>
}
