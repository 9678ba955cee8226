// oneDNN's own primitives on the wasm heap: convolution (forward with bias and ReLU fused, backward
// data, backward weights) and max pooling (forward, backward). (oneDNN's matmul primitive measured
// no faster than sgemm on the dense layers' products, so those stay in kernels.cc.) Tensors stay where tfjs keeps them, NHWC / HWIO / row
// major; only the (small) filters are reordered into the blocked layout oneDNN's brgemm
// convolutions want. Each primitive is created once per geometry and kept: creating one
// (JIT-compiling its kernels) costs more than running it.
#include <omp.h>
#include <oneapi/dnnl/dnnl.hpp>

#include <limits>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "napi-args.h"

namespace {

using dnnl::memory;
using tag = memory::format_tag;
using dt = memory::data_type;

dnnl::engine &cpu() {
  static dnnl::engine engine(dnnl::engine::kind::cpu, 0);
  return engine;
}

dnnl::stream &queue() {
  static dnnl::stream stream(cpu());
  return stream;
}

// Work below these sizes runs on the calling thread: waking OpenMP's other thread costs more than
// it saves (a single image's pooling took 0.16 ms on two threads, ~0.01 on one). oneDNN sizes a
// primitive's work split by the threads there are when it is created, so the thread count is part
// of the primitive's key and set both when it is created and when it runs.
constexpr int64_t ONE_THREAD_MULTIPLY_ADDS = 1 << 24;
constexpr int64_t ONE_THREAD_ELEMENTS = 1 << 18;

class Threads {
 public:
  explicit Threads(bool one) : count_(one ? 1 : every()) {
    if (count_ != every()) omp_set_num_threads(count_);
  }
  ~Threads() {
    if (count_ != every()) omp_set_num_threads(every());
  }
  int64_t count() const { return count_; }

