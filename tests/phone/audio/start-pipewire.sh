#!/usr/bin/env bash
# Starts a private PipeWire (pipewire, wireplumber, pipewire-pulse) with virtual devices for the audio tests, on a
# machine with no sound card (docs: shared reference softphone.md §2.2):
#   agent_headset  null sink, the default sink: the app's speaker (record agent_headset.monitor to hear the app)
#   farend_voice   null sink: what the test plays "into the microphone" (paplay --device=farend_voice)
#   agent_mic      remap of farend_voice.monitor, the default source: the app's microphone
# It uses its own XDG_RUNTIME_DIR, so it never touches a desktop's PipeWire, and the caller's D-Bus session when
# there is one (tests run under dbus-run-session); without one it starts a private bus.
# Prints `export NAME=value` lines for the environment the test must use (eval them, or parse them), then returns;
# the daemons live on until the process VOICE_PW_OWNER_PID (default: the caller) exits, then are stopped and the
# directory removed. With VOICE_PW_REUSE_DIR set to a directory it printed before (whose daemons were stopped), it
# starts them again there: an audio server restarting under a running call.
set -euo pipefail

for tool in pipewire wireplumber pipewire-pulse pactl paplay parecord; do
  if ! command -v "$tool" >/dev/null; then
    echo "start-pipewire: '$tool' is not installed; run scripts/setup-debian.sh (it installs PipeWire for the audio tests)" >&2
    exit 3
  fi
done

owner=${VOICE_PW_OWNER_PID:-$PPID}
dir=${VOICE_PW_REUSE_DIR:-$(mktemp -d "${TMPDIR:-/tmp}/voice-pipewire.XXXXXX")}
chmod 700 "$dir"
export XDG_RUNTIME_DIR="$dir"
# WirePlumber remembers the default devices under XDG_STATE_HOME: keep that private too.
export XDG_STATE_HOME="$dir/state"
# pactl and paplay look for the server in XDG_RUNTIME_DIR; say it outright so a PULSE_SERVER inherited from a
# desktop session can't send the test's audio elsewhere.
export PULSE_SERVER="unix:$dir/pulse/native"
# Every daemon started is listed in $dir/pids, which the reaper reads when the owner exits. A restart in the same
# directory starts a new list: the old daemons were stopped by whoever asked for the restart. A private bus, when
# one is started, is in $dir/bus.pid.
: >"$dir/pids"
audio_pids=()

if [[ -z ${DBUS_SESSION_BUS_ADDRESS:-} ]]; then
  dbus-daemon --session --fork --address="unix:path=$dir/bus" --print-pid=1 </dev/null 2>"$dir/dbus.log" >"$dir/bus.pid"
  export DBUS_SESSION_BUS_ADDRESS="unix:path=$dir/bus"
fi

# Stop everything when the owner exits (tail --pid waits for that without a busy loop). The short pause lets the
# daemons close their sockets before their directory goes.
setsid bash -c 'dir=$1 owner=$2; tail --pid="$owner" -f /dev/null; kill $(cat "$dir/pids" "$dir/bus.pid" 2>/dev/null) 2>/dev/null; sleep 1; rm -rf "$dir"' \
  reaper "$dir" "$owner" </dev/null >/dev/null 2>&1 &

# Each daemon gets /dev/null and log files, never the caller's pipes: a caller reading this script's output to
# the end would otherwise wait for the daemons too.
start_daemon() {
  setsid "$1" </dev/null >>"$dir/$1.log" 2>&1 &
  echo "$!" >>"$dir/pids"
  audio_pids+=("$!")
}

# Wait for a condition, checking every 50 ms, for at most 20 s.
wait_for() {
  local what=$1; shift
  for _ in $(seq 400); do
    if "$@" >/dev/null 2>&1; then return 0; fi
    sleep 0.05
  done
  echo "start-pipewire: timed out waiting for $what; logs in $dir" >&2
  tail -n 20 "$dir"/*.log >&2 || true
  exit 4
}

# The session manager and the pulse server give up if pipewire's socket is not there yet when they start.
start_daemon pipewire
wait_for "pipewire's socket" test -S "$dir/pipewire-0"
start_daemon wireplumber
start_daemon pipewire-pulse
wait_for "pipewire-pulse to answer" pactl info
pactl load-module module-null-sink sink_name=agent_headset \
  sink_properties=device.description=agent_headset >/dev/null
pactl load-module module-null-sink sink_name=farend_voice \
  sink_properties=device.description=farend_voice >/dev/null
pactl load-module module-remap-source master=farend_voice.monitor source_name=agent_mic \
  source_properties=device.description=agent_mic >/dev/null

defaults_set() {
  local info
  info=$(pactl info)
  grep -q '^Default Sink: agent_headset$' <<<"$info" && grep -q '^Default Source: agent_mic$' <<<"$info"
}
set_defaults() { pactl set-default-sink agent_headset && pactl set-default-source agent_mic && defaults_set; }
wait_for "agent_headset and agent_mic to be the defaults" set_defaults

echo "export XDG_RUNTIME_DIR=$dir"
echo "export XDG_STATE_HOME=$dir/state"
echo "export PULSE_SERVER=$PULSE_SERVER"
echo "export DBUS_SESSION_BUS_ADDRESS=$DBUS_SESSION_BUS_ADDRESS"
# The audio daemons alone (not a private bus), for a test that stops the audio server under a call.
echo "export VOICE_PIPEWIRE_PIDS=\"${audio_pids[*]}\""
