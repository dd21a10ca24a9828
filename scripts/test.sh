#!/usr/bin/env bash
# The test command (README, .ci/run): installs what is missing, checks lint and types, starts
# a private stack on free ports with fresh data, runs every test against it, stops it.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/ensure-deps.sh
need python3 "Python 3 with venv, runs schemathesis and kubernetes-validate from PyPI"

# The support console the order service serves under /console/ (rebuilt only when its sources changed).
node services/console/scripts/ensure-built.mjs

echo "== lint and typecheck =="
npm run -s lint
npm run -s format:check
npm run -s typecheck

export STACK_DIR=.stack/test
# The engine at normal priority here: the test runner's own processes (workflow bundling, many
# test files) would otherwise take the CPU a niced Temporal server needs to answer in time.
export STACK_ENGINE_NICENESS=0
# A previous run that was killed may have left its stack: stop exactly that one, by pid file.
if [ -d "$STACK_DIR/run" ]; then npx tsx tools/stack/src/cli.ts down >/dev/null 2>&1 || true; fi
rm -rf "$STACK_DIR"
eval "$(npx tsx tools/stack/src/free-ports-cli.ts)"
trap 'echo "== stopping the test stack =="; npx tsx tools/stack/src/cli.ts down || true' EXIT

echo "== starting the test stack ($STACK_DIR) =="
npx tsx tools/stack/src/cli.ts up
set -a; source "$STACK_DIR/stack.env"; set +a

echo "== tests =="
mapfile -t files < <(find libs services orchestrator tools deploy loadtest -path '*/node_modules' -prune -o -name '*.test.ts' -print 2>/dev/null | sort)
[ "${#files[@]}" -gt 0 ] || { echo "error: no test files found" >&2; exit 1; }
node --import tsx --test --test-concurrency="${TEST_CONCURRENCY:-2}" --test-reporter=spec "${files[@]}"

# The chart on a real Kubernetes control plane: the stack's --k8s profile joins the running stack
# (built once, about 18 min cold, then cached), and the tests that install the chart and let the
# real HPA controller scale the workers run against it (deploy/README.md).
echo "== the chart on a real control plane (stack --k8s) =="
npx tsx tools/stack/src/cli.ts up --k8s
set -a; source "$STACK_DIR/stack.env"; set +a
mapfile -t kube_files < <(find tools deploy -path '*/node_modules' -prune -o -name '*.k8s-test.ts' -print | sort)
[ "${#kube_files[@]}" -gt 0 ] || { echo "error: no control-plane test files found" >&2; exit 1; }
node --import tsx --test --test-concurrency=1 --test-reporter=spec "${kube_files[@]}"

# Last, alone on the stack (it kills every part of it): ~150 orders under SIGKILLs of each part,
# Stripe fault windows and an SMTP outage, then the consistency audit (RELIABILITY.md).
echo "== chaos: faults on purpose, then the audit =="
npx tsx tools/chaos/src/cli.ts --json
