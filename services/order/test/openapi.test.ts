// The OpenAPI document (complete, internally consistent, faithful to the validation schemas)
// and the docs page with its assets served from swagger-ui-dist.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { z } from 'zod';
import type { RunningServer } from '@orders/platform';
import { buildOpenApiDocument } from '../src/openapi/document';
import { openApiRoutes } from '../src/openapi/routes';
import { call, serve } from './support';

type Json = Record<string, unknown>;

const document = buildOpenApiDocument({ serverUrl: 'https://orders.example.test' }) as Json & {
  paths: Record<string, Record<string, Json>>;
  components: { schemas: Record<string, Json>; securitySchemes: Record<string, Json> };
};
const schemas = document.components.schemas;

let server: RunningServer;
before(async () => {
  server = await serve(openApiRoutes());
});
after(() => server.close());

const operations = Object.entries(document.paths).flatMap(([path, item]) =>
  Object.entries(item).map(([method, operation]) => ({ path, method, operation })),
);

test('the document is OpenAPI 3.1 with every operation of the API', () => {
  assert.equal(document.openapi, '3.1.0');
  assert.deepEqual(document.info, {
    ...(document.info as Json),
    title: 'Order Platform API',
    version: '1.0.0',
  });
  assert.deepEqual(operations.map(({ method, path }) => `${method.toUpperCase()} ${path}`).sort(), [
    'GET /healthz',
    'GET /readyz',
    'GET /v1/order-counts',
    'GET /v1/orders',
    'GET /v1/orders/{id}',
    'GET /v1/orders/{id}/timeline',
    'POST /v1/orders',
    'POST /v1/orders/{id}/cancel',
    'POST /v1/orders/{id}/refunds',
  ]);
});

test('API operations need a bearer token, health does not; each describes who may call it', () => {
  const { bearerAuth } = document.components.securitySchemes;
  assert.deepEqual(
    [bearerAuth?.type, bearerAuth?.scheme, bearerAuth?.bearerFormat],
    ['http', 'bearer', 'JWT'],
  );
  for (const { path, operation } of operations) {
    const responses = operation.responses as Record<string, Json>;
    if (path.startsWith('/v1/')) {
      assert.deepEqual(operation.security, [{ bearerAuth: [] }], path);
      assert.match(String(operation.description), /Role: /, path);
      assert.ok(responses['401'] && responses['400'], `${path} documents 400 and 401`);
    } else {
      assert.deepEqual(operation.security, [], path);
    }
  }
});

test('responses carry the documented statuses and problem documents', () => {
  const statuses = (path: string, method: string) =>
    Object.keys(document.paths[path]?.[method]?.responses as Json).sort();
  assert.deepEqual(statuses('/v1/orders', 'post'), [
    '202',
    '400',
    '401',
    '403',
    '413',
    '415',
    '422',
    '429',
    '503',
  ]);
  assert.deepEqual(statuses('/v1/orders/{id}/refunds', 'post'), [
    '201',
    '202',
    '400',
    '401',
    '403',
    '404',
    '409',
    '413',
    '415',
    '422',
    '503',
  ]);
  const placed = document.paths['/v1/orders']?.post?.responses as Record<string, Json>;
  assert.ok((placed['202']?.headers as Json).Location);
  assert.deepEqual(placed['422']?.content, {
    'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } },
  });
  assert.ok((placed['429']?.headers as Json)['Retry-After']);
  const parameters = document.paths['/v1/orders']?.post?.parameters as Json[];
  assert.deepEqual(
    parameters.map((p) => [p.name, p.in, p.required]),
    [['Idempotency-Key', 'header', true]],
  );
});

test('list parameters come from the query schema', () => {
  const parameters = document.paths['/v1/orders']?.get?.parameters as Json[];
  assert.deepEqual(
    parameters.map((p) => [p.name, p.in, p.required]),
    [
      ['limit', 'query', false],
      ['cursor', 'query', false],
      ['status', 'query', false],
      ['customerId', 'query', false],
      ['from', 'query', false],
      ['to', 'query', false],
    ],
  );
});

