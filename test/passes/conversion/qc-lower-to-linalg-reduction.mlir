// RUN: quantc-opt --qc-lower-to-linalg --split-input-file --verify-diagnostics %s | FileCheck %s

// A reduction is one generic with a reduction iterator that writes the kept
// dims; keepdims is a reshape of that result.
// CHECK-DAG: #[[ID:.*]] = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
// CHECK-DAG: #[[KEPT:.*]] = affine_map<(d0, d1, d2) -> (d0, d2)>
// CHECK-LABEL: func.func @reduce_sum
// CHECK: linalg.generic {indexing_maps = [#[[ID]], #[[KEPT]]], iterator_types = ["parallel", "reduction", "parallel"]}
// CHECK: arith.addf
// CHECK: tensor.expand_shape {{.*}} into tensor<2x1x4xf32>
func.func @reduce_sum(%x: tensor<2x3x4xf32>) -> tensor<2x1x4xf32> {
  %y = qc.ReduceSum %x {axes = array<i64: 1>} : (tensor<2x3x4xf32>) -> tensor<2x1x4xf32>
  return %y : tensor<2x1x4xf32>
}

// -----

// Max starts at -inf; bool max is an unsigned max (false < true).
// CHECK-LABEL: func.func @reduce_max
// CHECK: arith.constant 0xFF800000 : f32
// CHECK: iterator_types = ["parallel", "reduction"]
// CHECK: arith.maximumf
// CHECK-LABEL: func.func @reduce_max_bool
// CHECK: arith.maxui
func.func @reduce_max(%x: tensor<2x3xf32>) -> tensor<2xf32> {
  %y = qc.ReduceMax %x {axes = array<i64: 1>, keepdims = 0 : i64} : (tensor<2x3xf32>) -> tensor<2xf32>
  return %y : tensor<2xf32>
}
func.func @reduce_max_bool(%x: tensor<2x3xi1>) -> tensor<2xi1> {
  %y = qc.ReduceMax %x {axes = array<i64: 1>, keepdims = 0 : i64} : (tensor<2x3xi1>) -> tensor<2xi1>
  return %y : tensor<2xi1>
}

// -----

// LogSumExp subtracts the (finite) max before exp, and adds it back after log.
// CHECK-LABEL: func.func @log_sum_exp
// CHECK: arith.maximumf
// CHECK: math.absf
// CHECK: arith.select
// CHECK: arith.subf
// CHECK: math.exp
// CHECK: math.log
// CHECK: arith.addf
func.func @log_sum_exp(%x: tensor<2x3xf32>) -> tensor<2xf32> {
  %y = qc.ReduceLogSumExp %x {axes = array<i64: 1>, keepdims = 0 : i64} : (tensor<2x3xf32>) -> tensor<2xf32>
  return %y : tensor<2xf32>
}

// -----

// ArgMax: one generic with two results, the running max and its index.
// CHECK-LABEL: func.func @argmax
// CHECK: linalg.generic {{.*}} iterator_types = ["parallel", "reduction"]} ins(%{{.*}} : tensor<2x3xf32>) outs(%{{.*}}, %{{.*}} : tensor<2xf32>, tensor<2xi64>)
// CHECK: arith.cmpf ogt
// CHECK: linalg.index 1
func.func @argmax(%x: tensor<2x3xf32>) -> tensor<2x1xi64> {
  %y = qc.ArgMax %x {axis = 1 : i64} : (tensor<2x3xf32>) -> tensor<2x1xi64>
  return %y : tensor<2x1xi64>
}

// -----

// LogSoftmax: max, sum of exp(x - max), then x - max - log(sum).
// CHECK-LABEL: func.func @log_softmax
// CHECK: arith.maximumf
// CHECK: math.exp
// CHECK: math.log
// CHECK: arith.subf
func.func @log_softmax(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %y = qc.LogSoftmax %x : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return %y : tensor<2x3xf32>
}

// -----

