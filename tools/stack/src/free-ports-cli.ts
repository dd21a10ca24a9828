// Prints `export STACK_..._PORT=N` lines with ports free right now, so a test run never shares
// ports with a developer's stack or a leftover process (scripts/test.sh evals them).
import { freePort } from './free-port';

const names = [
  'STACK_TEMPORAL_PORT',
  'STACK_TEMPORAL_UI_PORT',
  'STACK_KAFKA_PORT',
  'STACK_KAFKA_CONTROLLER_PORT',
  'STACK_KAFKA_SASL_PORT',
  'STACK_POSTGRES_PORT',
  'STACK_STRIPE_MOCK_PORT',
  'STACK_STRIPE_EMULATOR_PORT',
  'STACK_SMTP_PORT',
  'STACK_MAILPIT_PORT',
  'STACK_ETCD_PORT',
  'STACK_ETCD_PEER_PORT',
  'STACK_KUBE_APISERVER_PORT',
  'STACK_PROMETHEUS_PORT',
  'STACK_PROMETHEUS_ADAPTER_PORT',
];

for (const name of names) process.stdout.write(`export ${name}=${await freePort()}\n`);
