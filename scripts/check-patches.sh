#!/usr/bin/env bash
# Fails when an entry of the root Cargo.toml's [patch.crates-io] no longer applies. Cargo only warns "patch … was
# not used in the crate graph" when a dependency moves to a version the copy does not match, and the upstream
# behaviour the copy fixes (crates/global-hotkey: a 50 ms sleep before every hotkey) would come back silently.
set -euo pipefail
cd "$(dirname "$0")/.."

# The patch table's entries: `name = { path = "dir" }`, one per line.
patches=$(sed -n '/^\[patch\.crates-io\]/,/^\[/{s/^\([A-Za-z0-9_-]*\) *= *{ *path *= *"\([^"]*\)".*/\1 \2/p}' Cargo.toml)
[[ -n $patches ]] || { echo "check-patches: no [patch.crates-io] entries found"; exit 0; }

status=0
# Cargo.lock keeps what the resolver could not use under [[patch.unused]].
if grep -q '^\[\[patch\.unused\]\]' Cargo.lock; then
  echo "check-patches: Cargo.lock lists unused patches:" >&2
  sed -n '/^\[\[patch\.unused\]\]/,/^$/p' Cargo.lock >&2
  status=1
fi
while read -r name dir; do
  # Every package of that name in the graph must be the patched copy (a second, upstream version would mean a
  # dependency moved past the copy).
  found=$(cargo tree --locked -e normal,build --prefix none -i "$name" --depth 0 2>&1 || true)
  if ! grep -q "($(realpath "$dir"))" <<<"$found" || grep -qv "($(realpath "$dir"))" <<<"$(grep "^$name v" <<<"$found")"; then
    echo "check-patches: $name is not (only) the patched copy in $dir:" >&2
    echo "$found" >&2
    status=1
  else
    echo "check-patches: $name -> $dir (applied)"
  fi
done <<<"$patches"
exit $status
