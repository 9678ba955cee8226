// Row-by-matrix products and dot products, shared by lstm.c, gru.c and matmul.c (static: each module
// inlines what it uses).
#pragma once
#include "simd.h"

// Loads and stores of 4 lanes, or of 1 (lane 0) for the tail of a row whose width is not a multiple of 4.
static inline v128_t load(const float *p, int wide) { return wide ? wasm_v128_load(p) : splat(*p); }
static inline void store(float *p, v128_t v, int wide) {
  if (wide) wasm_v128_store(p, v);
  else *p = wasm_f32x4_extract_lane(v, 0);
}

/** acc[0..n) += a times the k x n matrix m (rows m_stride apart), where a's k entries lie a_stride apart. */
static inline void add_row_times_matrix(const float *a, int a_stride, const float *m, int m_stride, float *acc, int k, int n) {
  int j = 0;
  for (; j + 16 <= n; j += 16) {
    v128_t s0 = wasm_v128_load(acc + j), s1 = wasm_v128_load(acc + j + 4), s2 = wasm_v128_load(acc + j + 8), s3 = wasm_v128_load(acc + j + 12);
    for (int r = 0; r < k; r++) {
      v128_t ar = splat(a[r * a_stride]);
      const float *row = m + r * m_stride + j;
      s0 = wasm_f32x4_add(s0, wasm_f32x4_mul(ar, wasm_v128_load(row)));
      s1 = wasm_f32x4_add(s1, wasm_f32x4_mul(ar, wasm_v128_load(row + 4)));
      s2 = wasm_f32x4_add(s2, wasm_f32x4_mul(ar, wasm_v128_load(row + 8)));
      s3 = wasm_f32x4_add(s3, wasm_f32x4_mul(ar, wasm_v128_load(row + 12)));
    }
    wasm_v128_store(acc + j, s0), wasm_v128_store(acc + j + 4, s1), wasm_v128_store(acc + j + 8, s2), wasm_v128_store(acc + j + 12, s3);
  }
  while (j < n) {
    int wide = j + 4 <= n;
    v128_t s = load(acc + j, wide);
    for (int r = 0; r < k; r++) s = wasm_f32x4_add(s, wasm_f32x4_mul(splat(a[r * a_stride]), load(m + r * m_stride + j, wide)));
    store(acc + j, s, wide);
    j += wide ? 4 : 1;
  }
}

/**
 * add_row_times_matrix for two rows at once (a0 -> acc0, a1 -> acc1): each load of m serves both,
 * which is what bounds the single-row loop.
 */
static inline void add_two_rows_times_matrix(const float *a0, const float *a1, int a_stride, const float *m, int m_stride, float *acc0, float *acc1, int k,
                                             int n) {
  int j = 0;
  for (; j + 16 <= n; j += 16) {
    v128_t s0 = wasm_v128_load(acc0 + j), s1 = wasm_v128_load(acc0 + j + 4), s2 = wasm_v128_load(acc0 + j + 8), s3 = wasm_v128_load(acc0 + j + 12);
    v128_t t0 = wasm_v128_load(acc1 + j), t1 = wasm_v128_load(acc1 + j + 4), t2 = wasm_v128_load(acc1 + j + 8), t3 = wasm_v128_load(acc1 + j + 12);
    for (int r = 0; r < k; r++) {
      v128_t x0 = splat(a0[r * a_stride]), x1 = splat(a1[r * a_stride]);
      const float *row = m + r * m_stride + j;
      v128_t m0 = wasm_v128_load(row), m1 = wasm_v128_load(row + 4), m2 = wasm_v128_load(row + 8), m3 = wasm_v128_load(row + 12);
      s0 = wasm_f32x4_add(s0, wasm_f32x4_mul(x0, m0)), t0 = wasm_f32x4_add(t0, wasm_f32x4_mul(x1, m0));
      s1 = wasm_f32x4_add(s1, wasm_f32x4_mul(x0, m1)), t1 = wasm_f32x4_add(t1, wasm_f32x4_mul(x1, m1));
      s2 = wasm_f32x4_add(s2, wasm_f32x4_mul(x0, m2)), t2 = wasm_f32x4_add(t2, wasm_f32x4_mul(x1, m2));
      s3 = wasm_f32x4_add(s3, wasm_f32x4_mul(x0, m3)), t3 = wasm_f32x4_add(t3, wasm_f32x4_mul(x1, m3));
    }
    wasm_v128_store(acc0 + j, s0), wasm_v128_store(acc0 + j + 4, s1), wasm_v128_store(acc0 + j + 8, s2), wasm_v128_store(acc0 + j + 12, s3);
    wasm_v128_store(acc1 + j, t0), wasm_v128_store(acc1 + j + 4, t1), wasm_v128_store(acc1 + j + 8, t2), wasm_v128_store(acc1 + j + 12, t3);
  }
  if (j < n) {
    add_row_times_matrix(a0, a_stride, m + j, m_stride, acc0 + j, k, n - j);
    add_row_times_matrix(a1, a_stride, m + j, m_stride, acc1 + j, k, n - j);
  }
}

static inline float sum_lanes(v128_t s) {
  return wasm_f32x4_extract_lane(s, 0) + wasm_f32x4_extract_lane(s, 1) + wasm_f32x4_extract_lane(s, 2) + wasm_f32x4_extract_lane(s, 3);
}

/** The dot product of a[0..n) and b[0..n). */
static inline float dot(const float *a, const float *b, int n) {
  v128_t s0 = splat(0), s1 = splat(0);
  int j = 0;
  for (; j + 8 <= n; j += 8) {
    s0 = wasm_f32x4_add(s0, wasm_f32x4_mul(wasm_v128_load(a + j), wasm_v128_load(b + j)));
    s1 = wasm_f32x4_add(s1, wasm_f32x4_mul(wasm_v128_load(a + j + 4), wasm_v128_load(b + j + 4)));
  }
  float sum = sum_lanes(wasm_f32x4_add(s0, s1));
  for (; j < n; j++) sum += a[j] * b[j];
  return sum;
}

/** *out0 = a0 . b and *out1 = a1 . b, over n entries: each load of b serves both. */
static inline void dot_two(const float *a0, const float *a1, const float *b, int n, float *out0, float *out1) {
  v128_t s0 = splat(0), s1 = splat(0), t0 = splat(0), t1 = splat(0);
  int j = 0;
  for (; j + 8 <= n; j += 8) {
    v128_t b0 = wasm_v128_load(b + j), b1 = wasm_v128_load(b + j + 4);
    s0 = wasm_f32x4_add(s0, wasm_f32x4_mul(wasm_v128_load(a0 + j), b0)), s1 = wasm_f32x4_add(s1, wasm_f32x4_mul(wasm_v128_load(a0 + j + 4), b1));
    t0 = wasm_f32x4_add(t0, wasm_f32x4_mul(wasm_v128_load(a1 + j), b0)), t1 = wasm_f32x4_add(t1, wasm_f32x4_mul(wasm_v128_load(a1 + j + 4), b1));
  }
  float sum0 = sum_lanes(wasm_f32x4_add(s0, s1)), sum1 = sum_lanes(wasm_f32x4_add(t0, t1));
  for (; j < n; j++) sum0 += a0[j] * b[j], sum1 += a1[j] * b[j];
  *out0 = sum0, *out1 = sum1;
}

