import type { Dataset } from "../data/dataset.ts";
import { OrderpulseError } from "../data/errors.ts";
import type { BusinessCalendar } from "../patterns/fit-interval-model.ts";
import type { DiscountAnomalyOptions } from "./detect-discount-anomaly.ts";
import type { DiversityDropOptions } from "./detect-diversity-drop.ts";
import type { ItemDroppedOptions } from "./detect-item-dropped.ts";
import type { ItemVolumeDropOptions } from "./detect-item-volume-drop.ts";
import type { KpiDropOptions } from "./detect-kpi-drop.ts";
import { runDetectors } from "./internal/run-detectors.ts";
import { SIGNAL_TYPES } from "./signal-types.ts";
import type { DetectorOptions, Signal, SignalType } from "./types.ts";

/** Per-type options of {@link detectSignals} (each detector's own knobs; the common ones come from the top level). */
export interface SignalDetectorOptions {
  /** {@link detectItemDropped}'s own options. */
  item_dropped?: Omit<ItemDroppedOptions, keyof DetectorOptions> | undefined;
  /** {@link detectItemVolumeDrop}'s own options. */
  item_volume_drop?: Omit<ItemVolumeDropOptions, keyof DetectorOptions> | undefined;
  /** {@link detectDiversityDrop}'s own options. */
  diversity_drop?: Omit<DiversityDropOptions, keyof DetectorOptions> | undefined;
  /** {@link detectDiscountAnomaly}'s own options. */
  discount_anomaly?: Omit<DiscountAnomalyOptions, keyof DetectorOptions> | undefined;
  /** {@link detectKpiDrop}'s own options. */
  kpi_drop?: Omit<KpiDropOptions, keyof DetectorOptions> | undefined;
}

/** Options of {@link detectSignals}. */
export interface DetectSignalsOptions extends DetectorOptions {
  /** Signal types to run (default: all of {@link SIGNAL_TYPES}). */
  types?: readonly SignalType[] | undefined;
  /**
   * Only signals whose responsible rep (`repId`) is this one. A filter: a rep without signals, or
   * an id the data do not hold (ids are exact: `r01` is not `R01`), gives none, without an error
   * (the CLI's `--rep` refuses an id it cannot find).
   */
  repId?: string | undefined;
  /** Business calendar for the pattern model when `model` is not given (see fitPatterns). */
  calendar?: BusinessCalendar | undefined;
  /** The pattern model's calibration by backtest when `model` is not given (see fitPatterns; default true, false: one fit of the interval model). */
  calibrate?: boolean | undefined;
  /**
   * `asOf` is today, a day still in progress (as the KPI functions' `asOfInProgress`): the pattern
   * model fitted when none is given measures every silence to the end of the day before (see
   * fitPatterns), and kpi_drop leaves the week ending on it out (its own `asOfInProgress`, unless
   * `detectors.kpi_drop` sets it). A given `model` is read as fitted. Default false.
   */
  asOfInProgress?: boolean | undefined;
  /** Each detector's own options, by type. */
  detectors?: SignalDetectorOptions | undefined;
}

/**
 * Run the signal detectors at one as-of day and merge their signals.
 *
 * Resolves the as-of view once, fits one pattern model (fitPatterns with `calendar`) when a
 * selected detector needs it and none was passed, and runs every selected detector with the same
 * view, model, sensitivity and locale, so the result equals the union of the detectors run one by
 * one. The tests and false-alarm control of each type are in docs/signals.md. Signals are sorted
 * by `valueAtRisk` descending, then `id` (ids are unique: each names its type and situation).
 *
 * @param dataset - a dataset or as-of view
 * @param options - asOf (default: the dataset's last order day), model (fitted at asOf), types,
 *   repId filter, sensitivity (default 1; raising it only adds signals), locale (en | he),
 *   calendar, calibrate (of the model fitted when none is given), asOfInProgress, and per-type `detectors` options
 * @returns the signals, highest value at risk first
 * @throws {OrderpulseError} `INVALID_OPTION` for an unknown or bad option (also of a detector),
 *   an unknown type, or a model fitted at another day or on other data
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { detectSignals, fromRowsSync } from "orderpulse";
 * const orders = [];
 * for (let w = 0; w < 40; w++) { // weekly on Mondays, then silent from 2026-10-12
 *   const order_date = new Date(Date.UTC(2026, 0, 5 + 7 * w));
 *   orders.push({ order_id: `O${w}`, order_date, customer_id: "C1", product_id: "P", quantity: 10, unit_price: 3, unit_cost: 2 });
 * }
 * const { dataset } = fromRowsSync({ orders });
 * const signals = detectSignals(dataset, { asOf: "2026-11-09", types: ["customer_overdue", "frequency_drop"] });
 * assert.deepEqual(signals.map((s) => s.id), ["customer_overdue:C1:2026-10-05"]);
 * // every type: the company's weekly gross profit and active customers fell with it (kpi_drop)
 * const all = detectSignals(dataset, { asOf: "2026-11-09", locale: "he" });
 * assert.match(all.find((s) => s.type === "customer_overdue")!.message, /ימים/);
 * ```
 */
export function detectSignals(dataset: Dataset, options?: DetectSignalsOptions): Signal[] {
  return runDetectors(dataset, options, "detectSignals", false).signals;
}
