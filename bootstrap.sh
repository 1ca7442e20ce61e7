#!/usr/bin/env bash
# Installs what is missing on Debian 12, then configures and builds ipcsim in build/.
#   ./bootstrap.sh run SCENARIO [ipcsim run options]   build, then simulate a scenario
#   ./bootstrap.sh test                                  build, then run the whole test suite
#   ./bootstrap.sh sanitize                              the suite under ASan+UBSan (clang, build-sanitize/), the queue core under TSan
#   ./bootstrap.sh bench [queue_bench options]           the queue core against Debian's lock-free queues
#   ./bootstrap.sh simbench [sim_bench options]          the simulator against raw SimGrid (bench/README.md)
#   ./bootstrap.sh fuzz [SECONDS]                        libFuzzer on the scenario loader, the CSV reader and the plot scripts (default 60 s each)
#   ./bootstrap.sh mutate [--ci | FILTER...]              mutation testing: tests/mutation/mutations.txt against the suite (--ci: the sample CI runs)
#   ./bootstrap.sh package                               the Debian package: build it (cpack), install it with apt, run it from another folder, read its man page
#   ./bootstrap.sh cluster                               the README's Slurm job array on a one-node Slurm started here (root): merged shards equal one run
#   ./bootstrap.sh editor                                the JSON Schema in yaml-language-server (npm), as VS Code and Neovim run it: shipped files clean, mistakes underlined, hover, completion
#   ./bootstrap.sh browser                               ipcsim report's pages in headless Chromium (Debian's): no console message, no request, laid out and printed as expected
#   ./bootstrap.sh lint                                  clang-format (no drift allowed) and clang-tidy (no finding allowed), as CI runs them
#   ./bootstrap.sh format                                apply clang-format to every C++ file
#   ./bootstrap.sh                                       just build
# CI=true turns warnings into errors.
set -euo pipefail
cd "$(dirname "$0")"

packages=(cmake g++ make ccache pkg-config libsimgrid-dev libfmt-dev libcli11-dev catch2 libyaml-cpp-dev libexpat1-dev gnuplot-nox parallel help2man man-db python3-jsonschema python3-yaml librsvg2-bin pajeng spin)
if [[ ${1:-} == fuzz || ${1:-} == sanitize ]]; then
  packages+=(clang libclang-rt-14-dev)
fi
if [[ ${1:-} == lint || ${1:-} == format ]]; then
  packages+=(clang-format clang-tidy)
fi
if [[ ${1:-} == cluster ]]; then
  packages+=(slurm-wlm munge python3)
fi
if [[ ${1:-} == editor ]]; then
  # Node from Debian unless a node is already there (another node's npm would conflict).
  command -v node >/dev/null || packages+=(nodejs)
  command -v npm >/dev/null || packages+=(npm)
fi
if [[ ${1:-} == browser ]]; then
  packages+=(chromium)
fi
if [[ ${1:-} == bench ]]; then
  packages+=(libboost-dev libconcurrentqueue-dev libreaderwriterqueue-dev libatomic-queue-dev libxenium-dev)
