#!/usr/bin/env bash
# End-to-end tests of the real app binary: a scratch HOME, a private D-Bus session with an unlocked
# gnome-keyring, Xvfb, a notification daemon, the uContact simulator and tauri-driver, then pytest.
# Usage: tests/e2e/run.sh path/to/ucontact-agent-companion   (after scripts/setup-debian.sh)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
APP=$(realpath "${1:?usage: tests/e2e/run.sh path/to/app-binary}")
SIM=${SIM_BIN:-$ROOT/target/debug/integra-sim}
[[ -x "$APP" && -x "$SIM" ]] || { echo "e2e: build first: cargo build --workspace" >&2; exit 2; }
[[ -x "$ROOT/.venv/bin/pytest" ]] || { echo "e2e: run scripts/setup-debian.sh first (creates .venv)" >&2; exit 2; }

# E2E_ARTIFACTS_DIR: a second run (the update test) keeps its own folder instead of wiping the first run's.
ARTIFACTS=${E2E_ARTIFACTS_DIR:-$ROOT/tests/e2e/artifacts}
rm -rf "$ARTIFACTS" && mkdir -p "$ARTIFACTS"
scratch=$(mktemp -d)
mkdir -p "$scratch/home" "$scratch/run" && chmod 700 "$scratch/run"
# The app, the keyring and autostart all write under HOME: keep every run away from the real one.
export HOME="$scratch/home" XDG_CONFIG_HOME="$scratch/home/.config" XDG_DATA_HOME="$scratch/home/.local/share"
export XDG_CACHE_HOME="$scratch/home/.cache" XDG_RUNTIME_DIR="$scratch/run" NO_AT_BRIDGE=1
export E2E_APP="$APP" E2E_SIM="$SIM" E2E_ARTIFACTS="$ARTIFACTS" E2E_SCRATCH="$scratch" E2E_ROOT="$ROOT"
# The default browser is a recorder (tests/e2e/browser): a screen pop never starts a real browser, and the tests
# read the URLs it was given.
export E2E_BROWSER_LOG="$scratch/browser-urls.log"
# Without a handler, xdg-open tries $BROWSER and then a list of known browsers: `false` stops it at the first.
export BROWSER=false
bash "$ROOT/tests/e2e/browser/register.sh"
status=0
dbus-run-session -- bash "$ROOT/tests/e2e/session.sh" || status=$?
rm -rf "$scratch"
exit $status
