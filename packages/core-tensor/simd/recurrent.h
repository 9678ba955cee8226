// What lstm.c and gru.c share: the cell activations (the codes their callers pass) and a fill.
#pragma once
#include "rows.h"

enum { ACT_RELU = 0, ACT_TANH = 1, ACT_LINEAR = 2 };

static inline v128_t act4(v128_t z, int act) {
  if (act == ACT_RELU) return wasm_f32x4_pmax(z, splat(0));
  if (act == ACT_TANH) return tanh4(z);
  return z;
}

/** The activation's derivative, from its output y. */
static inline v128_t act_grad4(v128_t y, int act) {
  if (act == ACT_RELU) return wasm_v128_and(wasm_f32x4_gt(y, splat(0)), splat(1.0f));
  if (act == ACT_TANH) return wasm_f32x4_sub(splat(1.0f), wasm_f32x4_mul(y, y));
  return splat(1.0f);
}

static inline void fill(float *p, int n, float value) {
  for (int i = 0; i < n; i++) p[i] = value;
}
