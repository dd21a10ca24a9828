// The load: orders placed through the public API (POST /v1/orders) on an open model — each at its
// scheduled time, whether or not earlier ones have been answered — for a product of its own, so
// repeated runs neither run out of stock nor touch the demo catalogue. Each accepted order's saga
// is then followed to its end through Temporal.
import { randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import { orderSagaResult } from '@orders/orchestrator/client';
import { DEV_JWT_SECRET, createTokenService } from '@orders/order/auth';
import type { Logger } from '@orders/platform';
import { sleep } from '@orders/stack/processes';

export interface OrderLoadOptions {
  orderUrl: string;
  inventoryUrl: string;
  /** The inventory service's routes require the internal service token. */
  internalApiToken: string;
  temporal: Client;
  logger: Logger;
  orders: number;
  /** Placements per second; 0 places them all at once (a burst). */
  ratePerSecond: number;
}

export interface LoadCounts {
  placed: number;
  rejected: number;
  completed: number;
  failed: number;
}

export class OrderLoad {
  readonly counts: LoadCounts = { placed: 0, rejected: 0, completed: 0, failed: 0 };
  private readonly sagas: Promise<void>[] = [];
  private readonly sku = `SCALE-${randomUUID().slice(0, 12).toUpperCase()}`;

  constructor(private readonly options: OrderLoadOptions) {}

  /** Seconds the placements take at the configured rate. */
  get durationSeconds(): number {
    return this.options.ratePerSecond > 0 ? this.options.orders / this.options.ratePerSecond : 0;
  }

  async run(): Promise<void> {
    const { inventoryUrl, internalApiToken, orders, ratePerSecond } = this.options;
    const res = await fetch(`${inventoryUrl}/v1/products/${this.sku}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${internalApiToken}` },
      body: JSON.stringify({
        name: 'Autoscaler demo item',
        currency: 'eur',
        unitPrice: 500,
        onHand: orders,
        maxPerOrder: 1,
      }),
    });
    if (!res.ok) throw new Error(`could not create product ${this.sku}: ${res.status} ${await res.text()}`);

    const tokens = createTokenService({ secret: DEV_JWT_SECRET });
    const customerId = `autoscale-${randomUUID().slice(0, 8)}`;
    const token = await tokens.sign({
      sub: customerId,
      role: 'customer',
      email: `${customerId}@example.test`,
    });
    const started = Date.now();
    const placements: Promise<void>[] = [];
    for (let i = 0; i < orders; i++) {
      if (ratePerSecond > 0) await sleep(Math.max(0, started + (i * 1000) / ratePerSecond - Date.now()));
      placements.push(this.placeOne(token));
    }
    await Promise.all(placements);
  }

  /** Resolves once every accepted order's saga has finished. */
  async sagasFinished(): Promise<void> {
    await Promise.all(this.sagas);
  }

  private async placeOne(token: string): Promise<void> {
    const { orderUrl, temporal, logger } = this.options;
    try {
      const res = await fetch(`${orderUrl}/v1/orders`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: `Bearer ${token}`,
          'idempotency-key': randomUUID(),
        },
        body: JSON.stringify({ items: [{ sku: this.sku, quantity: 1 }], paymentMethod: 'pm_card_visa' }),
      });
      const body = (await res.json()) as { orderId?: string; code?: string };
      if (res.status !== 202 || !body.orderId) {
        this.counts.rejected++;
        logger.warn({ status: res.status, code: body.code }, 'order not accepted');
        return;
      }
      this.counts.placed++;
      const result = orderSagaResult(temporal, body.orderId);
      this.sagas.push(
        result.then(
          (r) => {
            if (r.status === 'COMPLETED') this.counts.completed++;
            else this.counts.failed++;
          },
          (err: unknown) => {
            this.counts.failed++;
            logger.error({ err, orderId: body.orderId }, 'saga did not complete');
          },
        ),
      );
    } catch (err) {
      this.counts.rejected++;
      logger.warn({ err }, 'order placement failed');
    }
  }
}
