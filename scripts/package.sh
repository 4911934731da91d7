#!/usr/bin/env bash
# Builds the Linux installers that can be built offline with the Tauri bundler: a .deb and an .rpm
# (an AppImage needs tools the bundler downloads from GitHub at build time; see docs/releasing.md,
# "The bundler and local packages").
# Usage: bash scripts/package.sh [--debug] [extra `tauri build` options, e.g. --config '{"version":"0.1.1"}']
#   default: release build (target/release/bundle/{deb,rpm}/)
#   --debug: debug build in target/debug, sharing what `cargo build --workspace` compiled (what CI uses)
# Prints each package's path and size. Needs `npm ci` first (scripts/setup-debian.sh runs it).
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_PROFILE_DEV_DEBUG=${CARGO_PROFILE_DEV_DEBUG:-0}
[[ -x node_modules/.bin/tauri ]] || { echo "package: run 'npm ci' (or scripts/setup-debian.sh) first" >&2; exit 2; }

profile=release
args=()
for a in "$@"; do
  if [[ $a == --debug ]]; then profile=debug; fi
  args+=("$a")
done
out="${CARGO_TARGET_DIR:-target}/$profile/bundle"
rm -rf "$out/deb" "$out/rpm"
# `-- --workspace`: cargo then resolves the same features as `cargo build --workspace`, so nothing is recompiled
# for the bundle when the workspace was just built (the app's default feature already is tauri/custom-protocol).
node_modules/.bin/tauri build --ci --bundles deb,rpm "${args[@]}" -- --workspace --locked
for f in "$out"/deb/*.deb "$out"/rpm/*.rpm; do
  awk -v f="$f" -v b="$(stat -c %s "$f")" 'BEGIN { printf "%s\t%.1f MiB\n", f, b / 1048576 }'
done
