#!/usr/bin/env bash
# Modeled against measured, on the shipped same-host scenarios: each is run RUNS times with
# --measure (default 5); the table gives the modeled figure (deterministic) and the median,
# min and max of the measured one, with the median's difference. Run from the repository
# root after building; calibrate first (ipcsim calibrate -o models/local.yaml) on a new machine.
set -euo pipefail
runs=${1:-5}
ipcsim=${IPCSIM:-build/ipcsim}
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

# column NAME FILE: the value of a column in the CSV's one data row.
column() {
  awk -F, -v name="$1" 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == name) c = i; next } { print $c }' "$2"
}
# stats: "median [min-max]" of numbers on stdin, scaled by $1, printed with format $2.
stats() {
  sort -g | awk -v k="$1" -v f="$2" '{ v[NR] = $1 * k } END {
    m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
    printf(f " [" f "-" f "]\n", m, v[1], v[NR]) }'
}
median() { sort -g | awk '{ v[NR] = $1 } END { print NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
diff_pct() { awk -v a="$1" -v b="$2" 'BEGIN { printf("%+.0f%%", 100 * (a - b) / b) }'; }

echo "| scenario | throughput modeled | measured (median [min-max] of $runs) | diff | latency p50 modeled | measured | diff |"
echo "|---|---|---|---|---|---|---|"
for scenario in local-bounded-buffer local-ping-pong local-fan-in; do
  for i in $(seq "$runs"); do
    "$ipcsim" run -q --measure "scenarios/$scenario.yaml" -o "$scratch/$scenario-$i.csv"
  done
  files=("$scratch/$scenario"-*.csv)
  modeled_tp=$(column throughput_msgs_per_s "${files[0]}")
  modeled_p50=$(column latency_p50_s "${files[0]}")
  tp=$(for f in "${files[@]}"; do column measured_throughput_msgs_per_s "$f"; done)
  p50=$(for f in "${files[@]}"; do column measured_latency_p50_s "$f"; done)
  printf "| %s | %.0f msg/s | %s msg/s | %s | %.1f us | %s us | %s |\n" "$scenario" "$modeled_tp" \
    "$(stats 1 %.0f <<<"$tp")" "$(diff_pct "$(median <<<"$tp")" "$modeled_tp")" \
    "$(awk -v v="$modeled_p50" 'BEGIN { print v * 1e6 }')" "$(stats 1e6 %.1f <<<"$p50")" \
    "$(diff_pct "$(median <<<"$p50")" "$modeled_p50")"
done
