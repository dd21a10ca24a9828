# Sourced by the top-level scripts: checks the toolchain, then installs npm dependencies from
# the lockfile when node_modules is missing or older than package-lock.json.
need() { command -v "$1" >/dev/null 2>&1 || { echo "error: $1 is required ($2)" >&2; exit 1; }; }
need node "Node.js >= 20.19"
need npm "npm, shipped with Node.js"
need go "Go >= 1.23, builds the Temporal CLI, stripe-mock and mailpit"
need java "Java 17, runs the Kafka broker"
need mvn "Maven, fetches Kafka's jars from Maven Central"
node -e 'const [a,b]=process.versions.node.split(".").map(Number); if (a<20||(a===20&&b<19)) { console.error("error: Node.js >= 20.19 required, found "+process.versions.node); process.exit(1) }'

if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "== installing npm dependencies (npm ci) =="
  npm ci --no-audit --no-fund --loglevel=error
fi
