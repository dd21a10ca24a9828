// The OpenAPI 3.1 document of the public API, generated from the same zod schemas that validate
// requests (routes/schemas.ts), so the document cannot drift from what the service accepts.
import { z } from 'zod';
import {
  cancelOrderBody,
  cancelOrderResponse,
  listOrdersQuery,
  orderIdParams,
  orderListResponse,
  orderView,
  placeOrderBody,
  placeOrderResponse,
  problem,
  refundOrderBody,
  refundResponse,
  IDEMPOTENCY_KEY_PATTERN,
} from '../routes/schemas';
import { consolePaths } from './console-paths';
import { jsonSchemas, type JsonSchema } from './json-schemas';

const healthResponse = z.object({ status: z.literal('ok') }).meta({ id: 'Health' });
const readinessResponse = z
  .object({
    status: z.enum(['ready', 'not ready']),
    checks: z.record(z.string(), z.object({ status: z.enum(['up', 'down']), error: z.string().optional() })),
  })
  .meta({ id: 'Readiness' });

// What cancel and refund answer while the saga is still working on the request (202).
const cancellationPending = z
  .object({ orderId: z.uuid(), status: z.literal('CANCELLING') })
  .meta({ id: 'CancellationPending' });
const refundPending = z
  .object({ orderId: z.uuid(), refundId: z.string(), pending: z.literal(true) })
  .meta({ id: 'RefundPending' });

type Status = 400 | 401 | 403 | 404 | 409 | 413 | 415 | 422 | 429 | 503;

const problemText: Record<Status, string> = {
  400:
    'Invalid request: `errors` names each offending field. Text anywhere in a request (body, query, path, ' +
    'headers) must be valid Unicode without U+0000, and a body valid UTF-8.',
  401: 'No valid bearer token (`code`: UNAUTHENTICATED, TOKEN_INVALID or TOKEN_EXPIRED).',
  403: 'The caller’s role or identity does not allow this (`code`: FORBIDDEN).',
  404: 'No such order.',
  409: 'The order’s current state does not allow this (e.g. `code`: ORDER_CLOSED).',
  413: 'The request body is larger than 100 kB.',
  415: 'The request body is not `application/json`.',
  422: 'A business rule was violated; `code` names it.',
  429: 'Too many requests (`code`: RATE_LIMITED); retry after the `Retry-After` seconds.',
  503: 'A dependency is unavailable right now; retry later (with the same Idempotency-Key where one applies).',
};

export interface OpenApiOptions {
  /** Absolute base URL of the API as clients reach it; omitted means "this host". */
  serverUrl?: string;
}

