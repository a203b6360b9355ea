// RUN: quantc-opt --qc-shape-inference --split-input-file --verify-diagnostics %s | FileCheck %s

// Reduce* axes: the attribute (before opset 13/18) or a constant input;
// keepdims; no axes means all dims, or none with noop_with_empty_axes.
// CHECK-LABEL: func.func @reduce
func.func @reduce(%x: tensor<2x3x4xf32>) -> (tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf32>) {
  // CHECK: qc.ReduceSum {{.*}} -> tensor<2x1x4xf32>
  %a = qc.ReduceSum %x {axes = array<i64: 1>} : (tensor<2x3x4xf32>) -> tensor<*xf32>
  %axes = qc.Constant {value = dense<[-1, 0]> : tensor<2xi64>} : tensor<2xi64>
  // CHECK: qc.ReduceMean {{.*}} -> tensor<3xf32>
  %b = qc.ReduceMean %x, %axes {keepdims = 0 : i64} : (tensor<2x3x4xf32>, tensor<2xi64>) -> tensor<*xf32>
  // CHECK: qc.ReduceMax {{.*}} -> tensor<1x1x1xf32>
  %c = qc.ReduceMax %x : (tensor<2x3x4xf32>) -> tensor<*xf32>
  %none = qc.Constant {value = dense<> : tensor<0xi64>} : tensor<0xi64>
  // CHECK: qc.ReduceL2 {{.*}} -> tensor<2x3x4xf32>
  %d = qc.ReduceL2 %x, %none {noop_with_empty_axes = 1 : i64} : (tensor<2x3x4xf32>, tensor<0xi64>) -> tensor<*xf32>
  return %a, %b, %c, %d : tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf32>
}

// -----

// ArgMax gives int64; TopK gives values and int64 indices; LayerNormalization
// gives float32 statistics over the normalized dims.
// CHECK-LABEL: func.func @indices_and_stats
func.func @indices_and_stats(%x: tensor<2x3x4xf32>, %s: tensor<4xf32>) -> (tensor<*xi64>, tensor<*xf32>, tensor<*xf32>, tensor<*xf32>) {
  // CHECK: qc.ArgMax {{.*}} -> tensor<2x4xi64>
  %a = qc.ArgMax %x {axis = 1 : i64, keepdims = 0 : i64} : (tensor<2x3x4xf32>) -> tensor<*xi64>
  %k = qc.Constant {value = dense<2> : tensor<1xi64>} : tensor<1xi64>
  // CHECK: qc.TopK {{.*}} -> (tensor<2x3x2xf32>, tensor<2x3x2xi64>)
  %v, %i = qc.TopK %x, %k : (tensor<2x3x4xf32>, tensor<1xi64>) -> (tensor<*xf32>, tensor<*xf32>)
  // CHECK: qc.LayerNormalization {{.*}} -> (tensor<2x3x4xf32>, tensor<2x3x1xf32>, tensor<2x3x1xf32>)
  %y, %m, %r = qc.LayerNormalization %x, %s : (tensor<2x3x4xf32>, tensor<4xf32>) -> (tensor<*xf32>, tensor<*xf32>, tensor<*xf32>)
  return %a, %v, %y, %m : tensor<*xi64>, tensor<*xf32>, tensor<*xf32>, tensor<*xf32>
}

// -----

// Axes known only at run time: a dim of size 1 stays 1, the others become
// run-time dims; without keepdims the rank drops by the number of axes;
// reducing every dim is static; an empty list reduces everything.
// CHECK-LABEL: func.func @runtime_axes
func.func @runtime_axes(%x: tensor<2x1x3xf32>, %one: tensor<1xi64>, %three: tensor<3xi64>, %none: tensor<0xi64>) -> (tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf32>) {
  // CHECK: qc.ReduceSum {{.*}} -> tensor<?x1x?xf32>
  %a = qc.ReduceSum %x, %one : (tensor<2x1x3xf32>, tensor<1xi64>) -> tensor<*xf32>
  // CHECK: qc.ReduceMax {{.*}} -> tensor<?x?xf32>
  %b = qc.ReduceMax %x, %one {keepdims = 0 : i64} : (tensor<2x1x3xf32>, tensor<1xi64>) -> tensor<*xf32>
  // CHECK: qc.ReduceL2 {{.*}} -> tensor<1x1x1xf32>
  %c = qc.ReduceL2 %x, %three : (tensor<2x1x3xf32>, tensor<3xi64>) -> tensor<*xf32>
  // CHECK: qc.ReduceMean {{.*}} -> tensor<f32>
  %d = qc.ReduceMean %x, %none {keepdims = 0 : i64} : (tensor<2x1x3xf32>, tensor<0xi64>) -> tensor<*xf32>
  return %a, %b, %c, %d : tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf32>
}

