// RUN: quantc-opt --qc-fuse-pad-into-producer --split-input-file %s | FileCheck %s
// RUN: quantc-opt --qc-fuse-pad-into-producer --cse --split-input-file %s | FileCheck %s --check-prefix=CSE

// Relu6 then the next convolution's zero padding: the clip is computed into
// the middle of the filled padded tensor, so no copy is left for the pad.
// The padded tensor is an allocation of its own (not a tensor.empty, which
// CSE would share with the next pad of the same shape).
#id = affine_map<(n, c, h, w) -> (n, c, h, w)>
// CHECK-LABEL: func.func @clip_then_pad
// CHECK-NOT: tensor.pad
// CHECK: %[[E:.*]] = bufferization.alloc_tensor() : tensor<1x2x6x6xf32>
// CHECK: %[[F:.*]] = linalg.fill ins(%{{.*}} : f32) outs(%[[E]] : tensor<1x2x6x6xf32>)
// CHECK: %[[MID:.*]] = tensor.extract_slice %[[F]][0, 0, 1, 1] [1, 2, 4, 4] [1, 1, 1, 1]
// CHECK: %[[C:.*]] = linalg.generic {{.*}} ins(%arg0 : tensor<1x2x4x4xf32>) outs(%[[MID]] : tensor<1x2x4x4xf32>)
// CHECK: arith.minimumf
// CHECK: %[[P:.*]] = tensor.insert_slice %[[C]] into %[[F]][0, 0, 1, 1] [1, 2, 4, 4] [1, 1, 1, 1]
// CHECK: return %[[P]]
func.func @clip_then_pad(%x: tensor<1x2x4x4xf32>) -> tensor<1x2x6x6xf32> {
  %zero = arith.constant 0.0 : f32
  %six = arith.constant 6.0 : f32
  %e = tensor.empty() : tensor<1x2x4x4xf32>
  %clip = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%x : tensor<1x2x4x4xf32>) outs(%e : tensor<1x2x4x4xf32>) {
  ^bb0(%in: f32, %out: f32):
    %lo = arith.maximumf %in, %zero : f32
    %hi = arith.minimumf %lo, %six : f32
    linalg.yield %hi : f32
  } -> tensor<1x2x4x4xf32>
  %p = tensor.pad %clip low[0, 0, 1, 1] high[0, 0, 1, 1] {
  ^bb0(%a: index, %b: index, %c: index, %d: index):
    tensor.yield %zero : f32
  } : tensor<1x2x4x4xf32> to tensor<1x2x6x6xf32>
  return %p : tensor<1x2x6x6xf32>
}

// -----

// A pad of a function argument (no linalg producer) stays a pad.
// CHECK-LABEL: func.func @pad_of_argument
// CHECK: tensor.pad
func.func @pad_of_argument(%x: tensor<1x2x4x4xf32>) -> tensor<1x2x6x6xf32> {
  %zero = arith.constant 0.0 : f32
  %p = tensor.pad %x low[0, 0, 1, 1] high[0, 0, 1, 1] {
  ^bb0(%a: index, %b: index, %c: index, %d: index):
    tensor.yield %zero : f32
  } : tensor<1x2x4x4xf32> to tensor<1x2x6x6xf32>
  return %p : tensor<1x2x6x6xf32>
}

// -----

// Two activations padded to the same shape keep two padded buffers after
// CSE.
#id = affine_map<(n, c, h, w) -> (n, c, h, w)>
// CSE-LABEL: func.func @two_pads
// CSE-COUNT-2: bufferization.alloc_tensor() : tensor<1x2x6x6xf32>
func.func @two_pads(%x: tensor<1x2x4x4xf32>, %y: tensor<1x2x4x4xf32>) -> (tensor<1x2x6x6xf32>, tensor<1x2x6x6xf32>) {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x2x4x4xf32>
  %rx = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%x : tensor<1x2x4x4xf32>) outs(%e : tensor<1x2x4x4xf32>) {
  ^bb0(%in: f32, %out: f32):
    %r = arith.maximumf %in, %zero : f32
    linalg.yield %r : f32
  } -> tensor<1x2x4x4xf32>
  %ry = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%y : tensor<1x2x4x4xf32>) outs(%e : tensor<1x2x4x4xf32>) {
  ^bb0(%in: f32, %out: f32):
    %r = arith.maximumf %in, %zero : f32
    linalg.yield %r : f32
  } -> tensor<1x2x4x4xf32>
  %px = tensor.pad %rx low[0, 0, 1, 1] high[0, 0, 1, 1] {
  ^bb0(%a: index, %b: index, %c: index, %d: index):
    tensor.yield %zero : f32
  } : tensor<1x2x4x4xf32> to tensor<1x2x6x6xf32>
  %py = tensor.pad %ry low[0, 0, 1, 1] high[0, 0, 1, 1] {
  ^bb0(%a: index, %b: index, %c: index, %d: index):
    tensor.yield %zero : f32
  } : tensor<1x2x4x4xf32> to tensor<1x2x6x6xf32>
  return %px, %py : tensor<1x2x6x6xf32>, tensor<1x2x6x6xf32>
}
