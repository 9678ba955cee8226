#include "simd.h"
// The max-pool gradient (NHWC): each output's gradient goes to the first maximum of its window, as
// TensorFlow does. Four channels at a time keep their best value and its index in registers.
EXPORT(max_pool_grad)
void max_pool_grad(const float *x, const float *dy, float *dx, int batch, int in_h, int in_w, int channels, int out_h, int out_w,
                   int stride_h, int stride_w, int filter_h, int filter_w, int pad_top, int pad_left) {
  int size = batch * in_h * in_w * channels;
  for (int i = 0; i < size; i++) dx[i] = 0;
  int row_stride = in_w * channels, image_stride = in_h * row_stride;
  const v128_t lanes = wasm_i32x4_make(0, 1, 2, 3);
  int o = 0;
  for (int b = 0; b < batch; b++) {
    for (int oy = 0; oy < out_h; oy++) {
      int y0 = oy * stride_h - pad_top;
      int y_start = y0 < 0 ? 0 : y0, y_end = y0 + filter_h > in_h ? in_h : y0 + filter_h;
      for (int ox = 0; ox < out_w; ox++, o += channels) {
        int x0 = ox * stride_w - pad_left;
        int x_start = x0 < 0 ? 0 : x0, x_end = x0 + filter_w > in_w ? in_w : x0 + filter_w;
        int c = 0;
        for (; c + 4 <= channels; c += 4) {
          v128_t best = splat(0), at = wasm_i32x4_splat(-1);
          for (int yy = y_start; yy < y_end; yy++) {
            for (int xx = x_start; xx < x_end; xx++) {
              int base = b * image_stride + yy * row_stride + xx * channels + c;
              v128_t v = wasm_v128_load(x + base);
              // take the value where it is larger, or where nothing was taken yet
              v128_t take = wasm_v128_or(wasm_f32x4_gt(v, best), wasm_i32x4_lt(at, wasm_i32x4_splat(0)));
              best = wasm_v128_bitselect(v, best, take);
              at = wasm_v128_bitselect(wasm_i32x4_add(wasm_i32x4_splat(base), lanes), at, take);
            }
          }
          int index[4] = {wasm_i32x4_extract_lane(at, 0), wasm_i32x4_extract_lane(at, 1), wasm_i32x4_extract_lane(at, 2), wasm_i32x4_extract_lane(at, 3)};
          for (int k = 0; k < 4; k++)
            if (index[k] >= 0) dx[index[k]] += dy[o + c + k];
        }
        for (; c < channels; c++) {
          float best = 0;
          int at = -1;
          for (int yy = y_start; yy < y_end; yy++) {
            for (int xx = x_start; xx < x_end; xx++) {
              int i = b * image_stride + yy * row_stride + xx * channels + c;
              if (at < 0 || x[i] > best) best = x[i], at = i;
            }
          }
          if (at >= 0) dx[at] += dy[o + c];
        }
      }
    }
  }
}
