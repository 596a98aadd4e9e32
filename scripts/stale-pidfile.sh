#!/usr/bin/env bash
# stale-pidfile.sh FILE NAME [PROC]: exit 0 when pid file FILE is stale, 1 when it names a live NAME.
#
# A daemon killed without cleanup (SIGKILL, the end of a session) leaves its pid file behind, and
# dockerd then refuses to start ("pid file found"). The file is stale when it names no process,
# a process of another name (the PID was reused), or a zombie: a dockerd killed with SIGKILL whose
# parent is gone may never be reaped, and its /proc entry still says `dockerd` (state Z).
# PROC (default /proc) lets tests give a made-up process table. Prints why on stdout when stale.
set -uo pipefail
file=$1 want=$2 proc=${3:-/proc}

[[ -f $file ]] || { echo "no pid file $file"; exit 0; }
pid=$(tr -d '[:space:]' <"$file" 2>/dev/null)
[[ $pid =~ ^[0-9]+$ ]] || { echo "$file holds no PID"; exit 0; }
comm=$(cat "$proc/$pid/comm" 2>/dev/null) || { echo "$file names PID $pid, which is not running"; exit 0; }
[[ $comm == "$want" ]] || { echo "$file names PID $pid, which is $comm, not $want"; exit 0; }
stat=$(cat "$proc/$pid/stat" 2>/dev/null) || { echo "$file names PID $pid, which just ended"; exit 0; }
# The state is the field after the command name, which is in parentheses and may hold spaces.
state=${stat##*) }
state=${state%% *}
if [[ $state == Z || $state == X ]]; then
    echo "$file names PID $pid, a $want that ended and was never reaped (a zombie)"
    exit 0
fi
exit 1
