#!/usr/bin/env bash
# Runs every check and test of the project, the way CI does (after scripts/setup-debian.sh):
# format, lints, the Rust unit and integration tests (inside a D-Bus session with an unlocked gnome-keyring, so the
# real keychain is exercised), then the end-to-end tests of the real app under Xvfb. Ends with one summary line.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_PROFILE_DEV_DEBUG=0 CARGO_TERM_COLOR=never
# Tests run with a scratch HOME; pin the toolchain's own homes first so cargo and rustup still find it.
export CARGO_HOME="${CARGO_HOME:-$HOME/.cargo}" RUSTUP_HOME="${RUSTUP_HOME:-$HOME/.rustup}"
LOG_DIR=${LOG_DIR:-target/test-logs}
mkdir -p "$LOG_DIR"

# Each step's wall time is printed when it ends and again in a table at the end (docs/testing.md lists them).
STEP_NAME="" STEP_START=$SECONDS STEP_TIMES=()
end_step() {
  [[ -n $STEP_NAME ]] || return 0
  local took=$((SECONDS - STEP_START))
  printf -- '-- %s: %d min %02d s\n' "$STEP_NAME" $((took / 60)) $((took % 60))
  STEP_TIMES+=("$(printf '%4d min %02d s  %s' $((took / 60)) $((took % 60)) "$STEP_NAME")")
  STEP_NAME=""
}
step() { end_step; STEP_NAME="$*" STEP_START=$SECONDS; printf '\n== %s ==\n' "$*"; }

step "cargo fmt --check"
cargo fmt --all -- --check

step "cargo clippy (all targets, warnings are errors)"
cargo clippy --workspace --all-targets --locked -- -D warnings
# The integra CLI takes the phone without its calls (default-features = false); the workspace build unifies the
# features, so that configuration is checked on its own (it once needed a method only the calls had).
cargo clippy -p phone --no-default-features --locked -- -D warnings

step "page types: the page's modules against the Rust payload types (tsc -p ui/tsconfig.json)"
# ui/types/payloads.d.ts is generated from the Rust types and held to them by a cargo test (payload_types).
node_modules/.bin/tsc -p ui/tsconfig.json

step "workflow lint (.github/workflows: actionlint, zizmor)"
bash scripts/lint-workflows.sh

step "cargo build (app, simulator, CLI)"
cargo build --workspace --locked

step "patched upstream crates still apply ([patch.crates-io])"
bash scripts/check-patches.sh

step "installers: .deb and .rpm from the Tauri bundler (debug build, shares target/debug)"
bash scripts/package.sh --debug
rm -rf target/update-test && mkdir -p target/update-test && cp -a "${CARGO_TARGET_DIR:-target}/debug/bundle" target/update-test/old

step "cargo test (inside a D-Bus session with gnome-keyring)"
set +e
# A scratch HOME keeps the keyring and settings of this run away from the user's own.
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
HOME="$scratch" XDG_DATA_HOME="$scratch/.local/share" XDG_CONFIG_HOME="$scratch/.config" \
  UCAC_TEST_KEYRING=1 dbus-run-session -- bash -c '
    eval "$(printf ci-keyring-pw | gnome-keyring-daemon --unlock --components=secrets)" >/dev/null
    export GNOME_KEYRING_CONTROL
    # The chaos test runs on its own below, where its figures are printed.
    cargo test --workspace --locked --no-fail-fast -- --skip five_hundred_dispositions 2>&1
  ' | tee "$LOG_DIR/cargo-test.log"
cargo_status=${PIPESTATUS[0]}

step "chaos test: 500 dispositions through faults, restarts and SIGKILLs (figures)"
cargo test -p outbox-trials --locked --test chaos -- five_hundred_dispositions --nocapture 2>&1 | tee -a "$LOG_DIR/cargo-test.log"
chaos_status=${PIPESTATUS[0]}

step "the phone's test rig on its own (tests/phone: kamailio and two aiortc far ends, no code of ours)"
# The rig the phone is tested against must itself be right: speech both ways, digits, hold, BYE, 486, drops.
SIM_BIN="$(realpath "${CARGO_TARGET_DIR:-target}")/debug/integra-sim" dbus-run-session -- .venv/bin/pytest tests/phone -q -p no:cacheprovider 2>&1 | tee "$LOG_DIR/phone-rig.log"
rig_status=${PIPESTATUS[0]}

