#pragma once
// Checks of command-line values shared by the verbs (CLI11 validators).
#include <CLI/CLI.hpp>

#include <string_view>

namespace ipcsim::cli {

/// A finite number in [low, high] (CLI11's own range check lets nan through).
CLI::Validator finite_in(double low, double high);
/// A whole number from 0 to 2^64-1, what a scenario's seed accepts.
extern const CLI::Validator whole_number;
/// A file name that is not empty (an empty one would silently mean the default).
extern const CLI::Validator file_name;

/// Whether `program` (gnuplot, spin, cc) can be found on PATH, to say so before running it.
bool on_path(std::string_view program);

}  // namespace ipcsim::cli
