import type { Dataset } from "../../data/dataset.ts";
import { checkEnum, checkObject, checkString, extendKeys, type OptionKeys } from "../../data/internal/check.ts";
import { isOrderpulseError, OrderpulseError } from "../../data/errors.ts";
import { businessDays } from "../../patterns/internal/customer-calendar.ts";
import { fitPatterns } from "../../patterns/fit-patterns.ts";
import type { DetectSignalsOptions } from "../detect-signals.ts";
import type { DetectorOptions, Signal, SignalType } from "../types.ts";
import { commonOptions, DETECTOR_KEYS, detectorContext } from "./context.ts";
import { bySignalOrder } from "./format.ts";
import { frequencyDropRun, type FrequencyDropCase } from "./frequency-drop-cases.ts";
import { itemDroppedOptions, itemDroppedRun, type ItemDroppedCase } from "./item-dropped-cases.ts";
import { ITEM_HISTORY_TYPES } from "./item-history.ts";
import { overdueCases, type OverdueCase } from "./overdue-cases.ts";
import { DETECTORS, NEEDS_MODEL } from "./registry.ts";
import { checkDiscountAnomalyOptions, DISCOUNT_ANOMALY_KEYS } from "../detect-discount-anomaly.ts";
import { checkDiversityDropOptions, DIVERSITY_DROP_KEYS } from "../detect-diversity-drop.ts";
import { ITEM_DROPPED_KEYS } from "../detect-item-dropped.ts";
import { checkItemVolumeDropOptions, ITEM_VOLUME_DROP_KEYS } from "../detect-item-volume-drop.ts";
import { checkKpiDropOptions, KPI_DROP_KEYS } from "../detect-kpi-drop.ts";
import { withSignalRun } from "./run-memo.ts";
import { selectedTypes } from "./selected-types.ts";

/**
 * The types with options of their own: each one's option names and its checker. detectSignals
 * checks every type it is given options of, selected by `types` or not (a typo must not fall back
 * to the defaults unseen).
 */
const TUNABLE: Readonly<Record<string, { keys: readonly string[]; check: (o: Record<string, unknown>, fn: string) => void }>> = {
  item_dropped: { keys: /* @__PURE__ */ ownKeys(ITEM_DROPPED_KEYS), check: (o, fn) => void itemDroppedOptions(o, fn) },
  item_volume_drop: { keys: /* @__PURE__ */ ownKeys(ITEM_VOLUME_DROP_KEYS), check: checkItemVolumeDropOptions },
  diversity_drop: { keys: /* @__PURE__ */ ownKeys(DIVERSITY_DROP_KEYS), check: checkDiversityDropOptions },
  discount_anomaly: { keys: /* @__PURE__ */ ownKeys(DISCOUNT_ANOMALY_KEYS), check: checkDiscountAnomalyOptions },
  kpi_drop: { keys: /* @__PURE__ */ ownKeys(KPI_DROP_KEYS), check: checkKpiDropOptions },
};

/** A detector's own option names: its names (the list its own call checks) but the common ones. */
function ownKeys(keys: Readonly<Record<string, true>>): readonly string[] {
  return Object.keys(keys).filter((k) => !Object.hasOwn(DETECTOR_KEYS, k));
}

/**
 * @internal The `detectors` option (per-type options) checked: known types, each one's known
 * options with valid values, selected by `types` or not (a typo must not fall back to the
 * defaults unseen). detectSignals checks it at every call, createEngine once at its creation.
 * @returns the per-type options ({} when none)
 */
export function checkDetectorOptions(o: Record<string, unknown>, fn: string): Record<string, unknown> {
  const perType = checkObject(o, "detectors", Object.keys(TUNABLE), fn);
  for (const [type, own] of Object.entries(perType)) {
    if (own === undefined) continue;
    const t = TUNABLE[type]!;
    const given = checkObject(perType, type, t.keys, fn, `detectors.${type}`);
    try {
      t.check(given, fn);
    } catch (e) {
      // the detector's checker names its option bare (minDrop): under detectSignals the full path,
      // detectors.<type>.<option> (two types have a minDrop, and the error did not say whose)
      const option = isOrderpulseError(e) ? e.details["option"] : undefined;
      if (!isOrderpulseError(e) || e.code !== "INVALID_OPTION" || typeof option !== "string") throw e;
      const path = `detectors.${type}.${option}`;
      throw new OrderpulseError("INVALID_OPTION", e.message.replace(`invalid option ${option}`, `invalid option ${path}`), { ...e.details, option: path }, e);
    }
  }
  return perType;
}

/** @internal The signal types whose per-customer cases a run can keep for the engine's ticks. */
export const CASE_TYPES: ReadonlySet<SignalType> = new Set<SignalType>(["customer_overdue", "item_dropped", "frequency_drop"]);

