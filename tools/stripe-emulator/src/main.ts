// Runs the emulator as a process of the local stack: `node --import tsx tools/stripe-emulator/src/main.ts`.
import { z } from 'zod';
import { createLogger, installSignalHandlers, loadConfig, onShutdown, port } from '@orders/platform';
import { startEmulator } from './emulator';
import { parseLatency } from './faults';

const config = loadConfig(
  z.object({
    PORT: port(12113),
    HOST: z.string().default('127.0.0.1'),
    LOG_LEVEL: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']).default('info'),
    STRIPE_EMULATOR_LATENCY_MS: z
      .string()
      .default('0')
      .refine((text) => {
        try {
          parseLatency(text);
          return true;
        } catch {
          return false;
        }
      }, 'use a number of milliseconds or a range like 20-80'),
    STRIPE_EMULATOR_FAULT_RATE: z.coerce.number().min(0).max(1).default(0),
  }),
);

const logger = createLogger('stripe-emulator', config.LOG_LEVEL);
const emulator = await startEmulator({
  port: config.PORT,
  host: config.HOST,
  latencyMs: config.STRIPE_EMULATOR_LATENCY_MS,
  faultRate: config.STRIPE_EMULATOR_FAULT_RATE,
  logger,
});
logger.info(
  { url: emulator.url, latencyMs: emulator.faults.latency, faultRate: emulator.faults.faultRate },
  'stripe emulator listening',
);
onShutdown('http server', () => emulator.close());
installSignalHandlers(logger);
