//===- HalfFloat.cpp - the f16 conversions that LLVM's lowering calls -----===//
//
// On targets without native f16 arithmetic LLVM computes half-precision math
// in f32 and converts with libcalls (__extendhfsf2, __truncsfhf2, and
// __truncdfhf2 for a direct f64 -> f16 Cast), which libgcc/compiler-rt
// provide. Generated libraries link against libc and libm only, so the
// runtime has its own: exact widening, and narrowing with one rounding to
// nearest even (overflow to infinity, subnormals, NaN kept quiet).
//
// Only integer operations are used here, so the compiler never lowers these
// functions to calls of themselves. Since LLVM 15 (and GCC 12) an x86-64
// _Float16 travels in an XMM register, hence the _Float16 signatures.
//
//===----------------------------------------------------------------------===//
#include <stdint.h>
#include <string.h>

namespace {

/// v >> shift (shift in 1..63), rounded to nearest, ties to even.
uint64_t shiftRoundEven(uint64_t v, unsigned shift) {
  uint64_t q = v >> shift;
  uint64_t rem = v & ((uint64_t(1) << shift) - 1);
  uint64_t half = uint64_t(1) << (shift - 1);
  if (rem > half || (rem == half && (q & 1)))
    ++q;
  return q;
}

uint16_t halfBitsFromDouble(double d) {
  uint64_t bits;
  memcpy(&bits, &d, sizeof bits);
  uint16_t sign = uint16_t((bits >> 48) & 0x8000);
  unsigned exp = unsigned((bits >> 52) & 0x7ff);
  uint64_t mant = bits & ((uint64_t(1) << 52) - 1);
  if (exp == 0x7ff) // infinity, or NaN with its top payload bits, quiet
    return sign | 0x7c00 | (mant ? 0x200 | uint16_t(mant >> 42) : 0);
  if (exp == 0) // zero, or a double subnormal: far below half's range
    return sign;
  uint64_t sig = mant | (uint64_t(1) << 52); // value = sig * 2^(exp - 1075)
  int halfExp = int(exp) - 1023 + 15;
  if (halfExp >= 31)
    return sign | 0x7c00;
  if (halfExp <= 0) {
    // Subnormal: a multiple of 2^-24, rounding may carry into the smallest
    // normal, whose encoding follows on.
    unsigned shift = 1051 - exp;
    if (shift > 63)
      return sign;
    return sign | uint16_t(shiftRoundEven(sig, shift));
  }
  // 11 significant bits with the implicit one; a carry out of the rounding
  // moves into the exponent (and to infinity past the largest half).
  uint64_t m = shiftRoundEven(sig, 42);
  return sign | uint16_t((uint64_t(halfExp - 1) << 10) + m);
}

float floatFromHalfBits(uint16_t h) {
  uint32_t sign = uint32_t(h & 0x8000) << 16;
  uint32_t exp = (h >> 10) & 0x1f, mant = h & 0x3ff;
  uint32_t bits;
  if (exp == 0) {
    float value = float(mant) * (1.0f / 16777216.0f); // mant * 2^-24, exact
    memcpy(&bits, &value, sizeof bits);
    bits |= sign;
  } else if (exp == 31) {
    bits = sign | 0x7f800000u | (mant << 13);
  } else {
    bits = sign | ((exp + 112) << 23) | (mant << 13);
  }
  float f;
  memcpy(&f, &bits, sizeof f);
  return f;
}

_Float16 toHalf(uint16_t bits) {
  _Float16 h;
  memcpy(&h, &bits, sizeof h);
  return h;
}

uint16_t fromHalf(_Float16 h) {
  uint16_t bits;
  memcpy(&bits, &h, sizeof bits);
  return bits;
}

} // namespace

extern "C" {
float __extendhfsf2(_Float16 h) { return floatFromHalfBits(fromHalf(h)); }
double __extendhfdf2(_Float16 h) { return floatFromHalfBits(fromHalf(h)); }
// float -> double is exact, so this rounds once.
_Float16 __truncsfhf2(float f) { return toHalf(halfBitsFromDouble(f)); }
_Float16 __truncdfhf2(double d) { return toHalf(halfBitsFromDouble(d)); }
}