 private:
  static int every() {
    static const int all = omp_get_max_threads();
    return all;
  }
  int count_;
};

// Primitives and their buffers, per geometry; a tfjs process sees a handful of shapes, but one that
// predicts or trains at ever new batch sizes would keep a primitive for each (a training geometry
// with its buffers held ~7 MiB: 2 GB over batch sizes 1..256), so each cache keeps this many at most.
constexpr size_t CACHED_GEOMETRIES = 16;
template <typename T>
T &cached(std::map<std::vector<int64_t>, std::unique_ptr<T>> &cache, const std::vector<int64_t> &key) {
  auto found = cache.find(key);
  if (found != cache.end()) return *found->second;
  if (cache.size() >= CACHED_GEOMETRIES) cache.erase(cache.begin());  // made again if it comes back
  return *(cache[key] = std::make_unique<T>(key));
}

// oneDNN's max pooling starts each window at the lowest float, so a window of -Infinity alone gives
// -FLT_MAX where tfjs gives -Infinity (and its gradient picks an element tfjs does not). Such a
// window shows in the output, a quarter of the input's size for the usual 2x2 pool: where the lowest
// float is there, tfjs' kernel computes the pool again, as for a geometry oneDNN does not implement.
void refuse_lowest(const float *y, int64_t count) {
  bool found = false;
#pragma omp parallel for simd reduction(|| : found) if (count > ONE_THREAD_ELEMENTS)
  for (int64_t i = 0; i < count; i++) found = found || y[i] == std::numeric_limits<float>::lowest();
  if (found) throw dnnl::error(dnnl_unimplemented, "max pooling over -Infinity");
}

memory user(const memory::dims &dims, tag layout, float *data) { return memory({dims, dt::f32, layout}, cpu(), data); }

// `from` as `layout` wants it: itself when the layouts agree, else reordered into `buffer`
// (created on first use and kept).
memory in_layout(const memory &from, const memory::desc &layout, std::unique_ptr<memory> &buffer) {
  if (from.get_desc() == layout) return from;
  if (!buffer) buffer = std::make_unique<memory>(layout, cpu());
  dnnl::reorder(from, *buffer).execute(queue(), const_cast<memory &>(from), *buffer);
  return *buffer;
}

struct ConvShape {
  memory::dims src, weights, dst, strides, dilates, pad_l, pad_r;
  explicit ConvShape(const Conv &c)
      : src{c.batch, c.in_c, c.in_h, c.in_w},
        weights{c.out_c, c.in_c, c.filter_h, c.filter_w},
        dst{c.batch, c.out_c, c.out_h, c.out_w},
        strides{c.stride_h, c.stride_w},
        dilates{c.dilation_h - 1, c.dilation_w - 1},  // oneDNN counts the gaps
        pad_l{c.pad_top, c.pad_left},
        pad_r{(c.out_h - 1) * c.stride_h + (c.filter_h - 1) * c.dilation_h + 1 - c.in_h - c.pad_top,
              (c.out_w - 1) * c.stride_w + (c.filter_w - 1) * c.dilation_w + 1 - c.in_w - c.pad_left} {}
  memory::desc nhwc(const memory::dims &dims) const { return {dims, dt::f32, tag::nhwc}; }
  memory::desc any(const memory::dims &dims) const { return {dims, dt::f32, tag::any}; }
  dnnl::convolution_forward::desc forward(bool bias) const {
    memory::desc none;
    return {dnnl::prop_kind::forward_training, dnnl::algorithm::convolution_direct, nhwc(src), any(weights),
            bias ? memory::desc({dst[1]}, dt::f32, tag::x) : none, nhwc(dst), strides, dilates, pad_l, pad_r};
  }
  // a gradient's primitive: the same geometry, with the forward one as oneDNN's hint for the filter layout
  template <typename Primitive>
  typename Primitive::primitive_desc backward() const {
    dnnl::convolution_forward::primitive_desc hint(forward(false), cpu());
    return {{dnnl::algorithm::convolution_direct, nhwc(src), any(weights), nhwc(dst), strides, dilates, pad_l, pad_r}, cpu(), hint};
  }
};

Conv conv_of(const std::vector<int64_t> &key) { return read_conv(key, key.size() - 15); }

struct ConvForward {
  Conv c;
  dnnl::convolution_forward::primitive_desc pd;
  dnnl::convolution_forward primitive;
  std::unique_ptr<memory> weights;
  // key: threads, bias?, relu?, then the geometry
  explicit ConvForward(const std::vector<int64_t> &key) : c(conv_of(key)) {
    ConvShape s(c);
    dnnl::primitive_attr attr;
    if (key[2]) {
      dnnl::post_ops ops;
      ops.append_eltwise(1.0f, dnnl::algorithm::eltwise_relu, 0.0f, 0.0f);
      attr.set_post_ops(ops);
    }
    pd = {s.forward(key[1] != 0), attr, cpu()};
    primitive = dnnl::convolution_forward(pd);
  }
};

struct ConvBackwardData {
  Conv c;
  dnnl::convolution_backward_data::primitive_desc pd;
  dnnl::convolution_backward_data primitive;
  std::unique_ptr<memory> weights;
  explicit ConvBackwardData(const std::vector<int64_t> &key) : c(conv_of(key)) {
    pd = ConvShape(c).backward<dnnl::convolution_backward_data>();
    primitive = dnnl::convolution_backward_data(pd);
  }
};

struct ConvBackwardWeights {
  Conv c;
  dnnl::convolution_backward_weights::primitive_desc pd;
  dnnl::convolution_backward_weights primitive;
  std::unique_ptr<memory> weights;
  explicit ConvBackwardWeights(const std::vector<int64_t> &key) : c(conv_of(key)) {
    pd = ConvShape(c).backward<dnnl::convolution_backward_weights>();
    primitive = dnnl::convolution_backward_weights(pd);
  }
};

std::map<std::vector<int64_t>, std::unique_ptr<ConvForward>> conv_forwards;
std::map<std::vector<int64_t>, std::unique_ptr<ConvBackwardData>> conv_backward_datas;
std::map<std::vector<int64_t>, std::unique_ptr<ConvBackwardWeights>> conv_backward_weights;

// Runs `body`: true when it computed, false where oneDNN has no implementation for the geometry
// (the caller then takes the sgemm path); other errors become JavaScript ones.
template <typename Body>
napi_value guarded(napi_env env, Body body) {
  bool computed = false;
  try {
    body();
    computed = true;
  } catch (const dnnl::error &error) {
    if (error.status != dnnl_unimplemented)
      napi_throw_error(env, nullptr, (std::string("oneDNN: ") + error.what() + " (status " + std::to_string(error.status) + ")").c_str());
  }
  napi_value result;
  napi_get_boolean(env, computed, &result);
  return result;
}

std::vector<int64_t> tail(const std::vector<int64_t> &v, size_t from) { return {v.begin() + from, v.end()}; }

// a primitive's key: the threads it runs on, then its geometry
std::vector<int64_t> keyed(const Threads &threads, std::vector<int64_t> geometry) {
  geometry.insert(geometry.begin(), threads.count());
  return geometry;
}

int64_t multiply_adds(const Conv &c) { return c.rows() * c.patch() * c.out_c; }

}  // namespace

