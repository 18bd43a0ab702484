import { OrderpulseError } from "../errors.ts";
import { parseDay } from "../parse-day.ts";

/**
 * Hand-written option checks for the KPI layer. zod stays at the ingestion boundary so that
 * importing one KPI function pulls no validation library (size-limit checks this).
 * Each check throws OrderpulseError INVALID_OPTION naming the function and the option.
 * @internal
 */
function fail(fn: string, option: string, value: unknown, expected: string): never {
  throw new OrderpulseError("INVALID_OPTION", `${fn}: invalid option ${option}: expected ${expected}, got ${describe(value)}`, { option, value });
}

/**
 * @internal The INVALID_OPTION of a failed zod parse of `fn`'s options (`input`), in the words of
 * {@link fail}: the option's path (`options` for the object itself; under `prefix` when the options
 * are nested in another function's), what was expected and what was given. zod's own message is
 * "Invalid input" with no name: `fromRowsSync(rows, "x")` read "invalid ingest option : Invalid input".
 */
export function zodOptionError(fn: string, input: unknown, zodIssue: object | undefined, cause: unknown, prefix?: string): OrderpulseError {
  const issue = zodIssue as { readonly code?: string; readonly path?: readonly PropertyKey[]; readonly [k: string]: unknown } | undefined;
  const keys = (issue?.path ?? []).map(String);
  const option = [...(prefix === undefined ? [] : [prefix]), ...keys].join(".") || "options";
  let value: unknown = input;
  for (const k of keys) value = isRecord(value) ? value[k] : undefined;
  const code = issue?.code;
  const expected =
    code === "invalid_type" ? (issue!["expected"] === "object" ? "an object" : `a ${String(issue!["expected"])}`)
    : code === "too_small" ? `at least ${String(issue!["minimum"])}`
    : code === "too_big" ? `at most ${String(issue!["maximum"])}`
    : code === "invalid_value" && Array.isArray(issue!["values"]) ? `one of ${(issue!["values"] as unknown[]).map(String).join(", ")}`
    : code === "invalid_format" ? `a ${String(issue!["format"])}`
    : "a valid value";
  return new OrderpulseError("INVALID_OPTION", `${fn}: invalid option ${option}: expected ${expected}, got ${describe(value)}`, { option, value }, cause);
}

function describe(v: unknown): string {
  if (typeof v === "string") return JSON.stringify(v);
  if (v instanceof Date) return "a Date";
  if (typeof v === "function") return "a function";
  if (Array.isArray(v)) return "an array";
  return String(v);
}

/**
 * @internal The option names of an options type T, as a record the compiler checks to hold every
 * key of T (of each member, for a union) and no other: `const KEYS: OptionKeys<XOptions> = { asOf:
 * true, ... }` fails to compile when an option is added to XOptions and not listed, or listed and
 * not in it.
 */
export type OptionKeys<T> = { readonly [K in AllKeys<T>]: true };
type AllKeys<T> = T extends unknown ? Exclude<keyof T, symbol | number> : never;

/**
 * @internal The option names of T as `base`'s (those of B, an options type T extends) and `own`
 * (the rest, checked exactly: a missing or extra key does not compile). A call, not an object
 * spread: marked pure at the call site, bundlers drop it when the function is not imported (a
 * module-level spread is kept, as it might run getters: one KPI's import grew 300 bytes).
 */
export function extendKeys<T, B>(base: OptionKeys<B>, own: OptionKeys<Omit<T, keyof B>>): OptionKeys<T> {
  return Object.assign({}, base, own) as unknown as OptionKeys<T>;
}

/**
 * @internal The options object itself (undefined means {}). With `known` (an {@link OptionKeys}
 * record), a key it does not list is INVALID_OPTION when its value is not undefined: a misspelled
 * option (`sensitivty: 2`) must not silently take the default. Symbol keys (internal options)
 * are not checked.
 */
export function optionsObject(options: unknown, fn: string, known?: Readonly<Record<string, true>>): Record<string, unknown> {
  if (options === undefined) return {};
  if (typeof options !== "object" || options === null || Array.isArray(options)) fail(fn, "options", options, "an object");
  if (known !== undefined) checkKnownKeys(options as Record<string, unknown>, known, fn);
  return options as Record<string, unknown>;
}

/**
 * @internal Every own string key of `o` with a defined value is in `known`, else INVALID_OPTION
 * naming it and the known ones. The error's details are `{ option }` without the value: a
 * misspelled key may hold a secret (`Secret:` for `secret:`, a `URL` with a password), and errors
 * end up in logs.
 */
export function checkKnownKeys(o: Record<string, unknown>, known: Readonly<Record<string, true>>, fn: string, path?: string): void {
  for (const k of Object.keys(o)) {
    if (o[k] === undefined || Object.prototype.hasOwnProperty.call(known, k)) continue;
    const name = path === undefined ? k : `${path}.${k}`;
    throw new OrderpulseError("INVALID_OPTION", `${fn}: unknown option ${name} (known: ${Object.keys(known).join(", ")})`, { option: name });
  }
}

