#include "recurrent.h"
// tfjs' GRU over a whole sequence, forward and backward, each in one call (as lstm.c for the LSTM).
// tfjs' GRUCell is Keras' reset_after=False: the reset gate scales h before the matrix product,
//   z = sig(x Wz + h Uz + bz), r = sig(x Wr + h Ur + br), hh = act(x Wh + (r h) Uh + bh),
//   h' = z h + (1 - z) hh,
// with the gates z, r, h in that order along the kernels' columns (W [F, 3H], U [H, 3H], bias [3H]).
// Layouts: x and dx are [B, T, F]; gate rows are t-major (row t*B + b), each [z(H) r(H) hh(H)],
// activated; a state at step t is the block t*B*H of B*H.

/**
 * x [B, T, F], w [F, 3H], bias [3H], u [H, 3H]. Writes gates ([T*B, 3H]), h_prev (the state each
 * step starts from, h_0 = 0 to h_{T-1}: [T*B*H]) and last (h_T, the layer's output: [B*H]).
 */
EXPORT(gru_forward)
void gru_forward(const float *x, const float *w, const float *bias, const float *u, float *gates, float *h_prev, float *last, int steps, int batch, int features,
                 int units, int act) {
  int g3 = 3 * units, g2 = 2 * units, bh = batch * units;
  fill(h_prev, bh, 0);
  for (int t = 0; t < steps; t++) {
    const float *h = h_prev + t * bh;
    // r h goes where the new state will, until the new state (computed from it) replaces it
    float *h_out = t + 1 < steps ? h_prev + (t + 1) * bh : last;
    float *zt = gates + t * batch * g3;
    for (int b = 0; b < batch; b++) {
      for (int j = 0; j < g3; j++) zt[b * g3 + j] = bias[j];
      add_row_times_matrix(x + (b * steps + t) * features, 1, w, g3, zt + b * g3, features, g3);
    }
    if (t > 0) { // h [Uz Ur]; at t = 0 h is zero
      int b = 0;
      for (; b + 2 <= batch; b += 2) add_two_rows_times_matrix(h + b * units, h + (b + 1) * units, 1, u, g3, zt + b * g3, zt + (b + 1) * g3, units, g2);
      if (b < batch) add_row_times_matrix(h + b * units, 1, u, g3, zt + b * g3, units, g2);
    }
    for (int b = 0; b < batch; b++) {
      float *z = zt + b * g3;
      for (int j = 0; j < units;) {
        int wide = j + 4 <= units;
        v128_t zg = sigmoid4(load(z + j, wide)), rg = sigmoid4(load(z + units + j, wide));
        store(z + j, zg, wide), store(z + units + j, rg, wide);
        store(h_out + b * units + j, wasm_f32x4_mul(rg, load(h + b * units + j, wide)), wide);
        j += wide ? 4 : 1;
      }
    }
    if (t > 0) { // (r h) Uh
      const float *rh = h_out;
      int b = 0;
      for (; b + 2 <= batch; b += 2)
        add_two_rows_times_matrix(rh + b * units, rh + (b + 1) * units, 1, u + g2, g3, zt + b * g3 + g2, zt + (b + 1) * g3 + g2, units, units);
      if (b < batch) add_row_times_matrix(rh + b * units, 1, u + g2, g3, zt + b * g3 + g2, units, units);
    }
    for (int b = 0; b < batch; b++) {
      float *z = zt + b * g3;
      for (int j = 0; j < units;) {
        int wide = j + 4 <= units, at = b * units + j;
        v128_t zg = load(z + j, wide), hh = act4(load(z + g2 + j, wide), act);
        store(z + g2 + j, hh, wide);
        v128_t next = wasm_f32x4_add(wasm_f32x4_mul(zg, load(h + at, wide)), wasm_f32x4_mul(wasm_f32x4_sub(splat(1.0f), zg), hh));
        store(h_out + at, next, wide);
        j += wide ? 4 : 1;
      }
    }
  }
}

/**
 * The pre-activation gradients of one step (and what the rest of the step needs), from dh, the
 * gradient of the state the step made: dzr [B, 2H] (z's, r's), dhh [B, H]; dh becomes its part
 * that flows straight to h_{t-1} (dh z), rh = r h_{t-1}, and drh = dhh Uh^T, the gradient of r h.
 */
