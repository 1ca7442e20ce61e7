// ipcsim: parses the command line and hands it to the verb it names. Each verb sets up its
// own options beside its code (commands.hpp).
#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include "commands.hpp"

int main(int argc, char** argv) {
  using namespace ipcsim::cli;
  CLI::App app{"ipcsim: a discrete-event simulator of message-passing IPC semantics"};
  app.require_subcommand(1);
  const Verb verbs[] = {add_run_verb(app),     add_validate_verb(app), add_merge_verb(app),
                        add_compare_verb(app), add_plot_verb(app),     add_calibrate_verb(app)};
  try {
    app.parse(argc, argv);
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