/** @internal What one detection run gives: the signals, and with `keepCases` the overdue, item_dropped and frequency_drop cases it prepared. */
export interface DetectorRun {
  readonly signals: Signal[];
  /**
   * With `keepCases` and `customer_overdue` selected: every customer's overdue case prepared at
   * asOf (including the ones flagged, and the customers who bought on asOf), for asking at later
   * days; else undefined.
   */
  readonly cases: OverdueCase[] | undefined;
  /** With `keepCases` and `item_dropped` selected: every customer's item_dropped case (customers with a habit); else undefined. */
  readonly itemCases: ItemDroppedCase[] | undefined;
  /** With `keepCases` and `frequency_drop` selected: every customer's frequency_drop case; else undefined. */
  readonly frequencyCases: FrequencyDropCase[] | undefined;
}

/** @internal detectSignals' option names (the worker pool sends a worker only these of what an options object inherits). */
export const DETECT_SIGNALS_KEYS: OptionKeys<DetectSignalsOptions> = /* @__PURE__ */ extendKeys<DetectSignalsOptions, DetectorOptions>(DETECTOR_KEYS, { types: true, repId: true, calendar: true, calibrate: true, asOfInProgress: true, detectors: true });

/**
 * @internal detectSignals' option checks, in its order (the option names, the common detector
 * options and the model, repId, calibrate, asOfInProgress, types, the per-type options), and what they resolve: the as-of view,
 * the selected types and the per-type options. The worker pool runs them in the calling thread
 * before it fits or sends anything, so a bad option gives the same error as in one thread.
 */
export function checkDetectSignalsOptions(dataset: Dataset, options: DetectSignalsOptions | undefined, fn: string): { asOf: number; view: Dataset; types: readonly SignalType[]; perType: Record<string, unknown> } {
  const { o, asOf, view } = commonOptions(dataset, options, fn, DETECT_SIGNALS_KEYS);
  checkString(o, "repId", fn);
  checkEnum(o, "calibrate", [true, false], fn);
  checkEnum(o, "asOfInProgress", [true, false], fn);
  // (checked here, under this function's name: it was checked only by the model fit, when one ran)
  businessDays(o, fn);
  const types = selectedTypes((options ?? {}).types, fn);
  const perType = checkDetectorOptions(o, fn);
  return { asOf, view, types, perType };
}

/**
 * @internal detectSignals' body: checks the options, resolves the as-of view once, fits one
 * pattern model when a selected detector needs it and none was passed, and runs every selected
 * detector with the same view, model, sensitivity and locale. With `keepCases` the per-customer
 * cases of the {@link CASE_TYPES} are returned too (the engine asks them on the ticks between its
 * full detections); the signals are the same either way.
 */
export function runDetectors(dataset: Dataset, options: DetectSignalsOptions | undefined, fn: string, keepCases: boolean): DetectorRun {
  const { asOf, view, types, perType } = checkDetectSignalsOptions(dataset, options, fn);
  const opts = options ?? {};
  let model = opts.model;
  const open = opts.asOfInProgress === true;
  if (model === undefined && types.some((t) => NEEDS_MODEL.has(t))) model = fitPatterns(view, { asOf, calendar: opts.calendar, calibrate: opts.calibrate, asOfInProgress: open });
  const common: DetectorOptions = { asOf, model, sensitivity: opts.sensitivity, locale: opts.locale };
  // the detectors share what they build from the view (item history, clock gaps) for this call only
  // (the item history, ~12 bytes per order line, is let go once the last detector that reads it is done)
  const lastItemType = types.findLast((t) => ITEM_HISTORY_TYPES.has(t));
  let cases: OverdueCase[] | undefined;
  let itemCases: ItemDroppedCase[] | undefined;
  let frequencyCases: FrequencyDropCase[] | undefined;
  const signals = withSignalRun((run) => {
    const out: Signal[] = [];
    const keep = (s: Signal): void => {
      if (opts.repId === undefined || s.repId === opts.repId) out.push(s);
    };
    for (const type of types) {
      // (an as-of day in progress is kpi_drop's too, unless its own options say otherwise)
      const own = (open && type === "kpi_drop" ? { asOfInProgress: true, ...(perType[type] as object | undefined) } : perType[type]) as object | undefined;
      let found: Signal[];
      if (keepCases && CASE_TYPES.has(type)) {
        // the detector's own body, keeping its per-customer cases
        const ctx = detectorContext(view, common, fn, undefined);
        if (type === "customer_overdue") {
          cases = overdueCases(ctx, false);
          found = [];
          for (const k of cases) {
            const s = k.at(asOf);
            if (s !== undefined) found.push(s);
          }
        } else if (type === "frequency_drop") {
          ({ signals: found, cases: frequencyCases } = frequencyDropRun(ctx, true));
        } else {
          const { minInclusion, minItemOrders } = itemDroppedOptions(own, "detectItemDropped");
          ({ signals: found, cases: itemCases } = itemDroppedRun(ctx, minInclusion, minItemOrders, true));
        }
      } else found = DETECTORS[type](view, own === undefined ? common : { ...own, ...common });
      for (const s of found) keep(s);
      if (type === lastItemType) run.item = undefined;
    }
    return out.sort(bySignalOrder);
  });
  return { signals, cases, itemCases, frequencyCases };
}
