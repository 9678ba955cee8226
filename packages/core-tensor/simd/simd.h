// Shared by the kernels: WebAssembly SIMD math without a C library (the module links nothing).
#pragma once
#include <wasm_simd128.h>

#define EXPORT(name) __attribute__((export_name(#name)))

static inline v128_t splat(float x) { return wasm_f32x4_splat(x); }

/** e^x, Cephes' expf polynomial after range reduction (relative error ~1e-7), four lanes at once. */
static inline v128_t exp4(v128_t x) {
  x = wasm_f32x4_min(wasm_f32x4_max(x, splat(-87.3f)), splat(88.3f)); // 2^n stays a normal float
  v128_t n = wasm_f32x4_nearest(wasm_f32x4_mul(x, splat(1.44269504088896341f)));
  v128_t r = wasm_f32x4_sub(wasm_f32x4_sub(x, wasm_f32x4_mul(n, splat(0.693359375f))), wasm_f32x4_mul(n, splat(-2.12194440e-4f)));
  v128_t p = splat(1.9875691500e-4f);
  p = wasm_f32x4_add(wasm_f32x4_mul(p, r), splat(1.3981999507e-3f));
  p = wasm_f32x4_add(wasm_f32x4_mul(p, r), splat(8.3334519073e-3f));
  p = wasm_f32x4_add(wasm_f32x4_mul(p, r), splat(4.1665795894e-2f));
  p = wasm_f32x4_add(wasm_f32x4_mul(p, r), splat(1.6666665459e-1f));
  p = wasm_f32x4_add(wasm_f32x4_mul(p, r), splat(5.0000001201e-1f));
  p = wasm_f32x4_add(wasm_f32x4_add(wasm_f32x4_mul(p, wasm_f32x4_mul(r, r)), r), splat(1.0f));
  v128_t scale = wasm_i32x4_shl(wasm_i32x4_add(wasm_i32x4_trunc_sat_f32x4(n), wasm_i32x4_splat(127)), 23);
  return wasm_f32x4_mul(p, scale);
}

static inline v128_t sigmoid4(v128_t x) { return wasm_f32x4_div(splat(1.0f), wasm_f32x4_add(splat(1.0f), exp4(wasm_f32x4_neg(x)))); }

/** tanh(x) = 1 - 2 / (e^2x + 1): saturates cleanly at both ends. */
static inline v128_t tanh4(v128_t x) {
  return wasm_f32x4_sub(splat(1.0f), wasm_f32x4_div(splat(2.0f), wasm_f32x4_add(exp4(wasm_f32x4_add(x, x)), splat(1.0f))));
}
