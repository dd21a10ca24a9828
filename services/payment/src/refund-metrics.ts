// Pending refunds on /metrics: how many, and how long the oldest has waited for Stripe's answer
// (the PaymentRefundsPending alert fires on the age). Read from the database at scrape time,
// once per scrape for both gauges.
import { Gauge } from 'prom-client';
import type { Logger, Metrics } from '@orders/platform';
import type { PaymentsRepository } from './data-access/payments-repository';

export function registerRefundMetrics(metrics: Metrics, repo: PaymentsRepository, logger: Logger): void {
  let last = { count: 0, oldestAgeSeconds: 0 };
  let reading: Promise<void> | undefined;
  // Both gauges collect in the same scrape: they share one query.
  const read = () =>
    (reading ??= repo
      .pendingRefundStats()
      .then((stats) => {
        last = stats;
      })
      .catch((err: unknown) => {
        // A scrape must not fail because the database blinked; the last figures stand.
        logger.warn({ err }, 'could not read pending refunds for metrics');
      })
      .finally(() => {
        reading = undefined;
      }));

  new Gauge({
    name: 'payments_refunds_pending',
    help: 'Refunds reserved whose outcome at Stripe is not known yet',
    registers: [metrics.registry],
    async collect() {
      await read();
      this.set(last.count);
    },
  });
  new Gauge({
    name: 'payments_refunds_pending_oldest_age_seconds',
    help: 'Age of the oldest pending refund (0 when none is pending)',
    registers: [metrics.registry],
    async collect() {
      await read();
      this.set(last.oldestAgeSeconds);
    },
  });
}
