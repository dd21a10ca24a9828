// The Stripe REST paths the official SDK calls for PaymentIntents and Refunds.
import { Router } from 'express';
import { endpoint, type ApiContext, type ApiDeps } from './api';
import { ConnectionReset, apiError, keyInUseError, parameterError, rateLimitError } from './errors';
import { sleep, type FaultRule } from './faults';
import type { Operations } from './operations';
import {
  assertKnown,
  metadataParam,
  optionalBoolean,
  optionalEnum,
  optionalInteger,
  optionalObject,
  optionalString,
  optionalStringArray,
  requiredInteger,
  requiredString,
  type Params,
} from './params';
import type { EmulatorState, NewIntent } from './state';
import type { Operation } from './types';

const CREATE_PARAMS = [
  'amount',
  'currency',
  'capture_method',
  'confirm',
  'customer',
  'description',
  'metadata',
  'payment_method',
  'payment_method_types',
  'allowed_payment_method_types',
  'automatic_payment_methods',
  'receipt_email',
  'return_url',
];
const CANCELLATION_REASONS = ['duplicate', 'fraudulent', 'requested_by_customer', 'abandoned'] as const;
const REFUND_REASONS = ['duplicate', 'fraudulent', 'requested_by_customer'] as const;

function readNewIntent(p: Params): NewIntent {
  const amount = requiredInteger(p, 'amount', 1);
  const currency = requiredString(p, 'currency').toLowerCase();
  if (!/^[a-z]{3}$/.test(currency))
    throw parameterError(`Invalid currency: ${currency}. Use a three-letter ISO currency code.`, 'currency');
  const legacyTypes = optionalStringArray(p, 'payment_method_types');
  const allowedTypes = optionalStringArray(p, 'allowed_payment_method_types');
  const types = allowedTypes ?? legacyTypes;
  const automatic = optionalObject(p, 'automatic_payment_methods');
  if ((legacyTypes && allowedTypes) || (types && automatic))
    throw parameterError(
      'You may only specify one of these parameters: automatic_payment_methods, allowed_payment_method_types, payment_method_types.',
      'automatic_payment_methods',
    );
  let automaticPaymentMethods: NewIntent['automaticPaymentMethods'];
  if (automatic) {
    assertKnown(automatic, ['enabled', 'allow_redirects']);
    const enabled = optionalBoolean(automatic, 'enabled');
    if (enabled === undefined)
      throw parameterError(
        'Missing required param: automatic_payment_methods[enabled].',
        'automatic_payment_methods[enabled]',
        'parameter_missing',
      );
    const redirects = optionalEnum(automatic, 'allow_redirects', ['always', 'never'] as const);
    automaticPaymentMethods = { enabled, ...(redirects ? { allow_redirects: redirects } : {}) };
  }
  const optional = <K extends keyof NewIntent>(key: K, value: NewIntent[K] | undefined) =>
    value === undefined ? {} : { [key]: value };
  return {
    amount,
    currency,
    captureMethod:
      optionalEnum(p, 'capture_method', ['automatic', 'automatic_async', 'manual'] as const) ??
      'automatic_async',
    metadata: metadataParam(p) ?? {},
    ...optional('customer', optionalString(p, 'customer')),
    ...optional('description', optionalString(p, 'description', 1000)),
    ...optional('paymentMethod', optionalString(p, 'payment_method')),
    ...optional('paymentMethodTypes', types),
    ...optional('allowedTypesParam', allowedTypes ? true : undefined),
    ...optional('automaticPaymentMethods', automaticPaymentMethods),
    ...optional('receiptEmail', optionalString(p, 'receipt_email')),
  };
}

/** Acts out a matched fault rule; returns whether the card must be declined. */
async function applyFault(ctx: ApiContext, rule: FaultRule | undefined): Promise<boolean> {
  if (!rule) return false;
  if (rule.delayMs) await sleep(rule.delayMs);
  switch (rule.mode) {
    case 'error':
      throw apiError();
    case 'rate_limit':
      throw rateLimitError();
    case 'in_use':
      throw keyInUseError();
    case 'reset':
      throw new ConnectionReset();
    case 'error_after_effect':
      ctx.afterEffect = 'error';
      return false;
    case 'reset_after_effect':
      ctx.afterEffect = 'reset';
      return false;
    case 'decline':
      return true;
    case 'delay':
      return false;
  }
}

