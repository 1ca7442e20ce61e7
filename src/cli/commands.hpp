#pragma once
// The verbs of the ipcsim command. Each add_*_verb registers its subcommand and options with
// the parser and returns what runs it once the command line is parsed.
#include <CLI/CLI.hpp>

#include <functional>

namespace ipcsim::cli {

// Exit codes shared by every verb.
inline constexpr int exit_ok = 0;
inline constexpr int exit_failure = 1;
inline constexpr int exit_bad_input = 2;
inline constexpr int exit_deadlock = 3;

struct Verb {
  CLI::App* command;
  std::function<int()> run;
};

Verb add_run_verb(CLI::App& app);        // run_command.cpp
Verb add_validate_verb(CLI::App& app);   // run_command.cpp
Verb add_merge_verb(CLI::App& app);      // results_commands.cpp
Verb add_compare_verb(CLI::App& app);    // results_commands.cpp
Verb add_plot_verb(CLI::App& app);       // results_commands.cpp
Verb add_calibrate_verb(CLI::App& app);  // calibrate_command.cpp
Verb add_schema_verb(CLI::App& app);     // schema_command.cpp
Verb add_timeline_verb(CLI::App& app);   // timeline_command.cpp
Verb add_report_verb(CLI::App& app);     // report_command.cpp
Verb add_verify_verb(CLI::App& app);     // verify_command.cpp

}  // namespace ipcsim::cli