// Softmax along the last dim in f32: one linalg.softmax, which
// qc-linalg-to-cpu-kernels makes the runtime's row kernel.
// CHECK-LABEL: func.func @softmax
// CHECK: %[[INIT:.*]] = tensor.empty() : tensor<2x3xf32>
// CHECK: linalg.softmax dimension(1) ins(%{{.*}} : tensor<2x3xf32>) outs(%[[INIT]] : tensor<2x3xf32>)
// CHECK-NOT: math.exp
func.func @softmax(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %y = qc.Softmax %x {axis = -1 : i64} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return %y : tensor<2x3xf32>
}

// -----

// A dim known at run time sizes the init.
// CHECK-LABEL: func.func @softmax_dynamic
// CHECK: %[[D:.*]] = tensor.dim %{{.*}}, %c0
// CHECK: tensor.empty(%[[D]]) : tensor<?x8xf32>
// CHECK: linalg.softmax dimension(1)
func.func @softmax_dynamic(%x: tensor<?x8xf32>) -> tensor<?x8xf32> {
  %y = qc.Softmax %x {axis = 1 : i64} : (tensor<?x8xf32>) -> tensor<?x8xf32>
  return %y : tensor<?x8xf32>
}

// -----

// Along another dim (or in another type, or on a vector): generics. The
// row max skips NaN (maxnumf, not ReduceMax's maximumf; a row with a NaN
// is all NaN through its sum either way), then exp(x - max), its sum, and
// the division.
// CHECK-LABEL: func.func @softmax_inner_axis
// CHECK-NOT: linalg.softmax
// CHECK: arith.maxnumf
// CHECK-NOT: arith.maximumf
// CHECK: math.exp
// CHECK: arith.addf
// CHECK: arith.divf
func.func @softmax_inner_axis(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %y = qc.Softmax %x {axis = 0 : i64} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return %y : tensor<2x3xf32>
}

// -----

// CHECK-LABEL: func.func @softmax_f16
// CHECK-NOT: linalg.softmax
// CHECK: math.exp
func.func @softmax_f16(%x: tensor<2x3xf16>) -> tensor<2x3xf16> {
  %y = qc.Softmax %x {axis = -1 : i64} : (tensor<2x3xf16>) -> tensor<2x3xf16>
  return %y : tensor<2x3xf16>
}

// -----

// CHECK-LABEL: func.func @softmax_vector
// CHECK-NOT: linalg.softmax
// CHECK: math.exp
func.func @softmax_vector(%x: tensor<5xf32>) -> tensor<5xf32> {
  %y = qc.Softmax %x {axis = 0 : i64} : (tensor<5xf32>) -> tensor<5xf32>
  return %y : tensor<5xf32>
}

// -----

// Hardmax: the first max's index, then 1 where the index matches.
// CHECK-LABEL: func.func @hardmax
// CHECK: arith.cmpf ogt
// CHECK: arith.cmpi eq
func.func @hardmax(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %y = qc.Hardmax %x : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return %y : tensor<2x3xf32>
}

// -----

// LayerNormalization: mean and variance reductions, then one elementwise
// generic that reads them through the kept-dims map.
// CHECK-DAG: #[[KEPT:.*]] = affine_map<(d0, d1) -> (d0)>
// CHECK-LABEL: func.func @layer_norm
// CHECK: iterator_types = ["parallel", "reduction"]
// CHECK: iterator_types = ["parallel", "reduction"]
// CHECK: math.sqrt
// CHECK: linalg.generic {indexing_maps = [{{.*}}, #[[KEPT]], {{.*}}, {{.*}}, #[[KEPT]], {{.*}}], iterator_types = ["parallel", "parallel"]}
func.func @layer_norm(%x: tensor<2x4xf32>, %s: tensor<4xf32>, %b: tensor<4xf32>) -> (tensor<2x4xf32>, tensor<2x1xf32>) {
  %y, %m, %r = qc.LayerNormalization %x, %s, %b : (tensor<2x4xf32>, tensor<4xf32>, tensor<4xf32>) -> (tensor<2x4xf32>, tensor<2x1xf32>, tensor<2x1xf32>)
  return %y, %m : tensor<2x4xf32>, tensor<2x1xf32>
}