export function stripeRoutes(deps: ApiDeps, state: EmulatorState, operations: Operations): Router {
  const router = Router();
  const fault = (ctx: ApiContext, ops: Operation[], orderId: string | undefined, canDecline: boolean) =>
    applyFault(ctx, deps.faults.take(ops, orderId, canDecline));
  const intentOf = (ctx: ApiContext) => state.intent(ctx.info.account, ctx.pathParams.id ?? '');

  router.post(
    '/v1/payment_intents',
    endpoint(deps, async (ctx) => {
      assertKnown(ctx.params, CREATE_PARAMS);
      const input = readNewIntent(ctx.params);
      const confirm = optionalBoolean(ctx.params, 'confirm') ?? false;
      const returnUrl = optionalString(ctx.params, 'return_url');
      const ops: Operation[] = confirm ? ['create', 'confirm'] : ['create'];
      const forceDecline = await fault(ctx, ops, input.metadata.orderId, confirm);
      return operations.create(
        ctx.info,
        input,
        confirm ? { forceDecline, ...(returnUrl ? { returnUrl } : {}) } : undefined,
      );
    }),
  );

  router.get(
    '/v1/payment_intents',
    endpoint(deps, (ctx) => {
      assertKnown(ctx.params, ['limit', 'starting_after', 'ending_before', 'customer']);
      const limit = optionalInteger(ctx.params, 'limit', 1) ?? 10;
      if (limit > 100) throw parameterError('This value must be less than or equal to 100.', 'limit');
      const cursor = (name: string) => optionalString(ctx.params, name);
      return state.listIntents(ctx.info.account, {
        limit,
        ...(cursor('starting_after') ? { startingAfter: cursor('starting_after') } : {}),
        ...(cursor('ending_before') ? { endingBefore: cursor('ending_before') } : {}),
        ...(cursor('customer') ? { customer: cursor('customer') } : {}),
      });
    }),
  );

  router.get(
    '/v1/payment_intents/:id',
    endpoint(deps, (ctx) => {
      assertKnown(ctx.params, ['client_secret']);
      return structuredClone(intentOf(ctx).intent);
    }),
  );

  router.post(
    '/v1/payment_intents/:id/confirm',
    endpoint(deps, async (ctx) => {
      assertKnown(ctx.params, ['payment_method', 'return_url', 'receipt_email']);
      const record = intentOf(ctx);
      const paymentMethod = optionalString(ctx.params, 'payment_method');
      const returnUrl = optionalString(ctx.params, 'return_url');
      const forceDecline = await fault(ctx, ['confirm'], record.intent.metadata.orderId, true);
      return operations.confirm(ctx.info, record, {
        forceDecline,
        ...(paymentMethod ? { paymentMethod } : {}),
        ...(returnUrl ? { returnUrl } : {}),
      });
    }),
  );

  router.post(
    '/v1/payment_intents/:id/capture',
    endpoint(deps, async (ctx) => {
      assertKnown(ctx.params, ['amount_to_capture', 'metadata']);
      const record = intentOf(ctx);
      const amount = optionalInteger(ctx.params, 'amount_to_capture', 1);
      const metadata = metadataParam(ctx.params);
      await fault(ctx, ['capture'], record.intent.metadata.orderId, false);
      return operations.capture(ctx.info, record, amount, metadata);
    }),
  );

  router.post(
    '/v1/payment_intents/:id/cancel',
    endpoint(deps, async (ctx) => {
      assertKnown(ctx.params, ['cancellation_reason']);
      const record = intentOf(ctx);
      const reason = optionalEnum(ctx.params, 'cancellation_reason', CANCELLATION_REASONS);
      await fault(ctx, ['cancel'], record.intent.metadata.orderId, false);
      return operations.cancel(ctx.info, record, reason);
    }),
  );

  router.post(
    '/v1/refunds',
    endpoint(deps, async (ctx) => {
      assertKnown(ctx.params, ['payment_intent', 'charge', 'amount', 'reason', 'metadata']);
      const intentId = optionalString(ctx.params, 'payment_intent');
      const chargeId = optionalString(ctx.params, 'charge');
      if (!intentId && !chargeId)
        throw parameterError(
          'One of the following params should be provided for this request: payment_intent or charge.',
          'payment_intent',
          'parameter_missing',
        );
      const record = intentId
        ? state.intent(ctx.info.account, intentId, 'payment_intent', 400)
        : state.intentOfCharge(ctx.info.account, chargeId ?? '');
      const amount = optionalInteger(ctx.params, 'amount', 1);
      const reason = optionalEnum(ctx.params, 'reason', REFUND_REASONS);
      const metadata = metadataParam(ctx.params) ?? {};
      await fault(ctx, ['refund'], record.intent.metadata.orderId, false);
      return operations.refund(ctx.info, record, {
        metadata,
        ...(amount === undefined ? {} : { amount }),
        ...(reason ? { reason } : {}),
      });
    }),
  );

  router.get(
    '/v1/refunds/:id',
    endpoint(deps, (ctx) => {
      assertKnown(ctx.params, []);
      return structuredClone(state.refund(ctx.info.account, ctx.pathParams.id ?? ''));
    }),
  );

  router.all('/v1/*path', (req, res) => {
    res.status(404).json({
      error: {
        type: 'invalid_request_error',
        message: `Unrecognized request URL (${req.method}: ${req.path}). Please see https://stripe.com/docs or we can help at https://support.stripe.com/.`,
      },
    });
  });
  return router;
}
