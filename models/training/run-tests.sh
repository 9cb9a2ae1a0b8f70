#!/usr/bin/env bash
# Sets up the training environment and runs its pytest suite. Exits non-zero on any failure, and also when pytest
# collected no test at all (its exit code 5), so an emptied suite cannot pass silently.
set -uo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
bash "$here/setup.sh" || exit 1
cd "$here" || exit 1
"$here/.venv/bin/python" -m pytest -q tests "$@"
rc=$?
if [[ $rc -eq 5 ]]; then
  echo "run-tests.sh: pytest collected no tests; counting that as a failure" >&2
  exit 1
fi
exit $rc
