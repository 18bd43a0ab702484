import { OrderpulseError } from "../../data/errors.ts";
import { checkInt, checkNumber, optionsObject, type OptionKeys } from "../../data/internal/check.ts";

/**
 * Anything that forecasts a customer's purchases over the next `t` time units from their
 * calibration summary. The Pareto/NBD, BG/NBD and MBG/NBD models all are.
 */
export interface PurchaseForecaster {
  /**
   * E[Y(t) | x, tx, T]: expected purchases in the next `t` time units.
   * @param t - horizon (time units of the fit, ≥ 0)
   * @param x - repeat purchases
   * @param tx - recency
   * @param T - age
   * @returns the expected count (NaN for invalid input)
   */
  conditionalExpectedPurchases(t: number, x: number, tx: number, T: number): number;
}

/** Anything that forecasts a customer's average spend per purchase: the Gamma-Gamma model is one. */
export interface SpendForecaster {
  /**
   * Expected value of a future purchase of a customer with x repeat purchases averaging `monetary`.
   * @param x - repeat purchases
   * @param monetary - their average value
   * @returns the expected spend per purchase
   */
  conditionalExpectedSpend(x: number, monetary: number): number;
}

/** One customer's calibration summary. */
export interface ClvCustomer {
  /** Repeat purchases in the calibration period. */
  readonly x: number;
  /** Recency: time of the last repeat purchase since the first (0 when x = 0). */
  readonly tx: number;
  /** Age: time from the first purchase to the end of the calibration period. */
  readonly T: number;
  /** Average value of the x repeat purchases (z̄; any value when x = 0). */
  readonly monetary: number;
}

/** Options of {@link customerLifetimeValue}. */
export interface ClvOptions {
  /** Number of discounting periods in the horizon (default 12, i.e. a year of months). */
  readonly periods?: number | undefined;
  /** Discount rate per period (default 0.01 per month, about 12.7 % a year). */
  readonly discountRate?: number | undefined;
  /**
   * Length of one period in the time unit of the models (default 4.345: a month in weeks, the
   * factor lifetimes uses for weekly data).
   */
  readonly periodLength?: number | undefined;
}

const FN = "customerLifetimeValue";
const KEYS: OptionKeys<ClvOptions> = { periods: true, discountRate: true, periodLength: true };

/**
 * Discounted customer lifetime value over a finite horizon, as in lifetimes'
 * `customer_lifetime_value`: the horizon is cut into `periods` steps of `periodLength` time
 * units; the purchases expected in step k are the increment of the cumulative conditional
 * expectation, valued at the expected spend per purchase and discounted to today:
 *
 * CLV = Σ_{k=1..K} m̂ · (E[Y(kL) | x, tx, T] − E[Y((k−1)L) | x, tx, T]) / (1 + d)^k
 *
 * with m̂ = `spend.conditionalExpectedSpend(x, monetary)` (Gamma-Gamma, Fader, Hardie & Lee
 * 2005), E[Y(t)|·] from the transaction model (Pareto/NBD, BG/NBD, ...), K = `periods`,
 * L = `periodLength`, d = `discountRate`. It is a residual value (future purchases only) and
 * grows with the horizon and falls with the discount rate. Invalid customer data give NaN.
 *
 * @param transactions - the purchase-count model
 * @param spend - the spend model (or `{ conditionalExpectedSpend: () => margin }` for a constant)
 * @param customer - x, tx, T and the average repeat purchase value
 * @param options - periods (default 12), discountRate per period (default 0.01), periodLength (default 4.345)
 * @returns the discounted expected value of the customer's purchases in the horizon
 * @throws {OrderpulseError} `INVALID_OPTION` for an unknown or bad option or models without the methods
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { customerLifetimeValue, gammaGammaModel, paretoNbdModel } from "orderpulse";
 * const purchases = paretoNbdModel({ r: 0.553, alpha: 10.578, s: 0.606, beta: 11.669 });
 * const spend = gammaGammaModel({ p: 6.25, q: 3.74, v: 15.44 });
 * const customer = { x: 26, tx: 30.86, T: 31, monetary: 40 };
 * const year = customerLifetimeValue(purchases, spend, customer);
 * const twoYears = customerLifetimeValue(purchases, spend, customer, { periods: 24 });
 * assert.ok(year > 0 && twoYears > year);
 * assert.ok(customerLifetimeValue(purchases, spend, customer, { discountRate: 0.05 }) < year);
 * ```
 */
export function customerLifetimeValue(transactions: PurchaseForecaster, spend: SpendForecaster, customer: ClvCustomer, options?: ClvOptions): number {
  const o = optionsObject(options, FN, KEYS);
  checkInt(o, "periods", 1, 100_000, FN);
  checkNumber(o, "discountRate", 0, 1e6, FN);
  checkNumber(o, "periodLength", Number.MIN_VALUE, Number.MAX_VALUE, FN);
  if (typeof transactions?.conditionalExpectedPurchases !== "function") {
    throw new OrderpulseError("INVALID_OPTION", `${FN}: invalid option transactions: expected a model with conditionalExpectedPurchases`, { option: "transactions" });
  }
  if (typeof spend?.conditionalExpectedSpend !== "function") {
    throw new OrderpulseError("INVALID_OPTION", `${FN}: invalid option spend: expected a model with conditionalExpectedSpend`, { option: "spend" });
  }
  const periods = (o["periods"] as number | undefined) ?? 12;
  const d = (o["discountRate"] as number | undefined) ?? 0.01;
  const L = (o["periodLength"] as number | undefined) ?? 4.345;
  // (invalid customer data give NaN: a missing customer, too)
  if (typeof customer !== "object" || customer === null) return Number.NaN;
  const { x, tx, T, monetary } = customer;
  const m = spend.conditionalExpectedSpend(x, monetary);
  let clv = 0;
  let previous = 0;
  let discount = 1;
  for (let k = 1; k <= periods; k++) {
    const cumulative = transactions.conditionalExpectedPurchases(k * L, x, tx, T);
    discount /= 1 + d;
    clv += m * (cumulative - previous) * discount;
    previous = cumulative;
  }
  return clv;
}
