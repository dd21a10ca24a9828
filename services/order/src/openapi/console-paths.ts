// The OpenAPI paths of the support console's reads (their own block of the document): an
// order's saga timeline and the order counts per status. Both support only.
import type { z } from 'zod';
import { orderCounts, orderCountsQuery, orderTimeline } from '../routes/console-schemas';
import type { JsonSchema } from './json-schemas';

export interface PathHelpers {
  secured: Record<string, unknown>;
  idParameter: unknown;
  output(schema: z.ZodType): JsonSchema;
  query(schema: z.ZodObject): Record<string, unknown>[];
  json(description: string, schema: JsonSchema): Record<string, unknown>;
  problems(
    statuses: (400 | 401 | 403 | 404)[],
    overrides?: Partial<Record<number, string>>,
  ): Record<string, unknown>;
}

export function consolePaths(h: PathHelpers): Record<string, unknown> {
  const supportOnly = { 403: 'Only support staff may read this (`code`: FORBIDDEN).' };
  return {
    '/v1/orders/{id}/timeline': {
      get: {
        ...h.secured,
        tags: ['orders'],
        operationId: 'getOrderTimeline',
        summary: 'The saga timeline of an order',
        description:
          'Role: support. Every saga step and compensation the order’s workflow ran (start, end, outcome, ' +
          'attempts), each domain event it published, each e-mail the notification service sent, and each ' +
          'support request with its actor and reason. Read from the workflow history while it is kept; poll ' +
          'it while `saga.open` is true to follow a running saga.',
        parameters: [h.idParameter],
        responses: {
          '200': h.json('The timeline', h.output(orderTimeline)),
          ...h.problems([400, 401, 403, 404], { ...supportOnly, 400: 'The id is not a UUID.' }),
        },
      },
    },
    '/v1/order-counts': {
      get: {
        ...h.secured,
        tags: ['orders'],
        operationId: 'countOrders',
        summary: 'Orders per status',
        description:
          'Role: support. How many orders are in each status, optionally for one customer and a creation ' +
          'date range (the same filters as the list).',
        parameters: h.query(orderCountsQuery),
        responses: {
          '200': h.json('Counts per status', h.output(orderCounts)),
          ...h.problems([400, 401, 403], {
            ...supportOnly,
            400: 'Invalid query parameter; `errors` names it.',
          }),
        },
      },
    },
  };
}