test('every $ref resolves inside the document', () => {
  const refs: string[] = [];
  const walk = (value: unknown): void => {
    if (Array.isArray(value)) value.forEach(walk);
    else if (typeof value === 'object' && value !== null)
      for (const [key, inner] of Object.entries(value)) {
        if (key === '$ref' && typeof inner === 'string') refs.push(inner);
        else walk(inner);
      }
  };
  walk(document);
  assert.ok(refs.length > 10);
  for (const ref of refs) {
    assert.match(ref, /^#\//, ref);
    const target = ref
      .slice(2)
      .split('/')
      .reduce<unknown>((node, segment) => (node as Json | undefined)?.[segment], document);
    assert.ok(target && typeof target === 'object', `${ref} does not resolve`);
  }
  for (const id of [
    'PlaceOrderRequest',
    'PlaceOrderResponse',
    'OrderList',
    'OrderSummary',
    'Order',
    'Problem',
  ])
    assert.ok(schemas[id], `components.schemas.${id}`);
});

/** A validator for one component, read back from the document's JSON Schema (refs and all). */
function validatorFor(id: string) {
  const relinked = JSON.parse(
    JSON.stringify(schemas).replaceAll('#/components/schemas/', '#/$defs/'),
  ) as Record<string, z.core.JSONSchema.JSONSchema>;
  return z.fromJSONSchema({ $ref: `#/$defs/${id}`, $defs: relinked });
}

test('PlaceOrderRequest requires items and paymentMethod, and accepts a valid order', () => {
  assert.deepEqual(schemas.PlaceOrderRequest?.required, ['items', 'paymentMethod']);
  const validator = validatorFor('PlaceOrderRequest');
  const valid = { items: [{ sku: 'MUG-LOGO', quantity: 2 }], paymentMethod: 'pm_card_visa' };
  assert.ok(validator.safeParse(valid).success);
  assert.ok(!validator.safeParse({ paymentMethod: 'pm_card_visa' }).success, 'items required');
  assert.ok(!validator.safeParse({ ...valid, items: [] }).success, 'at least one item');
  assert.ok(!validator.safeParse({ ...valid, items: [{ sku: 'MUG-LOGO', quantity: 0 }] }).success);
  assert.ok(!validator.safeParse({ ...valid, customer: { id: 'x' } }).success, 'no unknown fields');
});

test('the cancel and refund request schemas accept valid examples and refuse invalid ones', () => {
  const cancel = validatorFor('CancelOrderRequest');
  assert.ok(cancel.safeParse({ reason: 'changed my mind' }).success);
  assert.ok(!cancel.safeParse({}).success);
  const refund = validatorFor('RefundOrderRequest');
  assert.ok(refund.safeParse({ amount: 500, reason: 'damaged' }).success);
  assert.ok(
    refund.safeParse({ amount: 500, reason: 'returned', items: [{ sku: 'MUG-LOGO', quantity: 1 }] }).success,
  );
  assert.ok(!refund.safeParse({ amount: 0, reason: 'damaged' }).success);
  assert.ok(!refund.safeParse({ amount: 1.5, reason: 'damaged' }).success);
});

test('response schemas accept what the service sends, problem extensions included', () => {
  const list = validatorFor('OrderList');
  const summary = {
    orderId: 'b52af6d9-3273-4886-992f-20a00e8e84c5',
    customerId: 'cust-1',
    status: 'COMPLETED',
    total: 4597,
    currency: 'eur',
    createdAt: '2030-01-01T00:00:00.000Z',
    updatedAt: '2030-01-01T00:00:01.000Z',
  };
  assert.ok(list.safeParse({ items: [summary], nextCursor: null }).success);
  assert.ok(!list.safeParse({ items: [{ ...summary, status: 'SHIPPED' }], nextCursor: null }).success);
  const problem = validatorFor('Problem');
  assert.ok(
    problem.safeParse({
      type: 'urn:problem:conflict',
      title: 'Conflict',
      status: 409,
      code: 'ORDER_CLOSED',
      orderStatus: 'FAILED',
    }).success,
  );
});

test('GET /openapi.json serves the document', async () => {
  const reply = await call<Json>(`${server.url}/openapi.json`);
  assert.equal(reply.status, 200);
  assert.match(reply.headers.get('content-type') ?? '', /application\/json/);
  assert.equal(reply.body.openapi, '3.1.0');
  assert.deepEqual(Object.keys(reply.body.paths as Json).sort(), Object.keys(document.paths).sort());
});

test('GET /docs serves Swagger UI pointing at /openapi.json, with its assets', async () => {
  const page = await call<string>(`${server.url}/docs`);
  assert.equal(page.status, 200);
  assert.match(page.headers.get('content-type') ?? '', /text\/html/);
  const assets = [...page.body.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1] ?? '');
  assert.ok(assets.some((a) => a.endsWith('.js')) && assets.some((a) => a.endsWith('.css')));
  for (const asset of assets) {
    assert.ok(asset.startsWith('/docs/'), `${asset} is served locally, not from a CDN`);
    const reply = await fetch(`${server.url}${asset}`);
    assert.equal(reply.status, 200, asset);
    assert.match(reply.headers.get('content-type') ?? '', /javascript|css|png/, asset);
    if (asset.endsWith('swagger-initializer.js')) assert.match(await reply.text(), /url: '\/openapi\.json'/);
    else await reply.arrayBuffer();
  }
  assert.equal((await call(`${server.url}/docs/`)).status, 200);
});

