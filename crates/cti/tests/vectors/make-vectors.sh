#!/usr/bin/env sh
# Regenerates cti-vectors.json with the real tools: crypto-js 4 from npm and `openssl enc`.
# Needs node, npm and openssl on PATH; the tests only read the JSON, so CI needs none of them.
#   crates/cti/tests/vectors/make-vectors.sh
set -eu
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp "$here/make-vectors.mjs" "$work/"
cd "$work"
npm init -y >/dev/null
npm install --silent --no-audit --no-fund crypto-js@4
node make-vectors.mjs >"$work/cti-vectors.json"
mv "$work/cti-vectors.json" "$here/cti-vectors.json"
echo "wrote $here/cti-vectors.json"
