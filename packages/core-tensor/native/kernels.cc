// Optional native kernels for tfjs-backend-wasm: the convolutions and matrix products of training
// and prediction, computed by oneDNN's sgemm (AVX2/AVX-512 with FMA, every core through OpenMP)
// directly on the wasm heap, which Node hands us as memory. Everything else stays in wasm.
// Built by build.js where libdnnl is installed (Debian: apt-get install libdnnl-dev g++).
#include <oneapi/dnnl/dnnl.h>

#include "napi-args.h"

#include <cstdint>
#include <algorithm>
#include <cstring>
#include <string>
#include <vector>

namespace {


bool sgemm(napi_env env, char ta, char tb, int64_t m, int64_t n, int64_t k, const float *a, int64_t lda, const float *b, int64_t ldb, float beta, float *c,
           int64_t ldc) {
  dnnl_status_t status = dnnl_sgemm(ta, tb, m, n, k, 1.0f, a, lda, b, ldb, beta, c, ldc);
  if (status == dnnl_success) return true;
  napi_throw_error(env, nullptr, ("oneDNN sgemm failed with status " + std::to_string(status)).c_str());
  return false;
}

// Loops over fewer elements stay on the calling thread: waking OpenMP's threads costs more (an
// LSTM's small products ran 1.4x slower per epoch with every loop parallel).
constexpr int64_t PARALLEL_MIN = 1 << 16;
// Patch matrices are built this many floats at a time at most (4 MiB: the images that fit).
constexpr int64_t CHUNK_FLOATS = 1 << 20;

// to[cols, rows] = from[rows, cols]^T
void transpose(const float *from, float *to, int64_t rows, int64_t cols) {
#pragma omp parallel for if (rows * cols > PARALLEL_MIN)
  for (int64_t j = 0; j < cols; j++)
    for (int64_t i = 0; i < rows; i++) to[j * rows + i] = from[i * cols + j];
}

thread_local std::vector<float> scratch, scratch2;

float *sized(std::vector<float> &buffer, int64_t size) {
  buffer.resize(static_cast<size_t>(size));
  return buffer.data();
}

// bias [n] added to each row of c [m, n], then relu where asked: one pass, restrict pointers and
// per-CPU clones so it vectorises (written plainly it took 16 ms on 6.4M outputs, 8x the sgemm before it)
__attribute__((target_clones("avx512f", "avx2", "default"))) void bias_activation(float *__restrict c, int64_t m, int64_t n, const float *__restrict bias,
                                                                                    bool relu) {
#pragma omp parallel for if (m * n > PARALLEL_MIN)
  for (int64_t i = 0; i < m; i++) {
    float *__restrict row = c + i * n;
    if (bias && relu)
      for (int64_t j = 0; j < n; j++) row[j] = row[j] + bias[j] < 0 ? 0.0f : row[j] + bias[j];
    else if (bias)
      for (int64_t j = 0; j < n; j++) row[j] += bias[j];
    else
      for (int64_t j = 0; j < n; j++) row[j] = row[j] < 0 ? 0.0f : row[j]; // NaN stays NaN, as in tfjs
  }
}

// matmul(heap, a, b, c, batchA, batchB, m, n, k, transposeA, transposeB, bias (-1: none), relu):
// c[batch] = op(a[batch]) op(b[batch]) (+ bias, relu); a batch of 1 is broadcast.
napi_value matmul(napi_env env, napi_callback_info info) {
  const SignalsBlocked blocked;  // for the whole call: see napi-args.h
  Args args = read_args(env, info, 12);
  if (!args.ok) return nullptr;
  auto &v = args.ints;
  int64_t batch_a = v[3], batch_b = v[4], m = v[5], n = v[6], k = v[7];
  bool ta = v[8] != 0, tb = v[9] != 0;
  const float *bias = v[10] >= 0 ? at(args, v[10]) : nullptr;
  int64_t batch = batch_a > batch_b ? batch_a : batch_b;
  for (int64_t i = 0; i < batch; i++) {
    const float *a = at(args, v[0]) + (batch_a == 1 ? 0 : i * m * k);
    const float *b = at(args, v[1]) + (batch_b == 1 ? 0 : i * k * n);
    float *c = at(args, v[2]) + i * m * n;
    if (tb && !ta && 4 * m <= n) {
      // a few rows times a large transposed b (a dense layer's input gradient, dy W^T): sgemm is
      // ~6x faster on the swapped product c^T = b a^T (measured 0.75 vs 4.5 ms on 32x1024 by 1024x3136)
      float *ct = sized(scratch, n * m);
      if (!sgemm(env, 'N', 'T', n, m, k, b, k, a, k, 0.0f, ct, m)) return nullptr;
      transpose(ct, c, n, m);
    } else if (!sgemm(env, ta ? 'T' : 'N', tb ? 'T' : 'N', m, n, k, a, ta ? m : k, b, tb ? k : n, 0.0f, c, n)) {
      return nullptr;
    }
    if (bias || v[11]) bias_activation(c, m, n, bias, v[11] != 0);
  }
  return nullptr;
}

// x NHWC -> patches [rows, filter_h * filter_w * in_c], zeros where a window hangs over the padding
__attribute__((target_clones("avx512f", "avx2", "default"))) void im2col_into(const Conv &c, const float *__restrict x, float *__restrict p) {
#pragma omp parallel for collapse(2) if (c.rows() * c.patch() > PARALLEL_MIN)
  for (int64_t b = 0; b < c.batch; b++) {
    for (int64_t oy = 0; oy < c.out_h; oy++) {
      for (int64_t ox = 0; ox < c.out_w; ox++) {
        float *row = p + ((b * c.out_h + oy) * c.out_w + ox) * c.patch();
        for (int64_t i = 0; i < c.filter_h; i++) {
          int64_t y = oy * c.stride_h + i * c.dilation_h - c.pad_top;
          for (int64_t j = 0; j < c.filter_w; j++, row += c.in_c) {
            int64_t xx = ox * c.stride_w + j * c.dilation_w - c.pad_left;
            bool outside = y < 0 || y >= c.in_h || xx < 0 || xx >= c.in_w;
            const float *from = outside ? nullptr : x + ((b * c.in_h + y) * c.in_w + xx) * c.in_c;
            // a plain loop: a first layer has 1-3 channels, where a memcpy call per pixel dominated
            for (int64_t ch = 0; ch < c.in_c; ch++) row[ch] = outside ? 0.0f : from[ch];
          }
        }
      }
    }
  }
}

float *im2col(const Conv &c, const float *x) {
  float *p = sized(scratch, c.rows() * c.patch());
  im2col_into(c, x, p);
  return p;
}

// How many images' patches fit in CHUNK_FLOATS, and the convolution of `count` of them.
int64_t images_per_chunk(const Conv &c) { return std::max<int64_t>(1, CHUNK_FLOATS / (c.out_h * c.out_w * c.patch())); }
Conv chunk_of(const Conv &c, int64_t first, int64_t images) {
  Conv part = c;
  part.batch = std::min(images, c.batch - first);
  return part;
}

// conv2d(heap, x, filter, y, bias (-1: none), relu, ...Conv): y = x (*) filter (+ bias, relu)
napi_value conv2d(napi_env env, napi_callback_info info) {
  const SignalsBlocked blocked;  // for the whole call: see napi-args.h
  Args args = read_args(env, info, 20);
  if (!args.ok) return nullptr;
  auto &v = args.ints;
  Conv c = read_conv(v, 5);
  float *y = at(args, v[2]);
  if (c.pointwise()) {
    if (!sgemm(env, 'N', 'N', c.rows(), c.out_c, c.patch(), at(args, v[0]), c.patch(), at(args, v[1]), c.out_c, 0.0f, y, c.out_c)) return nullptr;
  } else {
    // a few images at a time, so their patch matrix stays in cache between im2col and sgemm
    // (a 256-image batch of the seed CNN's second layer would make one of 160 MB): 28 -> 22 ms
    int64_t images = images_per_chunk(c);
    for (int64_t first = 0; first < c.batch; first += images) {
      Conv part = chunk_of(c, first, images);
      const float *x = at(args, v[0]) + first * c.in_h * c.in_w * c.in_c;
      float *out = y + first * c.out_h * c.out_w * c.out_c;
      if (!sgemm(env, 'N', 'N', part.rows(), c.out_c, c.patch(), im2col(part, x), c.patch(), at(args, v[1]), c.out_c, 0.0f, out, c.out_c)) return nullptr;
    }
  }
  if (v[3] >= 0 || v[4]) bias_activation(y, c.rows(), c.out_c, v[3] >= 0 ? at(args, v[3]) : nullptr, v[4] != 0);
  return nullptr;
}

// conv2dBackpropFilter(heap, x, dy, dw, ...Conv): dw [fh*fw*ci, co] = patches(x)^T dy
napi_value conv2d_backprop_filter(napi_env env, napi_callback_info info) {
  const SignalsBlocked blocked;  // for the whole call: see napi-args.h
  Args args = read_args(env, info, 18);
  if (!args.ok) return nullptr;
  auto &v = args.ints;
  Conv c = read_conv(v, 3);
  // as dw^T = dy^T patches, then transposed (the filter is small): 2.2 against 2.9 ms for the seed
  // CNN's second layer; summed over chunks of images as the forward pass makes them
  float *dwt = sized(scratch2, c.out_c * c.patch());
  int64_t images = c.pointwise() ? c.batch : images_per_chunk(c);
  for (int64_t first = 0; first < c.batch; first += images) {
    Conv part = chunk_of(c, first, images);
    const float *x = at(args, v[0]) + first * c.in_h * c.in_w * c.in_c;
    const float *dy = at(args, v[1]) + first * c.out_h * c.out_w * c.out_c;
    const float *patches = c.pointwise() ? x : im2col(part, x);
    if (!sgemm(env, 'T', 'N', c.out_c, c.patch(), part.rows(), dy, c.out_c, patches, c.patch(), first == 0 ? 0.0f : 1.0f, dwt, c.patch())) return nullptr;
  }
  transpose(dwt, at(args, v[2]), c.out_c, c.patch());
  return nullptr;
}

// dx = the patch gradients dp added back into the input positions they were copied from; images are independent
void col2im(const Conv &c, const float *dp, float *dx) {
#pragma omp parallel for if (c.rows() * c.patch() > PARALLEL_MIN)
  for (int64_t b = 0; b < c.batch; b++) {
    float *image = dx + b * c.in_h * c.in_w * c.in_c;
    std::memset(image, 0, sizeof(float) * c.in_h * c.in_w * c.in_c);
    for (int64_t oy = 0; oy < c.out_h; oy++) {
      for (int64_t ox = 0; ox < c.out_w; ox++) {
        const float *row = dp + ((b * c.out_h + oy) * c.out_w + ox) * c.patch();
        for (int64_t i = 0; i < c.filter_h; i++) {
          int64_t y = oy * c.stride_h + i * c.dilation_h - c.pad_top;
          for (int64_t j = 0; j < c.filter_w; j++, row += c.in_c) {
            int64_t xx = ox * c.stride_w + j * c.dilation_w - c.pad_left;
            if (y < 0 || y >= c.in_h || xx < 0 || xx >= c.in_w) continue;
            float *target = image + (y * c.in_w + xx) * c.in_c;
            for (int64_t ch = 0; ch < c.in_c; ch++) target[ch] += row[ch];
          }
        }
      }
    }
  }
}

// conv2dBackpropInput(heap, dy, filter, dx, ...Conv): dx = col2im(dy filter^T)
napi_value conv2d_backprop_input(napi_env env, napi_callback_info info) {
  const SignalsBlocked blocked;  // for the whole call: see napi-args.h
  Args args = read_args(env, info, 18);
  if (!args.ok) return nullptr;
  auto &v = args.ints;
  Conv c = read_conv(v, 3);
  float *dx = at(args, v[2]);
  // the filter transposed first (it is small): sgemm without a transposed operand, 1.8 against 2.3 ms
  float *wt = sized(scratch2, c.out_c * c.patch());
  transpose(at(args, v[1]), wt, c.patch(), c.out_c);
  if (c.pointwise()) {
    sgemm(env, 'N', 'N', c.rows(), c.patch(), c.out_c, at(args, v[0]), c.out_c, wt, c.patch(), 0.0f, dx, c.patch());
    return nullptr;
  }
  int64_t images = images_per_chunk(c);
  for (int64_t first = 0; first < c.batch; first += images) {
    Conv part = chunk_of(c, first, images);
    float *dp = sized(scratch, part.rows() * c.patch());
    const float *dy = at(args, v[0]) + first * c.out_h * c.out_w * c.out_c;
    if (!sgemm(env, 'N', 'N', part.rows(), c.patch(), c.out_c, dy, c.out_c, wt, c.patch(), 0.0f, dp, c.patch())) return nullptr;
    col2im(part, dp, dx + first * c.in_h * c.in_w * c.in_c);
  }
  return nullptr;
}

napi_value init(napi_env env, napi_value exports) {
  napi_property_descriptor properties[] = {
      {"matmul", nullptr, matmul, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"conv2d", nullptr, conv2d, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"conv2dBackpropFilter", nullptr, conv2d_backprop_filter, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"conv2dBackpropInput", nullptr, conv2d_backprop_input, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"dnnlConv2d", nullptr, primitive_conv2d, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"dnnlConv2dBackpropInput", nullptr, primitive_conv2d_backprop_input, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"dnnlConv2dBackpropFilter", nullptr, primitive_conv2d_backprop_filter, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"dnnlMaxPool", nullptr, primitive_max_pool, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"dnnlMaxPoolGrad", nullptr, primitive_max_pool_grad, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"adam", nullptr, adam, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"reluBiasGrad", nullptr, relu_bias_grad, nullptr, nullptr, nullptr, napi_default, nullptr},
  };
  napi_define_properties(env, exports, sizeof(properties) / sizeof(properties[0]), properties);
  return exports;
}

}  // namespace

NAPI_MODULE(NODE_GYP_MODULE_NAME, init)
