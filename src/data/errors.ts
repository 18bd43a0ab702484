/**
 * Error codes that {@link OrderpulseError} carries. They are stable: hosts may switch on them.
 *
 * - `INVALID_OPTION`: an option is missing, of the wrong type or out of range (programmer error).
 * - `INVALID_ROW`: a data row was rejected while `strict: true` was set.
 * - `MISSING_COLUMN`: a required column is absent from a file's header.
 * - `DUPLICATE_COLUMN`: a header names a used column twice.
 * - `EMPTY_FILE`: a file has no header row at all.
 * - `MIXED_CURRENCIES`: order lines in several currencies and no `fx` rates to convert them.
 * - `FILE_NOT_FOUND`: a path given to the CSV reader does not exist or holds no orders file.
 * - `UNSUPPORTED_ENCODING`: the text decoder does not know the requested encoding.
 * - `INVALID_ENCODING`: a file's bytes are not valid in its encoding (e.g. windows-1255 read as UTF-8).
 * - `IO_ERROR`: reading or writing a file failed.
 * - `WORKER_EXITED`: a worker thread of `createWorkerPool` (`orderpulse/node`) exited while a call
 *   was running on it (a crash, running out of memory, or `close()`); the pool starts a fresh
 *   worker for later calls.
 */
export type OrderpulseErrorCode =
  | "INVALID_OPTION"
  | "INVALID_ROW"
  | "MISSING_COLUMN"
  | "DUPLICATE_COLUMN"
  | "EMPTY_FILE"
  | "MIXED_CURRENCIES"
  | "FILE_NOT_FOUND"
  | "UNSUPPORTED_ENCODING"
  | "INVALID_ENCODING"
  | "IO_ERROR"
  | "WORKER_EXITED";

const BRAND: unique symbol = Symbol.for("orderpulse.error") as never;

/**
 * The one error type orderpulse throws. Check for it with {@link isOrderpulseError}, never with
 * `instanceof` (that fails when an ESM and a CJS copy of the library meet in one process).
 *
 * Pure functions never throw on bad *data*: they skip and count it. They throw this error only
 * for programmer errors (bad options) and for data problems the caller asked to be strict about.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { OrderpulseError, isOrderpulseError } from "orderpulse";
 * const err = new OrderpulseError("INVALID_OPTION", "asOf must be a date", { asOf: "x" });
 * assert.equal(err.code, "INVALID_OPTION");
 * assert.ok(isOrderpulseError(err));
 * ```
 */
export class OrderpulseError extends Error {
  /** Stable machine-readable code. */
  readonly code: OrderpulseErrorCode;
  /** Structured facts about the failure (file, line, column, value, option name...). */
  readonly details: Readonly<Record<string, unknown>>;
  /**
   * @param code - stable error code
   * @param message - one-line human explanation
   * @param details - structured facts (file, line, column, value...)
   * @param cause - the underlying error, when there is one
   */
  constructor(
    code: OrderpulseErrorCode,
    message: string,
    details: Record<string, unknown> = {},
    cause?: unknown,
  ) {
    super(message, cause === undefined ? undefined : { cause });
    this.name = "OrderpulseError";
    this.code = code;
    this.details = details;
    Object.defineProperty(this, BRAND, { value: true, enumerable: false });
  }
}

/**
 * Brand guard for {@link OrderpulseError}: true for errors thrown by any copy of orderpulse
 * (ESM or CJS, any version that uses the same `Symbol.for("orderpulse.error")` brand).
 *
 * @param value - anything caught
 * @returns whether `value` is an orderpulse error
 * @throws never
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { isOrderpulseError } from "orderpulse";
 * assert.equal(isOrderpulseError(new Error("x")), false);
 * assert.equal(isOrderpulseError(undefined), false);
 * ```
 */
export function isOrderpulseError(value: unknown): value is OrderpulseError {
  return typeof value === "object" && value !== null && (value as Record<symbol, unknown>)[BRAND] === true;
}
