#include "distribution.hpp"

#include <fmt/format.h>
#include <array>
#include <cmath>
#include <numbers>
#include <vector>

#include "semantics.hpp"

namespace ipcsim::scenario {
namespace {

// A uniform double in [0, 1) from the top 53 bits.
double unit_uniform(Rng& rng) { return static_cast<double>(rng() >> 11) * 0x1.0p-53; }

double standard_normal(Rng& rng) {
  // Box-Muller; 1 - u keeps the logarithm finite.
  double u1 = 1.0 - unit_uniform(rng);
  double u2 = unit_uniform(rng);
  return std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * std::numbers::pi * u2);
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  return s;
}

using Form = Distribution::Form;
constexpr std::array written_forms{Form{"exp", Distribution::Kind::exponential, 1, "exp(mean) or exp(rate=N/s)"},
                                   Form{"uniform", Distribution::Kind::uniform, 2, "uniform(low, high)"},
                                   Form{"normal", Distribution::Kind::normal, 2, "normal(mean, sd)"},
                                   Form{"lognormal", Distribution::Kind::lognormal, 2, "lognormal(mean, sd)"},
                                   Form{"pareto", Distribution::Kind::pareto, 2, "pareto(scale, shape)"}};

std::string form_names() {
  std::vector<std::string> names;
  names.reserve(written_forms.size());
  for (const Form& form : written_forms) names.emplace_back(form.name);
  return or_list(names);
}

// The arguments between the parentheses, split at commas and trimmed.
std::vector<std::string_view> arguments_of(std::string_view inside) {
  std::vector<std::string_view> args;
  for (std::size_t start = 0;;) {
    auto comma = inside.find(',', start);
    args.push_back(trim(inside.substr(start, comma - start)));
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  return args;
}

// The arguments' values (a pareto's shape is a plain number, the rest have units), or why not.
std::variant<std::array<double, 2>, std::string> argument_values(const Form& form, Quantity quantity,
                                                                 const std::vector<std::string_view>& args) {
  std::array<double, 2> values{0, 0};
  for (std::size_t i = 0; i < args.size(); ++i) {
    const bool unitless = form.kind == Distribution::Kind::pareto && i == 1;
    std::optional<double> v;
    if (form.kind == Distribution::Kind::exponential && args[i].starts_with("rate=")) {
      // Poisson arrivals are given by their rate as often as by their mean gap.
      if (quantity != Quantity::duration) return std::string("exp(rate=...) gives durations, not sizes");
      const std::string_view rate = args[i].substr(5);
      if (auto per_second = parse_rate(rate)) {
        values[i] = 1 / *per_second;
        continue;
      }
      return fmt::format("in {}: expected a rate such as 900/s (per ns, us, ms, s, min or h), found '{}'", form.usage,
                         rate);
    }
    if (form.kind == Distribution::Kind::exponential && args[i].starts_with("mean=")) {
      v = parse_quantity(quantity, args[i].substr(5));
    } else if (unitless) {
      char* end = nullptr;
      std::string arg(args[i]);
      double d = std::strtod(arg.c_str(), &end);
      if (end != arg.c_str() && *end == '\0' && std::isfinite(d)) v = d;
    } else {
      v = parse_quantity(quantity, args[i]);
    }
    if (!v)
      return fmt::format("in {}: expected {} for argument {}, found '{}'", form.usage,
                         unitless ? "a plain number" : unit_hint(quantity), i + 1, args[i]);
    values[i] = *v;
  }
  return values;
}

// What each form requires of its values, or empty.
std::string check_values(Distribution::Kind kind, const std::array<double, 2>& values) {
  using Kind = Distribution::Kind;
  switch (kind) {
    case Kind::exponential:
      if (values[0] <= 0) return "exp(mean) needs a positive mean";
      break;
    case Kind::uniform:
      if (values[0] > values[1]) return "uniform(low, high) needs low <= high";
      break;
    case Kind::lognormal:
      if (values[0] <= 0) return "lognormal(mean, sd) needs a positive mean";
      break;
    case Kind::pareto:
      if (values[0] <= 0 || values[1] <= 0) return "pareto(scale, shape) needs a positive scale and shape";
      break;
    case Kind::normal:
    case Kind::fixed:
      break;
  }
  return {};
}

}  // namespace

std::span<const Distribution::Form> Distribution::forms() { return written_forms; }

std::variant<Distribution, std::string> Distribution::parse(Quantity quantity, std::string_view text) {
  text = trim(text);
  auto open = text.find('(');
  if (open == std::string_view::npos) {
    if (auto value = parse_quantity(quantity, text)) return fixed(*value);
    return fmt::format("expected {} or a distribution ({}), found '{}'", unit_hint(quantity), form_names(), text);
  }
  std::string_view name = trim(text.substr(0, open));
  const Form* form = nullptr;
  for (const Form& f : written_forms)
    if (f.name == name) form = &f;
  if (!form) return fmt::format("unknown distribution '{}': expected {}", name, form_names());
  if (text.back() != ')') return fmt::format("expected ')' at the end of '{}'", text);
  const std::vector<std::string_view> args = arguments_of(text.substr(open + 1, text.size() - open - 2));
  if (static_cast<int>(args.size()) != form->arguments)
    return fmt::format("{} takes {} argument(s): {}", form->name, form->arguments, form->usage);
  auto read = argument_values(*form, quantity, args);
  if (auto* why = std::get_if<std::string>(&read)) return std::move(*why);
  const std::array<double, 2> values = std::get<std::array<double, 2>>(read);
  if (std::string why = check_values(form->kind, values); !why.empty()) return why;
  Distribution parsed{form->kind, values[0], values[1]};
  if (form->kind == Kind::lognormal) {
    // Stored as the underlying normal's mu and sigma, from the mean and sd the user gave.
    double variance_ratio = 1.0 + (values[1] * values[1]) / (values[0] * values[0]);
    double sigma = std::sqrt(std::log(variance_ratio));
    double mu = std::log(values[0]) - sigma * sigma / 2;
    parsed = Distribution{form->kind, mu, sigma};
  }
  // A draw past the range would overflow the simulation's clock or byte counts: refused
  // here rather than found by chance in the middle of a run.
  const double limit = quantity == Quantity::duration ? max_duration_s : max_size_bytes;
  if (!(parsed.largest() <= limit))
    return fmt::format("{} can draw values up to {:.3g} {}: expected a distribution whose values stay within {:g} {}",
                       text, parsed.largest(), quantity == Quantity::duration ? "s" : "B", limit,
                       quantity == Quantity::duration ? "s" : "B");
  return parsed;
}

namespace {
// The extremes of the samplers below: unit_uniform() is at most 1 - 2^-53, so -log(1 - u)
// is at most 53 ln 2 and Box-Muller's |z| at most sqrt(2 * 53 ln 2).
const double most_log = 53 * std::numbers::ln2;
const double most_normal = std::sqrt(2 * most_log);
}  // namespace

double Distribution::largest() const {
  switch (kind_) {
    case Kind::fixed:
      return a_;
    case Kind::exponential:
      return a_ * most_log;
    case Kind::uniform:
      return b_;
    case Kind::normal:
      return std::max(0.0, a_ + b_ * most_normal);
    case Kind::lognormal:
      return std::exp(a_ + b_ * most_normal);
    case Kind::pareto:
      return a_ * std::exp(most_log / b_);
  }
  return a_;
}

double Distribution::sample(Rng& rng) const {
  switch (kind_) {
    case Kind::fixed:
      return a_;
    case Kind::exponential:
      return -a_ * std::log(1.0 - unit_uniform(rng));
    case Kind::uniform:
      return a_ + (b_ - a_) * unit_uniform(rng);
    case Kind::normal:
      // A duration or size cannot be negative: the normal is clamped at zero.
      return std::max(0.0, a_ + b_ * standard_normal(rng));
    case Kind::lognormal:
      return std::exp(a_ + b_ * standard_normal(rng));
    case Kind::pareto:
      return a_ / std::pow(1.0 - unit_uniform(rng), 1.0 / b_);
  }
  return a_;
}

Bytes RandomSize::sample(Rng& rng) const { return Bytes{static_cast<std::uint64_t>(std::llround(dist.sample(rng)))}; }

namespace {
std::uint64_t splitmix64(std::uint64_t& x) {
  std::uint64_t z = (x += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}
std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
}  // namespace

Rng::Rng(std::uint64_t seed) {
  for (auto& word : state_) word = splitmix64(seed);
}

Rng::result_type Rng::operator()() {
  const std::uint64_t result = rotl(state_[1] * 5, 7) * 9;
  const std::uint64_t t = state_[1] << 17;
  state_[2] ^= state_[0];
  state_[3] ^= state_[1];
  state_[1] ^= state_[2];
  state_[0] ^= state_[3];
  state_[2] ^= t;
  state_[3] = rotl(state_[3], 45);
  return result;
}

Rng make_rng(std::uint64_t seed, std::uint64_t stream) {
  std::uint64_t mixed = seed;
  std::uint64_t stream_key = splitmix64(mixed) ^ (stream * 0xd1b54a32d192ed03ULL);
  return Rng(stream_key);
}

}  // namespace ipcsim::scenario