// dnnlConv2d(heap, x, filter, y, bias (-1: none), relu, ...Conv): y = x (*) filter (+ bias, relu)
napi_value primitive_conv2d(napi_env env, napi_callback_info info) {
  const SignalsBlocked blocked;  // for the whole call: see napi-args.h
  Args args = read_args(env, info, 20);
  if (!args.ok) return nullptr;
  auto &v = args.ints;
  return guarded(env, [&] {
    Threads threads(multiply_adds(read_conv(v, 5)) < ONE_THREAD_MULTIPLY_ADDS);
    std::vector<int64_t> key{threads.count(), v[3] >= 0, v[4] != 0};
    for (size_t i = 5; i < v.size(); i++) key.push_back(v[i]);
    ConvForward &conv = cached(conv_forwards, key);
    ConvShape s(conv.c);
    memory weights = in_layout(user(s.weights, tag::hwio, at(args, v[1])), conv.pd.weights_desc(), conv.weights);
    std::unordered_map<int, memory> io{{DNNL_ARG_SRC, user(s.src, tag::nhwc, at(args, v[0]))},
                                       {DNNL_ARG_WEIGHTS, weights},
                                       {DNNL_ARG_DST, user(s.dst, tag::nhwc, at(args, v[2]))}};
    if (v[3] >= 0) io.emplace(DNNL_ARG_BIAS, user({conv.c.out_c}, tag::x, at(args, v[3])));
    conv.primitive.execute(queue(), io);
    queue().wait();
  });
}

// dnnlConv2dBackpropInput(heap, dy, filter, dx, ...Conv): the input gradient
napi_value primitive_conv2d_backprop_input(napi_env env, napi_callback_info info) {
  const SignalsBlocked blocked;  // for the whole call: see napi-args.h
  Args args = read_args(env, info, 18);
  if (!args.ok) return nullptr;
  auto &v = args.ints;
  return guarded(env, [&] {
    Threads threads(multiply_adds(read_conv(v, 3)) < ONE_THREAD_MULTIPLY_ADDS);
    ConvBackwardData &conv = cached(conv_backward_datas, keyed(threads, tail(v, 3)));
    ConvShape s(conv.c);
    memory weights = in_layout(user(s.weights, tag::hwio, at(args, v[1])), conv.pd.weights_desc(), conv.weights);
    conv.primitive.execute(queue(), {{DNNL_ARG_DIFF_DST, user(s.dst, tag::nhwc, at(args, v[0]))},
                                     {DNNL_ARG_WEIGHTS, weights},
                                     {DNNL_ARG_DIFF_SRC, user(s.src, tag::nhwc, at(args, v[2]))}});
    queue().wait();
  });
}

// dnnlConv2dBackpropFilter(heap, x, dy, dw, ...Conv): the filter gradient, HWIO
napi_value primitive_conv2d_backprop_filter(napi_env env, napi_callback_info info) {
  const SignalsBlocked blocked;  // for the whole call: see napi-args.h
  Args args = read_args(env, info, 18);
  if (!args.ok) return nullptr;
  auto &v = args.ints;
  return guarded(env, [&] {
    Threads threads(multiply_adds(read_conv(v, 3)) < ONE_THREAD_MULTIPLY_ADDS);
    ConvBackwardWeights &conv = cached(conv_backward_weights, keyed(threads, tail(v, 3)));
    ConvShape s(conv.c);
    memory dw = user(s.weights, tag::hwio, at(args, v[2]));
    bool direct = conv.pd.diff_weights_desc() == dw.get_desc();
    if (!direct && !conv.weights) conv.weights = std::make_unique<memory>(conv.pd.diff_weights_desc(), cpu());
    conv.primitive.execute(queue(), {{DNNL_ARG_SRC, user(s.src, tag::nhwc, at(args, v[0]))},
                                     {DNNL_ARG_DIFF_DST, user(s.dst, tag::nhwc, at(args, v[1]))},
                                     {DNNL_ARG_DIFF_WEIGHTS, direct ? dw : *conv.weights}});
    if (!direct) dnnl::reorder(*conv.weights, dw).execute(queue(), *conv.weights, dw);
    queue().wait();
  });
}

