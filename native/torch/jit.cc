// TorchScript modules (torch.jit.save files) in the torch addon: a second table, of loaded modules keyed by small
// integer handles, and a forward call that takes and returns handles of the tensor table, so a module exported
// from PyTorch runs on the backend's own tensors with no copy either way.
//   jitLoad(path) -> module handle      (on the backend's current device; an Error naming the file if it fails)
//   jitForward(module, Int32Array tensor handles) -> [count, (handle, dtype, rank, ...shape) per output]
//   jitFree(module)
// Forward runs without autograd: tfjs keeps its own tape, and sampling needs no gradient through the module.
#include "ops.h"
#include <torch/script.h>
#include <memory>

namespace scorelab {

static std::vector<std::unique_ptr<torch::jit::Module>> modules;

static std::string oneLine(const std::string& s) { auto n = s.find('\n'); return n == std::string::npos ? s : s.substr(0, n); }

static std::string messageOf(const std::exception& e) {
  const c10::Error* ce = dynamic_cast<const c10::Error*>(&e);
  return oneLine(ce ? ce->what_without_backtrace() : e.what());
}

static Napi::Value JitLoad(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  std::string path = info[0].As<Napi::String>().Utf8Value();
  try {
    auto m = std::make_unique<torch::jit::Module>(torch::jit::load(path, currentDevice()));
    m->eval();
    modules.push_back(std::move(m));
    return Napi::Number::New(env, static_cast<double>(modules.size() - 1));
  } catch (const std::exception& e) {
    throw Napi::Error::New(env, path + " is not a loadable TorchScript file: " + messageOf(e));
  }
}

static torch::jit::Module& moduleAt(Napi::Env env, int32_t h) {
  if (h < 0 || h >= static_cast<int32_t>(modules.size()) || !modules[h]) throw Napi::Error::New(env, "unknown or freed TorchScript module handle " + std::to_string(h));
  return *modules[h];
}

static void collect(const c10::IValue& v, Tensors& out) {
  if (v.isTensor()) { out.push_back(v.toTensor()); return; }
  if (v.isTuple()) { for (const auto& e : v.toTupleRef().elements()) collect(e, out); return; }
  if (v.isList()) { for (const auto& e : v.toListRef()) collect(e, out); return; }
  throw std::invalid_argument("the module returned a " + v.tagKind() + ", not tensors");
}

static Napi::Value JitForward(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  torch::jit::Module& m = moduleAt(env, info[0].As<Napi::Number>().Int32Value());
  Napi::Int32Array hs = info[1].As<Napi::Int32Array>();
  std::vector<c10::IValue> args;
  for (size_t j = 0; j < hs.ElementLength(); j++) args.emplace_back(tensorAt(env, hs[j]));
  Tensors out;
  try {
    torch::NoGradGuard noGrad;
    collect(m.forward(args), out);
  } catch (const std::exception& e) {
    throw Napi::Error::New(env, "TorchScript forward: " + messageOf(e));
  }
  // Outputs become ordinary table tensors; contiguous so later kernels and reads see a plain layout.
  for (auto& t : out) t = t.contiguous();
  return describeOutputs(env, out);
}

static Napi::Value JitFree(const Napi::CallbackInfo& info) {
  int32_t h = info[0].As<Napi::Number>().Int32Value();
  if (h >= 0 && h < static_cast<int32_t>(modules.size())) modules[h].reset();
  return info.Env().Undefined();
}

void initJit(Napi::Env env, Napi::Object exports) {
  exports.Set("jitLoad", Napi::Function::New(env, JitLoad));
  exports.Set("jitForward", Napi::Function::New(env, JitForward));
  exports.Set("jitFree", Napi::Function::New(env, JitFree));
}

}  // namespace scorelab
