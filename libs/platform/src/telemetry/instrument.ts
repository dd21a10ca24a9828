// Tracing start-up, loaded (through instrument.mjs) by `node --import tsx --import
// @orders/platform/telemetry/instrument <main>` before any app module. Our code is ESM: an ESM
// `import express from 'express'` does not go through require(), so require-in-the-middle
// alone leaves express and kafkajs unpatched (measured: only pg and http were). The
// import-in-the-middle loader hook must be registered before the app's module graph loads,
// which only --import does; its message channel limits it to the modules instrumentations name.
import { register } from 'node:module';
import { createAddHookMessageChannel } from 'import-in-the-middle';
import { onShutdown } from '../lifecycle';
import { serviceNameForEntry } from './export-config';
import { startTelemetry } from './sdk';

const { registerOptions, waitForAllMessagesAcknowledged } = createAddHookMessageChannel();
register('import-in-the-middle/hook.mjs', import.meta.url, registerOptions);

const telemetry = await startTelemetry(serviceNameForEntry(process.argv[1]) ?? 'unknown_service:node');
// Registered before the app's hooks, so it runs last: spans of the drain itself are flushed too.
onShutdown('telemetry', () => telemetry.shutdown());

await waitForAllMessagesAcknowledged();