step "end-to-end tests (real app under Xvfb)"
TARGET_DIR=$(realpath "${CARGO_TARGET_DIR:-target}")
# E2E_PACKAGES: tests/e2e/test_package.py installs the .deb, signs in with the installed binary, removes it.
E2E_PACKAGES="$TARGET_DIR/debug/bundle" SIM_BIN="$TARGET_DIR/debug/integra-sim" bash tests/e2e/run.sh "$TARGET_DIR/debug/ucontact-agent-companion" 2>&1 | tee "$LOG_DIR/e2e.log"
e2e_status=${PIPESTATUS[0]}

step "updates end to end: 0.1.x installed, a signed newer .deb served on loopback (tests/e2e/test_update.py)"
# The newer version is the same code with the next patch number; only the app crate is recompiled. A throwaway
# key pair signs it; the debug build trusts its public half through UCAC_UPDATE_PUBKEY.
current=$(sed -n 's/^  "version": "\(.*\)",$/\1/p' tauri.conf.json)
next="${current%.*}.$(( ${current##*.} + 1 ))"
node_modules/.bin/tauri signer generate --ci -p "" -f -w target/update-test/throwaway.key >/dev/null
bash scripts/package.sh --debug --config "{\"version\":\"$next\"}" && cp -a "$TARGET_DIR/debug/bundle" target/update-test/new
E2E_UPDATE_OLD=$PWD/target/update-test/old E2E_UPDATE_NEW=$PWD/target/update-test/new \
  E2E_UPDATE_KEY=$PWD/target/update-test/throwaway.key UCAC_UPDATE_PUBKEY=$(cat target/update-test/throwaway.key.pub) \
  PYTEST_ADDOPTS="-k test_update -s" E2E_ARTIFACTS_DIR=$PWD/tests/e2e/artifacts/update SIM_BIN="$TARGET_DIR/debug/integra-sim" \
  bash tests/e2e/run.sh "$TARGET_DIR/debug/ucontact-agent-companion" 2>&1 | tee "$LOG_DIR/e2e-update.log"
update_status=${PIPESTATUS[0]}

step "fuzzing: every parser of outside input, 10 s each (scripts/fuzz.sh 600 for a real run)"
bash scripts/fuzz.sh "${FUZZ_SECONDS:-10}" 2>&1 | tee "$LOG_DIR/fuzz.log"
fuzz_status=${PIPESTATUS[0]}
set -e
end_step
printf '\nstep times:\n'
printf '%s\n' "${STEP_TIMES[@]}"

# One closing line over both runners: cargo's "test result" lines and pytest's summary.
read -r c_pass c_fail < <(awk '/^test result:/ {p+=$4; f+=$6} END {print p+0, f+0}' "$LOG_DIR/cargo-test.log")
last() { grep -Eo "[0-9]+ ($1)" "$2" 2>/dev/null | tail -1 | grep -Eo '[0-9]+' || echo 0; }
r_pass=$(last passed "$LOG_DIR/phone-rig.log") r_fail=$(last 'failed|error' "$LOG_DIR/phone-rig.log")
e_pass=$(( $(last passed "$LOG_DIR/e2e.log") + $(last passed "$LOG_DIR/e2e-update.log") + r_pass ))
e_fail=$(( $(last 'failed|error' "$LOG_DIR/e2e.log") + $(last 'failed|error' "$LOG_DIR/e2e-update.log") + r_fail ))
printf '\nrust tests: %s passed, %s failed; end-to-end: %s passed, %s failed\n' "$c_pass" "$c_fail" "$e_pass" "$e_fail"
printf 'total: %s passed, %s failed\n' $((c_pass + e_pass)) $((c_fail + e_fail))
if [[ $fuzz_status -ne 0 ]]; then echo "fuzzing found a crash (see $LOG_DIR/fuzz.log)"; fi
if [[ $cargo_status -ne 0 || $chaos_status -ne 0 || $rig_status -ne 0 || $e2e_status -ne 0 || $update_status -ne 0 || $fuzz_status -ne 0 ]]; then exit 1; fi
