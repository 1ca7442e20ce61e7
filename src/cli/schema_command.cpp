// ipcsim schema: the JSON Schema of scenario (or model) files, for editors.
#include <fmt/format.h>

#include <memory>

#include "commands.hpp"
#include "report/output_files.hpp"
#include "scenario/input_error.hpp"
#include "scenario/schema.hpp"

namespace ipcsim::cli {
namespace {

struct SchemaArgs {
  bool model = false;
  std::string output = "-";
};

int schema_command(const SchemaArgs& args) {
  report::OutputFiles files;
  try {
    files.expect("--output", args.output);
    files.stage(args.output,
                scenario::json_schema(args.model ? scenario::SchemaOf::model : scenario::SchemaOf::scenario));
    files.commit();
    return exit_ok;
  } catch (const InputError& e) {
    fmt::print(stderr, "{}\n", e.what());
    return exit_bad_input;
  } catch (const std::exception& e) {
    fmt::print(stderr, "ipcsim: error: {}\n", e.what());
    return exit_failure;
  }
}

}  // namespace

Verb add_schema_verb(CLI::App& app) {
  auto args = std::make_shared<SchemaArgs>();
  CLI::App* schema = app.add_subcommand(
      "schema",
      "Write the JSON Schema of scenario files (or of model files) that editors use to complete and check them");
  schema->add_flag("--model", args->model, "The schema of timing model files (models/*.yaml) instead");
  schema->add_option("-o,--output", args->output, "File to write (default: standard output)");
  return {schema, [args] { return schema_command(*args); }};
}

}  // namespace ipcsim::cli
