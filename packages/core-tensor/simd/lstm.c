#include "recurrent.h"
// The seed LSTM over a whole sequence (Keras' gates i, f, g, o; sigmoid gates), forward and
// backward, each in one call: in tfjs every time step was a few kernel calls (a matMul, copies in
// and out of the heap), and at 20 steps of a 32x50 batch those calls cost more than the arithmetic.
// Layouts: x and dx are [B, T, F] as Keras feeds them; gate rows are t-major (row t*B + b), each row
// [i(H) f(H) g(H) o(H)]; a state (h or c) at step t is the block t*B*H of B*H.

/**
 * x [B, T, F], w [F, 4H], bias [4H], u [H, 4H]. Writes gates (activated, [T*B, 4H]), cells
 * ([(T+1)*B*H], block 0 the zero state), h_prev (the state each step starts from, h_0 = 0 to
 * h_{T-1}: [T*B*H]) and last (h_T, the layer's output: [B*H]).
 */
EXPORT(lstm_forward)
void lstm_forward(const float *x, const float *w, const float *bias, const float *u, float *gates, float *cells, float *h_prev, float *last, int steps,
                  int batch, int features, int units, int act) {
  int g4 = 4 * units, bh = batch * units;
  fill(cells, bh, 0), fill(h_prev, bh, 0);
  for (int t = 0; t < steps; t++) {
    float *h_out = t + 1 < steps ? h_prev + (t + 1) * bh : last;
    float *zt = gates + t * batch * g4;
    for (int b = 0; b < batch; b++) {
      for (int j = 0; j < g4; j++) zt[b * g4 + j] = bias[j];
      add_row_times_matrix(x + (b * steps + t) * features, 1, w, g4, zt + b * g4, features, g4);
    }
    if (t > 0) {
      const float *h = h_prev + t * bh;
      int b = 0;
      for (; b + 2 <= batch; b += 2) add_two_rows_times_matrix(h + b * units, h + (b + 1) * units, 1, u, g4, zt + b * g4, zt + (b + 1) * g4, units, g4);
      if (b < batch) add_row_times_matrix(h + b * units, 1, u, g4, zt + b * g4, units, g4);
    }
    for (int b = 0; b < batch; b++) {
      float *z = zt + b * g4;
      const float *c_prev = cells + t * bh + b * units;
      float *c_next = cells + (t + 1) * bh + b * units, *h_next = h_out + b * units;
      for (int j = 0; j < units;) {
        int wide = j + 4 <= units;
        v128_t i = sigmoid4(load(z + j, wide)), f = sigmoid4(load(z + units + j, wide));
        v128_t g = act4(load(z + 2 * units + j, wide), act), o = sigmoid4(load(z + 3 * units + j, wide));
        v128_t c = wasm_f32x4_add(wasm_f32x4_mul(f, load(c_prev + j, wide)), wasm_f32x4_mul(i, g));
        store(z + j, i, wide), store(z + units + j, f, wide), store(z + 2 * units + j, g, wide), store(z + 3 * units + j, o, wide);
        store(c_next + j, c, wide);
        store(h_next + j, wasm_f32x4_mul(o, act4(c, act)), wide);
        j += wide ? 4 : 1;
      }
    }
  }
}

/**
 * From dy (the gradient of h_T, [B, H]) and lstm_forward's results: dx [B, T, F], dw [F, 4H],
 * du [H, 4H], dbias [4H]. Scratch: dz [B*4H] (one step's pre-activation gradients), dh and dc [B*H].
 */
EXPORT(lstm_backward)
void lstm_backward(const float *dy, const float *x, const float *w, const float *u, const float *gates, const float *cells, const float *h_prev, float *dx,
                   float *dw, float *du, float *dbias, float *dz, float *dh, float *dc, int steps, int batch, int features, int units, int act) {
  int g4 = 4 * units, bh = batch * units;
  for (int i = 0; i < bh; i++) dh[i] = dy[i], dc[i] = 0;
  fill(dw, features * g4, 0), fill(du, units * g4, 0), fill(dbias, g4, 0);
  for (int t = steps - 1; t >= 0; t--) {
    for (int b = 0; b < batch; b++) {
      const float *z = gates + (t * batch + b) * g4;
      float *d = dz + b * g4;
      for (int j = 0; j < units;) {
        int wide = j + 4 <= units, at = b * units + j;
        v128_t i = load(z + j, wide), f = load(z + units + j, wide), g = load(z + 2 * units + j, wide), o = load(z + 3 * units + j, wide);
        v128_t ac = act4(load(cells + (t + 1) * bh + at, wide), act);
        v128_t dhv = load(dh + at, wide), one = splat(1.0f);
        v128_t dcell = wasm_f32x4_add(load(dc + at, wide), wasm_f32x4_mul(wasm_f32x4_mul(dhv, o), act_grad4(ac, act)));
        store(d + j, wasm_f32x4_mul(wasm_f32x4_mul(dcell, g), wasm_f32x4_mul(i, wasm_f32x4_sub(one, i))), wide);
        store(d + units + j, wasm_f32x4_mul(wasm_f32x4_mul(dcell, load(cells + t * bh + at, wide)), wasm_f32x4_mul(f, wasm_f32x4_sub(one, f))), wide);
        store(d + 2 * units + j, wasm_f32x4_mul(wasm_f32x4_mul(dcell, i), act_grad4(g, act)), wide);
        store(d + 3 * units + j, wasm_f32x4_mul(wasm_f32x4_mul(dhv, ac), wasm_f32x4_mul(o, wasm_f32x4_sub(one, o))), wide);
        store(dc + at, wasm_f32x4_mul(dcell, f), wide);
        j += wide ? 4 : 1;
      }
    }
    // the weights' gradients: dbias += sum of the dz rows, dw += x_t^T dz, du += h_{t-1}^T dz
    // (each a sum over the batch; a row of x_t or h_{t-1} read down the batch, with a stride)
    for (int b = 0; b < batch; b++)
      for (int j = 0; j < g4; j++) dbias[j] += dz[b * g4 + j];
    for (int f = 0; f < features; f++) add_row_times_matrix(x + t * features + f, steps * features, dz, g4, dw + f * g4, batch, g4);
    if (t > 0) {
      const float *h = h_prev + t * bh;
      int k = 0;
      for (; k + 2 <= units; k += 2) add_two_rows_times_matrix(h + k, h + k + 1, units, dz, g4, du + k * g4, du + (k + 1) * g4, batch, g4);
      if (k < units) add_row_times_matrix(h + k, units, dz, g4, du + k * g4, batch, g4);
    }
    // dx_t = dz w^T, and dh for step t-1 = dz u^T: each entry a dot product of a dz row and a weight row
    for (int b = 0; b < batch; b++)
      for (int f = 0; f < features; f++) dx[(b * steps + t) * features + f] = dot(dz + b * g4, w + f * g4, g4);
    if (t > 0) {
      int b = 0;
      for (; b + 2 <= batch; b += 2)
        for (int k = 0; k < units; k++) dot_two(dz + b * g4, dz + (b + 1) * g4, u + k * g4, g4, dh + b * units + k, dh + (b + 1) * units + k);
      for (; b < batch; b++)
        for (int k = 0; k < units; k++) dh[b * units + k] = dot(dz + b * g4, u + k * g4, g4);
    }
  }
}
