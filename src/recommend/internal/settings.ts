import type { Dataset } from "../../data/dataset.ts";
import { rhythmView } from "../../data/internal/rhythm-view.ts";
import { checkModelFor } from "../../patterns/internal/check-model.ts";
import { OrderpulseError } from "../../data/errors.ts";
import { formatDay } from "../../data/format-day.ts";
import { checkDateLike, checkEnum, checkInt, checkNumber, checkString, checkStringArray, optionsObject, type OptionKeys } from "../../data/internal/check.ts";
import { resolveAsOf } from "../../data/internal/resolve-as-of.ts";
import type { OfferKind, RecommendOptions } from "../types.ts";
import { DEFAULT_TUNING, type OfferSettings, type Tuning } from "./offers.ts";

/** @internal The option names of recommend() (the worker pool sends only these to its workers). */
export const RECOMMEND_KEYS: OptionKeys<RecommendOptions> = {
  asOf: true,
  customerId: true,
  customerIds: true,
  k: true,
  kinds: true,
  minMargin: true,
  blockedProductIds: true,
  halfLifeDays: true,
  neighbors: true,
  minSupport: true,
  activeWithinDays: true,
  locale: true,
  model: true,
};

/** @internal Every offer kind, in the documented order. */
export const OFFER_KINDS: readonly OfferKind[] = ["cross_sell", "repurchase", "winback", "seasonal"];

function invalid(fn: string, option: string, value: unknown, expected: string): never {
  throw new OrderpulseError("INVALID_OPTION", `${fn}: invalid option ${option}: expected ${expected}`, { option, value });
}

/** @internal Check the options of recommend() (an unknown one included) and resolve the view, the customers and the settings. */
export function resolveRecommendOptions(dataset: Dataset, options: RecommendOptions | undefined, fn: string, tuning?: Partial<Tuning>): { view: Dataset; asOf: number; customers: Int32Array; settings: OfferSettings } {
  const o = optionsObject(options, fn, RECOMMEND_KEYS);
  checkDateLike(o, "asOf", fn);
  checkString(o, "customerId", fn);
  checkStringArray(o, "customerIds", fn);
  if (o.customerId !== undefined && o.customerIds !== undefined) invalid(fn, "customerIds", o.customerIds, "either customerId or customerIds, not both");
  checkInt(o, "k", 1, 1000, fn);
  checkStringArray(o, "kinds", fn, OFFER_KINDS as readonly string[]);
  // (no kind can make no offer: [] read as "nothing to recommend"; the CLI's --kind and
  // evaluateRecommendations' kinds refuse it; review 2026-12-07)
  if (Array.isArray(o.kinds) && o.kinds.length === 0) invalid(fn, "kinds", o.kinds, `a non-empty array of ${OFFER_KINDS.join(", ")}`);
  checkNumber(o, "minMargin", 0, 10, fn);
  checkStringArray(o, "blockedProductIds", fn);
  checkNumber(o, "halfLifeDays", 1, 100_000, fn);
  checkInt(o, "neighbors", 1, 1000, fn);
  checkInt(o, "minSupport", 2, 1_000_000, fn);
  checkInt(o, "activeWithinDays", 1, 1_000_000, fn);
  checkEnum(o, "locale", ["en", "he"], fn);
  const model = o.model as RecommendOptions["model"];
  if (model !== undefined && (typeof model !== "object" || model === null || typeof (model as { items?: unknown }).items !== "function")) invalid(fn, "model", model, "a PatternModel (fitPatterns)");
  const opts = (options ?? {}) as RecommendOptions;
  const resolved = resolveAsOf(dataset, opts.asOf, undefined, fn);
  const asOf = resolved.asOf;
  // (one purchase per order however the ERP dated its deliveries: the model's own view)
  const view = rhythmView(resolved.view);
  if (model !== undefined) checkModelFor(model, view, formatDay(asOf), fn);
  const { customers: dict, products } = view.ids;
  let customers: Int32Array;
  if (opts.customerId !== undefined || opts.customerIds !== undefined) {
    const list = opts.customerId !== undefined ? [opts.customerId] : opts.customerIds!;
    const seen = new Set<number>();
    const out: number[] = [];
    for (const id of list) {
      const c = dict.indexOf(id);
      if (c >= 0 && !seen.has(c)) {
        seen.add(c);
        out.push(c);
      }
    }
    customers = Int32Array.from(out);
  } else {
    // every customer with a purchase line in the 365 days up to asOf
    const out: number[] = [];
    const { lines, customerStart, customerEnd } = view;
    for (let c = 0; c < customerEnd.length; c++) {
      for (let i = customerEnd[c]! - 1; i >= customerStart[c]!; i--) {
        if (lines.day[i]! <= asOf - 365) break;
        if (lines.quantity[i]! > 0) {
          out.push(c);
          break;
        }
      }
    }
    customers = Int32Array.from(out);
  }
  const blocked = new Uint8Array(products.size);
  for (const id of opts.blockedProductIds ?? []) {
    const p = products.indexOf(id);
    if (p >= 0) blocked[p] = 1;
  }
  const settings: OfferSettings = {
    k: opts.k ?? 10,
    kinds: new Set(opts.kinds ?? OFFER_KINDS),
    minMargin: opts.minMargin ?? 0.1,
    blocked,
    halfLifeDays: opts.halfLifeDays ?? 180,
    neighbors: opts.neighbors ?? 40,
    minSupport: opts.minSupport ?? 5,
    activeWithinDays: opts.activeWithinDays ?? 120,
    locale: opts.locale ?? "en",
    model,
    tuning: { ...DEFAULT_TUNING, ...tuning },
  };
  return { view, asOf, customers, settings };
}
