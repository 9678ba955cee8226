// Elementwise passes of training that wasm runs on one thread (in 128-bit SIMD, or as several
// kernels): here in AVX-512/AVX2 on every core, straight on the wasm heap. Adam over the seed CNN's
// 3.2M dense weights took 4.5 ms of a ~27 ms step in wasm; here 0.5-1 ms (measured on 2 cores).
#include <cmath>
#include <cstdint>

#include "napi-args.h"

namespace {

// Below this many elements the pass stays on the calling thread: waking OpenMP's other thread costs more.
constexpr int64_t PARALLEL_ELEMENTS = 1 << 16;

// One Adam step, AdamUpdate.ts' formula (its comment derives it): the outputs may be the inputs
// themselves (each element is read before it is written), so no restrict; `omp simd` says the
// iterations are independent, which the compiler cannot prove when the arrays may alias.
__attribute__((target_clones("avx512f", "avx2", "default"))) void adam_step(const float *w0, const float *g, const float *m0, const float *v0, float *w1,
                                                                              float *m1, float *v1, int64_t n, float beta1, float beta2, float step,
                                                                              float eps) {
  const float keep1 = 1 - beta1, keep2 = 1 - beta2;
#pragma omp parallel for simd if (n > PARALLEL_ELEMENTS)
  for (int64_t i = 0; i < n; i++) {
    float gi = g[i];
    float m = m0[i] * beta1 + gi * keep1;
    float v = v0[i] * beta2 + gi * gi * keep2;
    m1[i] = m;
    v1[i] = v;
    w1[i] = step * m / (std::sqrt(v) + eps) + w0[i];
  }
}

}  // namespace

// adam(heap, w0, g, m0, v0, w1, m1, v1, n, beta1, beta2, step, eps): byte offsets, a count, then the
// four constants as numbers; the outputs may be the inputs (an update in place).
napi_value adam(napi_env env, napi_callback_info info) {
  const SignalsBlocked blocked;  // for the whole call: see napi-args.h
  Args args = read_args(env, info, 8, 4);
  if (!args.ok) return nullptr;
  auto &v = args.ints;
  auto &d = args.numbers;
  adam_step(at(args, v[0]), at(args, v[1]), at(args, v[2]), at(args, v[3]), at(args, v[4]), at(args, v[5]), at(args, v[6]), v[7],
            static_cast<float>(d[0]), static_cast<float>(d[1]), static_cast<float>(d[2]), static_cast<float>(d[3]));
  return nullptr;
}

namespace {

// A relu layer's backward pass before its products: dx = dy where the layer's output y > 0 (NaN
// stays NaN, as tfjs' step gives), and the bias gradient, dx summed over rows, in the same pass.
__attribute__((target_clones("avx512f", "avx2", "default"))) void relu_bias_grad_pass(const float *__restrict dy, const float *__restrict y,
                                                                                        float *__restrict dx, float *__restrict dbias, int64_t rows,
                                                                                        int64_t cols) {
  for (int64_t j = 0; j < cols; j++) dbias[j] = 0;
#pragma omp parallel for reduction(+ : dbias[:cols]) if (rows * cols > PARALLEL_ELEMENTS)
  for (int64_t i = 0; i < rows; i++) {
    const float *__restrict dy_row = dy + i * cols;
    const float *__restrict y_row = y + i * cols;
    float *__restrict dx_row = dx + i * cols;
    for (int64_t j = 0; j < cols; j++) {
      float yj = y_row[j];
      float d = yj > 0 ? dy_row[j] : (yj != yj ? yj : 0.0f);
      dx_row[j] = d;
      dbias[j] += d;
    }
  }
}

}  // namespace

// reluBiasGrad(heap, dy, y, dx, dbias, rows, cols): byte offsets, then the sizes; dbias has cols floats.
napi_value relu_bias_grad(napi_env env, napi_callback_info info) {
  const SignalsBlocked blocked;  // for the whole call: see napi-args.h
  Args args = read_args(env, info, 6);
  if (!args.ok) return nullptr;
  auto &v = args.ints;
  relu_bias_grad_pass(at(args, v[0]), at(args, v[1]), at(args, v[2]), at(args, v[3]), v[4], v[5]);
  return nullptr;
}