fi
sudo=""
[[ $(id -u) -ne 0 ]] && sudo=sudo
missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if ((${#missing[@]})); then
  echo "bootstrap: installing ${missing[*]}" >&2
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

werror=OFF
[[ ${CI:-} == true ]] && werror=ON
# build/'s configuration, which the mutation tree copies (tests/mutation/mutate.sh).
export IPCSIM_BUILD_FLAGS="-DCMAKE_BUILD_TYPE=RelWithDebInfo -DIPCSIM_WERROR=$werror"
# shellcheck disable=SC2086 # two words, no spaces in them
cmake -S . -B build $IPCSIM_BUILD_FLAGS >/dev/null
cmake --build build -j"$(nproc)"

# One sanitized build serves the suite and the fuzzers: clang with ASan and UBSan, the
# libraries carrying libFuzzer's coverage (fuzzer-no-link), the fuzz targets beside the tests.
sanitized_build() {
  cmake -S . -B build-sanitize -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER=clang++ -DIPCSIM_FUZZ=ON \
    -DIPCSIM_SANITIZE=fuzzer-no-link,address,undefined >/dev/null
  cmake --build build-sanitize -j"$(nproc)" "$@"
}

case "${1:-}" in
  run)
    shift
    exec ./build/ipcsim run "$@"
    ;;
  test)
    exec ctest --test-dir build --output-on-failure -j"$(nproc)"
    ;;
  package)
    # What a user of the .deb gets: installed by apt (dependencies from the archive), run on
    # an installed example from an unrelated folder, and its man page.
    rm -f build/ipcsim_*.deb
    (cd build && cpack -G DEB >/dev/null)
    deb=$(echo build/ipcsim_*.deb)
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --reinstall --allow-downgrades "./$deb" >/dev/null
    work=$(mktemp -d)
    trap 'rm -rf "$work"' EXIT
    (cd "$work" && ipcsim run -q /usr/share/ipcsim/scenarios/bounded-buffer.yaml -o bounded-buffer.csv &&
      grep -q '^bounded-buffer,1,1,' bounded-buffer.csv)
    man ipcsim | grep -q 'Usage: ipcsim run'
    echo "package: installed $deb ($(dpkg-query -W -f='${Depends}' ipcsim)); ipcsim run and man ipcsim work"
    ;;
  cluster)
    exec tests/cluster/slurm_sweep.sh
    ;;
  sanitize)
    # Reduced stress sizes: the sanitizers slow threads down 5-20x.
    export IPCSIM_STRESS_SCALE=0.05 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
    sanitized_build
    ctest --test-dir build-sanitize --output-on-failure -j"$(nproc)"
    cmake -S . -B build-tsan -DCMAKE_BUILD_TYPE=RelWithDebInfo -DIPCSIM_SANITIZE=thread -DIPCSIM_NO_SIMGRID=ON >/dev/null
    cmake --build build-tsan -j"$(nproc)"
    exec ctest --test-dir build-tsan --output-on-failure -j"$(nproc)"
    ;;
  bench)
    shift
    exec ./build/bench/queue_bench "$@"
    ;;
  simbench)
    shift
    exec ./build/bench/sim_bench "$@"
    ;;
  fuzz)
    # In the sanitized build (after `sanitize`, nothing left to build); new inputs go to
    # build-fuzz/corpus-*, the shipped scenarios and results seed them, a crash stops with its
    # input in build-fuzz/.
    seconds=${2:-60}
    sanitized_build --target fuzz_scenario fuzz_csv fuzz_plot
    export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
    mkdir -p build-fuzz/corpus-scenario build-fuzz/corpus-csv build-fuzz/corpus-plot
    # IPCSIM_FUZZ_SEED fixes the mutation sequence (CI: reproducible); 0 or unset: random.
    options=(-max_total_time="$seconds" -seed="${IPCSIM_FUZZ_SEED:-0}" -timeout=30 -rss_limit_mb=4096
      -print_final_stats=1 -artifact_prefix=build-fuzz/)
    ./build-sanitize/tests/fuzz/fuzz_scenario "${options[@]}" -dict=tests/fuzz/scenario.dict \
      build-fuzz/corpus-scenario scenarios bench/scenarios models tests/fuzz/regressions
    ./build-sanitize/tests/fuzz/fuzz_csv "${options[@]}" build-fuzz/corpus-csv results/reference tests/fuzz/seeds \
      tests/fuzz/regressions
    exec ./build-sanitize/tests/fuzz/fuzz_plot "${options[@]}" build-fuzz/corpus-plot results/reference tests/fuzz/regressions
    ;;
  editor)
    # The schema in the language server VS Code's YAML extension and Neovim run, from npm,
    # pinned; talked to over LSP as an editor does (tests/editor/check_editor.py).
    server=build/editor/node_modules/yaml-language-server/bin/yaml-language-server
    [[ -f $server ]] || npm install --prefix build/editor --no-audit --no-fund --loglevel=error \
      yaml-language-server@1.25.0 >/dev/null
    exec timeout 300 python3 tests/editor/check_editor.py "$server" .
    ;;
  browser)
    # The pages as people open them: Chromium driven over its DevTools pipe
    # (tests/report/check_report.py); `browser FILE.png` also keeps the worked-out page's screenshot.
    exec timeout 300 python3 tests/report/check_report.py build/ipcsim ${2:+"$2"}
    ;;
  mutate)
    shift
    exec tests/mutation/mutate.sh "$@"
    ;;
  format)
    git ls-files '*.cpp' '*.hpp' | xargs clang-format -i
    ;;
  lint)
    # Format drift fails; so does any clang-tidy finding in src/ (.clang-tidy lists the checks).
    git ls-files '*.cpp' '*.hpp' | xargs clang-format --dry-run -Werror
    exec run-clang-tidy -p build -quiet "$(pwd)/src/.*"
    ;;
  "") ;;
  *)
    echo "usage: $0 [run SCENARIO [options] | test | package | cluster | editor | browser [FILE.png] | sanitize | bench [options] | simbench [options] | fuzz [seconds] | mutate [--ci | filter...] | lint | format]" >&2
    exit 2
    ;;
esac
