// The run's catalogue and order mix, from the seed.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MIX, catalogueFor, kindOf, planOrders, stockBaseline } from '../src/mix';
import { seeded } from '../src/random';

test('the catalogue is unique to the run, with plentiful and scarce SKUs', () => {
  const catalogue = catalogueFor('abc123', 150, seeded(1));
  assert.ok(catalogue.every((p) => p.sku.startsWith('CHAOS-ABC123-')));
  const scarce = catalogue.filter((p) => p.sku.includes('-S'));
  const plentiful = catalogue.filter((p) => p.sku.includes('-P'));
  assert.equal(scarce.length, 3);
  assert.ok(plentiful.every((p) => p.onHand >= 150 * 4));
  // About a third of the scarce demand can be met: some orders end OUT_OF_STOCK, some do not.
  const demand = (150 * MIX.scarce) / 3;
  assert.ok(scarce.every((p) => p.onHand >= 2 && p.onHand < demand));
  assert.ok(catalogue.every((p) => p.unitPrice > 0 && p.currency === 'eur'));
  assert.deepEqual(Object.keys(stockBaseline(catalogue)).length, catalogue.length);
});

test('the kinds come in about their shares', () => {
  const random = seeded(3);
  const counts: Record<string, number> = {};
  for (let i = 0; i < 20_000; i++) {
    const kind = kindOf(random);
    counts[kind] = (counts[kind] ?? 0) + 1;
  }
  for (const [kind, share] of Object.entries(MIX))
    assert.ok(Math.abs((counts[kind] ?? 0) / 20_000 - share) < 0.01, `${kind}: ${counts[kind]}`);
});

test('each kind of order carries what it needs', () => {
  const catalogue = catalogueFor('r1', 500, seeded(2));
  const price = new Map(catalogue.map((p) => [p.sku, p.unitPrice]));
  const plans = planOrders(500, catalogue, seeded(9));
  assert.equal(plans.length, 500);
  assert.deepEqual(
    plans.map((p) => p.index),
    plans.map((_, i) => i),
  );
  for (const plan of plans) {
    assert.ok(plan.items.length >= 1);
    assert.equal(new Set(plan.items.map((i) => i.sku)).size, plan.items.length, 'one line per SKU');
    if (plan.kind === 'decline') assert.equal(plan.paymentMethod, 'pm_card_chargeDeclined');
    else assert.equal(plan.paymentMethod, 'pm_card_visa');
    if (plan.kind === 'scarce') assert.ok(plan.items[0]!.sku.includes('-S'));
    if (plan.kind === 'cancel') assert.ok(plan.cancelAfterMs! >= 0 && plan.cancelAfterMs! <= 1_500);
    if (plan.kind === 'refund') {
      const total = plan.items.reduce((sum, i) => sum + i.quantity * price.get(i.sku)!, 0);
      assert.ok(plan.refund!.amount > 0 && plan.refund!.amount < total, 'a partial refund');
      if (plan.refund!.items) {
        assert.deepEqual(plan.refund!.items, [{ sku: plan.items[0]!.sku, quantity: 1 }]);
        assert.equal(plan.refund!.amount, price.get(plan.items[0]!.sku));
      }
    }
  }
  const refunds = plans.filter((p) => p.kind === 'refund');
  assert.ok(refunds.some((p) => p.refund?.items) && refunds.some((p) => !p.refund?.items));
});
