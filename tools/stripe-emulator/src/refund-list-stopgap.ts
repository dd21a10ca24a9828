// STOPGAP until the emulator's own `GET /v1/refunds` lands (the audit work adds it to
// routes.ts): the payment service finds a refund whose answer was lost among the intent's
// refunds (`stripe.refunds.list({ payment_intent })`). Mounted only while routes.ts does not
// serve the path, so it steps aside by itself; delete this file and its two lines in
// emulator.ts once routes.ts has the endpoint.
import { Router } from 'express';
import { endpoint, type ApiDeps } from './api';
import { parameterError } from './errors';
import { assertKnown, optionalInteger, optionalString } from './params';
import type { EmulatorState } from './state';
import type { List, Refund } from './types';

/** Whether `router` already has a route for this method and path. */
export function serves(router: Router, method: string, path: string): boolean {
  return router.stack.some((layer) => {
    const route = layer.route as { path?: unknown; methods?: Record<string, boolean> } | undefined;
    return route?.path === path && route.methods?.[method] === true;
  });
}

export function refundListStopgap(deps: ApiDeps, state: EmulatorState): Router {
  const router = Router();
  router.get(
    '/v1/refunds',
    endpoint(deps, (ctx): List<Refund> => {
      assertKnown(ctx.params, ['payment_intent', 'charge', 'limit', 'starting_after']);
      const intentId = optionalString(ctx.params, 'payment_intent');
      const chargeId = optionalString(ctx.params, 'charge');
      if (!intentId && !chargeId)
        throw parameterError(
          'This stopgap lists the refunds of one payment_intent or charge.',
          'payment_intent',
        );
      const record = intentId
        ? state.intent(ctx.info.account, intentId, 'payment_intent', 400)
        : state.intentOfCharge(ctx.info.account, chargeId ?? '');
      const limit = optionalInteger(ctx.params, 'limit', 1) ?? 10;
      if (limit > 100) throw parameterError('This value must be less than or equal to 100.', 'limit');
      // Newest first, as Stripe lists.
      const all = [...record.refunds].reverse();
      const after = optionalString(ctx.params, 'starting_after');
      const from = after ? all.findIndex((r) => r.id === after) + 1 : 0;
      const page = all.slice(from, from + limit);
      return {
        object: 'list',
        data: structuredClone(page),
        has_more: from + page.length < all.length,
        url: '/v1/refunds',
      };
    }),
  );
  return router;
}
