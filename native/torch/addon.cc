// The torch addon's N-API surface: a table of live tensors keyed by small integer handles (tfjs data ids hold the
// handle), copies in and out, and `run(op, handles, attrs)` for every registered kernel. Reads and writes are the
// only copies; freeing a handle drops libtorch's reference at once.
#include "ops.h"
#include <ATen/Parallel.h>
#include <ATen/Version.h>
#include <torch/version.h>
#include <c10/util/Exception.h>
#include <cstring>
#include <sstream>
#include <unordered_map>

// Device properties and stream sync need the CUDA toolkit's headers; without them a CUDA libtorch still runs
// (device names and explicit sync are then left out: reads synchronise anyway).
#ifdef SCORELAB_CUDA_HEADERS
#include <ATen/cuda/CUDAContext.h>
#endif

namespace scorelab {

std::vector<Op>& registry() { static std::vector<Op> ops; return ops; }
at::Device& currentDevice() { static at::Device d(at::kCPU); return d; }

at::ScalarType dtypeOf(const std::string& name) {
  if (name == "float32") return at::kFloat;
  if (name == "int32") return at::kInt;
  if (name == "bool") return at::kBool;
  throw std::invalid_argument("dtype '" + name + "' is not supported by the torch backend (float32, int32, bool)");
}

at::Tensor tfjsDtype(const at::Tensor& t) {
  switch (t.scalar_type()) {
    case at::kFloat: case at::kInt: case at::kBool: return t;
    case at::kLong: case at::kShort: case at::kChar: case at::kByte: return t.to(at::kInt);
    default: return t.to(at::kFloat);
  }
}

std::vector<int64_t> normAxes(const std::vector<int64_t>& axes, int64_t rank) {
  std::vector<int64_t> out;
  for (int64_t ax : axes) {
    int64_t a = ax < 0 ? ax + rank : ax;
    if (a < 0 || a >= std::max<int64_t>(rank, 1)) throw std::invalid_argument("axis " + std::to_string(ax) + " out of range for rank " + std::to_string(rank));
    if (std::find(out.begin(), out.end(), a) == out.end()) out.push_back(a);
  }
  return out;
}

at::Tensor applyActivation(const at::Tensor& x, const std::string& act, const at::Tensor& prelu, double leakyAlpha) {
  if (act.empty() || act == "linear") return x;
  if (act == "relu") return at::relu(x);
  if (act == "relu6") return at::clamp(x, 0, 6);
  if (act == "elu") return at::elu(x);
  if (act == "sigmoid") return at::sigmoid(x);
  if (act == "leakyrelu") return at::leaky_relu(x, leakyAlpha);
  if (act == "prelu") return at::where(x < 0, x * prelu, x);
  throw std::invalid_argument("activation '" + act + "' is not supported");
}

// ---- attributes ----
static Napi::Value get(const Attrs& a, const char* k) { return a.obj.Get(k); }
static std::invalid_argument missing(const char* k, const char* what) { return std::invalid_argument(std::string("attribute '") + k + "' must be " + what); }
bool Attrs::has(const char* k) const { Napi::Value v = get(*this, k); return !v.IsUndefined() && !v.IsNull(); }
int64_t Attrs::i(const char* k) const { Napi::Value v = get(*this, k); if (!v.IsNumber()) throw missing(k, "a number"); return v.As<Napi::Number>().Int64Value(); }
int64_t Attrs::i(const char* k, int64_t d) const { return has(k) ? i(k) : d; }
double Attrs::f(const char* k) const { Napi::Value v = get(*this, k); if (!v.IsNumber()) throw missing(k, "a number"); return v.As<Napi::Number>().DoubleValue(); }
double Attrs::f(const char* k, double d) const { return has(k) ? f(k) : d; }
bool Attrs::b(const char* k, bool d) const { Napi::Value v = get(*this, k); return v.IsBoolean() ? v.As<Napi::Boolean>().Value() : d; }
std::string Attrs::s(const char* k, const std::string& d) const { Napi::Value v = get(*this, k); return v.IsString() ? v.As<Napi::String>().Utf8Value() : d; }
std::vector<int64_t> Attrs::ints(const char* k) const {
  Napi::Value v = get(*this, k);
  std::vector<int64_t> out;
  if (v.IsNumber()) { out.push_back(v.As<Napi::Number>().Int64Value()); return out; }
  if (!v.IsArray()) throw missing(k, "a number or an array of numbers");
  Napi::Array arr = v.As<Napi::Array>();
  for (uint32_t j = 0; j < arr.Length(); j++) {
    Napi::Value e = arr.Get(j);
    if (e.IsArray()) { Napi::Array inner = e.As<Napi::Array>(); for (uint32_t m = 0; m < inner.Length(); m++) out.push_back(inner.Get(m).As<Napi::Number>().Int64Value()); }
    else out.push_back(e.As<Napi::Number>().Int64Value());
  }
  return out;
}
std::vector<double> Attrs::floats(const char* k) const {
  Napi::Value v = get(*this, k);
  std::vector<double> out;
  if (v.IsNumber()) { out.push_back(v.As<Napi::Number>().DoubleValue()); return out; }
  if (!v.IsArray()) throw missing(k, "a number or an array of numbers");
  Napi::Array arr = v.As<Napi::Array>();
  for (uint32_t j = 0; j < arr.Length(); j++) out.push_back(arr.Get(j).As<Napi::Number>().DoubleValue());
  return out;
}

// ---- the tensor table ----
static std::vector<at::Tensor> table;
static std::vector<int32_t> freeSlots;
static int64_t liveCount = 0;
static int64_t liveBytes = 0;

static int32_t put(const at::Tensor& t) {
  int32_t h;
  if (!freeSlots.empty()) { h = freeSlots.back(); freeSlots.pop_back(); table[h] = t; }
  else { h = static_cast<int32_t>(table.size()); table.push_back(t); }
  liveCount++;
  liveBytes += t.numel() * t.element_size();
  return h;
}

static const at::Tensor& at_(Napi::Env env, int32_t h) {
  if (h < 0 || h >= static_cast<int32_t>(table.size()) || !table[h].defined()) throw std::invalid_argument("unknown tensor handle " + std::to_string(h));
  return table[h];
}

static int dtypeCode(at::ScalarType t) { return t == at::kFloat ? 0 : t == at::kInt ? 1 : 2; }

static std::string shapeOf(const at::Tensor& t) {
  if (!t.defined()) return "none";
  std::ostringstream s; s << "[";
  for (int64_t d = 0; d < t.dim(); d++) s << (d ? "," : "") << t.size(d);
  s << "]";
  return s.str();
}

static std::string firstLine(const std::string& s) { auto n = s.find('\n'); return n == std::string::npos ? s : s.substr(0, n); }

template <typename F>
static Napi::Value guarded(Napi::Env env, const std::string& what, F f) {
  try { return f(); }
  catch (const Napi::Error&) { throw; }
  catch (const c10::Error& e) { throw Napi::Error::New(env, what + ": " + firstLine(e.what_without_backtrace())); }
  catch (const std::exception& e) { throw Napi::Error::New(env, what + ": " + firstLine(e.what())); }
}

// write(values: TypedArray, shape: number[], dtype: "float32"|"int32"|"bool") -> handle
static Napi::Value Write(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  return guarded(env, "torch backend write", [&]() -> Napi::Value {
    Napi::TypedArray arr = info[0].As<Napi::TypedArray>();
    Napi::Array shp = info[1].As<Napi::Array>();
    at::ScalarType t = dtypeOf(info[2].As<Napi::String>().Utf8Value());
    std::vector<int64_t> shape;
    int64_t n = 1;
    for (uint32_t j = 0; j < shp.Length(); j++) { shape.push_back(shp.Get(j).As<Napi::Number>().Int64Value()); n *= shape.back(); }
    at::Tensor cpu = at::empty(shape, at::TensorOptions().dtype(t));
    size_t bytes = static_cast<size_t>(n) * cpu.element_size();
    if (arr.ByteLength() < bytes) throw std::invalid_argument("values hold " + std::to_string(arr.ByteLength()) + " bytes, shape needs " + std::to_string(bytes));
    if (bytes) std::memcpy(cpu.data_ptr(), static_cast<uint8_t*>(arr.ArrayBuffer().Data()) + arr.ByteOffset(), bytes);
    at::Tensor dev = currentDevice().is_cpu() ? cpu : cpu.to(currentDevice());
    return Napi::Number::New(env, put(dev));
  });
}

// read(handle) -> Float32Array | Int32Array | Uint8Array (a copy)
static Napi::Value Read(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  return guarded(env, "torch backend read", [&]() -> Napi::Value {
    at::Tensor t = at_(env, info[0].As<Napi::Number>().Int32Value()).contiguous().to(at::kCPU);
    size_t n = static_cast<size_t>(t.numel());
    size_t bytes = n * t.element_size();
    Napi::ArrayBuffer buf = Napi::ArrayBuffer::New(env, bytes);
    if (bytes) std::memcpy(buf.Data(), t.data_ptr(), bytes);
    switch (t.scalar_type()) {
      case at::kFloat: return Napi::Float32Array::New(env, n, buf, 0);
      case at::kInt: return Napi::Int32Array::New(env, n, buf, 0);
      default: return Napi::Uint8Array::New(env, n, buf, 0);
    }
  });
}

static Napi::Value Free(const Napi::CallbackInfo& info) {
  int32_t h = info[0].As<Napi::Number>().Int32Value();
  if (h >= 0 && h < static_cast<int32_t>(table.size()) && table[h].defined()) {
    liveCount--;
    liveBytes -= table[h].numel() * table[h].element_size();
    table[h] = at::Tensor();
    freeSlots.push_back(h);
  }
  return info.Env().Undefined();
}

// opIds() -> { [kernelName]: id }
static Napi::Value OpIds(const Napi::CallbackInfo& info) {
  Napi::Object o = Napi::Object::New(info.Env());
  const auto& ops = registry();
  for (size_t j = 0; j < ops.size(); j++) o.Set(ops[j].name, Napi::Number::New(info.Env(), static_cast<double>(j)));
  return o;
}

int32_t putTensor(const at::Tensor& t) { return put(t); }
const at::Tensor& tensorAt(Napi::Env env, int32_t h) { return at_(env, h); }

// run(opId, handles: Int32Array, attrs) -> flat array [count, (handle, dtype, rank, ...shape) per output]
static Napi::Value Run(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  uint32_t id = info[0].As<Napi::Number>().Uint32Value();
  const auto& ops = registry();
  if (id >= ops.size()) throw Napi::Error::New(env, "torch backend: unknown op id " + std::to_string(id));
  const Op& op = ops[id];
  Tensors in;
  Napi::Int32Array hs = info[1].As<Napi::Int32Array>();
  in.reserve(hs.ElementLength());
  for (size_t j = 0; j < hs.ElementLength(); j++) {
    int32_t h = hs[j];
    in.push_back(h < 0 ? at::Tensor() : at_(env, h));
  }
  Attrs a{info[2].IsObject() ? info[2].As<Napi::Object>() : Napi::Object::New(env)};
  Tensors out;
  try { out = op.fn(in, a); }
  catch (const std::exception& e) {
    std::string shapes;
    for (size_t j = 0; j < in.size(); j++) shapes += (j ? ", " : "") + shapeOf(in[j]);
    const c10::Error* ce = dynamic_cast<const c10::Error*>(&e);
    std::string msg = ce ? ce->what_without_backtrace() : e.what();
    throw Napi::Error::New(env, "torch backend: " + op.name + " on input shapes " + shapes + ": " + firstLine(msg));
  }
  return describeOutputs(env, out);
}

// Stores outputs in the table: [count, (handle, dtype, rank, ...shape) per output] (shared with jit.cc).
Napi::Array describeOutputs(Napi::Env env, const Tensors& out) {
  size_t total = 1;
  for (const auto& t : out) total += 3 + t.dim();
  Napi::Array res = Napi::Array::New(env, total);
  uint32_t k = 0;
  res.Set(k++, Napi::Number::New(env, static_cast<double>(out.size())));
  for (auto& t0 : out) {
    at::Tensor t = tfjsDtype(t0);
    res.Set(k++, Napi::Number::New(env, put(t)));
    res.Set(k++, Napi::Number::New(env, dtypeCode(t.scalar_type())));
    res.Set(k++, Napi::Number::New(env, static_cast<double>(t.dim())));
    for (int64_t d = 0; d < t.dim(); d++) res.Set(k++, Napi::Number::New(env, static_cast<double>(t.size(d))));
  }
  return res;
}

static Napi::Value Memory(const Napi::CallbackInfo& info) {
  Napi::Object o = Napi::Object::New(info.Env());
  o.Set("tensors", Napi::Number::New(info.Env(), static_cast<double>(liveCount)));
  o.Set("bytes", Napi::Number::New(info.Env(), static_cast<double>(liveBytes)));
  return o;
}

static bool cudaBuilt() {
#ifdef SCORELAB_WITH_CUDA
  return true;
#else
  return false;
#endif
}

// setDevice("cpu" | "cuda"): an Error, not a crash, when CUDA is asked for and absent.
static Napi::Value SetDevice(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  std::string d = info[0].As<Napi::String>().Utf8Value();
  if (d == "cpu") { currentDevice() = at::Device(at::kCPU); return env.Undefined(); }
  if (d != "cuda") throw Napi::Error::New(env, "SCORELAB_DEVICE must be cpu or cuda, got '" + d + "'");
  if (!cudaBuilt()) throw Napi::Error::New(env, "CUDA was requested but this torch addon was built against a CPU-only libtorch");
  if (!at::hasCUDA()) throw Napi::Error::New(env, "CUDA was requested but libtorch sees no CUDA device");
  currentDevice() = at::Device(at::kCUDA, 0);
  return env.Undefined();
}

static Napi::Value SetThreads(const Napi::CallbackInfo& info) {
  int n = info[0].As<Napi::Number>().Int32Value();
  if (n >= 1) at::set_num_threads(n);
  return info.Env().Undefined();
}

static Napi::Value Info(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Napi::Object o = Napi::Object::New(env);
  o.Set("version", std::to_string(TORCH_VERSION_MAJOR) + "." + std::to_string(TORCH_VERSION_MINOR) + "." + std::to_string(TORCH_VERSION_PATCH));
  o.Set("cudaBuilt", cudaBuilt());
  o.Set("cudaAvailable", cudaBuilt() && at::hasCUDA());
  o.Set("device", currentDevice().is_cuda() ? "cuda" : "cpu");
  o.Set("threads", at::get_num_threads());
  o.Set("parallel", at::get_parallel_info());
#ifdef SCORELAB_CUDA_HEADERS
  if (currentDevice().is_cuda()) {
    const auto* p = at::cuda::getCurrentDeviceProperties();
    o.Set("gpuName", std::string(p->name));
    o.Set("gpuMemory", static_cast<double>(p->totalGlobalMem));
  }
#endif
  return o;
}

// Waits for queued device work (timing on CUDA); a no-op on CPU.
static Napi::Value Sync(const Napi::CallbackInfo& info) {
#ifdef SCORELAB_CUDA_HEADERS
  if (currentDevice().is_cuda()) at::cuda::getCurrentCUDAStream().synchronize();
#endif
  return info.Env().Undefined();
}

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  exports.Set("write", Napi::Function::New(env, Write));
  exports.Set("read", Napi::Function::New(env, Read));
  exports.Set("free", Napi::Function::New(env, Free));
  exports.Set("opIds", Napi::Function::New(env, OpIds));
  exports.Set("run", Napi::Function::New(env, Run));
  exports.Set("memory", Napi::Function::New(env, Memory));
  exports.Set("setDevice", Napi::Function::New(env, SetDevice));
  exports.Set("setThreads", Napi::Function::New(env, SetThreads));
  exports.Set("info", Napi::Function::New(env, Info));
  exports.Set("sync", Napi::Function::New(env, Sync));
  initJit(env, exports);
  return exports;
}

}  // namespace scorelab

static Napi::Object InitModule(Napi::Env env, Napi::Object exports) { return scorelab::Init(env, exports); }
NODE_API_MODULE(scorelab_torch, InitModule)