// -----

func.func @runtime_axes_of_runtime_length(%x: tensor<2x3xf32>, %axes: tensor<?xi64>) -> tensor<*xf32> {
  // expected-error @+1 {{the 'axes' input must be a constant, or a 1-D tensor of static length}}
  %y = qc.ReduceSum %x, %axes : (tensor<2x3xf32>, tensor<?xi64>) -> tensor<*xf32>
  return %y : tensor<*xf32>
}

// -----

func.func @too_many_runtime_axes(%x: tensor<2x3xf32>, %axes: tensor<3xi64>) -> tensor<*xf32> {
  // expected-error @+1 {{has 3 axes for 'tensor<2x3xf32>'}}
  %y = qc.ReduceSum %x, %axes : (tensor<2x3xf32>, tensor<3xi64>) -> tensor<*xf32>
  return %y : tensor<*xf32>
}

// -----

func.func @axis_out_of_range(%x: tensor<2x3xf32>) -> tensor<*xf32> {
  // expected-error @+1 {{axis 2 is out of range}}
  %y = qc.ReduceMin %x {axes = array<i64: 2>} : (tensor<2x3xf32>) -> tensor<*xf32>
  return %y : tensor<*xf32>
}

// -----

func.func @int_log_sum_exp(%x: tensor<2x3xi32>) -> tensor<*xi32> {
  // expected-error @+1 {{supports floating-point tensors only}}
  %y = qc.ReduceLogSumExp %x : (tensor<2x3xi32>) -> tensor<*xi32>
  return %y : tensor<*xi32>
}

// -----

func.func @bool_sum(%x: tensor<2x3xi1>) -> tensor<*xi1> {
  // expected-error @+1 {{supports floating-point or integer tensors only}}
  %y = qc.ReduceSum %x : (tensor<2x3xi1>) -> tensor<*xi1>
  return %y : tensor<*xi1>
}

// -----

// A K only known at run time is a run-time dim.
// CHECK-LABEL: func.func @runtime_k
func.func @runtime_k(%x: tensor<2x3xf32>, %k: tensor<1xi64>) -> tensor<*xf32> {
  // CHECK: qc.TopK {{.*}} -> (tensor<?x3xf32>, tensor<?x3xi64>)
  %v, %i = qc.TopK %x, %k {axis = 0 : i64} : (tensor<2x3xf32>, tensor<1xi64>) -> (tensor<*xf32>, tensor<*xf32>)
  return %v : tensor<*xf32>
}

// -----

func.func @runtime_ks(%x: tensor<2x3xf32>, %k: tensor<2xi64>) -> tensor<*xf32> {
  // expected-error @+1 {{the 'K' input must be known at compile time}}
  %v, %i = qc.TopK %x, %k : (tensor<2x3xf32>, tensor<2xi64>) -> (tensor<*xf32>, tensor<*xf32>)
  return %v : tensor<*xf32>
}

// -----

func.func @k_too_large(%x: tensor<2x3xf32>) -> tensor<*xf32> {
  %k = qc.Constant {value = dense<4> : tensor<1xi64>} : tensor<1xi64>
  // expected-error @+1 {{K = 4 is not in [0, 3]}}
  %v, %i = qc.TopK %x, %k : (tensor<2x3xf32>, tensor<1xi64>) -> (tensor<*xf32>, tensor<*xf32>)
  return %v : tensor<*xf32>
}

// -----

// A scan axis only known at run time keeps the input's type.
// CHECK-LABEL: func.func @runtime_scan_axis
func.func @runtime_scan_axis(%x: tensor<2x3xf32>, %axis: tensor<i32>) -> tensor<*xf32> {
  // CHECK: qc.CumSum {{.*}} -> tensor<2x3xf32>
  %y = qc.CumSum %x, %axis : (tensor<2x3xf32>, tensor<i32>) -> tensor<*xf32>
  return %y : tensor<*xf32>
}

// -----

func.func @runtime_scan_axes(%x: tensor<2x3xf32>, %axis: tensor<2xi32>) -> tensor<*xf32> {
  // expected-error @+1 {{the 'axis' input must be a constant, or hold a single value}}
  %y = qc.CumSum %x, %axis : (tensor<2x3xf32>, tensor<2xi32>) -> tensor<*xf32>
  return %y : tensor<*xf32>
}

// -----

func.func @stash_type(%x: tensor<2x4xf32>, %s: tensor<4xf32>) -> tensor<*xf32> {
  // expected-error @+1 {{stash_type 11 is not supported}}
  %y = qc.RMSNormalization %x, %s {stash_type = 11 : i64} : (tensor<2x4xf32>, tensor<4xf32>) -> tensor<*xf32>
  return %y : tensor<*xf32>
}

// -----

