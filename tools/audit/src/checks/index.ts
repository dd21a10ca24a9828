// Every check, in report order.
import type { AuditData, CheckResult, CheckSettings } from '../model';
import { checkEmails } from './emails';
import { checkEvents } from './events';
import { checkMoney } from './money';
import { checkPendingRefunds } from './pending-refunds';
import { checkStock } from './stock';
import { checkNoDoubleRefund, checkOnePaymentIntent } from './stripe-objects';
import { checkTerminal } from './terminal';

export function runChecks(data: AuditData, settings: CheckSettings): CheckResult[] {
  return [
    checkTerminal(data, settings),
    checkStock(data, settings),
    checkMoney(data),
    checkOnePaymentIntent(data),
    checkNoDoubleRefund(data),
    checkEvents(data),
    checkEmails(data),
    checkPendingRefunds(data, settings),
  ];
}

/** Checks whose sources trail the order record (events and e-mails leave after it is written). */
export const TRAILING_CHECKS: ReadonlySet<string> = new Set(['events', 'emails']);
