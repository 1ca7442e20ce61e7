#!/bin/sh
# What run --events costs: each of sim_bench's patterns with and without it, interleaved, on
# one build; exit 1 if writing the events more than doubles a pattern's wall time (issue 16).
#   bench/events_overhead.sh [IPCSIM] [REPS] [SCALE]
set -eu
here=$(cd "$(dirname "$0")" && pwd)
ipcsim=${1:-$here/../build/ipcsim}
events=$(mktemp -d)
trap 'rm -rf "$events"' EXIT INT TERM
NEW_ONLY="--events $events/events.csv" MAX_RATIO=2 "$here/compare_builds.sh" "$ipcsim" "$ipcsim" "${2:-3}" "${3:-0.05}"
