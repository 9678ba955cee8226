#include "simd.h"
// One Adam step over n weights, in place of tfjs' ~14 elementwise kernels: the same formula as
// AdamUpdate.ts (which calls this). No stack, no data: it touches only the arrays.
EXPORT(adam)
void adam(float *w0, const float *g, const float *m0, const float *v0, float *w1, float *m1, float *v1, int n,
          float beta1, float beta2, float step, float eps) {
  v128_t b1 = wasm_f32x4_splat(beta1), b2 = wasm_f32x4_splat(beta2);
  v128_t ob1 = wasm_f32x4_splat(1 - beta1), ob2 = wasm_f32x4_splat(1 - beta2);
  v128_t st = wasm_f32x4_splat(step), ep = wasm_f32x4_splat(eps);
  int i = 0;
  for (; i + 4 <= n; i += 4) {
    v128_t gi = wasm_v128_load(g + i);
    v128_t mi = wasm_f32x4_add(wasm_f32x4_mul(wasm_v128_load(m0 + i), b1), wasm_f32x4_mul(gi, ob1));
    v128_t vi = wasm_f32x4_add(wasm_f32x4_mul(wasm_v128_load(v0 + i), b2), wasm_f32x4_mul(wasm_f32x4_mul(gi, gi), ob2));
    wasm_v128_store(m1 + i, mi);
    wasm_v128_store(v1 + i, vi);
    v128_t upd = wasm_f32x4_div(wasm_f32x4_mul(st, mi), wasm_f32x4_add(wasm_f32x4_sqrt(vi), ep));
    wasm_v128_store(w1 + i, wasm_f32x4_add(upd, wasm_v128_load(w0 + i)));
  }
  for (; i < n; i++) {
    float gi = g[i], mi = m0[i] * beta1 + gi * (1 - beta1), vi = v0[i] * beta2 + gi * gi * (1 - beta2);
    m1[i] = mi; v1[i] = vi; w1[i] = step * mi / (__builtin_sqrtf(vi) + eps) + w0[i];
  }
}
