#!/usr/bin/env bash
# The `integra` command line against the built-in uContact simulator: one scripted call as agent alice.
#
#   scripts/demo-cli.sh            sign in once (session kept in a throwaway keychain in a private D-Bus session,
#                                  when dbus-run-session and gnome-keyring are installed), then call, tag, hang up,
#                                  dispose and sign out without the password again
#   INTEGRA_DEMO_SCRIPTED=1 scripts/demo-cli.sh
#                                  the scripts' mode: every command gets the password on stdin (--password-stdin),
#                                  signs in for itself and ends its session; no keychain involved
#
# Starts target/debug/integra-sim on a free port, waits for its ready line, prints each step and what the server
# received, and stops the simulator at the end (also on failure or Ctrl+C).
set -euo pipefail
SELF="$(cd "$(dirname "$0")" && pwd)/$(basename "$0")"
cd "$(dirname "$SELF")/.."
BIN=$PWD/target/debug

if [[ "${1:-}" != "--walk" ]]; then
  echo "demo-cli: building the simulator and the CLI…"
  CARGO_PROFILE_DEV_DEBUG=0 cargo build --quiet --locked -p integra-sim -p integra-cli
  if [[ -z "${INTEGRA_DEMO_SCRIPTED:-}" ]] && command -v dbus-run-session >/dev/null \
      && command -v gnome-keyring-daemon >/dev/null; then
    # A scratch HOME and a private session bus: the demo's keychain is thrown away and the user's is never touched.
    scratch=$(mktemp -d)
    trap 'rm -rf "$scratch"' EXIT
    HOME=$scratch XDG_DATA_HOME=$scratch/.local/share XDG_CONFIG_HOME=$scratch/.config \
      dbus-run-session -- bash -c '
        eval "$(printf demo-keyring-pw | gnome-keyring-daemon --unlock --components=secrets)" >/dev/null
        export GNOME_KEYRING_CONTROL
        exec "$0" --walk keychain' "$SELF" 2> >(grep -v "^dbus-daemon" >&2)
  else
    "$SELF" --walk scripted
  fi
  exit $?
fi

MODE=$2
OUT=$(mktemp -d)
sim_pid=""
cleanup() {
  if [[ -n "$sim_pid" ]]; then
    kill "$sim_pid" 2>/dev/null || true
    wait "$sim_pid" 2>/dev/null || true
    echo "demo-cli: simulator stopped"
  fi
  rm -rf "$OUT"
}
trap cleanup EXIT

RUST_LOG=warn "$BIN/integra-sim" --listen 127.0.0.1:0 >"$OUT/sim.out" 2>"$OUT/sim.log" &
sim_pid=$!
for _ in $(seq 1 200); do
  grep -q 'listening on' "$OUT/sim.out" 2>/dev/null && break
  kill -0 "$sim_pid" 2>/dev/null || { echo "demo-cli: the simulator did not start:" >&2; cat "$OUT/sim.log" >&2; exit 1; }
  sleep 0.05
done
URL=$(sed -n 's/.*listening on //p' "$OUT/sim.out")
[[ -n "$URL" ]] || { echo "demo-cli: the simulator printed no ready line in 10 s" >&2; exit 1; }
echo "demo-cli: uContact simulator at $URL (agent alice / alice-pw); mode: $MODE"

step() { printf '\n== %s ==\n' "$*"; }
# The command as one would type it: arguments with spaces or shell characters in single quotes.
show() {
  local line='$ integra' arg
  for arg in "$@"; do
    if [[ $arg =~ ^[A-Za-z0-9_./:=@+-]+$ ]]; then line+=" $arg"; else line+=" '$arg'"; fi
  done
  echo "$line"
}

# `integra` as alice: from the keychain session, or signing in per command with the password on stdin.
integra() {
  if [[ $MODE == keychain ]]; then
    show "$@"
    "$BIN/integra" --server "$URL" "$@" </dev/null
  else
    show --user alice --password-stdin "$@"
    printf 'alice-pw\n' | "$BIN/integra" --server "$URL" --user alice --password-stdin "$@"
  fi
}

step "1. sign in as alice"
if [[ $MODE == keychain ]]; then
  show --user alice login --password-stdin
  echo "  (the password is piped in; the session token goes to the keychain, never to a file or the screen)"
  printf 'alice-pw\n' | "$BIN/integra" --server "$URL" --user alice login --password-stdin
else
  integra login --no-keychain
fi

step "2. call 099 123 456 on Ventas-> (caller id: the campaign's DID)"
call_json=$(integra --json call "099 123 456" --campaign 'Ventas->' --callerid 59821234567)
echo "$call_json"
GUID=$(sed -n 's/.*"guid": *"\([^"]*\)".*/\1/p' <<<"$call_json")
[[ -n "$GUID" ]] || { echo "demo-cli: no GUID in the answer" >&2; exit 1; }

step "3. tag the recording"
integra tag --guid "$GUID" --text "interested in plan oro" --phone 099123456

step "4. hang up"
integra hangup

step "5. file the disposition"
integra dispose --campaign 'Ventas->' --guid "$GUID" --callerid 099123456 \
  --l1 Contactado --l2 Venta --l3 Tarjeta --comment "pays by card"

if [[ $MODE == keychain ]]; then
  step "6. sign out (EndSession; the keychain entry is deleted)"
  integra logout
fi

step "what the simulator received"
if command -v curl >/dev/null && command -v python3 >/dev/null; then
  curl -s "$URL/_sim/journal" | python3 -c '
import json, sys
for e in json.load(sys.stdin):
    form = dict(e["form"])
    if "password" in form:
        form["password"] = "***"
    if "token" in form:
        form["token"] = "***"
    shown = json.dumps({k: v for k, v in form.items() if v}, ensure_ascii=False)
    endpoint = e["path"].replace("/Integra/resources/", "")
    print("  %-28s %s  %s" % (endpoint, e["status"], shown))
'
else
  echo "  (curl and python3 are needed to print the journal; see $URL/_sim/journal)"
fi