namespace {

// Pooling geometry: batch, in_h, in_w, channels, out_h, out_w, filter_h, filter_w, stride_h, stride_w, pad_top, pad_left
struct PoolShape {
  memory::dims src, dst, kernel, strides, pad_l, pad_r;
  explicit PoolShape(const std::vector<int64_t> &g)
      : src{g[0], g[3], g[1], g[2]},
        dst{g[0], g[3], g[4], g[5]},
        kernel{g[6], g[7]},
        strides{g[8], g[9]},
        pad_l{g[10], g[11]},
        pad_r{(g[4] - 1) * g[8] + g[6] - g[1] - g[10], (g[5] - 1) * g[9] + g[7] - g[2] - g[11]} {}
  dnnl::pooling_forward::desc forward(dnnl::prop_kind kind) const {
    return {kind, dnnl::algorithm::pooling_max, {src, dt::f32, tag::nhwc}, {dst, dt::f32, tag::nhwc}, strides, kernel, pad_l, pad_r};
  }
};

struct PoolForward {
  dnnl::pooling_forward::primitive_desc pd;
  dnnl::pooling_forward primitive;
  explicit PoolForward(const std::vector<int64_t> &key) : pd(PoolShape(tail(key, 1)).forward(dnnl::prop_kind::forward_inference), cpu()), primitive(pd) {}
};

// Max pooling's gradient needs to know where each window's maximum was; tfjs hands over x, not
// oneDNN's workspace, so the forward pass runs again (training mode) to make it.
struct PoolBackward {
  dnnl::pooling_forward::primitive_desc forward_pd;
  dnnl::pooling_forward forward;
  dnnl::pooling_backward::primitive_desc pd;
  dnnl::pooling_backward primitive;
  memory y, workspace;
  explicit PoolBackward(const std::vector<int64_t> &key) : PoolBackward(PoolShape(tail(key, 1))) {}
  explicit PoolBackward(const PoolShape &g)
      : forward_pd(g.forward(dnnl::prop_kind::forward_training), cpu()),
        forward(forward_pd),
        pd(dnnl::pooling_backward::desc(dnnl::algorithm::pooling_max, forward_pd.src_desc(), forward_pd.dst_desc(), g.strides, g.kernel, g.pad_l, g.pad_r),
           cpu(), forward_pd),
        primitive(pd),
        y(forward_pd.dst_desc(), cpu()),
        workspace(forward_pd.workspace_desc(), cpu()) {}
};

std::map<std::vector<int64_t>, std::unique_ptr<PoolForward>> pool_forwards;
std::map<std::vector<int64_t>, std::unique_ptr<PoolBackward>> pool_backwards;

}  // namespace

// dnnlMaxPool(heap, x, y, ...pool geometry)
napi_value primitive_max_pool(napi_env env, napi_callback_info info) {
  const SignalsBlocked blocked;  // for the whole call: see napi-args.h
  Args args = read_args(env, info, 14);
  if (!args.ok) return nullptr;
  auto &v = args.ints;
  return guarded(env, [&] {
    std::vector<int64_t> g = tail(v, 2);
    Threads threads(g[0] * g[1] * g[2] * g[3] < ONE_THREAD_ELEMENTS);
    PoolForward &pool = cached(pool_forwards, keyed(threads, g));
    pool.primitive.execute(queue(), {{DNNL_ARG_SRC, memory(pool.pd.src_desc(), cpu(), at(args, v[0]))}, {DNNL_ARG_DST, memory(pool.pd.dst_desc(), cpu(), at(args, v[1]))}});
    queue().wait();
    refuse_lowest(at(args, v[1]), g[0] * g[4] * g[5] * g[3]);
  });
}

// dnnlMaxPoolGrad(heap, x, dy, dx, ...pool geometry)
napi_value primitive_max_pool_grad(napi_env env, napi_callback_info info) {
  const SignalsBlocked blocked;  // for the whole call: see napi-args.h
  Args args = read_args(env, info, 15);
  if (!args.ok) return nullptr;
  auto &v = args.ints;
  return guarded(env, [&] {
    std::vector<int64_t> g = tail(v, 3);
    Threads threads(g[0] * g[1] * g[2] * g[3] < ONE_THREAD_ELEMENTS);
    PoolBackward &pool = cached(pool_backwards, keyed(threads, g));
    pool.forward.execute(queue(),
                         {{DNNL_ARG_SRC, memory(pool.forward_pd.src_desc(), cpu(), at(args, v[0]))}, {DNNL_ARG_DST, pool.y}, {DNNL_ARG_WORKSPACE, pool.workspace}});
    queue().wait();
    refuse_lowest(static_cast<float *>(pool.y.get_data_handle()), g[0] * g[4] * g[5] * g[3]);
    pool.primitive.execute(queue(), {{DNNL_ARG_DIFF_DST, memory(pool.pd.diff_dst_desc(), cpu(), at(args, v[1]))},
                                     {DNNL_ARG_WORKSPACE, pool.workspace},
                                     {DNNL_ARG_DIFF_SRC, memory(pool.pd.diff_src_desc(), cpu(), at(args, v[2]))}});
    queue().wait();
  });
}
