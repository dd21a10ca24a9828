// Who sees which orders, in one place: reading one, listing them, cancelling or refunding one
// all ask this rule, so no route can forget it or apply a looser copy.
import { DomainError } from '@orders/platform';
import type { Principal } from '../auth/tokens';

/** A customer asking for another customer's order, or for another customer's list of orders. */
export class NotYourOrder extends DomainError {
  constructor() {
    super('forbidden', 'FORBIDDEN', 'customers see only their own orders');
  }
}

/**
 * Support sees every customer's orders; a customer only their own. Given the customer whose
 * orders are asked for (undefined: anyone's), returns the customer the caller's view is limited
 * to — undefined only for support asking for no one in particular — and throws NotYourOrder when
 * a customer asks for someone else's.
 */
export function visibleCustomer(principal: Principal, customerId: string | undefined): string | undefined {
  if (principal.role === 'support') return customerId;
  if (customerId !== undefined && customerId !== principal.subject) throw new NotYourOrder();
  return principal.subject;
}
