#!/usr/bin/env bash
# Keeps one process running: starts "$@", and when it exits (a crash, a kill, an
# unrecoverable error) starts it again after a pause that doubles from 1 s up to 30 s (back
# to 1 s once it ran for a minute). SIGTERM or SIGINT to this script is passed on to the
# process (Celery's warm shutdown), waited for, and ends the loop.
#   scripts/supervise.sh PIDFILE command args...
# PIDFILE receives the current process's id (for status and for tests); every (re)start is
# logged on stderr with the exit status of the previous run.
set -uo pipefail
pidfile=$1
shift
child=
stopping=0
on_signal() {
  stopping=1
  if [ -n "$child" ]; then kill -TERM "$child" 2>/dev/null || true; fi
}
trap on_signal TERM INT

delay=1
while :; do
  started=$SECONDS
  "$@" &
  child=$!
  echo "$child" >"$pidfile"
  echo "supervise: started $1 (pid $child)" >&2
  # `wait` returns early when a signal arrives; wait again until the process has exited.
  while :; do
    wait "$child"
    status=$?
    kill -0 "$child" 2>/dev/null || break
  done
  child=
  rm -f "$pidfile"
  if [ "$stopping" = 1 ]; then
    exit 0
  fi
  ran=$((SECONDS - started))
  if [ "$ran" -ge 60 ]; then delay=1; fi
  echo "supervise: $1 exited with status $status after ${ran}s; restarting in ${delay}s" >&2
  sleep "$delay" &
  pause=$!
  wait "$pause" || true
  if [ "$stopping" = 1 ]; then
    kill "$pause" 2>/dev/null || true
    exit 0
  fi
  delay=$((delay * 2 > 30 ? 30 : delay * 2))
done
