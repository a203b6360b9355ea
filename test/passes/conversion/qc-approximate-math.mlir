// RUN: quantc-opt --qc-approximate-math %s | FileCheck %s

// f32 exp, erf, tanh and log become arithmetic (fma chains, no call); other
// functions and other float types are left for libm.
// CHECK-LABEL: func.func @approximated
// CHECK-NOT: math.exp
// CHECK-NOT: math.erf
// CHECK-NOT: math.tanh
// CHECK-NOT: math.log
// CHECK: math.fma
// CHECK: return
func.func @approximated(%x: f32) -> (f32, f32, f32, f32, f32, f32) {
  %a = math.exp %x : f32
  %b = math.erf %x : f32
  %c = math.tanh %x : f32
  %d = math.log %x : f32
  %e = math.log1p %x : f32
  %f = math.expm1 %x : f32
  return %a, %b, %c, %d, %e, %f : f32, f32, f32, f32, f32, f32
}

// CHECK-LABEL: func.func @kept
// CHECK: math.sin %{{.*}} : f32
// CHECK: math.exp %{{.*}} : f64
// CHECK: math.erf %{{.*}} : f16
func.func @kept(%x: f32, %y: f64, %z: f16) -> (f32, f64, f16) {
  %a = math.sin %x : f32
  %b = math.exp %y : f64
  %c = math.erf %z : f16
  return %a, %b, %c : f32, f64, f16
}

// erf: x clamped to [-4, 4] (a NaN kept: each select keeps x when its
// compare is false), then x * P(x^2) / Q(x^2), one division and no other
// select.
// CHECK-LABEL: func.func @erf
// CHECK: %[[FOUR:.*]] = arith.constant 4.000000e+00 : f32
// CHECK: %[[ABOVE:.*]] = arith.cmpf ogt, %arg0, %[[FOUR]]
// CHECK: %[[X1:.*]] = arith.select %[[ABOVE]], %[[FOUR]], %arg0
// CHECK: %[[MFOUR:.*]] = arith.constant -4.000000e+00 : f32
// CHECK: %[[BELOW:.*]] = arith.cmpf olt, %[[X1]], %[[MFOUR]]
// CHECK: %[[X:.*]] = arith.select %[[BELOW]], %[[MFOUR]], %[[X1]]
// CHECK: %[[X2:.*]] = arith.mulf %[[X]], %[[X]]
// CHECK-COUNT-6: math.fma %{{.*}}, %[[X2]]
// CHECK-NOT: arith.select
// CHECK: %[[P:.*]] = arith.mulf %[[X]], %{{.*}}
// CHECK: %[[R:.*]] = arith.divf %[[P]], %{{.*}}
// CHECK: return %[[R]]
func.func @erf(%x: f32) -> f32 {
  %y = math.erf %x : f32
  return %y : f32
}

// CHECK-LABEL: func.func @erf_vector
// CHECK: arith.constant dense<4.000000e+00> : vector<16xf32>
// CHECK: arith.divf %{{.*}}, %{{.*}} : vector<16xf32>
// CHECK-NOT: math.erf
func.func @erf_vector(%x: vector<16xf32>) -> vector<16xf32> {
  %y = math.erf %x : vector<16xf32>
  return %y : vector<16xf32>
}
