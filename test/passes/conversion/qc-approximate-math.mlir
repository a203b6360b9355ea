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
