// RUN: quantc-opt --qc-lower-to-linalg --split-input-file %s | FileCheck %s

// Comparisons produce i1; Where reads its three inputs through broadcast maps.
// CHECK-DAG: #[[C:.*]] = affine_map<(d0, d1) -> (d0, 0)>
// CHECK-DAG: #[[X:.*]] = affine_map<(d0, d1) -> (d1)>
// CHECK-DAG: #[[ID:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-LABEL: func.func @compare_where
// CHECK: arith.cmpf oge
// CHECK: linalg.generic {indexing_maps = [#[[C]], #[[X]], #[[ID]], #[[ID]]]
// CHECK: arith.select
func.func @compare_where(%a: tensor<2x1xf32>, %x: tensor<3xf32>, %y: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %c = qc.GreaterOrEqual %a, %a : (tensor<2x1xf32>, tensor<2x1xf32>) -> tensor<2x1xi1>
  %w = qc.Where %c, %x, %y : (tensor<2x1xi1>, tensor<3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  return %w : tensor<2x3xf32>
}

// -----

// Unary math: one parallel generic around the math op.
// CHECK-LABEL: func.func @unary
// CHECK: linalg.generic {{.*}}iterator_types = ["parallel", "parallel"]
// CHECK: math.atanh
// CHECK: linalg.generic
// CHECK: math.roundeven
func.func @unary(%x: tensor<2x3xf32>) -> (tensor<2x3xf32>, tensor<2x3xf32>) {
  %a = qc.Atanh %x : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %r = qc.Round %x : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return %a, %r : tensor<2x3xf32>, tensor<2x3xf32>
}

// -----

// Activations with attributes: the attribute is a constant of the input type.
// CHECK-LABEL: func.func @activations
// CHECK: arith.mulf
// CHECK: arith.cmpf olt
// CHECK: arith.select
// CHECK: math.erf
func.func @activations(%x: tensor<4xf64>) -> (tensor<4xf64>, tensor<4xf64>) {
  %l = qc.LeakyRelu %x {alpha = 0.2 : f32} : (tensor<4xf64>) -> tensor<4xf64>
  %g = qc.Gelu %x : (tensor<4xf64>) -> tensor<4xf64>
  return %l, %g : tensor<4xf64>, tensor<4xf64>
}

// -----

// Integer Div truncates and never traps: 0 and -1 divisors are replaced.
// CHECK-LABEL: func.func @int_div
// CHECK: arith.select
// CHECK: arith.divsi
// CHECK: arith.subi
// CHECK: arith.select
func.func @int_div(%a: tensor<4xi32>, %b: tensor<4xi32>) -> tensor<4xi32> {
  %c = qc.Div %a, %b : (tensor<4xi32>, tensor<4xi32>) -> tensor<4xi32>
  return %c : tensor<4xi32>
}

// -----

// Mod with fmod=0 on floats: the remainder, moved to the divisor's sign.
// CHECK-LABEL: func.func @float_mod
// CHECK: arith.remf
// CHECK: arith.addf
// CHECK: arith.select
func.func @float_mod(%a: tensor<4xf32>, %b: tensor<4xf32>) -> tensor<4xf32> {
  %c = qc.Mod %a, %b : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  return %c : tensor<4xf32>
}

// -----

// Pow: a float base converts the exponent; integer powers multiply.
// CHECK-LABEL: func.func @pow
// CHECK: arith.sitofp
// CHECK: math.powf
// CHECK: arith.muli
func.func @pow(%x: tensor<4xf32>, %e: tensor<4xi64>, %i: tensor<4xi8>) -> (tensor<4xf32>, tensor<4xi8>) {
  %p = qc.Pow %x, %e : (tensor<4xf32>, tensor<4xi64>) -> tensor<4xf32>
  %q = qc.Pow %i, %i : (tensor<4xi8>, tensor<4xi8>) -> tensor<4xi8>
  return %p, %q : tensor<4xf32>, tensor<4xi8>
}

// -----

// Variadic ops fold their inputs left to right; Mean divides by the count.
// CHECK-LABEL: func.func @variadic
// CHECK: arith.maxsi
// CHECK: arith.maxsi
// CHECK: arith.addf
// CHECK: arith.divf
func.func @variadic(%a: tensor<4xi16>, %b: tensor<4xf32>) -> (tensor<4xi16>, tensor<4xf32>) {
  %m = qc.Max %a, %a, %a : (tensor<4xi16>, tensor<4xi16>, tensor<4xi16>) -> tensor<4xi16>
  %n = qc.Mean %b, %b : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  return %m, %n : tensor<4xi16>, tensor<4xf32>
}

// -----

// Casts: to bool compares with zero; float to integer truncates.
// CHECK-LABEL: func.func @casts
// CHECK: arith.cmpf une
// CHECK: arith.fptosi
// CHECK: arith.extf {{.*}} f16 to f32
func.func @casts(%x: tensor<4xf32>, %h: tensor<4xf16>, %t: tensor<0xf32>) -> (tensor<4xi1>, tensor<4xi32>, tensor<4xf32>) {
  %b = qc.Cast %x {to = 9 : i64} : (tensor<4xf32>) -> tensor<4xi1>
  %i = qc.Cast %x {to = 6 : i64} : (tensor<4xf32>) -> tensor<4xi32>
  %f = qc.CastLike %h, %t : (tensor<4xf16>, tensor<0xf32>) -> tensor<4xf32>
  return %b, %i, %f : tensor<4xi1>, tensor<4xi32>, tensor<4xf32>
}

// -----

// Logic and bitwise ops are integer ops; Not is an xor with true.
// CHECK-LABEL: func.func @logic
// CHECK: arith.xori
// CHECK: arith.andi
func.func @logic(%a: tensor<4xi1>, %b: tensor<4xi32>) -> (tensor<4xi1>, tensor<4xi32>) {
  %n = qc.Not %a : (tensor<4xi1>) -> tensor<4xi1>
  %c = qc.BitwiseAnd %b, %b : (tensor<4xi32>, tensor<4xi32>) -> tensor<4xi32>
  return %n, %c : tensor<4xi1>, tensor<4xi32>
}

// -----

// Dropout is its input and an all-true mask.
// CHECK-LABEL: func.func @dropout
// CHECK: %[[MASK:.*]] = arith.constant dense<true> : tensor<4xi1>
// CHECK: return %arg0, %[[MASK]]
func.func @dropout(%x: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xi1>) {
  %y, %m = qc.Dropout %x {operandSegmentSizes = array<i32: 1, 0, 0>} : (tensor<4xf32>) -> (tensor<4xf32>, tensor<4xi1>)
  return %y, %m : tensor<4xf32>, tensor<4xi1>
}

// -----

// BitShift RIGHT is arithmetic; out-of-range amounts give the sign fill.
// CHECK-LABEL: func.func @bitshift
// CHECK: arith.cmpi uge
// CHECK: arith.shrsi
// CHECK: arith.shrsi
// CHECK: arith.select
func.func @bitshift(%x: tensor<4xi8>, %n: tensor<4xi8>) -> tensor<4xi8> {
  %y = qc.BitShift %x, %n {direction = "RIGHT"} : (tensor<4xi8>, tensor<4xi8>) -> tensor<4xi8>
  return %y : tensor<4xi8>
}

// -----

// Clip with only a max: one minimumf, no lower bound.
// CHECK-LABEL: @clip_max_only
// CHECK: linalg.generic
// CHECK-NOT: arith.maximumf
// CHECK: arith.minimumf
// CHECK-NOT: arith.maximumf
// CHECK: linalg.yield
func.func @clip_max_only(%x: tensor<4xf32>, %hi: tensor<f32>) -> tensor<4xf32> {
  %y = qc.Clip %x, %hi {operandSegmentSizes = array<i32: 1, 0, 1>} : (tensor<4xf32>, tensor<f32>) -> tensor<4xf32>
  return %y : tensor<4xf32>
}