// -----

// GroupNormalization works on the N x G x C/G x ... view.
// CHECK-LABEL: func.func @group_norm
// CHECK: tensor.expand_shape {{.*}} into tensor<1x2x2x3xf32>
// CHECK: iterator_types = ["parallel", "parallel", "reduction", "reduction"]
// CHECK: tensor.collapse_shape
func.func @group_norm(%x: tensor<1x4x3xf32>, %s: tensor<4xf32>) -> tensor<1x4x3xf32> {
  %y = qc.GroupNormalization %x, %s, %s {num_groups = 2 : i64} : (tensor<1x4x3xf32>, tensor<4xf32>, tensor<4xf32>) -> tensor<1x4x3xf32>
  return %y : tensor<1x4x3xf32>
}

// -----

// LRN sums the padded squares over a window loop (c + k).
// CHECK-DAG: #[[WIN:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d1 + d3, d2)>
// CHECK-LABEL: func.func @lrn
// CHECK: tensor.pad
// CHECK: linalg.generic {indexing_maps = [#[[WIN]], {{.*}}], iterator_types = ["parallel", "parallel", "parallel", "reduction"]}
// CHECK: math.powf
func.func @lrn(%x: tensor<1x4x3xf32>) -> tensor<1x4x3xf32> {
  %y = qc.LRN %x {size = 3 : i64} : (tensor<1x4x3xf32>) -> tensor<1x4x3xf32>
  return %y : tensor<1x4x3xf32>
}

// -----

// CumSum: an extra reduction loop j over the axis, combining where j <= i.
// CHECK-DAG: #[[ALONG:.*]] = affine_map<(d0, d1, d2) -> (d0, d2)>
// CHECK-LABEL: func.func @cumsum
// CHECK: linalg.generic {indexing_maps = [#[[ALONG]], {{.*}}], iterator_types = ["parallel", "parallel", "reduction"]}
// CHECK: arith.cmpi sle
// CHECK: arith.addf
func.func @cumsum(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %axis = qc.Constant {value = dense<1> : tensor<i32>} : tensor<i32>
  %y = qc.CumSum %x, %axis : (tensor<2x3xf32>, tensor<i32>) -> tensor<2x3xf32>
  return %y : tensor<2x3xf32>
}

// -----

// TopK: ranks (how many elements beat each one), then a selection by rank.
// CHECK-LABEL: func.func @top_k
// CHECK: linalg.generic {{.*}} outs(%{{.*}} : tensor<2x4xi64>)
// CHECK: arith.cmpf ogt
// CHECK: linalg.generic {{.*}} outs(%{{.*}}, %{{.*}} : tensor<2x2xf32>, tensor<2x2xi64>)
func.func @top_k(%x: tensor<2x4xf32>) -> (tensor<2x2xf32>, tensor<2x2xi64>) {
  %k = qc.Constant {value = dense<2> : tensor<1xi64>} : tensor<1xi64>
  %v, %i = qc.TopK %x, %k {axis = 1 : i64} : (tensor<2x4xf32>, tensor<1xi64>) -> (tensor<2x2xf32>, tensor<2x2xi64>)
  return %v, %i : tensor<2x2xf32>, tensor<2x2xi64>
}

// -----

// InstanceNormalization on float16 keeps its statistics in float32.
// CHECK-LABEL: func.func @instance_norm_f16
// CHECK: arith.extf {{.*}} : f16 to f32
// CHECK: iterator_types = ["parallel", "parallel", "reduction"]
// CHECK: arith.truncf {{.*}} : f32 to f16
func.func @instance_norm_f16(%x: tensor<1x2x3xf16>, %s: tensor<2xf16>) -> tensor<1x2x3xf16> {
  %y = qc.InstanceNormalization %x, %s, %s : (tensor<1x2x3xf16>, tensor<2xf16>, tensor<2xf16>) -> tensor<1x2x3xf16>
  return %y : tensor<1x2x3xf16>
}
