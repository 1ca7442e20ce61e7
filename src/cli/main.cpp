// ipcsim: parses the command line and hands it to the verb it names. Each verb sets up its
// own options beside its code (commands.hpp).
#include <fmt/format.h>
#include <fmt/ranges.h>
#include <CLI/CLI.hpp>

#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

#include "commands.hpp"
#include "report/version.hpp"
#include "scenario/text.hpp"
#include "sim/simulation.hpp"

namespace {

// The number of single-character edits between two words, for "did you mean".
std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

std::vector<std::string> verb_names(const CLI::App& app) {
  std::vector<std::string> names;
  for (const CLI::App* verb : app.get_subcommands({})) names.push_back(verb->get_name());
  return names;
}

// A first word that is no option and no verb: the error names it, and the nearest verb; empty
// for a verb.
std::string unknown_verb(const CLI::App& app, std::string_view word) {
  const std::vector<std::string> names = verb_names(app);
  std::string nearest;
  std::size_t best = 3;  // suggest only a verb within two edits
  for (const std::string& name : names) {
    if (name == word) return {};
    if (const std::size_t d = edit_distance(word, name); d < best) {
      best = d;
      nearest = name;
    }
  }
  return fmt::format("ipcsim: error: unknown verb '{}'{}: expected one of {}", ipcsim::printable(word),
                     nearest.empty() ? "" : fmt::format(" (did you mean {}?)", nearest), fmt::join(names, ", "));
}

}  // namespace

int main(int argc, char** argv) {
  using namespace ipcsim::cli;
  // Named, not called by argv[0]: the usage lines (and the man page made from them) say ipcsim.
  CLI::App app{"ipcsim: a discrete-event simulator of message-passing IPC semantics", "ipcsim"};
  app.require_subcommand(1);
  app.set_version_flag("--version", fmt::format("ipcsim {} (SimGrid {})", ipcsim::report::ipcsim_version(),
                                                ipcsim::sim::simgrid_version()));
  const Verb verbs[] = {add_run_verb(app),       add_validate_verb(app), add_merge_verb(app),  add_compare_verb(app),
                        add_plot_verb(app),      add_timeline_verb(app), add_report_verb(app), add_verify_verb(app),
                        add_calibrate_verb(app), add_schema_verb(app)};
  if (argc == 1) {
    fmt::print(stderr, "ipcsim: error: expected a verb: {} (ipcsim --help says more)\n",
               fmt::join(verb_names(app), ", "));
    return exit_bad_input;
  }
  if (const std::string error = argv[1][0] != '-' ? unknown_verb(app, argv[1]) : ""; !error.empty()) {
    fmt::print(stderr, "{}\n", error);
    return exit_bad_input;
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    fmt::print(stderr, "ipcsim: error: {}\n", e.what());
    return exit_bad_input;
  }
  for (const Verb& verb : verbs)
    if (*verb.command) return verb.run();
  return exit_bad_input;  // require_subcommand(1) makes this unreachable
}