export function buildOpenApiDocument({ serverUrl }: OpenApiOptions = {}): Record<string, unknown> {
  const schemas = jsonSchemas();
  const input = (schema: z.ZodType) => schemas.add(schema, 'input');
  const output = (schema: z.ZodType) => schemas.add(schema, 'output');
  const problemRef = output(problem);

  const problems = (statuses: Status[], overrides: Partial<Record<Status, string>> = {}) =>
    Object.fromEntries(
      statuses.map((status) => [
        String(status),
        {
          description: overrides[status] ?? problemText[status],
          content: { 'application/problem+json': { schema: problemRef } },
          ...(status === 401
            ? { headers: { 'WWW-Authenticate': header('Bearer challenge (RFC 6750)') } }
            : {}),
          ...(status === 429
            ? { headers: { 'Retry-After': header('Seconds until a request may succeed', 'integer') } }
            : {}),
        },
      ]),
    );
  const json = (
    description: string,
    schema: JsonSchema,
    headers?: Record<string, unknown>,
    links?: Record<string, unknown>,
  ) => ({
    description,
    content: { 'application/json': { schema } },
    ...(headers ? { headers } : {}),
    ...(links ? { links } : {}),
  });
  const body = (schema: z.ZodType, example?: unknown) => ({
    required: true,
    content: { 'application/json': { schema: input(schema), ...(example ? { example } : {}) } },
  });
  const idParameter = parameters(orderIdParams, 'path', input)[0];
  const secured = { security: [{ bearerAuth: [] }] };

  return {
    openapi: '3.1.0',
    info: {
      title: 'Order Platform API',
      version: '1.0.0',
      description:
        'Place orders, follow them through their saga (validate, reserve, authorize, create, capture, commit), ' +
        'list them, cancel and refund them. Authenticate with a bearer JWT whose `role` is `customer` or ' +
        '`support`. Errors are RFC 9457 problem documents; business rejections carry a machine-readable `code`.',
    },
    ...(serverUrl ? { servers: [{ url: serverUrl }] } : {}),
    tags: [{ name: 'orders' }, { name: 'health' }],
    paths: {
      '/v1/orders': {
        post: {
          ...secured,
          tags: ['orders'],
          operationId: 'placeOrder',
          summary: 'Place an order',
          description:
            'Role: customer. The order is placed for the customer the token names. Accepted at once (202) and ' +
            'processed by a saga; follow it at the `Location` URL. Retrying with the same `Idempotency-Key` returns ' +
            'the same order (header `idempotent-replayed: true`) and never starts a second saga.',
          parameters: [idempotencyKey('Identifies this placement attempt; reuse it only to retry it.')],
          // A product of the development catalogue, so generated placements can succeed.
          requestBody: body(placeOrderBody, {
            items: [{ sku: 'MUG-LOGO', quantity: 1 }],
            paymentMethod: 'pm_card_visa',
          }),
          responses: {
            '202': json(
              'Accepted; the saga runs in the background',
              output(placeOrderResponse),
              {
                Location: header('URL of the order', 'string', true),
                'idempotent-replayed': header(
                  '`true` when this answers an earlier request with the same key',
                ),
              },
              orderLinks('$response.body#/orderId'),
            ),
            ...problems([400, 401, 403, 413, 415, 422, 429, 503], {
              403: 'Only customers place orders (`code`: FORBIDDEN).',
              422:
                'A business rule was violated; `code` is one of UNKNOWN_SKU, QUANTITY_LIMIT, CURRENCY_MISMATCH, ' +
                'ORDER_LIMIT_EXCEEDED, IDEMPOTENCY_KEY_REUSED.',
              503: 'The catalogue is unavailable (`code`: CATALOGUE_UNAVAILABLE); retry with the same Idempotency-Key.',
            }),
          },
        },
        get: {
          ...secured,
          tags: ['orders'],
          operationId: 'listOrders',
          summary: 'List orders, newest first',
          description:
            'Role: customer (only their own orders; `customerId`, if given, must be their own) or support (any ' +
            'order, optionally filtered by `customerId`). Pass `nextCursor` back as `cursor` for the next page; ' +
            'it is null on the last page.',
          parameters: parameters(listOrdersQuery, 'query', input),
          responses: {
            '200': json(
              'One page of orders',
              output(orderListResponse),
              undefined,
              orderLinks('$response.body#/items/0/orderId'),
            ),
            ...problems([400, 401, 403], {
              400: 'Invalid query parameter, or a `cursor` this API did not return; `errors` names it.',
              403: 'A customer asked for another customer’s orders (`code`: FORBIDDEN).',
            }),
          },
        },
      },
      '/v1/orders/{id}': {
        get: {
          ...secured,
          tags: ['orders'],
          operationId: 'getOrder',
          summary: 'Read an order and its live saga state',
          description: 'Role: customer (their own orders only) or support (any order).',
          parameters: [idParameter],
          responses: {
            '200': json('The order', output(orderView)),
            ...problems([400, 401, 403, 404], { 400: 'The id is not a UUID.' }),
          },
        },
      },
      '/v1/orders/{id}/cancel': {
        post: {
          ...secured,
          tags: ['orders'],
          operationId: 'cancelOrder',
          summary: 'Cancel an order',
          description:
            'Role: customer (their own orders only, until the stock is committed) or support (any order). ' +
            'Signals the order’s saga: before commit its steps are compensated; a fulfilled order (support ' +
            'only) is refunded in full and only the `items` declared sent back return to stock. Repeating ' +
            'the request is harmless.',
          parameters: [idParameter],
          requestBody: body(cancelOrderBody, { reason: 'changed my mind' }),
          responses: {
            '200': json('The order is cancelled', output(cancelOrderResponse)),
            '202': json('Accepted; the saga is still compensating or refunding', output(cancellationPending)),
            ...problems([400, 401, 403, 404, 409, 413, 415, 422, 503], {
              403: 'Another customer’s order, or `items` from a customer (`code`: FORBIDDEN).',
              409: 'The order is closed or being compensated (`ORDER_CLOSED`), or fulfilled and a customer asked (`ORDER_FULFILLED`).',
              422: 'Items declared returned beyond what the order holds (`RETURN_EXCEEDS_ORDERED`).',
            }),
          },
        },
      },
      '/v1/orders/{id}/refunds': {
        post: {
          ...secured,
          tags: ['orders'],
          operationId: 'refundOrder',
          summary: 'Refund part or all of a captured order',
          description:
            'Role: support only. Refunds may be partial and repeated, never beyond what was captured; a retry ' +
            'with the same `Idempotency-Key` returns the first result. Items listed as sent back have their ' +
            'stock returned.',
          parameters: [
            idParameter,
            idempotencyKey('Identifies this refund; retrying with the same key never refunds twice.'),
          ],
          requestBody: body(refundOrderBody, { amount: 100, reason: 'damaged in transit' }),
          responses: {
            '201': json('The refund was made', output(refundResponse)),
            '202': json('Accepted; the saga has not finished the refund yet', output(refundPending)),
            ...problems([400, 401, 403, 404, 409, 413, 415, 422, 503], {
              403: 'Only support staff refund (`code`: FORBIDDEN).',
              422:
                'The refund breaks a business rule: more than is captured and not yet refunded (`REFUND_EXCEEDS_CAPTURED`), ' +
                'items beyond the order (`RETURN_EXCEEDS_ORDERED`), this `Idempotency-Key` already used for a ' +
                'different refund (`IDEMPOTENCY_KEY_REUSED`), or refused by the provider (`REFUND_FAILED`).',
            }),
          },
        },
      },
      ...consolePaths({
        secured,
        idParameter,
        output,
        json,
        problems,
        query: (schema) => parameters(schema, 'query', input),
      }),
      '/healthz': {
        get: {
          tags: ['health'],
          operationId: 'liveness',
          summary: 'Liveness: the process can serve',
          security: [],
          responses: { '200': json('Alive', output(healthResponse)) },
        },
      },
      '/readyz': {
        get: {
          tags: ['health'],
          operationId: 'readiness',
          summary: 'Readiness: the database and Temporal answer',
          security: [],
          responses: {
            '200': json('Ready to take traffic', output(readinessResponse)),
            '503': json('A dependency is down; `checks` says which', output(readinessResponse)),
          },
        },
      },
    },
    components: {
      schemas: schemas.components,
      securitySchemes: {
        bearerAuth: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'JWT',
          description:
            'HS256 JWT with `sub`, `role` (customer | support) and, for customers, `email`; issuer `order-platform`, ' +
            'audience `order-api`. Mint local development tokens with `services/order/src/auth/mint-token.ts`.',
        },
      },
    },
  };
}