func.func @layer_norm_scale(%x: tensor<2x4xf32>, %s: tensor<3xf32>) -> tensor<*xf32> {
  // expected-error @+1 {{Scale 'tensor<3xf32>' does not broadcast to X}}
  %y, %m, %r = qc.LayerNormalization %x, %s : (tensor<2x4xf32>, tensor<3xf32>) -> (tensor<*xf32>, tensor<*xf32>, tensor<*xf32>)
  return %y : tensor<*xf32>
}

// -----

func.func @groups(%x: tensor<1x6x4xf32>, %s: tensor<6xf32>) -> tensor<*xf32> {
  // expected-error @+1 {{num_groups 4 does not divide the channels}}
  %y = qc.GroupNormalization %x, %s, %s {num_groups = 4 : i64} : (tensor<1x6x4xf32>, tensor<6xf32>, tensor<6xf32>) -> tensor<*xf32>
  return %y : tensor<*xf32>
}

// -----

func.func @group_params(%x: tensor<1x6x4xf32>, %s: tensor<4xf32>) -> tensor<*xf32> {
  // expected-error @+1 {{scale must be 1-D of size C (6) or num_groups (3)}}
  %y = qc.GroupNormalization %x, %s, %s {num_groups = 3 : i64} : (tensor<1x6x4xf32>, tensor<4xf32>, tensor<4xf32>) -> tensor<*xf32>
  return %y : tensor<*xf32>
}

// -----

func.func @instance_norm_scale(%x: tensor<1x6x4xf32>, %s: tensor<5xf32>) -> tensor<*xf32> {
  // expected-error @+1 {{scale must be 1-D of size 6}}
  %y = qc.InstanceNormalization %x, %s, %s : (tensor<1x6x4xf32>, tensor<5xf32>, tensor<5xf32>) -> tensor<*xf32>
  return %y : tensor<*xf32>
}

// -----

func.func @lp_norm_p(%x: tensor<2x4xf32>) -> tensor<*xf32> {
  // expected-error @+1 {{p must be 1 or 2, got 3}}
  %y = qc.LpNormalization %x {p = 3 : i64} : (tensor<2x4xf32>) -> tensor<*xf32>
  return %y : tensor<*xf32>
}

// -----

func.func @lrn_rank(%x: tensor<2x4xf32>) -> tensor<*xf32> {
  // expected-error @+1 {{X must be N x C x D1 x ...}}
  %y = qc.LRN %x {size = 3 : i64} : (tensor<2x4xf32>) -> tensor<*xf32>
  return %y : tensor<*xf32>
}

// -----

func.func @mvn_axes(%x: tensor<2x4xf32>) -> tensor<*xf32> {
  // expected-error @+1 {{axis 2 is out of range}}
  %y = qc.MeanVarianceNormalization %x : (tensor<2x4xf32>) -> tensor<*xf32>
  return %y : tensor<*xf32>
}

// -----

func.func @int_softmax(%x: tensor<2x4xi32>) -> tensor<*xi32> {
  // expected-error @+1 {{supports floating-point tensors only}}
  %y = qc.LogSoftmax %x : (tensor<2x4xi32>) -> tensor<*xi32>
  return %y : tensor<*xi32>
}

// -----

func.func @arg_axis(%x: tensor<2x4xf32>) -> tensor<*xi64> {
  // expected-error @+1 {{axis -3 is out of range}}
  %y = qc.ArgMin %x {axis = -3 : i64} : (tensor<2x4xf32>) -> tensor<*xi64>
  return %y : tensor<*xi64>
}

// -----

// Reductions, ArgMax and TopK take unsigned integers.
// CHECK-LABEL: func.func @unsigned_reductions
// CHECK: qc.ReduceMax {{.*}} -> tensor<2xui32>
// CHECK: qc.ArgMin {{.*}} -> tensor<2xi64>
// CHECK: qc.TopK {{.*}} -> (tensor<2x1xui32>, tensor<2x1xi64>)
func.func @unsigned_reductions(%x: tensor<2x3xui32>) -> (tensor<*xui32>, tensor<*xi64>, tensor<*xui32>) {
  %m = qc.ReduceMax %x {axes = array<i64: 1>, keepdims = 0 : i64} : (tensor<2x3xui32>) -> tensor<*xui32>
  %a = qc.ArgMin %x {axis = 1 : i64, keepdims = 0 : i64} : (tensor<2x3xui32>) -> tensor<*xi64>
  %k = qc.Constant {value = dense<1> : tensor<1xi64>} : tensor<1xi64>
  %v, %i = qc.TopK %x, %k : (tensor<2x3xui32>, tensor<1xi64>) -> (tensor<*xui32>, tensor<*xi64>)
  return %m, %a, %v : tensor<*xui32>, tensor<*xi64>, tensor<*xui32>
}
