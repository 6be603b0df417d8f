/**
 * One error vocabulary for the whole bot. `code` is dotted (`AREA.REASON`) and doubles as the i18n key
 * the user sees (`errors.<code>` in src/i18n). `expected` errors are user or partner conditions (bad
 * input, missing consent); unexpected ones are bugs or outages and are logged at error level.
 */
export class AppError extends Error {
  readonly code: string;
  readonly expected: boolean;
  readonly params: Record<string, string | number>;

  constructor(
    code: string,
    options: { message?: string; cause?: unknown; expected?: boolean; params?: Record<string, string | number> } = {},
  ) {
    super(options.message ?? code, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.expected = options.expected ?? true;
    this.params = options.params ?? {};
  }
}

export function isAppError(value: unknown): value is AppError {
  return value instanceof AppError;
}

/** Wraps anything thrown into an AppError without losing the original as `cause`. */
export function toAppError(value: unknown, fallbackCode = 'INTERNAL.UNEXPECTED'): AppError {
  if (isAppError(value)) return value;
  return new AppError(fallbackCode, { cause: value, expected: false, message: describe(value) });
}

function describe(value: unknown): string {
  if (value instanceof Error) return value.message;
  return String(value);
}