static void gru_step_gradients(const float *gates, const float *h, const float *u, float *dh, float *dzr, float *dhh, float *rh, float *drh, int batch,
                               int units, int act, int first) {
  int g3 = 3 * units, g2 = 2 * units;
  for (int b = 0; b < batch; b++) {
    const float *z = gates + b * g3;
    for (int j = 0; j < units;) {
      int wide = j + 4 <= units, at = b * units + j;
      v128_t zg = load(z + j, wide), rg = load(z + units + j, wide), hh = load(z + g2 + j, wide);
      v128_t hv = load(h + at, wide), dhv = load(dh + at, wide), one = splat(1.0f);
      v128_t dz = wasm_f32x4_mul(wasm_f32x4_mul(dhv, wasm_f32x4_sub(hv, hh)), wasm_f32x4_mul(zg, wasm_f32x4_sub(one, zg)));
      store(dzr + b * g2 + j, dz, wide);
      store(dhh + at, wasm_f32x4_mul(wasm_f32x4_mul(dhv, wasm_f32x4_sub(one, zg)), act_grad4(hh, act)), wide);
      store(dh + at, wasm_f32x4_mul(dhv, zg), wide);
      store(rh + at, wasm_f32x4_mul(rg, hv), wide);
      j += wide ? 4 : 1;
    }
  }
  if (first) { // h_0 = 0: r has no gradient, and nothing flows further back
    for (int b = 0; b < batch; b++) fill(dzr + b * g2 + units, units, 0);
    return;
  }
  int b = 0;
  for (; b + 2 <= batch; b += 2)
    for (int k = 0; k < units; k++) dot_two(dhh + b * units, dhh + (b + 1) * units, u + k * g3 + g2, units, drh + b * units + k, drh + (b + 1) * units + k);
  for (; b < batch; b++)
    for (int k = 0; k < units; k++) drh[b * units + k] = dot(dhh + b * units, u + k * g3 + g2, units);
  for (b = 0; b < batch; b++) {
    const float *r = gates + b * g3 + units;
    for (int j = 0; j < units;) {
      int wide = j + 4 <= units, at = b * units + j;
      v128_t rg = load(r + j, wide);
      v128_t dr = wasm_f32x4_mul(wasm_f32x4_mul(load(drh + at, wide), load(h + at, wide)), wasm_f32x4_mul(rg, wasm_f32x4_sub(splat(1.0f), rg)));
      store(dzr + b * g2 + units + j, dr, wide);
      j += wide ? 4 : 1;
    }
  }
}

/**
 * From dy (the gradient of h_T, [B, H]) and gru_forward's results: dx [B, T, F], dw [F, 3H],
 * du [H, 3H], dbias [3H]. Scratch: 6*B*H floats.
 */
EXPORT(gru_backward)
void gru_backward(const float *dy, const float *x, const float *w, const float *u, const float *gates, const float *h_prev, float *dx, float *dw, float *du,
                  float *dbias, float *scratch, int steps, int batch, int features, int units, int act) {
  int g3 = 3 * units, g2 = 2 * units, bh = batch * units;
  float *dzr = scratch, *dhh = dzr + 2 * bh, *rh = dhh + bh, *drh = rh + bh, *dh = drh + bh;
  for (int i = 0; i < bh; i++) dh[i] = dy[i];
  fill(dw, features * g3, 0), fill(du, units * g3, 0), fill(dbias, g3, 0);
  for (int t = steps - 1; t >= 0; t--) {
    const float *h = h_prev + t * bh, *gt = gates + t * batch * g3;
    gru_step_gradients(gt, h, u, dh, dzr, dhh, rh, drh, batch, units, act, t == 0);
    // the weights' gradients, each a sum over the batch: dbias, dw += x_t^T [dzr dhh],
    // du += [h^T dzr, (r h)^T dhh] (a row of x_t, h or r h read down the batch, with a stride)
    for (int b = 0; b < batch; b++) {
      for (int j = 0; j < g2; j++) dbias[j] += dzr[b * g2 + j];
      for (int j = 0; j < units; j++) dbias[g2 + j] += dhh[b * units + j];
    }
    for (int f = 0; f < features; f++) {
      add_row_times_matrix(x + t * features + f, steps * features, dzr, g2, dw + f * g3, batch, g2);
      add_row_times_matrix(x + t * features + f, steps * features, dhh, units, dw + f * g3 + g2, batch, units);
    }
    if (t > 0) {
      int k = 0;
      for (; k + 2 <= units; k += 2) {
        add_two_rows_times_matrix(h + k, h + k + 1, units, dzr, g2, du + k * g3, du + (k + 1) * g3, batch, g2);
        add_two_rows_times_matrix(rh + k, rh + k + 1, units, dhh, units, du + k * g3 + g2, du + (k + 1) * g3 + g2, batch, units);
      }
      if (k < units) {
        add_row_times_matrix(h + k, units, dzr, g2, du + k * g3, batch, g2);
        add_row_times_matrix(rh + k, units, dhh, units, du + k * g3 + g2, batch, units);
      }
    }
    // dx_t = [dzr dhh] w^T: each entry a dot product of a gradient row and a weight row
    for (int b = 0; b < batch; b++)
      for (int f = 0; f < features; f++)
        dx[(b * steps + t) * features + f] = dot(dzr + b * g2, w + f * g3, g2) + dot(dhh + b * units, w + f * g3 + g2, units);
    if (t > 0) { // dh for step t-1: dh z (already there) + drh r + dzr [Uz Ur]^T
      int b = 0;
      for (; b + 2 <= batch; b += 2)
        for (int k = 0; k < units; k++) {
          float d0, d1;
          dot_two(dzr + b * g2, dzr + (b + 1) * g2, u + k * g3, g2, &d0, &d1);
          int at0 = b * units + k, at1 = at0 + units;
          dh[at0] += drh[at0] * gt[b * g3 + units + k] + d0;
          dh[at1] += drh[at1] * gt[(b + 1) * g3 + units + k] + d1;
        }
      for (; b < batch; b++)
        for (int k = 0; k < units; k++) {
          int at = b * units + k;
          dh[at] += drh[at] * gt[b * g3 + units + k] + dot(dzr + b * g2, u + k * g3, g2);
        }
    }
  }
}