function idempotencyKey(description: string) {
  return {
    name: 'Idempotency-Key',
    in: 'header',
    required: true,
    description: `${description} 1 to 255 printable ASCII characters without spaces (a UUID, say).`,
    schema: { type: 'string', minLength: 1, maxLength: 255, pattern: IDEMPOTENCY_KEY_PATTERN.source },
  };
}

/**
 * Where a response names an order, the operations that take it (OpenAPI links), so a client or
 * a stateful fuzzer can follow a placed or listed order to its reads, cancels, refunds and
 * timeline.
 */
function orderLinks(idExpression: string) {
  const parameters = { id: idExpression };
  return {
    GetOrder: { operationId: 'getOrder', parameters, description: 'Read the order' },
    CancelOrder: { operationId: 'cancelOrder', parameters, description: 'Cancel the order' },
    RefundOrder: { operationId: 'refundOrder', parameters, description: 'Refund the order (support)' },
    OrderTimeline: {
      operationId: 'getOrderTimeline',
      parameters,
      description: 'The saga timeline of the order (support)',
    },
  };
}

function header(description: string, type = 'string', required = false) {
  return { description, required, schema: { type } };
}

/** One OpenAPI parameter per property of an object schema. */
function parameters(
  schema: z.ZodObject,
  location: 'query' | 'path',
  toJson: (schema: z.ZodType) => JsonSchema,
): Record<string, unknown>[] {
  return Object.entries(schema.shape).map(([name, property]) => {
    const { description, ...propertySchema } = toJson(property as z.ZodType);
    return {
      name,
      in: location,
      required: location === 'path' || !(property as z.ZodType).safeParse(undefined).success,
      ...(typeof description === 'string' ? { description } : {}),
      schema: propertySchema,
    };
  });
}
