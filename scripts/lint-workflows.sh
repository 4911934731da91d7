#!/usr/bin/env bash
# Lints the GitHub Actions workflows, which cannot run here: actionlint (syntax, expressions, shell in `run:`) and
# zizmor (security: pinning, permissions, template injection, credentials), both from .venv (scripts/setup-debian.sh).
# zizmor's choices are explained in .github/zizmor.yml. Exits non-zero on any finding.
set -euo pipefail
cd "$(dirname "$0")/.."
status=0
# -shellcheck= : no shellcheck here (Debian's 0.9 is old); the `run:` scripts are short and zizmor checks injection.
.venv/bin/actionlint -no-color -shellcheck= .github/workflows/*.yml || status=1
echo "actionlint: done"
# --offline: no GitHub API calls (none reachable here); the online audits run in CI's lint job.
.venv/bin/zizmor --offline --config .github/zizmor.yml --format plain .github/workflows || status=1
exit $status
