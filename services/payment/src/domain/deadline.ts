// How long one payment-service request may keep asking Stripe (PAYMENT_REQUEST_DEADLINE_MS).
// The caller gives up a little later than this, so by the time it retries, every Stripe call
// this request made has finished or timed out: the retry never races its own first attempt.

export class Deadline {
  private constructor(private readonly at: number) {}

  static in(ms: number): Deadline {
    return new Deadline(Date.now() + ms);
  }

  /** Milliseconds left; 0 once it has passed. */
  remaining(): number {
    return Math.max(0, this.at - Date.now());
  }
}
