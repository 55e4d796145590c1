#!/usr/bin/env bash
# Starts a one-node Slurm cluster on this machine (Debian bookworm, run as root) for
# tests: installs slurm-wlm and munge if missing, writes /etc/slurm/slurm.conf for the
# local host, and starts munged, slurmctld and slurmd. PIDs go to $STATE/*.pid so
# stop_local_cluster.sh can stop exactly these processes.
set -euo pipefail
STATE=${STATE:-/tmp/drillsim-slurm}
mkdir -p "$STATE"
if ! command -v slurmctld >/dev/null || ! command -v munged >/dev/null; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq slurm-wlm munge
fi
if sinfo -h -o %T 2>/dev/null | grep -qE '^(idle|mixed|allocated)'; then
    echo "slurm cluster already up"
    exit 0
fi
HOST=$(hostname -s)
CPUS=$(nproc)
if [ ! -s /etc/munge/munge.key ]; then
    dd if=/dev/urandom of=/etc/munge/munge.key bs=1 count=1024 status=none
fi
chown munge:munge /etc/munge/munge.key && chmod 400 /etc/munge/munge.key
mkdir -p /run/munge /var/log/munge /var/lib/munge && chown munge:munge /run/munge /var/log/munge /var/lib/munge
mkdir -p /var/spool/slurmctld /var/spool/slurmd /var/log/slurm
cat > /etc/slurm/slurm.conf <<CONF
ClusterName=drillsim
SlurmctldHost=$HOST
SlurmUser=root
AuthType=auth/munge
MpiDefault=none
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
StateSaveLocation=/var/spool/slurmctld
SlurmdSpoolDir=/var/spool/slurmd
SlurmctldPidFile=$STATE/slurmctld.pid
SlurmdPidFile=$STATE/slurmd.pid
SlurmctldLogFile=$STATE/slurmctld.log
SlurmdLogFile=$STATE/slurmd.log
JobCompType=jobcomp/none
AccountingStorageType=accounting_storage/none
SchedulerType=sched/backfill
NodeName=$HOST CPUs=$CPUS State=UNKNOWN
PartitionName=local Nodes=$HOST Default=YES MaxTime=INFINITE State=UP
CONF
if ! [ -s "$STATE/munged.pid" ] || ! kill -0 "$(cat "$STATE/munged.pid")" 2>/dev/null; then
    runuser -u munge -- /usr/sbin/munged
    sleep 1
    cp /run/munge/munged.pid "$STATE/munged.pid"
fi
/usr/sbin/slurmctld
/usr/sbin/slurmd
for _ in $(seq 1 30); do
    if sinfo -h -o %T 2>/dev/null | grep -qE '^(idle|mixed|allocated)'; then
        echo "slurm cluster up on $HOST ($CPUS CPUs)"
        exit 0
    fi
    sleep 1
done
echo "slurm did not come up; see $STATE/*.log" >&2
sinfo >&2 || true
exit 1
