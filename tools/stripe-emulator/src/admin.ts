// The emulator's own API, for tests and audits (never part of Stripe's): fault rules, every
// intent of an order with its refunds and effects, and totals.
import { Router, json } from 'express';
import type { Faults } from './faults';
import type { IdempotencyStore } from './idempotency';
import type { EmulatorState } from './state';
import type { ApiDeps } from './api';

export function adminRoutes(
  state: EmulatorState,
  faults: Faults,
  idempotency: IdempotencyStore,
  counters: ApiDeps['counters'],
): Router {
  const router = Router();
  const invalid = (message: string) => ({ error: { type: 'invalid_request_error', message } });

  router.post('/_emulator/faults', json(), (req, res) => {
    const parsed = faults.validate(req.body);
    if (!parsed.success) {
      res.status(400).json(invalid(parsed.error));
      return;
    }
    res.status(201).json(faults.add(parsed.data));
  });
  router.get('/_emulator/faults', (_req, res) => {
    res.json({ object: 'list', data: faults.list() });
  });
  router.delete('/_emulator/faults', (_req, res) => {
    faults.clear();
    res.status(204).end();
  });

  // Stripe forgets idempotency keys after 24 hours; this forgets the completed ones now.
  router.delete('/_emulator/idempotency_keys', (_req, res) => {
    res.json({ expired: idempotency.expireCompleted() });
  });

  router.get('/_emulator/payment_intents', (req, res) => {
    const orderId = req.query.orderId;
    if (typeof orderId !== 'string' || orderId === '') {
      res.status(400).json(invalid('query parameter orderId is required'));
      return;
    }
    res.json({ object: 'list', data: state.intentsForOrder(orderId) });
  });

  router.get('/_emulator/stats', (_req, res) => {
    res.json({
      ...state.stats(),
      requests: counters.requests,
      idempotent_replays: counters.replays,
      faults_injected: faults.injected,
      idempotency_keys: idempotency.size,
      faults: { latency_ms: faults.latency, fault_rate: faults.faultRate, rules: faults.list().length },
    });
  });

  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  return router;
}
