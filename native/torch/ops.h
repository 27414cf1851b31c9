// The op registry of the torch addon: each tfjs kernel the addon serves is a function from input tensors and the
// kernel's attributes to output tensors, registered by name at load time (one static Register per op).
#pragma once
#include <ATen/ATen.h>
#include <napi.h>
#include <functional>
#include <string>
#include <vector>

namespace scorelab {

using Tensors = std::vector<at::Tensor>;

// Attribute readers: tfjs passes a kernel's attributes as a plain object; a missing or mistyped attribute is an
// error naming the attribute, never a silent default, unless the reader is given one.
struct Attrs {
  Napi::Object obj;
  bool has(const char* k) const;
  int64_t i(const char* k) const;
  int64_t i(const char* k, int64_t dflt) const;
  double f(const char* k) const;
  double f(const char* k, double dflt) const;
  bool b(const char* k, bool dflt = false) const;
  std::string s(const char* k, const std::string& dflt = "") const;
  std::vector<int64_t> ints(const char* k) const;
  std::vector<double> floats(const char* k) const;
};

using OpFn = std::function<Tensors(const Tensors& in, const Attrs& a)>;

struct Op { std::string name; OpFn fn; };
std::vector<Op>& registry();

struct Register {
  Register(const char* name, OpFn fn) { registry().push_back({name, std::move(fn)}); }
};

// The device new tensors are created on (CPU unless SCORELAB_DEVICE=cuda chose CUDA).
at::Device& currentDevice();
inline at::TensorOptions opts(at::ScalarType t) { return at::TensorOptions().dtype(t).device(currentDevice()); }

// tfjs dtype names to ATen scalar types: float32, int32, bool.
at::ScalarType dtypeOf(const std::string& name);

// Normalises a result to the three dtypes tfjs knows (float64 -> float32, int64 -> int32, ...).
at::Tensor tfjsDtype(const at::Tensor& t);

// tfjs axes may be negative; ATen accepts that too but the reduction set must be unique and in range.
std::vector<int64_t> normAxes(const std::vector<int64_t>& axes, int64_t rank);

// Activations shared by the fused kernels (_FusedMatMul, FusedConv2D).
at::Tensor applyActivation(const at::Tensor& x, const std::string& act, const at::Tensor& prelu, double leakyAlpha);

// NHWC <-> NCHW for the convolution and pooling kernels (tfjs is channels-last, ATen channels-first).
inline at::Tensor toNCHW(const at::Tensor& x) { return x.permute({0, 3, 1, 2}); }
inline at::Tensor toNHWC(const at::Tensor& x) { return x.permute({0, 2, 3, 1}); }

// The tensor table of addon.cc, for jit.cc: store a result, look up a handle (an Error for an unknown one), and
// describe stored outputs the way `run` does.
int32_t putTensor(const at::Tensor& t);
const at::Tensor& tensorAt(Napi::Env env, int32_t h);
Napi::Array describeOutputs(Napi::Env env, const Tensors& out);
// Adds the TorchScript functions (jit.cc) to the addon's exports.
void initJit(Napi::Env env, Napi::Object exports);

}  // namespace scorelab

#define SCORELAB_CAT2(a, b) a##b
#define SCORELAB_CAT(a, b) SCORELAB_CAT2(a, b)
#define OP(name) static ::scorelab::Register SCORELAB_CAT(reg_, __LINE__)(name, [](const ::scorelab::Tensors& in, const ::scorelab::Attrs& a) -> ::scorelab::Tensors
#define END_OP );
