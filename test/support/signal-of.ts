import type { CustomerOverdueEvidence, DiscountAnomalyEvidence, DiversityDropEvidence, FrequencyDropEvidence, ItemDroppedEvidence, ItemVolumeDropEvidence, KpiDropChartEvidence, KpiDropRhythmEvidence, PipelineStallEvidence, ProductVanishingEvidence, Signal, SignalEvidence, SignalOf, SignalType } from "../../src/signals/types.ts";

/**
 * The signal narrowed to its type, so its evidence is typed (`Signal` is a union over the types);
 * throws when it is missing or of another type, which fails the test that asked.
 */
export function signalOf<T extends SignalType>(s: Signal | undefined, type: T): SignalOf<T> {
  if (s === undefined) throw new Error(`expected a ${type} signal, got none`);
  if (s.type !== type) throw new Error(`expected a ${type} signal, got ${s.type} (${s.id})`);
  return s as SignalOf<T>;
}

/** A kpi_drop's evidence narrowed to its test (`basis: "rhythm"`, else the weekly chart); throws on the other. */
export function kpiDropEvidence<B extends "chart" | "rhythm">(s: Signal | undefined, basis: B): B extends "rhythm" ? KpiDropRhythmEvidence : KpiDropChartEvidence {
  const e = signalOf(s, "kpi_drop").evidence;
  if (e.basis !== basis) throw new Error(`expected the ${basis} kpi_drop evidence, got ${e.basis}`);
  return e as B extends "rhythm" ? KpiDropRhythmEvidence : KpiDropChartEvidence;
}

/** Each evidence field's kind; optional fields listed apart (both checked against the type at compile time). */
type Shape<E> = { readonly [K in keyof E]-?: [Exclude<E[K], undefined>] extends [string] ? "string" : "number" };
type OptionalKeys<E> = { [K in keyof E]-?: object extends Pick<E, K> ? K : never }[keyof E];
interface EvidenceShape<E> {
  readonly fields: Shape<E>;
  readonly optional: readonly OptionalKeys<E>[];
}
const shape = <E>(fields: Shape<E>, optional: readonly OptionalKeys<E>[]): EvidenceShape<E> => ({ fields, optional });

/** The evidence types of src/signals/types.ts as data (a field added there and not here fails to compile). */
const SHAPES: { readonly [T in Exclude<SignalType, "kpi_drop">]: EvidenceShape<SignalEvidence[T]> } & { readonly kpi_drop_chart: EvidenceShape<KpiDropChartEvidence>; readonly kpi_drop_rhythm: EvidenceShape<KpiDropRhythmEvidence> } = {
  customer_overdue: shape<CustomerOverdueEvidence>({ lastOrder: "string", daysSinceLast: "number", meanGapDays: "number", sdGapDays: "number", typicalGapDays: "number", gapRatio: "number", recentGapDays: "number", closedDays: "number", purchaseDays: "number", overdueProbability: "number", silenceSurvival: "number", pStopped: "number", pAlive: "number", missedOrders: "number" }, ["recentGapDays", "closedDays", "pAlive"]),
  frequency_drop: shape<FrequencyDropEvidence>({ changeDay: "string", gapBeforeDays: "number", gapAfterDays: "number", ratio: "number", lostShare: "number", gapsBefore: "number", gapsAfter: "number", ordersSince: "number", pSlowdown: "number", daysSinceLast: "number" }, []),
  item_dropped: shape<ItemDroppedEvidence>({ inclusionBefore: "number", itemOrders: "number", ordersBefore: "number", ordersSinceLast: "number", seasonalExposure: "number", daysSinceLast: "number", missingProbability: "number", threshold: "number", usualQuantity: "number", marginShare: "number" }, []),
  item_volume_drop: shape<ItemVolumeDropEvidence>({ usualQuantity: "number", recentQuantity: "number", expectedQuantity: "number", drop: "number", itemLogShift: "number", customerLogShift: "number", baselineInclusions: "number", recentInclusions: "number", cusum: "number", t: "number", threshold: "number", marginShare: "number" }, []),
  diversity_drop: shape<DiversityDropEvidence>({ usualProducts: "number", recentProducts: "number", usualMedian: "number", recentMedian: "number", drop: "number", baselineOrders: "number", recentOrders: "number", productsFallen: "number", largestProductShare: "number", cusum: "number", threshold: "number", marginShareAtRisk: "number" }, []),
  product_vanishing: shape<ProductVanishingEvidence>({ atRisk: "number", dropped: "number", expected: "number", share: "number", pValue: "number", surprise: "number", threshold: "number", usualDropoutPerYear: "number", seasonFactor: "number" }, []),
  discount_anomaly: shape<DiscountAnomalyEvidence>({ rate: "number", expected: "number", shift: "number", weeks: "number", cusum: "number", rho: "number", threshold: "number", sigma: "number", seasonal: "number", listRevenue: "number", baselineWeeks: "number" }, []),
  pipeline_stall: shape<PipelineStallEvidence>({ stuck: "number", inStage: "number", expected: "number", pValue: "number", surprise: "number", threshold: "number", oldestDays: "number", typicalDays: "number", stuckAmount: "number", pricedDeals: "number", winProbability: "number", exitsLast90: "number", exitsPer90Before: "number", dealIds: "string" }, []),
  kpi_drop_chart: shape<KpiDropChartEvidence>({ basis: "string", observed: "number", expected: "number", drop: "number", weeklyDrop: "number", weeks: "number", cusum: "number", threshold: "number", sigma: "number", rho: "number", seasonal: "number", baselineWeeks: "number" }, []),
  kpi_drop_rhythm: shape<KpiDropRhythmEvidence>({ basis: "string", week: "string", observed: "number", expected: "number", itemsObserved: "number", itemsExpected: "number", companyRatio: "number", drop: "number", weeks: "number", z: "number", threshold: "number", customers: "number" }, ["itemsObserved", "itemsExpected"]),
};

/**
 * The problems of a signal's evidence against its type's declared fields (SignalEvidence): a field
 * not declared, a declared one missing (optional ones aside), a value of the wrong kind. Empty
 * when it conforms. Returns the shape's name too, so a caller can count the shapes it saw.
 */
export function evidenceProblems(s: Signal): { shape: string; problems: string[] } {
  const name = s.type === "kpi_drop" ? `kpi_drop_${s.evidence.basis}` as const : s.type;
  const { fields, optional } = SHAPES[name] as EvidenceShape<Record<string, unknown>>;
  const problems: string[] = [];
  const e = s.evidence as Readonly<Record<string, unknown>>;
  for (const [k, v] of Object.entries(e)) {
    const kind = (fields as Record<string, string>)[k];
    if (kind === undefined) problems.push(`${s.id}: ${k} is not a field of ${name}`);
    else if (typeof v !== kind) problems.push(`${s.id}: ${k} is ${typeof v}, declared ${kind}`);
  }
  for (const k of Object.keys(fields)) if (!(k in e) && !(optional as readonly string[]).includes(k)) problems.push(`${s.id}: ${k} missing`);
  return { shape: name, problems };
}
