#!/usr/bin/env bash
# The README's Slurm job array, for real: a one-node Slurm cluster on this machine (munged,
# slurmctld and slurmd, their configuration and state in build/slurm), the array runs the
# shards of scenarios/capacity-sweep.yaml, merge joins them, and the result must equal a
# single run's CSV but for its wall-clock columns. Needs root (the daemons run as root).
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)
slurm=$root/build/slurm
host=$(hostname)
[[ $(id -u) -eq 0 ]] || { echo "cluster: run as root (it starts munged, slurmctld and slurmd)" >&2; exit 2; }

rm -rf "$slurm"
mkdir -p "$slurm/state" "$slurm/spool"
export SLURM_CONF=$slurm/slurm.conf
cat >"$SLURM_CONF" <<EOF
ClusterName=ipcsim-test
SlurmctldHost=$host
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
SchedulerType=sched/backfill
StateSaveLocation=$slurm/state
SlurmdSpoolDir=$slurm/spool
SlurmctldLogFile=$slurm/slurmctld.log
SlurmdLogFile=$slurm/slurmd.log
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
MpiDefault=none
ReturnToService=2
NodeName=$host CPUs=$(nproc) State=UNKNOWN
PartitionName=ipcsim Nodes=$host Default=YES MaxTime=INFINITE State=UP
EOF

# The daemons run in the foreground as background jobs of this script, so that it knows
# their process ids from the start; they are stopped and waited for at the end, whatever
# happened, so that nothing outlives the run.
daemons=()
stop_daemons() {
  local pid
  for pid in "${daemons[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${daemons[@]}"; do wait "$pid" 2>/dev/null || true; done
}
started_munged=no
stop_munged() {
  [[ $started_munged == yes ]] || return 0
  pkill -x munged || return 0
  for _ in $(seq 50); do
    pgrep -x munged >/dev/null || return 0
    sleep 0.1
  done
}
trap 'stop_daemons; stop_munged; rm -f results/capacity-sweep.shard-*-of-4*.csv' EXIT
started=$(date +%s)
mkdir -p /run/munge
chown munge:munge /run/munge
if ! pgrep -x munged >/dev/null; then
  runuser -u munge -- /usr/sbin/munged
  started_munged=yes
fi
for _ in $(seq 50); do
  munge -n >/dev/null 2>&1 && break
  sleep 0.2
done
munge -n >/dev/null || { echo "cluster: munged does not answer" >&2; exit 1; }
slurmctld -D >"$slurm/slurmctld.out" 2>&1 &
daemons+=($!)
slurmd -D >"$slurm/slurmd.out" 2>&1 &
daemons+=($!)
for _ in $(seq 60); do
  [[ $(sinfo -h -o %T 2>/dev/null) == idle ]] && break
  sleep 1
done
[[ $(sinfo -h -o %T) == idle ]] || { echo "cluster: the node never became idle" >&2; tail "$slurm"/*.log >&2; exit 1; }

# The job script exactly as the README shows it.
awk '/^#!\/bin\/sh$/ { on = 1 } on && /^```/ { exit } on { print }' README.md >"$slurm/job.sh"
grep -q 'SBATCH --array=0-3' "$slurm/job.sh" || { echo "cluster: no job array script in README.md" >&2; exit 1; }
rm -f results/capacity-sweep.shard-*-of-4*.csv
sbatch --wait --chdir="$root" --output="$slurm/task-%a.out" "$slurm/job.sh" >/dev/null
build/ipcsim merge -o "$slurm/merged.csv" results/capacity-sweep.shard-*-of-4.csv
build/ipcsim run -q scenarios/capacity-sweep.yaml -o "$slurm/single.csv"
python3 - "$slurm/merged.csv" "$slurm/single.csv" <<'EOF'
import csv, sys
wall = {"wall_time_s", "events_per_wall_s", "messages_per_wall_s"}
def rows(path):
    table = list(csv.reader(open(path, newline="")))
    keep = [i for i, name in enumerate(table[0]) if name not in wall]
    return [[row[i] for i in keep] for row in table]
merged, single = rows(sys.argv[1]), rows(sys.argv[2])
if merged != single:
    sys.exit(f"cluster: the merged shards differ from a single run ({len(merged)} and {len(single)} lines)")
EOF
echo "cluster: 4 Slurm array tasks, merged: equal to a single run ($(($(wc -l <"$slurm/single.csv") - 1)) points), $(($(date +%s) - started)) s"
