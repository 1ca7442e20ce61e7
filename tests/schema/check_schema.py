#!/usr/bin/env python3
"""The JSON Schema for editors against the loader (issue 19).

usage: check_schema.py IPCSIM SOURCE_DIR

1. schema/*.schema.json are what `ipcsim schema` generates now (a change to the format's
   tables must be followed by regenerating them), and valid draft 2020-12 schemas;
2. every shipped scenario and model names its schema on its first line, as editors read it,
   and validates against it;
3. the cases of cases.yaml: each valid one passes both `ipcsim validate` and the schema, each
   invalid one fails both (exit 2 and one line from the loader).
"""
import json
import pathlib
import subprocess
import sys
import tempfile

import jsonschema
import yaml

ipcsim, source = sys.argv[1], pathlib.Path(sys.argv[2])
failures = []


def fail(message):
    failures.append(message)
    print("FAIL:", message)


validators = {}
for kind in ("scenario", "model"):
    committed = source / "schema" / f"{kind}.schema.json"
    generated = subprocess.run([ipcsim, "schema"] + (["--model"] if kind == "model" else []),
                               capture_output=True, text=True, check=True).stdout
    if committed.read_text(encoding="utf-8") != generated:
        fail(f"{committed} differs from `ipcsim schema{' --model' if kind == 'model' else ''}`: "
             f"regenerate it with -o {committed.relative_to(source)}")
    schema = json.loads(generated)
    jsonschema.Draft202012Validator.check_schema(schema)
    validators[kind] = jsonschema.Draft202012Validator(schema)


def schema_errors(kind, document):
    return [f"{'/'.join(map(str, e.absolute_path)) or '(top)'}: {e.message[:160]}"
            for e in validators[kind].iter_errors(document)]


shipped = [(path, "scenario") for path in sorted((source / "scenarios").rglob("*.yaml"))]
shipped += [(path, "model") for path in sorted((source / "models").glob("*.yaml"))]
for path, kind in shipped:
    first = path.read_text(encoding="utf-8").splitlines()[0]
    prefix = "# yaml-language-server: $schema="
    if not first.startswith(prefix):
        fail(f"{path}: the first line does not name the schema ({prefix}...)")
    elif (path.parent / first[len(prefix):]).resolve() != (source / "schema" / f"{kind}.schema.json").resolve():
        fail(f"{path}: the first line names {first[len(prefix):]}, not the {kind} schema")
    for error in schema_errors(kind, yaml.safe_load(path.read_text(encoding="utf-8"))):
        fail(f"{path}: the schema refuses a shipped {kind}: {error}")

cases = yaml.safe_load((source / "tests" / "schema" / "cases.yaml").read_text(encoding="utf-8"))
with tempfile.TemporaryDirectory() as folder:
    for expected_valid, group in ((True, cases["valid"]), (False, cases["invalid"])):
        for name, text in group.items():
            scenario = pathlib.Path(folder) / "case.yaml"
            scenario.write_text(text, encoding="utf-8")
            loader = subprocess.run([ipcsim, "validate", str(scenario)], capture_output=True, text=True)
            errors = schema_errors("scenario", yaml.safe_load(text))
            if expected_valid:
                if loader.returncode != 0:
                    fail(f"valid case '{name}': the loader refuses it: {loader.stderr.strip()}")
                if errors:
                    fail(f"valid case '{name}': the schema refuses it: {errors}")
            else:
                # One line naming the file (a sanitizer build may add its own warnings).
                named = [line for line in loader.stderr.splitlines() if line.startswith(f"{scenario}:")]
                if loader.returncode != 2 or len(named) != 1:
                    fail(f"invalid case '{name}': the loader gives exit {loader.returncode}: {loader.stderr.strip()}")
                if not errors:
                    fail(f"invalid case '{name}': the schema accepts it (loader: {loader.stderr.strip()})")

print(f"{len(shipped)} shipped files, {len(cases['valid'])} valid and {len(cases['invalid'])} invalid cases: "
      f"{len(failures)} failures")
sys.exit(1 if failures else 0)
