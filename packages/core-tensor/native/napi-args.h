// The calling convention of the native kernels: (heap: Uint8Array over the wasm memory, then
// integers: byte offsets into it and sizes, then any numbers: constants such as Adam's). Shared by
// kernels.cc, dnnl-primitives.cc and elementwise.cc.
#pragma once
#include <node_api.h>
#include <pthread.h>

#include <csignal>

#include <cstdint>
#include <string>
#include <vector>

// Signals wait while a native kernel computes. Some of oneDNN's JIT sgemm kernels run with the stack
// pointer inside a heap buffer (dy W^T on the seed CNN's dense layer); a signal handled there (a
// profiler's SIGPROF, SIGCHLD, SIGINT, a terminal resize) wrote its frame, AVX-512 state and all,
// over the heap: glibc aborted with "corrupted size vs. prev_size" within seconds of 10 signals a
// second. Pending signals are delivered when the call returns. OpenMP's threads are created inside
// these calls, so they inherit the full mask and never take a process-directed signal. Faults stay
// deliverable, so a crash still reports as one.
class SignalsBlocked {
 public:
  SignalsBlocked() {
    sigset_t all;
    sigfillset(&all);
    for (int fault : {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGTRAP, SIGABRT}) sigdelset(&all, fault);
    pthread_sigmask(SIG_BLOCK, &all, &previous_);
  }
  ~SignalsBlocked() { pthread_sigmask(SIG_SETMASK, &previous_, nullptr); }
  SignalsBlocked(const SignalsBlocked &) = delete;
  SignalsBlocked &operator=(const SignalsBlocked &) = delete;

 private:
  sigset_t previous_;
};

struct Args {
  napi_env env;
  uint8_t *heap = nullptr;
  size_t heap_size = 0;
  std::vector<int64_t> ints;
  std::vector<double> numbers;
  bool ok = false;
};

inline Args read_args(napi_env env, napi_callback_info info, size_t count, size_t number_count = 0) {
  Args args{env};
  std::vector<napi_value> argv(count + number_count + 1);
  size_t argc = argv.size();
  napi_get_cb_info(env, info, &argc, argv.data(), nullptr, nullptr);
  if (argc != argv.size()) {
    napi_throw_type_error(env, nullptr,
                          ("expected the heap, " + std::to_string(count) + " integers and " + std::to_string(number_count) + " numbers, got " +
                           std::to_string(argc) + " arguments")
                              .c_str());
    return args;
  }
  napi_typedarray_type type;
  size_t length;
  void *data;
  napi_value buffer;
  size_t byte_offset;
  if (napi_get_typedarray_info(env, argv[0], &type, &length, &data, &buffer, &byte_offset) != napi_ok || type != napi_uint8_array) {
    napi_throw_type_error(env, nullptr, "expected the wasm heap as a Uint8Array");
    return args;
  }
  args.heap = static_cast<uint8_t *>(data);
  args.heap_size = length;
  for (size_t i = 1; i <= count; i++) {
    int64_t value;
    if (napi_get_value_int64(env, argv[i], &value) != napi_ok) {
      napi_throw_type_error(env, nullptr, ("argument " + std::to_string(i) + ": expected an integer").c_str());
      return args;
    }
    args.ints.push_back(value);
  }
  for (size_t i = count + 1; i < argv.size(); i++) {
    double value;
    if (napi_get_value_double(env, argv[i], &value) != napi_ok) {
      napi_throw_type_error(env, nullptr, ("argument " + std::to_string(i) + ": expected a number").c_str());
      return args;
    }
    args.numbers.push_back(value);
  }
  args.ok = true;
  return args;
}

inline float *at(const Args &args, int64_t offset) { return reinterpret_cast<float *>(args.heap + offset); }

// A convolution's geometry, in the order the JavaScript side passes it (native-kernels.ts geometry()).
struct Conv {
  int64_t batch, in_h, in_w, in_c, out_h, out_w, out_c, filter_h, filter_w, stride_h, stride_w, dilation_h, dilation_w, pad_top, pad_left;
  int64_t rows() const { return batch * out_h * out_w; }
  int64_t patch() const { return filter_h * filter_w * in_c; }
  // a 1x1 stride-1 unpadded convolution is a plain product: x is already its patch matrix
  bool pointwise() const {
    return filter_h == 1 && filter_w == 1 && stride_h == 1 && stride_w == 1 && pad_top == 0 && pad_left == 0 && out_h == in_h && out_w == in_w;
  }
};

inline Conv read_conv(const std::vector<int64_t> &v, size_t from) {
  return Conv{v[from], v[from + 1], v[from + 2], v[from + 3], v[from + 4], v[from + 5], v[from + 6], v[from + 7],
              v[from + 8], v[from + 9], v[from + 10], v[from + 11], v[from + 12], v[from + 13], v[from + 14]};
}

// napi functions of dnnl-primitives.cc, registered by kernels.cc's init,
napi_value primitive_conv2d(napi_env env, napi_callback_info info);
napi_value primitive_conv2d_backprop_input(napi_env env, napi_callback_info info);
napi_value primitive_conv2d_backprop_filter(napi_env env, napi_callback_info info);
napi_value primitive_max_pool(napi_env env, napi_callback_info info);
napi_value primitive_max_pool_grad(napi_env env, napi_callback_info info);
// and of elementwise.cc
napi_value adam(napi_env env, napi_callback_info info);
napi_value relu_bias_grad(napi_env env, napi_callback_info info);
