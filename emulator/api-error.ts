/** An AWS error reply: the code and HTTP status of the API model, and the message AWS would write. */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly code: string,
    readonly status: number,
    message: string,
  ) {
    super(message);
  }

  /** Sender for 4xx, Receiver for 5xx (the Query protocol's Error/Type) */
  get type(): 'Sender' | 'Receiver' {
    return this.status >= 500 ? 'Receiver' : 'Sender';
  }
}

export const noSuchEntity = (message: string): ApiError => new ApiError('NoSuchEntity', 404, message);
export const invalidInput = (message: string): ApiError => new ApiError('InvalidInput', 400, message);

/** IAM's ValidationError (HTTP 400) */
export const validationError = (message: string): ApiError => new ApiError('ValidationError', 400, message);

/** smithy-style constraint failure, as IAM reports a missing or out-of-range parameter */
export const constraintError = (message: string): ApiError => validationError(`1 validation error detected: ${message}`);
