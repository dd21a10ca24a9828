// Errors that know how to present themselves as RFC 9457 problem details, and the one mapping of
// a domain error's kind to its HTTP status. Domain code throws DomainErrors; HTTP code (input
// validation, media types) throws these; one middleware turns either into a response.
import type { DomainError, DomainErrorKind } from '../domain-error';

export interface FieldError {
  /** Dotted path of the offending field, e.g. `items.0.quantity`. */
  field: string;
  message: string;
}

export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail?: string;
  instance?: string;
  errors?: FieldError[];
  [extension: string]: unknown;
}

export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    detail?: string,
    readonly extensions: Record<string, unknown> = {},
    options?: ErrorOptions,
  ) {
    super(detail ?? title, options);
    this.name = new.target.name;
  }

  /** A stable URI-ish identifier clients can switch on. */
  get type(): string {
    return `urn:problem:${this.title.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`;
  }

  toProblem(instance?: string): ProblemDetails {
    // Extensions first: an extension may never overwrite a standard member such as `status`.
    return {
      ...this.extensions,
      type: this.type,
      title: this.title,
      status: this.status,
      detail: this.message,
      instance,
    };
  }
}

export class ValidationError extends AppError {
  constructor(
    readonly errors: FieldError[],
    detail = describeFieldErrors(errors),
  ) {
    super(400, 'Invalid request', detail, { errors });
  }
}

export class NotFoundError extends AppError {
  constructor(what: string, id: string) {
    super(404, 'Not found', `${what} ${id} does not exist`);
  }
}

export class ConflictError extends AppError {
  constructor(detail: string, extensions: Record<string, unknown> = {}) {
    super(409, 'Conflict', detail, extensions);
  }
}

/** The request was well formed but breaks a business rule (out of stock, card declined ...). */
export class BusinessRuleError extends AppError {
  constructor(
    readonly code: string,
    detail: string,
    extensions: Record<string, unknown> = {},
  ) {
    super(422, 'Business rule violated', detail, { code, ...extensions });
  }
}

const DOMAIN_ERROR_STATUS: Record<DomainErrorKind, { status: number; title: string }> = {
  rejected: { status: 422, title: 'Business rule violated' },
  conflict: { status: 409, title: 'Conflict' },
  not_found: { status: 404, title: 'Not found' },
  forbidden: { status: 403, title: 'Forbidden' },
  unavailable: { status: 503, title: 'Service unavailable' },
  precondition_failed: { status: 412, title: 'Precondition failed' },
  precondition_required: { status: 428, title: 'Precondition required' },
};

/** A domain error as the problem its kind stands for, carrying its `code` and details. */
export function fromDomainError(err: DomainError): AppError {
  const { status, title } = DOMAIN_ERROR_STATUS[err.kind];
  return new AppError(status, title, err.message, { code: err.code, ...err.details }, { cause: err });
}

export function describeFieldErrors(errors: FieldError[]): string {
  return errors.map((e) => `${e.field || '(body)'}: ${e.message}`).join('; ');
}
