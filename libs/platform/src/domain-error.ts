// The one base for what a service's domain refuses or cannot do. The domain names the kind of
// failure and a stable machine-readable `code`; the platform's error middleware alone decides how
// each kind is presented over HTTP (http/errors.ts), so every service answers the same way.

export type DomainErrorKind =
  /** Well formed, but a business rule forbids it (out of stock, card declined, limits). */
  | 'rejected'
  /** Contradicts the current state of a resource (closed, already captured, mismatch). */
  | 'conflict'
  /** The resource the request names does not exist. */
  | 'not_found'
  /** The caller may not do this to this resource. */
  | 'forbidden'
  /** A dependency could not be reached or failed; the same request may succeed later. */
  | 'unavailable'
  /** The request's condition (If-Match, If-None-Match) does not hold for the resource now. */
  | 'precondition_failed'
  /** An absolute write that must name the version it replaces, and did not. */
  | 'precondition_required';

/** `details` become problem extensions: never name them type, title, status, detail or instance. */
export class DomainError extends Error {
  constructor(
    readonly kind: DomainErrorKind,
    readonly code: string,
    message: string,
    readonly details: Record<string, unknown> = {},
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}
