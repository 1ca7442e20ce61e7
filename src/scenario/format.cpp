#include "format.hpp"

#include <algorithm>
#include <stdexcept>
#include <string>

namespace ipcsim::scenario::format {
namespace {

// The loader reads a fault's kind off FaultKind's table, the schema off fault's keys.
static_assert(std::all_of(spellings_of<FaultKind>.begin(), spellings_of<FaultKind>.end(),
                          [](std::string_view kind) { return has_key(fault, kind); }),
              "every fault kind is a key of a fault entry");

}  // namespace

namespace {

// Whether `c` is in the bracket-expression body `set` (ranges a-z and single characters).
bool in_set(std::string_view set, char c) {
  for (std::size_t i = 0; i < set.size(); ++i) {
    if (i + 2 < set.size() && set[i + 1] == '-') {
      if (c >= set[i] && c <= set[i + 2]) return true;
      i += 2;
    } else if (set[i] == c) {
      return true;
    }
  }
  return false;
}

}  // namespace

bool NamePattern::matches(std::string_view text) const {
  return !text.empty() && text.size() <= max_length && in_set(first, text[0]) &&
         std::all_of(text.begin() + 1, text.end(), [&](char c) { return in_set(rest, c); });
}

std::string NamePattern::regex() const {
  return "^[" + std::string(first) + "][" + std::string(rest) + "]{0," + std::to_string(max_length - 1) + "}$";
}

const Key& key_of(const Section& section, std::string_view name) {
  for (const Key& k : section.keys)
    if (k.name == name) return k;
  throw std::logic_error("the format's " + std::string(section.name) + " section has no key '" + std::string(name) +
                         "'");
}

}  // namespace ipcsim::scenario::format
