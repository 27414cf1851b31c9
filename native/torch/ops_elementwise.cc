// Element-wise kernels: unary maths, binary arithmetic with broadcasting, comparisons and logic.
// tfjs promotes int32 with float32 to float32 and keeps int32 with int32, as ATen does; comparisons give bool.
#include "ops.h"
#include <limits>

using namespace scorelab;

#define UNARY(name, expr) OP(name) { const at::Tensor& x = in[0]; (void)a; return {expr}; } END_OP
#define FLOAT_UNARY(name, fn) OP(name) { (void)a; at::Tensor x = in[0].is_floating_point() ? in[0] : in[0].to(at::kFloat); return {fn(x)}; } END_OP

FLOAT_UNARY("Acos", at::acos)
FLOAT_UNARY("Acosh", at::acosh)
FLOAT_UNARY("Asin", at::asin)
FLOAT_UNARY("Asinh", at::asinh)
FLOAT_UNARY("Atan", at::atan)
FLOAT_UNARY("Atanh", at::atanh)
FLOAT_UNARY("Cos", at::cos)
FLOAT_UNARY("Cosh", at::cosh)
FLOAT_UNARY("Sin", at::sin)
FLOAT_UNARY("Sinh", at::sinh)
FLOAT_UNARY("Tan", at::tan)
FLOAT_UNARY("Tanh", at::tanh)
FLOAT_UNARY("Erf", at::erf)
FLOAT_UNARY("Exp", at::exp)
FLOAT_UNARY("Expm1", at::expm1)
FLOAT_UNARY("Log", at::log)
FLOAT_UNARY("Log1p", at::log1p)
FLOAT_UNARY("Sqrt", at::sqrt)
FLOAT_UNARY("Rsqrt", at::rsqrt)
FLOAT_UNARY("Reciprocal", at::reciprocal)
FLOAT_UNARY("Sigmoid", at::sigmoid)
FLOAT_UNARY("Softplus", at::softplus)
FLOAT_UNARY("Selu", at::selu)
FLOAT_UNARY("Elu", at::elu)
UNARY("Abs", at::abs(x))
UNARY("Neg", at::neg(x))
UNARY("Sign", at::sign(x))
UNARY("Square", at::square(x))
UNARY("Relu", at::relu(x))
UNARY("Relu6", at::clamp(x, 0, 6))
UNARY("Ceil", x.is_floating_point() ? at::ceil(x) : x)
UNARY("Floor", x.is_floating_point() ? at::floor(x) : x)
// tfjs rounds half to even, as ATen does.
UNARY("Round", x.is_floating_point() ? at::round(x) : x)
UNARY("IsNan", at::isnan(x))
UNARY("IsInf", at::isinf(x))
UNARY("IsFinite", at::isfinite(x))
UNARY("LogicalNot", at::logical_not(x))
UNARY("Identity", x)
UNARY("ZerosLike", at::zeros_like(x))
UNARY("OnesLike", at::ones_like(x))

OP("LeakyRelu") { return {at::leaky_relu(in[0], a.f("alpha"))}; } END_OP
OP("ClipByValue") { return {at::clamp(in[0], a.f("clipValueMin"), a.f("clipValueMax"))}; } END_OP
// tfjs step: 1 where x > 0, alpha elsewhere, NaN kept.
OP("Step") {
  const at::Tensor& x = in[0];
  at::Tensor y = at::where(x > 0, at::ones_like(x), at::full_like(x, a.f("alpha", 0.0)));
  return {at::where(at::isnan(x), x, y)};
} END_OP
OP("Cast") {
  at::ScalarType t = dtypeOf(a.s("dtype"));
  if (t == at::kBool) return {in[0] != 0};
  return {in[0].to(t)};
} END_OP
OP("EluGrad") { const at::Tensor& dy = in[0]; const at::Tensor& y = in[1]; (void)a; return {at::where(y < 0, dy * (y + 1), dy)}; } END_OP

#define BINARY(name, expr) OP(name) { const at::Tensor& x = in[0]; const at::Tensor& y = in[1]; (void)a; return {expr}; } END_OP
BINARY("Add", at::add(x, y))
BINARY("Sub", at::sub(x, y))
BINARY("Multiply", at::mul(x, y))
BINARY("RealDiv", at::div(x, y))
BINARY("FloorDiv", at::div(x, y, "floor"))
BINARY("Maximum", at::maximum(x, y))
BINARY("Minimum", at::minimum(x, y))
BINARY("Pow", at::pow(x, y))
BINARY("SquaredDifference", at::square(at::sub(x, y)))
// tfjs mod takes the divisor's sign (floor(x / y) * y + mod(x, y) = x), as at::remainder does.
BINARY("Mod", at::remainder(x, y))
BINARY("Atan2", at::atan2(x.is_floating_point() ? x : x.to(at::kFloat), y.is_floating_point() ? y : y.to(at::kFloat)))
BINARY("Equal", at::eq(x, y))
BINARY("NotEqual", at::ne(x, y))
BINARY("Greater", at::gt(x, y))
BINARY("GreaterEqual", at::ge(x, y))
BINARY("Less", at::lt(x, y))
BINARY("LessEqual", at::le(x, y))
BINARY("LogicalAnd", at::logical_and(x, y))
BINARY("LogicalOr", at::logical_or(x, y))
BINARY("LogicalXor", at::logical_xor(x, y))
BINARY("Prelu", at::where(x < 0, x * y, x))

OP("AddN") {
  (void)a;
  at::Tensor acc = in[0].clone();
  for (size_t j = 1; j < in.size(); j++) acc.add_(in[j]);
  return {acc};
} END_OP

// Select(condition, t, e): a rank-1 condition picks whole rows of higher-rank t and e (tfjs's where).
OP("Select") {
  (void)a;
  at::Tensor c = in[0];
  if (c.dim() == 1 && in[1].dim() > 1) {
    std::vector<int64_t> shape(in[1].dim(), 1);
    shape[0] = c.size(0);
    c = c.reshape(shape);
  }
  return {at::where(c.to(at::kBool), in[1], in[2])};
} END_OP