/** @internal `o[name]` is undefined or one of `values`. */
export function checkEnum(o: Record<string, unknown>, name: string, values: readonly unknown[], fn: string): void {
  const v = o[name];
  if (v !== undefined && !values.includes(v)) fail(fn, name, v, `one of ${values.map(String).join(", ")}`);
}

/** @internal `o[name]` is undefined or an integer in [min, max]. */
export function checkInt(o: Record<string, unknown>, name: string, min: number, max: number, fn: string, path: string = name): void {
  const v = o[name];
  if (v !== undefined && !(typeof v === "number" && Number.isInteger(v) && v >= min && v <= max)) fail(fn, path, v, `an integer from ${min} to ${max}`);
}

/** @internal `o[name]` is undefined or a number in [min, max]. */
export function checkNumber(o: Record<string, unknown>, name: string, min: number, max: number, fn: string, path: string = name): void {
  const v = o[name];
  if (v !== undefined && !(typeof v === "number" && v >= min && v <= max)) fail(fn, path, v, `a number from ${min} to ${max}`);
}

/** @internal `o[name]` is undefined or a date given as text, a Date or an epoch-day integer (parsed later by parseDay). */
export function checkDateLike(o: Record<string, unknown>, name: string, fn: string, required = false): void {
  const v = o[name];
  if (v === undefined) {
    if (required) fail(fn, name, v, "a date");
    return;
  }
  if (!(typeof v === "string" || v instanceof Date || (typeof v === "number" && Number.isInteger(v)))) fail(fn, name, v, "a YYYY-MM-DD string, a Date or an epoch day");
}

/** @internal `o[name]` is a string (required) or undefined (optional). */
export function checkString(o: Record<string, unknown>, name: string, fn: string, required = false): void {
  const v = o[name];
  if (v === undefined ? required : typeof v !== "string") fail(fn, name, v, "a string");
}

/** @internal `o[name]` is undefined or a function. */
export function checkFunction(o: Record<string, unknown>, name: string, fn: string): void {
  const v = o[name];
  if (v !== undefined && typeof v !== "function") fail(fn, name, v, "a function");
}

/** @internal `o[name]` is undefined or a plain object with only the given keys (or others set to undefined); returns it ({} when undefined). `path` names it in errors (default `name`: a nested option's full path, e.g. `value.acceptance`). */
export function checkObject(o: Record<string, unknown>, name: string, keys: readonly string[], fn: string, path: string = name): Record<string, unknown> {
  const v = o[name];
  if (v === undefined) return {};
  if (typeof v !== "object" || v === null || Array.isArray(v)) fail(fn, path, v, "an object");
  // (a key whose value is undefined passes, as at the top level: checkKnownKeys)
  // (an unknown key's value stays out of the error, as at the top level: it may be a secret)
  for (const k of Object.keys(v)) {
    if (keys.includes(k) || (v as Record<string, unknown>)[k] === undefined) continue;
    throw new OrderpulseError("INVALID_OPTION", `${fn}: invalid option ${path}.${k}: expected no such option (known: ${keys.join(", ")})`, { option: `${path}.${k}` });
  }
  return v as Record<string, unknown>;
}

/**
 * @internal `o[name]` is undefined or a fitted object (a model) carrying its as-of day as text and
 * the `methods` its users call (a model's stored JSON has the day but not the lookups: it failed
 * later with a TypeError, "model.customer is not a function"): `expected` names it in the error.
 */
export function checkFitted(o: Record<string, unknown>, name: string, fn: string, expected: string, methods: readonly string[] = []): void {
  const v = o[name];
  if (v === undefined) return;
  if (typeof v !== "object" || v === null || typeof (v as { asOf?: unknown }).asOf !== "string") fail(fn, name, v, expected);
  for (const m of methods) if (typeof (v as Record<string, unknown>)[m] !== "function") fail(fn, name, `an object without ${m}()`, expected);
}

/** @internal `o[name]` is undefined or an array of strings (each among `allowed` when given). */
export function checkStringArray(o: Record<string, unknown>, name: string, fn: string, allowed?: readonly string[]): void {
  const v = o[name];
  if (v === undefined) return;
  if (!Array.isArray(v) || v.some((x) => typeof x !== "string")) fail(fn, name, v, "an array of strings");
  if (allowed) for (const x of v as string[]) if (!allowed.includes(x)) fail(fn, name, x, `values among ${allowed.join(", ")}`);
}

/** @internal Whether x is a plain record (an object, not null, not an array): for checking data read back (JSON models, snapshots). */
export function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === "object" && x !== null && !Array.isArray(x);
}

/** @internal Whether x is a `YYYY-MM-DD` text of a real calendar day (2026-02-30 is not one). */
export function isDayText(x: unknown): x is string {
  if (typeof x !== "string" || !/^\d{4}-\d{2}-\d{2}$/.test(x)) return false;
  try {
    parseDay(x);
    return true;
  } catch {
    return false;
  }
}
