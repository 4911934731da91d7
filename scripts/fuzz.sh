#!/usr/bin/env bash
# Fuzzes every parser of outside input (fuzz/README.md): builds all cargo-fuzz targets once, runs each for
# SECONDS_PER_TARGET (default 20, for CI; `scripts/fuzz.sh 600` for a real run), prints one line of libFuzzer's
# figures per target, and exits non-zero if any target crashed (the input is left in fuzz/artifacts/<target>/).
#
# cargo-fuzz needs nightly flags: stable Rust accepts them with RUSTC_BOOTSTRAP=1. The code under test forbids
# unsafe, so the default is no sanitizer (about twice the executions per second); FUZZ_SANITIZER=address turns
# AddressSanitizer on. Builds go to FUZZ_TARGET_DIR (default: <cargo target dir>/fuzz), apart from normal builds.
# New inputs a run discovers go to fuzz/work/<target>/ (ignored by git); fuzz/corpus/<target>/ stays as committed.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
SECONDS_PER_TARGET=${1:-20}
SANITIZER=${FUZZ_SANITIZER:-none}
CARGO_FUZZ_VERSION=0.13.2

export RUSTC_BOOTSTRAP=1 CARGO_TERM_COLOR=never
export CARGO_TARGET_DIR=${FUZZ_TARGET_DIR:-${CARGO_TARGET_DIR:-$ROOT/target}/fuzz}
export PATH="$ROOT/.ci/tools/bin:$PATH"

if ! cargo fuzz --version 2>/dev/null | grep -q "$CARGO_FUZZ_VERSION"; then
  echo "== installing cargo-fuzz $CARGO_FUZZ_VERSION into .ci/tools =="
  cargo install cargo-fuzz --version "$CARGO_FUZZ_VERSION" --locked --root "$ROOT/.ci/tools"
fi

# -O: optimized, as fuzzing wants; -a: debug assertions, so an overflow is a crash and not a wrong value.
FLAGS=(-O -a --sanitizer "$SANITIZER")
cd fuzz
echo "== cargo fuzz build (sanitizer: $SANITIZER, target dir: $CARGO_TARGET_DIR) =="
build_start=$SECONDS
cargo fuzz build "${FLAGS[@]}"
echo "built in $((SECONDS - build_start)) s"

mapfile -t TARGETS < <(cargo fuzz list)
LOGS=$(mktemp -d)
trap 'rm -rf "$LOGS"' EXIT
failed=()
run_start=$SECONDS
for target in "${TARGETS[@]}"; do
  mkdir -p "work/$target" "corpus/$target"
  echo "== $target (${SECONDS_PER_TARGET} s) =="
  # The first folder receives new inputs; the committed seeds are only read.
  if cargo fuzz run "${FLAGS[@]}" "$target" "work/$target" "corpus/$target" -- \
      -max_total_time="$SECONDS_PER_TARGET" -print_final_stats=1 -timeout=10 -rss_limit_mb=2048 \
      >"$LOGS/$target.log" 2>&1; then
    status=ok
  else
    status=CRASH
    failed+=("$target")
    grep -E "panicked at|ERROR: libFuzzer|SUMMARY|Test unit written to|^Reproduce with" -A1 "$LOGS/$target.log" | head -20 || true
  fi
  runs=$(awk '/stat::number_of_executed_units/ {print $2}' "$LOGS/$target.log" || true)
  speed=$(awk '/stat::average_exec_per_sec/ {print $2}' "$LOGS/$target.log" || true)
  final=$(grep -E '^#[0-9]+' "$LOGS/$target.log" | tail -1 || true)
  cov=$(grep -Eo 'cov: [0-9]+' <<<"$final" | grep -Eo '[0-9]+' || echo "?")
  ft=$(grep -Eo 'ft: [0-9]+' <<<"$final" | grep -Eo '[0-9]+' || echo "?")
  corp=$(grep -Eo 'corp: [0-9]+/[0-9]+[a-zA-Z]*' <<<"$final" | cut -d' ' -f2 || echo "?")
  printf 'fuzz %-18s %-5s runs: %s exec/s: %s cov: %s ft: %s corpus: %s\n' \
    "$target" "$status" "${runs:-?}" "${speed:-?}" "$cov" "$ft" "$corp" | tee -a "$LOGS/summary"
done

echo
echo "== fuzz summary (${#TARGETS[@]} targets, ${SECONDS_PER_TARGET} s each, $((SECONDS - run_start)) s of runs) =="
cat "$LOGS/summary"
if ((${#failed[@]})); then
  echo "crashed: ${failed[*]}; inputs in fuzz/artifacts/<target>/. Reproduce with"
  echo "  RUSTC_BOOTSTRAP=1 cargo fuzz run ${FLAGS[*]} <target> fuzz/artifacts/<target>/<file>   (from fuzz/)"
  echo "then fix the parser and copy the input to fuzz/regressions/<target>/ (cargo test replays it)."
  exit 1
fi
echo "no crash"
