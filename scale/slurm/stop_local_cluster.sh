#!/usr/bin/env bash
# Stops the daemons started by start_local_cluster.sh (by their recorded PIDs only).
STATE=${STATE:-/tmp/drillsim-slurm}
for d in slurmd slurmctld munged; do
    if [ -s "$STATE/$d.pid" ]; then
        kill "$(cat "$STATE/$d.pid")" 2>/dev/null || true
        rm -f "$STATE/$d.pid"
    fi
done
