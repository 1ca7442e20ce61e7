#!/bin/sh
# Two builds of ipcsim on sim_bench's patterns, interleaved: the median wall time of each and
# the new one's as a ratio to the old, for checking that a change costs no speed.
#   bench/compare_builds.sh OLD_IPCSIM NEW_IPCSIM [REPS] [SCALE] [EXTRA RUN OPTIONS...]
# SCALE multiplies messages and processes as sim_bench's --scale does (default 0.2); the
# extra options go to both runs (e.g. --series 10ms, to price an option). NEW_ONLY: options
# for the new runs alone (one build twice prices an option: bench/events_overhead.sh);
# MAX_RATIO: exit 1 when a pattern's new / old passes it.
set -eu
[ $# -ge 2 ] || { echo "usage: $0 OLD_IPCSIM NEW_IPCSIM [REPS] [SCALE] [RUN OPTIONS...]" >&2; exit 2; }
old=$1 new=$2 reps=${3:-3} scale=${4:-0.2}
shift $(( $# < 4 ? $# : 4 ))
here=$(cd "$(dirname "$0")" && pwd)
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT INT TERM

count() { awk -v b="$1" -v s="$scale" 'BEGIN { n = int(b * s + 0.5); print (n < 1 ? 1 : n) }'; }
trips=$(count 1000000)
messages=$(count 1000000)
senders=$(count 1000)
pairs=$(count 5000)

# name, then the scenario's arguments after `ipcsim run`, one pattern per line
patterns() {
  for where in local link; do
    echo "pingpong-$where $here/scenarios/pingpong-$where.yaml --set=processes.ping.program.0.repeat=$trips --set=processes.pong.program.0.repeat=$trips"
  done
  echo "bounded $here/scenarios/bounded.yaml --set=processes.producer.program.0.repeat=$messages --set=processes.consumer.program.0.repeat=$messages"
  echo "fanin $here/scenarios/fanin.yaml --set=processes.sender.count=$senders --set=processes.receiver.program.0.repeat=$((senders * 1000))"
  echo "pairs $here/scenarios/pairs.yaml --set=processes.ping.count=$pairs --set=processes.pong.count=$pairs"
}

seconds() {  # wall seconds of one run
  start=$(date +%s.%N)
  "$@" >/dev/null
  end=$(date +%s.%N)
  awk -v a="$start" -v b="$end" 'BEGIN { printf "%.3f\n", b - a }'
}

median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

printf '| pattern | old (s) | new (s) | new / old |\n|---|---|---|---|\n'
patterns | while read -r name arguments; do
  : >"$out/old" && : >"$out/new"
  i=0
  while [ "$i" -lt "$reps" ]; do
    # shellcheck disable=SC2086 # the arguments are words
    seconds "$old" run -q -j 1 $arguments -o "$out/old.csv" "$@" >>"$out/old"
    # shellcheck disable=SC2086
    seconds "$new" run -q -j 1 $arguments -o "$out/new.csv" ${NEW_ONLY:-} "$@" >>"$out/new"
    i=$((i + 1))
  done
  o=$(median <"$out/old") n=$(median <"$out/new")
  ratio=$(awk -v o="$o" -v n="$n" 'BEGIN { printf "%.3f", n / o }')
  printf '| %s | %s | %s | %s |\n' "$name" "$o" "$n" "$ratio"
  if [ -n "${MAX_RATIO:-}" ] && awk -v r="$ratio" -v m="$MAX_RATIO" 'BEGIN { exit !(r > m) }'; then
    echo "$name: new / old = $ratio, above $MAX_RATIO" >&2
    touch "$out/over"
  fi
done
[ ! -e "$out/over" ]
