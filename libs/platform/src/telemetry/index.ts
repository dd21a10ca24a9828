// Process start-up tracing; kept out of the package root so importing @orders/platform does not
// load the SDK. Trace-context helpers that need only the API live in ../tracing.ts.
export { getTelemetry, startTelemetry, type Telemetry } from './sdk';
export { serviceNameForEntry, traceExportersFromEnv, batchOptionsFromEnv } from './export-config';
