#!/usr/bin/env bash
# Installs what is missing on Debian 12, then configures and builds ipcsim in build/.
#   ./bootstrap.sh run SCENARIO [ipcsim run options]   build, then simulate a scenario
#   ./bootstrap.sh test                                  build, then run the whole test suite
#   ./bootstrap.sh sanitize                              the suite under ASan+UBSan, the queue core under TSan
#   ./bootstrap.sh bench [queue_bench options]           the queue core against Debian's lock-free queues
#   ./bootstrap.sh simbench [sim_bench options]          the simulator against raw SimGrid (bench/README.md)
#   ./bootstrap.sh                                       just build
# CI=true turns warnings into errors.
set -euo pipefail
cd "$(dirname "$0")"

packages=(cmake g++ make pkg-config libsimgrid-dev libfmt-dev libcli11-dev catch2 libyaml-cpp-dev gnuplot-nox parallel)
if [[ ${1:-} == bench ]]; then
  packages+=(libboost-dev libconcurrentqueue-dev libreaderwriterqueue-dev libatomic-queue-dev libxenium-dev)
fi
missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if ((${#missing[@]})); then
  sudo=""
  [[ $(id -u) -ne 0 ]] && sudo=sudo
  echo "bootstrap: installing ${missing[*]}" >&2
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

werror=OFF
[[ ${CI:-} == true ]] && werror=ON
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo -DIPCSIM_WERROR="$werror" >/dev/null
cmake --build build -j"$(nproc)"

case "${1:-}" in
  run)
    shift
    exec ./build/ipcsim run "$@"
    ;;
  test)
    exec ctest --test-dir build --output-on-failure -j"$(nproc)"
    ;;
  sanitize)
    # Reduced stress sizes: the sanitizers slow threads down 5-20x.
    export IPCSIM_STRESS_SCALE=0.05 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
    cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=RelWithDebInfo -DIPCSIM_SANITIZE=address,undefined >/dev/null
    cmake --build build-asan -j"$(nproc)"
    ctest --test-dir build-asan --output-on-failure -j"$(nproc)"
    cmake -S . -B build-tsan -DCMAKE_BUILD_TYPE=RelWithDebInfo -DIPCSIM_SANITIZE=thread -DIPCSIM_ONLY_CORE=ON >/dev/null
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
  "") ;;
  *)
    echo "usage: $0 [run SCENARIO [options] | test | sanitize | bench [options] | simbench [options]]" >&2
    exit 2
    ;;
esac
