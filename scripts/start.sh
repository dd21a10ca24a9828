#!/usr/bin/env bash
# The run-everything command (README): installs what is missing, brings the real stack up on
# the default ports and prints where each part listens.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/ensure-deps.sh

# The support console the order service serves under /console/ (rebuilt only when its sources changed).
node services/console/scripts/ensure-built.mjs

echo "== starting the stack =="
npx tsx tools/stack/src/cli.ts up
exec npx tsx tools/stack/src/apps/run.ts
