#include "rows.h"
// A small matrix product (+ bias, relu), c [m, n] = op(a) op(b), on the calling thread: below
// ~32k multiply-adds, waking tfjs' thread pool for XNNPACK costs more than the product (an
// LSTM's dense layer: 1.5 ms a step on two threads against 0.3 on one).
EXPORT(matmul)
void matmul(const float *a, const float *b, const float *bias, float *c, int m, int n, int k, int transpose_a, int transpose_b, int relu) {
  for (int i = 0; i < m; i++) {
    float *row = c + i * n;
    for (int j = 0; j < n; j++) row[j] = bias ? bias[j] : 0;
    // row i of op(a): contiguous, or down a column of a
    const float *a_row = transpose_a ? a + i : a + i * k;
    int a_stride = transpose_a ? m : 1;
    if (!transpose_b) add_row_times_matrix(a_row, a_stride, b, n, row, k, n);
    else if (!transpose_a)
      for (int j = 0; j < n; j++) row[j] += dot(a_row, b + j * k, k);
    else
      for (int j = 0; j < n; j++)
        for (int p = 0; p < k; p++) row[j] += a_row[p * a_stride] * b[j * k + p];
    if (relu)
      for (int j = 0; j < n; j++) row[j] = row[j] < 0 ? 0 : row[j]; // NaN stays NaN, as in tfjs
  }
}