/** Every JSON Schema node reachable from `value` (components followed through $ref once). */
function schemaNodes(value: unknown, seen = new Set<string>()): Json[] {
  if (Array.isArray(value)) return value.flatMap((v) => schemaNodes(v, seen));
  if (typeof value !== 'object' || value === null) return [];
  const node = value as Json;
  const ref = typeof node.$ref === 'string' ? node.$ref : undefined;
  if (ref) {
    if (seen.has(ref)) return [];
    seen.add(ref);
    return schemaNodes(schemas[ref.split('/').at(-1) ?? ''], seen);
  }
  return [node, ...Object.values(node).flatMap((v) => schemaNodes(v, seen))];
}

test('every request string says which characters it takes, so generated requests are never malformed', () => {
  const requestSchemas = operations.flatMap(({ operation }) => [
    ...((operation.parameters as Json[] | undefined) ?? []).map((p) => p.schema),
    ...Object.values(
      ((operation.requestBody as Json | undefined)?.content ?? {}) as Record<string, Json>,
    ).map((c) => c.schema),
  ]);
  const strings = schemaNodes(requestSchemas).filter((node) => node.type === 'string');
  assert.ok(strings.length >= 8);
  for (const node of strings)
    assert.ok(
      typeof node.pattern === 'string' || Array.isArray(node.enum) || Array.isArray(node.allOf),
      `a request string without a pattern or enum: ${JSON.stringify(node)}`,
    );
});

test('placed and listed orders link to the operations that take an order id', () => {
  const ids = new Set(operations.map(({ operation }) => operation.operationId));
  const linksOf = (path: string, method: string, status: string) =>
    ((document.paths[path]?.[method]?.responses as Record<string, Json>)[status]?.links ?? {}) as Record<
      string,
      { operationId: string; parameters: Record<string, string> }
    >;
  const placed = linksOf('/v1/orders', 'post', '202');
  const listed = linksOf('/v1/orders', 'get', '200');
  for (const links of [placed, listed]) {
    assert.deepEqual(
      Object.values(links)
        .map((l) => l.operationId)
        .sort(),
      ['cancelOrder', 'getOrder', 'getOrderTimeline', 'refundOrder'],
    );
    for (const link of Object.values(links)) assert.ok(ids.has(link.operationId), link.operationId);
  }
  assert.equal(placed.GetOrder?.parameters.id, '$response.body#/orderId');
  assert.equal(listed.GetOrder?.parameters.id, '$response.body#/items/0/orderId');
});

test('the cursor pattern admits exactly the cursors the API decodes', async () => {
  const { decodeCursor, encodeCursor } = await import('../src/routes/list-orders');
  const listParameters = document.paths['/v1/orders']?.get?.parameters as Json[];
  const cursor = listParameters.find((p) => p.name === 'cursor')?.schema as Json;
  const pattern = new RegExp(String(cursor.pattern));
  const position = { createdAt: '2030-01-01T00:00:00.123456Z', id: 'b52af6d9-3273-4886-992f-20a00e8e84c5' };
  const issued = encodeCursor(position);
  assert.ok(pattern.test(issued), issued);
  assert.deepEqual(decodeCursor(issued), position);
  assert.deepEqual(
    decodeCursor('0_00000000-0000-0000-0000-000000000000').createdAt,
    '1970-01-01T00:00:00.000000Z',
  );
  assert.ok(
    decodeCursor('9999999999999999_ffffffff-ffff-ffff-ffff-ffffffffffff').createdAt.startsWith('2286-'),
  );
});
