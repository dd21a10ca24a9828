// createActivities(deps): every activity the order saga calls, built over real clients so tests
// can aim them at the real services. The workflow types its proxies with `Activities`.
import type { OrderEventPublisher } from '../events/order-event-publisher';
import { captureActivities } from './capture';
import { eventActivities } from './events';
import { inventoryActivities } from './inventory';
import { orderActivities } from './order';
import { paymentActivities } from './payment';
import type { ParticipantClients } from './service-client';

export interface ActivityDependencies {
  orders: ParticipantClients;
  inventory: ParticipantClients;
  payment: ParticipantClients;
  events: OrderEventPublisher;
}

export function createActivities(deps: ActivityDependencies) {
  const inventory = inventoryActivities(deps.inventory, deps.events);
  const payment = paymentActivities(deps.payment);
  return {
    ...inventory,
    ...payment,
    ...captureActivities(inventory, payment),
    ...orderActivities(deps.orders, deps.events),
    ...eventActivities(deps.events),
  };
}

export type Activities = ReturnType<typeof createActivities>;
