// The public API's shapes, taken from the order service's own zod schemas (types only: nothing
// of the server is bundled), so the console cannot drift from what the API answers.
import type { z } from 'zod';
import type {
  orderCounts,
  orderTimeline,
  timelineActivity,
  timelineEmail,
  timelineEvent,
  timelineSupportAction,
} from '../../order/src/routes/console-schemas';
import type { orderListResponse, orderView, refundResponse } from '../../order/src/routes/schemas';

export type Order = z.output<typeof orderView>;
export type OrderList = z.output<typeof orderListResponse>;
export type OrderSummary = OrderList['items'][number];
export type OrderCounts = z.output<typeof orderCounts>;
export type OrderTimeline = z.output<typeof orderTimeline>;
export type TimelineActivity = z.output<typeof timelineActivity>;
export type TimelineEvent = z.output<typeof timelineEvent>;
export type TimelineEmail = z.output<typeof timelineEmail>;
export type TimelineSupportAction = z.output<typeof timelineSupportAction>;
export type Refund = z.output<typeof refundResponse>;
export type OrderStatus = Order['status'];

export const ORDER_STATUSES: OrderStatus[] = ['PENDING', 'CONFIRMED', 'COMPLETED', 'FAILED', 'CANCELLED'];
