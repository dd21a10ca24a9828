// Catalogue and stock rows. Every stock change is a single conditional UPDATE, and the table's
// CHECK constraints refuse negative or oversold stock whatever the caller does.
import type { Product, ProductInput } from '../domain/model';
import { preparedStatement, type Queryable } from '@orders/platform';

interface ProductRow {
  sku: string;
  name: string;
  unit_price: number;
  currency: string;
  on_hand: number;
  reserved: number;
  max_per_order: number;
  version: string;
}

const COLUMNS = 'sku, name, unit_price, currency, on_hand, reserved, max_per_order, version';

const toProduct = (row: ProductRow): Product => ({
  sku: row.sku,
  name: row.name,
  unitPrice: row.unit_price,
  currency: row.currency,
  onHand: row.on_hand,
  reserved: row.reserved,
  available: row.on_hand - row.reserved,
  maxPerOrder: row.max_per_order,
  // bigint: pg hands it over as a string; a product would need 2^53 changes to outgrow a number.
  version: Number(row.version),
});

/** The products table, on the pool or inside one transaction (`db`). */
export function createProductsRepository(db: Queryable) {
  return {
    async findProduct(sku: string): Promise<Product | undefined> {
      const { rows } = await db.query<ProductRow>(`SELECT ${COLUMNS} FROM products WHERE sku = $1`, [sku]);
      return rows[0] && toProduct(rows[0]);
    },

    async findProducts(skus: readonly string[]): Promise<Product[]> {
      const { rows } = await db.query<ProductRow>(
        preparedStatement(
          'inventory.find-products',
          `SELECT ${COLUMNS} FROM products WHERE sku = ANY($1::text[]) ORDER BY sku COLLATE "C"`,
        ),
        [skus],
      );
      return rows.map(toProduct);
    },

    async listProducts(limit: number): Promise<Product[]> {
      const { rows } = await db.query<ProductRow>(
        `SELECT ${COLUMNS} FROM products ORDER BY sku COLLATE "C" LIMIT $1`,
        [limit],
      );
      return rows.map(toProduct);
    },

    /** Creates the product unless its SKU exists; undefined when it does. */
    async insertProduct(input: ProductInput): Promise<Product | undefined> {
      const { rows } = await db.query<ProductRow>(
        `INSERT INTO products (sku, name, unit_price, currency, on_hand, max_per_order)
         VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (sku) DO NOTHING
         RETURNING ${COLUMNS}`,
        [input.sku, input.name, input.unitPrice, input.currency, input.onHand, input.maxPerOrder],
      );
      return rows[0] && toProduct(rows[0]);
    },

    /**
     * Replaces the product's fields if it is still at `version` (compare-and-set); undefined when it
     * is not (changed since, or gone). `reserved` is never touched here.
     */
    async updateProductAtVersion(input: ProductInput, version: number): Promise<Product | undefined> {
      const { rows } = await db.query<ProductRow>(
        `UPDATE products SET
           name = $2, unit_price = $3, currency = $4, on_hand = $5, max_per_order = $6, updated_at = now()
         WHERE sku = $1 AND version = $7
         RETURNING ${COLUMNS}`,
        [input.sku, input.name, input.unitPrice, input.currency, input.onHand, input.maxPerOrder, version],
      );
      return rows[0] && toProduct(rows[0]);
    },

    /** The product, locked until the transaction ends (adjustments on one SKU run one at a time). */
    async lockProduct(sku: string): Promise<Product | undefined> {
      const { rows } = await db.query<ProductRow>(
        `SELECT ${COLUMNS} FROM products WHERE sku = $1 FOR UPDATE`,
        [sku],
      );
      return rows[0] && toProduct(rows[0]);
    },

    /** Moves on-hand stock by `delta`; the CHECK constraints still refuse going below reserved. */
    async addOnHand(sku: string, delta: number): Promise<Product> {
      const { rows } = await db.query<ProductRow>(
        `UPDATE products SET on_hand = on_hand + $2, updated_at = now() WHERE sku = $1 RETURNING ${COLUMNS}`,
        [sku, delta],
      );
      if (!rows[0]) throw new Error(`stock adjustment of ${sku} found no product row`);
      return toProduct(rows[0]);
    },

    /** Inserts the products that do not exist yet; existing rows (and their stock) are left alone. */
    async insertMissingProducts(inputs: readonly ProductInput[]): Promise<number> {
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
    },

    /**
     * Holds `quantity` if that much is still available, in one statement, so two concurrent holds
     * can never both take the last unit. Returns the current price, or undefined when nothing was held.
     */
    async holdStock(sku: string, quantity: number): Promise<{ unitPrice: number } | undefined> {
      const { rows } = await db.query<{ unit_price: number }>(
        preparedStatement(
          'inventory.hold-stock',
          `UPDATE products SET reserved = reserved + $2, updated_at = now()
           WHERE sku = $1 AND on_hand - reserved >= $2 AND max_per_order >= $2
           RETURNING unit_price`,
        ),
        [sku, quantity],
      );
      return rows[0] && { unitPrice: rows[0].unit_price };
    },

    /** Held stock leaves the warehouse: both on hand and reserved go down. */
    async consumeHeldStock(sku: string, quantity: number): Promise<void> {
      await db.query(
        preparedStatement(
          'inventory.consume-held-stock',
          `UPDATE products SET on_hand = on_hand - $2, reserved = reserved - $2, updated_at = now() WHERE sku = $1`,
        ),
        [sku, quantity],
      );
    },

    /** Held stock becomes available again. */
    async unholdStock(sku: string, quantity: number): Promise<void> {
      await db.query(
        preparedStatement(
          'inventory.unhold-stock',
          `UPDATE products SET reserved = reserved - $2, updated_at = now() WHERE sku = $1`,
        ),
        [sku, quantity],
      );
    },

    /** Stock that had left comes back (a return). */
    async restock(sku: string, quantity: number): Promise<void> {
      await db.query(`UPDATE products SET on_hand = on_hand + $2, updated_at = now() WHERE sku = $1`, [
        sku,
        quantity,
      ]);
    },
  };
}

export type ProductsRepository = ReturnType<typeof createProductsRepository>;
