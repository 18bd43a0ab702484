/**
 * Maximum-likelihood driver shared by the BG/NBD and MBG/NBD fits: option checks, grouping of
 * identical rows, Nelder–Mead in log-parameter space (so every parameter stays positive).
 * @internal
 */
import { OrderpulseError } from "../../data/errors.ts";
import { checkInt, checkNumber, checkObject, optionsObject, type OptionKeys } from "../../data/internal/check.ts";
import type { BtydCountingFitOptions, BtydCountingSummary } from "../btyd/counting-model.ts";
import { type GroupedSummary, groupSummary } from "./btyd-math.ts";
import { nelderMead, type NelderMeadOptions } from "./nelder-mead.ts";

/** The options of the BG/NBD-family fits (fitBgNbd, fitMbgNbd). */
const KEYS: OptionKeys<BtydCountingFitOptions<unknown>> = { penalizer: true, initial: true, maxEvaluations: true };

/**
 * @internal A recency/frequency summary as the BTYD fits take it: an object with columns x, tx
 * and T of one length (a shorter tx or T column was read as missing values and its rows skipped;
 * fitBgNbd({}) returned the start parameters, and fitParetoNbd did for columns without a length).
 */
export function checkSummaryColumns(summary: unknown, fn: string): void {
  if (typeof summary !== "object" || summary === null) throw new OrderpulseError("INVALID_OPTION", `${fn}: invalid option summary: expected an object with x, tx and T columns`, { option: "summary", value: summary });
  const { x, tx, T } = summary as { x?: ArrayLike<number>; tx?: ArrayLike<number>; T?: ArrayLike<number> };
  if (x === undefined || tx === undefined || T === undefined || typeof x.length !== "number" || x.length !== tx.length || x.length !== T.length) {
    throw new OrderpulseError("INVALID_OPTION", `${fn}: invalid option summary: expected columns x, tx and T of equal length`, { option: "summary" });
  }
}

/** @internal Check that each named parameter is a positive finite number (`option` "" names them bare). */
export function checkParams(p: unknown, names: readonly string[], fn: string, option: string): number[] {
  const o = (typeof p === "object" && p !== null ? p : {}) as Record<string, unknown>;
  return names.map((k) => {
    const v = o[k];
    if (!(typeof v === "number" && Number.isFinite(v) && v > 0)) {
      const path = option === "" ? k : `${option}.${k}`;
      throw new OrderpulseError("INVALID_OPTION", `${fn}: invalid option ${path}: expected a positive finite number, got ${String(v)}`, { option: path, value: v });
    }
    return v;
  });
}

/** @internal Result of {@link fitLogParams}. */
export interface LogParamFit {
  readonly params: number[];
  readonly logLikelihood: number;
  readonly converged: boolean;
  readonly evaluations: number;
  readonly customers: number;
  readonly skipped: number;
  readonly penalizer: number;
}

/**
 * @internal Fit `names` (positive parameters) by maximising `ll(params, grouped)` (the weighted
 * log-likelihood sum). `scaleIndex` is the parameter started at the mean T; `search` adds a
 * stall rule to the simplex search (callers inside the library, never a user option).
 */
export function fitLogParams(
  summary: BtydCountingSummary,
  options: unknown,
  names: readonly string[],
  scaleIndex: number,
  ll: (p: readonly number[], g: GroupedSummary) => number,
  fn: string,
  search: Pick<NelderMeadOptions, "stall"> = {},
): LogParamFit {
  const o = optionsObject(options, fn, KEYS);
  checkNumber(o, "penalizer", 0, Number.MAX_VALUE, fn);
  checkInt(o, "maxEvaluations", 10, 10_000_000, fn);
  const penalizer = (o["penalizer"] as number | undefined) ?? 0;
  checkSummaryColumns(summary, fn);
  const g = groupSummary(summary);
  let start: number[];
  if (o["initial"] !== undefined) {
    checkObject(o, "initial", names, fn);
    start = checkParams(o["initial"], names, fn, "initial");
  } else {
    let sumT = 0;
    for (let i = 0; i < g.T.length; i++) sumT += g.T[i]! * g.weight[i]!;
    const meanT = g.customers > 0 ? sumT / g.customers : 1;
    start = names.map((_, i) => (i === scaleIndex && meanT > 0 ? meanT : 1));
  }
  if (g.customers === 0) {
    return { params: start, logLikelihood: 0, converged: false, evaluations: 0, customers: 0, skipped: g.skipped, penalizer };
  }
  const n = g.customers;
  const objective = (lp: readonly number[]): number => {
    const p = lp.map(Math.exp);
    let pen = 0;
    for (const v of p) pen += v * v;
    return -ll(p, g) / n + penalizer * pen;
  };
  const res = nelderMead(objective, start.map(Math.log), { maxEvaluations: (o["maxEvaluations"] as number | undefined) ?? 20_000, stall: search.stall });
  const params = res.x.map(Math.exp);
  return { params, logLikelihood: ll(params, g), converged: res.converged, evaluations: res.evaluations, customers: n, skipped: g.skipped, penalizer };
}
