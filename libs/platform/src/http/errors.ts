// Errors that know how to present themselves as RFC 9457 problem details. Domain code throws
// these (or its own errors mapped at the route); one middleware turns them into responses.
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

export function describeFieldErrors(errors: FieldError[]): string {
  return errors.map((e) => `${e.field || '(body)'}: ${e.message}`).join('; ');
}
