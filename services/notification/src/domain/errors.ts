// Failures that retrying cannot fix: the consumer dead-letters these at once, under `reason`.
export class PermanentDeliveryError extends Error {
  constructor(
    readonly reason: string,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}
