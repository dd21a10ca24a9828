// The inventory's vocabulary, shared by the use cases, the repositories and the routes.

export const RESERVATION_STATUSES = ['HELD', 'COMMITTED', 'RELEASED', 'EXPIRED', 'RETURNED'] as const;
export type ReservationStatus = (typeof RESERVATION_STATUSES)[number];

/** Statuses reached through a compensation or expiry: the reservation can never hold stock again. */
export const CLOSED_STATUSES: readonly ReservationStatus[] = ['RELEASED', 'EXPIRED', 'RETURNED'];
export const isClosed = (status: ReservationStatus): boolean => CLOSED_STATUSES.includes(status);

export interface Product {
  sku: string;
  name: string;
  /** Minor units (cents). */
  unitPrice: number;
  /** Lowercase ISO 4217 code. */
  currency: string;
  onHand: number;
  reserved: number;
  available: number;
  maxPerOrder: number;
  /** Moves on every change to the product (stock held, committed, released, returned, edited). */
  version: number;
}

/** The most a product may have on hand (the PUT schema's bound; keeps sums inside `integer`). */
export const MAX_ON_HAND = 1_000_000_000;

export interface ProductInput {
  sku: string;
  name: string;
  unitPrice: number;
  currency: string;
  onHand: number;
  maxPerOrder: number;
}

export interface StockAdjustment {
  sku: string;
  idempotencyKey: string;
  /** Units added (positive) or removed (negative). */
  delta: number;
  reason: string;
  onHandAfter: number;
  createdAt: Date;
}

export interface ItemRequest {
  sku: string;
  quantity: number;
}

export interface ReservationItem {
  sku: string;
  quantity: number;
  /** Catalogue price when the stock was reserved, in minor units. */
  unitPrice: number;
  returnedQuantity: number;
}

export interface Reservation {
  orderId: string;
  status: ReservationStatus;
  items: ReservationItem[];
  expiresAt: Date;
  /** Set once the saga is about to capture against the hold: from then on it never expires. */
  pinnedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

/** A use case's answer plus whether this call created it (the HTTP layer picks 201 or 200). */
export interface Outcome<T> {
  value: T;
  created: boolean;
}

/**
 * Sorting by SKU gives every transaction the same row-lock order, so two cannot deadlock. SQL
 * that orders SKUs for the same purpose uses COLLATE "C", the same code-unit order as this.
 */
export const bySku = <T extends { sku: string }>(items: readonly T[]): T[] =>
  [...items].sort((a, b) => (a.sku < b.sku ? -1 : a.sku > b.sku ? 1 : 0));
