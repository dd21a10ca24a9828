// Catalogue and stock rows. Every stock change is a single conditional UPDATE, and the table's
// CHECK constraints refuse negative or oversold stock whatever the caller does.
import type { Product, ProductInput } from '../domain/model';
import type { Queryable } from './db';

interface ProductRow {
  sku: string;
  name: string;
  unit_price: number;
  currency: string;
  on_hand: number;
  reserved: number;
  max_per_order: number;
}

const COLUMNS = 'sku, name, unit_price, currency, on_hand, reserved, max_per_order';

const toProduct = (row: ProductRow): Product => ({
  sku: row.sku,
  name: row.name,
  unitPrice: row.unit_price,
  currency: row.currency,
  onHand: row.on_hand,
  reserved: row.reserved,
  available: row.on_hand - row.reserved,
  maxPerOrder: row.max_per_order,
});

export async function findProduct(db: Queryable, sku: string): Promise<Product | undefined> {
  const { rows } = await db.query<ProductRow>(`SELECT ${COLUMNS} FROM products WHERE sku = $1`, [sku]);
  return rows[0] && toProduct(rows[0]);
}

export async function findProducts(db: Queryable, skus: readonly string[]): Promise<Product[]> {
  const { rows } = await db.query<ProductRow>(
    `SELECT ${COLUMNS} FROM products WHERE sku = ANY($1::text[]) ORDER BY sku COLLATE "C"`,
    [skus],
  );
  return rows.map(toProduct);
}

export async function listProducts(db: Queryable, limit: number): Promise<Product[]> {
  const { rows } = await db.query<ProductRow>(
    `SELECT ${COLUMNS} FROM products ORDER BY sku COLLATE "C" LIMIT $1`,
    [limit],
  );
  return rows.map(toProduct);
}

/** Creates or updates a product; `reserved` is never touched here. */
export async function upsertProduct(
  db: Queryable,
  input: ProductInput,
): Promise<{ product: Product; created: boolean }> {
  const { rows } = await db.query<ProductRow & { created: boolean }>(
    `INSERT INTO products (sku, name, unit_price, currency, on_hand, max_per_order)
     VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT (sku) DO UPDATE SET
       name = EXCLUDED.name, unit_price = EXCLUDED.unit_price, currency = EXCLUDED.currency,
       on_hand = EXCLUDED.on_hand, max_per_order = EXCLUDED.max_per_order, updated_at = now()
     RETURNING ${COLUMNS}, (xmax = 0) AS created`,
    [input.sku, input.name, input.unitPrice, input.currency, input.onHand, input.maxPerOrder],
  );
  const row = rows[0];
  if (!row) throw new Error(`upsert of product ${input.sku} returned no row`);
  return { product: toProduct(row), created: row.created };
}

/** Inserts the products that do not exist yet; existing rows (and their stock) are left alone. */
export async function insertMissingProducts(db: Queryable, inputs: readonly ProductInput[]): Promise<number> {
  const { rowCount } = await db.query(
    `INSERT INTO products (sku, name, unit_price, currency, on_hand, max_per_order)
     SELECT * FROM unnest($1::text[], $2::text[], $3::int[], $4::text[], $5::int[], $6::int[])
     ON CONFLICT (sku) DO NOTHING`,
    [
      inputs.map((p) => p.sku),
      inputs.map((p) => p.name),
      inputs.map((p) => p.unitPrice),
      inputs.map((p) => p.currency),
      inputs.map((p) => p.onHand),
      inputs.map((p) => p.maxPerOrder),
    ],
  );
  return rowCount ?? 0;
}

/**
 * Holds `quantity` if that much is still available, in one statement, so two concurrent holds
 * can never both take the last unit. Returns the current price, or undefined when nothing was held.
 */
export async function holdStock(
  db: Queryable,
  sku: string,
  quantity: number,
): Promise<{ unitPrice: number } | undefined> {
  const { rows } = await db.query<{ unit_price: number }>(
    `UPDATE products SET reserved = reserved + $2, updated_at = now()
     WHERE sku = $1 AND on_hand - reserved >= $2 AND max_per_order >= $2
     RETURNING unit_price`,
    [sku, quantity],
  );
  return rows[0] && { unitPrice: rows[0].unit_price };
}

/** Held stock leaves the warehouse: both on hand and reserved go down. */
export async function consumeHeldStock(db: Queryable, sku: string, quantity: number): Promise<void> {
  await db.query(
    `UPDATE products SET on_hand = on_hand - $2, reserved = reserved - $2, updated_at = now() WHERE sku = $1`,
    [sku, quantity],
  );
}

/** Held stock becomes available again. */
export async function unholdStock(db: Queryable, sku: string, quantity: number): Promise<void> {
  await db.query(`UPDATE products SET reserved = reserved - $2, updated_at = now() WHERE sku = $1`, [
    sku,
    quantity,
  ]);
}

/** Stock that had left comes back (a return). */
export async function restock(db: Queryable, sku: string, quantity: number): Promise<void> {
  await db.query(`UPDATE products SET on_hand = on_hand + $2, updated_at = now() WHERE sku = $1`, [
    sku,
    quantity,
  ]);
}
