#include "simd.h"
// out[j] = the sum of column j of x [rows, cols]: a bias gradient (dy summed over every position
// but the channel). tfjs transposes dy first to sum along its last axis: a copy of all of it.
EXPORT(column_sums)
void column_sums(const float *x, float *out, int rows, int cols) {
  int j = 0;
  for (; j + 4 <= cols; j += 4) wasm_v128_store(out + j, splat(0));
  for (; j < cols; j++) out[j] = 0;
  for (int i = 0; i < rows; i++) {
    const float *row = x + i * cols;
    for (j = 0; j + 4 <= cols; j += 4) wasm_v128_store(out + j, wasm_f32x4_add(wasm_v128_load(out + j), wasm_v128_load(row + j)));
    for (; j < cols; j++) out[j] += row[j];
  }
}
