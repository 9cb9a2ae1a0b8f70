/**
 * One error type for the whole service. Services throw AppError; the HTTP error handler maps it to
 * `{"code","message","details"}` with its status. Codes are STABLE_UPPER_SNAKE and part of the API contract.
 */
export class AppError extends Error {
  readonly code: string;
  readonly status: number;
  readonly details: Record<string, unknown>;

  constructor(code: string, status: number, message: string, details: Record<string, unknown> = {}) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    this.status = status;
    this.details = details;
  }
}

export const isAppError = (e: unknown): e is AppError => e instanceof AppError;

export const badRequest = (code: string, message: string, details: Record<string, unknown> = {}) =>
  new AppError(code, 400, message, details);

export const validationFailed = (
  issues: { path: string; message: string; code?: string }[],
  message = 'The request is not valid',
) => new AppError('VALIDATION_FAILED', 400, message, { fields: issues });

export const unauthorized = (code = 'UNAUTHORIZED', message = 'Authentication required') =>
  new AppError(code, 401, message);

export const forbidden = (code = 'FORBIDDEN', message = 'You may not do this') =>
  new AppError(code, 403, message);

/** Objects outside the caller's data scope are reported as not found, so their existence does not leak. */
export const notFound = (entity: string, id?: string) =>
  new AppError(`${entity.toUpperCase()}_NOT_FOUND`, 404, `${entity} not found`, id ? { id } : {});

export const conflict = (code: string, message: string, details: Record<string, unknown> = {}) =>
  new AppError(code, 409, message, details);

export const unprocessable = (code: string, message: string, details: Record<string, unknown> = {}) =>
  new AppError(code, 422, message, details);

export const tooMany = (code: string, message: string, details: Record<string, unknown> = {}) =>
  new AppError(code, 429, message, details);

export const unavailable = (code: string, message: string, details: Record<string, unknown> = {}) =>
  new AppError(code, 503, message, details);
