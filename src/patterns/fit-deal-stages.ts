import type { Dataset, DealStage } from "../data/dataset.ts";
import { checkDataset } from "../data/internal/check-dataset.ts";
import { DEAL_STAGES } from "../data/deal-stages.ts";
import { formatDay } from "../data/format-day.ts";
import { checkDateLike, checkInt, checkNumber, optionsObject, type OptionKeys } from "../data/internal/check.ts";
import { studentTCdf } from "./internal/student-t.ts";
import { lastDealDay, resolveAsOf } from "../data/internal/resolve-as-of.ts";
import { avg } from "./internal/gap-moments.ts";

/** Options of {@link fitDealStages}. */
export interface DealStageOptions {
  /** Last visible day. Default: the dataset's as-of day, else the later of its last order day and last deal event. */
  asOf?: string | Date | number | undefined;
  /** Completed stays (durations), or win-rate trials (closed deals plus open deals' probability of being dead), a rep needs to inform the between-rep prior. Default 5. */
  minRepDeals?: number | undefined;
  /** Prior strength of a rep's log-duration variance, as an inverse-gamma shape a0 (about 2·a0 pseudo-stays). Default 3. */
  priorShape?: number | undefined;
}

const KEYS: OptionKeys<DealStageOptions> = { asOf: true, minRepDeals: true, priorShape: true };

/** Posterior of the log-duration of a completed stay in one stage (one rep, or the team), and its predictive Student-t. */
export interface StayPosterior {
  /** Posterior mean of μ, the mean log-duration (log days). */
  readonly mu: number;
  /** Posterior variance of μ. */
  readonly muVariance: number;
  /** Log-duration variance σ² (posterior mean; the team's: the sample variance). */
  readonly sigma2: number;
  /** Degrees of freedom of the predictive t. */
  readonly nu: number;
  /** Scale of the predictive t: √(σ² + Var μ). */
  readonly scale: number;
}

/** Empirical quantiles of the completed stays in a stage, in days (type 7: linear interpolation). */
export interface StayQuantiles {
  /** 10th percentile. */
  readonly p10: number;
  /** 25th percentile. */
  readonly p25: number;
  /** Median. */
  readonly p50: number;
  /** 75th percentile. */
  readonly p75: number;
  /** 90th percentile. */
  readonly p90: number;
}

/** One row of the per-stage table: a stage for one rep, or for the team (all deals, `repId` null). */
export interface StageStats {
  /** The stage (lead, qualified, proposal or negotiation). */
  readonly stage: DealStage;
  /** Rep id, or `null` for the team (every deal, including deals without a rep). */
  readonly repId: string | null;
  /** Stays begun in the stage up to asOf (= completed + open; a deal that comes back to the stage counts again). */
  readonly entered: number;
  /** Completed stays: the deal entered another stage afterwards (up to asOf). */
  readonly completed: number;
  /** Of the completed stays, those that moved on to another stage or won. */
  readonly advanced: number;
  /** Of the completed stays, those that ended as lost. */
  readonly lost: number;
  /** Open stays: the deal is still in this stage at asOf (right-censored). */
  readonly open: number;
  /** Empirical quantiles of the completed stays (days), `undefined` without completed stays. */
  readonly quantiles: StayQuantiles | undefined;
  /** Typical stay: the median of the fitted log-normal, e^μ (days). */
  readonly typicalDays: number;
  /** Share of stays that never end (stalled for good), from the mixture cure model; 0 without open stays in the group or its prior. */
  readonly deadShare: number;
  /** Posterior of the log-duration (log-normal stay model). */
  readonly posterior: StayPosterior;
  /** Deals that reached the stage and were won (up to asOf). */
  readonly wins: number;
  /** Deals that reached the stage and were closed, won or lost (up to asOf). */
  readonly closed: number;
  /** Binomial trials of the win rate: closed deals plus, for each open deal that reached the stage, its probability of being dead. */
  readonly trials: number;
  /** P(win | reached the stage): beta-binomial posterior mean, shrunk to the team rate; `undefined` when the team has no trials. */
  readonly winProbability: number | undefined;
}

/** Where one deal stands at asOf. */
export interface DealState {
  /** Deal id. */
  readonly dealId: string;
  /** Customer id (of its latest event). */
  readonly customerId: string;
  /** Rep id (latest event with a rep), `undefined` when none. */
  readonly repId: string | undefined;
  /** Current stage (the latest event's). */
  readonly stage: DealStage;
  /** Day the current stage was entered, `YYYY-MM-DD`. */
  readonly enteredAt: string;
  /** Days from entering the current stage to asOf. */
  readonly daysInStage: number;
  /** How unusual the stay is: P(a completed stay in this stage, for this rep, is shorter); `undefined` for won or lost deals. */
  readonly durationPercentile: number | undefined;
  /** P(the deal is dead: it will never leave this stage) given it is still there after `daysInStage`; 0 for won or lost deals. */
  readonly deadProbability: number;
  /** P(the deal is won) as of now: 1 won, 0 lost; open: the rep's win probability from the stage, discounted for the deal being dead. */
  readonly winProbability: number | undefined;
  /** Amount (latest event that has one), `undefined` when unknown. */
  readonly amount: number | undefined;
  /** amount × winProbability, `undefined` when either is unknown. */
  readonly expectedValue: number | undefined;
  /** open, won or lost. */
  readonly status: "open" | "won" | "lost";
}

/** The fitted deal-stage model. */
export interface DealStageModel {
  /** As-of day, `YYYY-MM-DD`. */
  readonly asOf: string;
  /**
   * The per-stage table: for each stage lead..negotiation, the team first, then each rep in id order.
   * @returns the rows
   */
  stages(): readonly StageStats[];
  /**
   * One row of the table.
   * @param stage - the stage
   * @param repId - a rep id; `null` or omitted for the team
   * @returns the row, or `undefined` for won/lost or a rep without deals
   */
  stage(stage: DealStage, repId?: string | null): StageStats | undefined;
  /**
   * How unusual a stay is: P(a completed stay in the stage is shorter than `days`) under the rep's
   * predictive (the team's for an unknown rep or `null`).
   * @param stage - the stage (lead..negotiation)
   * @param repId - rep id or `null` for the team
   * @param days - days in the stage so far
   * @returns the percentile in [0, 1], `undefined` for won/lost
   */
  durationPercentile(stage: DealStage, repId: string | null, days: number): number | undefined;
  /**
   * One deal as of asOf.
   * @param dealId - the id
   * @returns its state, or `undefined` when unknown or without events up to asOf
   */
  deal(dealId: string): DealState | undefined;
  /**
   * Open deals, most unusual stay first (durationPercentile descending, then deal id).
   * @returns the open deals
   */
  openDeals(): readonly DealState[];
}

/** One deal as its stage path up to asOf (consecutive repeats of a stage collapsed). */
interface Path {
  id: number;
  customer: number;
  rep: number;
  amount: number;
  stages: number[];
  days: number[];
  /** Dead probability of the open stay (filled after the duration fit). */
  z: number;
}

/** Stays of one group (stage x rep, or stage x team). */
interface Group {
  entered: number;
  durations: number[];
  advanced: number;
  lost: number;
  /** Open stays: days elapsed in the stage at asOf. */
  openDays: number[];
  wins: number;
  closed: number;
  deadWeight: number;
}

/** Empirical-Bayes prior of a rep's stay in a stage, taken from the team. */
interface StayPrior {
  mu0: number;
  tau2: number;
  a0: number;
  b0: number;
  pi0: number;
}

interface StayFit extends StayPosterior {
  pi: number;
}

const OPEN_STAGES = 4; // lead, qualified, proposal, negotiation
const WON = 4;
const LOST = 5;
/** Shortest stay used on the log scale: a same-day move counts as half a day. */
const MIN_DAYS = 0.5;
/** Floor and fallback of the between-rep variance of the mean log-duration. */
const TAU2_FLOOR = 0.01;
const TAU2_DEFAULT = 0.1;
/** Pseudo-stays of the dead-share prior (the rep's share of never-ending stays shrinks to the team's). */
const DEAD_PRIOR_STAYS = 10;
/** Clamp and fallback of the win-rate prior strength α + β (pseudo-deals). */
const WIN_STRENGTH_MIN = 2;
const WIN_STRENGTH_MAX = 50;
const WIN_STRENGTH_DEFAULT = 10;
/** Weak default of a stay with no data: median 14 days, wide. */
const DEFAULT_MU = Math.log(14);
const DEFAULT_SIGMA2 = 1;
/**
 * Most EM rounds of a stay fit. A dead share heading to 0 converges slowly (sublinearly): 500
 * rounds left such groups mid-way (μ off by up to 0.4); 10,000 reach the 1e-10 change on random
 * small groups (μ within 2e-5 of 100,000 rounds). Fits that converge stop long before.
 */
const EM_MAX_ROUNDS = 10_000;

/**
 * A deal-stage model of the pipeline: per stage (lead, qualified, proposal, negotiation) and per
 * rep, how long deals stay and how often deals that reached the stage are won, so a detector can
 * ask "how unusual is 40 days in proposal for this rep" and a value model "what is this deal
 * worth now". Stays are log-normal (log-days ~ Normal(μ, σ²)); a rep's μ and σ² are shrunk to the
 * team's by empirical Bayes (μ ~ Normal(μ_team, τ²) with τ² from the spread of the reps' means,
 * σ² ~ Inverse-Gamma(a0, (a0 − 1)·σ²_team)), and a stay is predicted by a Student-t with 2aₙ
 * degrees of freedom (Gelman et al., BDA3, 3.3-3.4). Deals still in a stage at asOf are
 * right-censored: a mixture cure model (a share π of stays never end; the rest are log-normal) is
 * fitted by EM, so an open stay counts as "at least this long" and a stay far beyond the usual
 * counts as dead. Win probability from a stage is a beta-binomial posterior mean
 * (wins + α) / (trials + α + β) whose Beta prior is centred on the team rate (strength by the
 * method of moments across reps); trials are closed deals plus each open deal's probability of
 * being dead. docs/patterns.md, section 4, has the formulas.
 *
 * @param dataset - a dataset or as-of view (its deal events are used)
 * @param options - asOf, minRepDeals, priorShape
 * @returns the model
 * @throws {OrderpulseError} `INVALID_OPTION` for an unknown or bad option
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { fitDealStages, fromRowsSync } from "orderpulse";
 * const dealEvents = [];
 * for (let k = 0; k < 6; k++) {
 *   const deal_id = `D${k}`;
 *   dealEvents.push({ deal_id, customer_id: "C1", stage: "proposal", entered_at: `2026-01-0${k + 1}`, rep_id: "R1", amount: 1000 });
 *   dealEvents.push({ deal_id, customer_id: "C1", stage: k % 2 ? "won" : "lost", entered_at: `2026-01-${11 + k}`, rep_id: "R1", amount: 1000 });
 * }
 * dealEvents.push({ deal_id: "OPEN", customer_id: "C1", stage: "proposal", entered_at: "2026-01-20", rep_id: "R1", amount: 500 });
 * const model = fitDealStages(fromRowsSync({ orders: [], dealEvents }).dataset, { asOf: "2026-03-01" });
 * const open = model.deal("OPEN");
 * assert.equal(open?.daysInStage, 40);
 * assert.ok((open?.durationPercentile ?? 0) > 0.99); // 40 days in proposal: usually 10
 * // 3 won of 6 closed, and the stalled deal counts as (almost surely) lost: 3 / 7
 * assert.ok(Math.abs((model.stage("proposal")?.winProbability ?? 0) - 3 / 7) < 1e-6);
 * ```
 */
export function fitDealStages(dataset: Dataset, options?: DealStageOptions): DealStageModel {
  const fn = "fitDealStages";
  checkDataset(dataset, fn);
  const o = optionsObject(options, fn, KEYS);
  checkDateLike(o, "asOf", fn);
  checkInt(o, "minRepDeals", 2, 1_000_000, fn);
  checkNumber(o, "priorShape", 1.01, 1000, fn);
  const opts = (options ?? {}) as DealStageOptions;
  const minRep = opts.minRepDeals ?? 5;
  const a0 = opts.priorShape ?? 3;
  const { asOf, view } = resolveAsOf(dataset, opts.asOf, opts.asOf === undefined ? defaultAsOf(dataset) : undefined, "fitDealStages");
  const ev = view.dealEvents;
  const { ids } = view;

  // 1. each deal's stage path (events are sorted by deal, day, stage)
  const paths: Path[] = [];
  for (let i = 0; i < ev.length; ) {
    const d = ev.deal[i]!;
    const p: Path = { id: d, customer: ev.customer[i]!, rep: -1, amount: Number.NaN, stages: [], days: [], z: 0 };
    for (; i < ev.length && ev.deal[i] === d; i++) {
      const st = ev.stage[i]!;
      if (ev.rep[i]! >= 0) p.rep = ev.rep[i]!;
      if (!Number.isNaN(ev.amount[i]!)) p.amount = ev.amount[i]!;
      p.customer = ev.customer[i]!;
      if (st > LOST) continue;
      if (p.stages[p.stages.length - 1] === st) continue;
      p.stages.push(st);
      p.days.push(ev.day[i]!);
    }
    if (p.stages.length > 0) paths.push(p);
  }

  // 2. stays and outcomes per (stage, rep) and per stage for the team
  const team: Group[] = Array.from({ length: OPEN_STAGES }, newGroup);
  const reps: Map<number, Group>[] = Array.from({ length: OPEN_STAGES }, () => new Map());
  const repsSeen = new Set<number>();
  const groupsOf = (s: number, rep: number): Group[] => {
    const out = [team[s]!];
    if (rep >= 0) {
      let g = reps[s]!.get(rep);
      if (!g) reps[s]!.set(rep, (g = newGroup()));
      out.push(g);
    }
    return out;
  };
  for (const p of paths) {
    if (p.rep >= 0) repsSeen.add(p.rep);
    const n = p.stages.length;
    for (let k = 0; k < n; k++) {
      const s = p.stages[k]!;
      if (s >= OPEN_STAGES) continue;
      for (const g of groupsOf(s, p.rep)) {
        g.entered++;
        if (k + 1 < n) {
          g.durations.push(p.days[k + 1]! - p.days[k]!);
          if (p.stages[k + 1] === LOST) g.lost++;
          else g.advanced++;
        } else {
          g.openDays.push(asOf - p.days[k]!);
        }
      }
    }
  }
  for (const r of repsSeen) for (let s = 0; s < OPEN_STAGES; s++) groupsOf(s, r);

  // 3. durations: team fit, empirical-Bayes prior, rep fits; dead probability of each open stay
  const teamFit: StayFit[] = [];
  const repFit: Map<number, StayFit>[] = [];
  for (let s = 0; s < OPEN_STAGES; s++) {
    const tf = fitStay(team[s]!.durations, team[s]!.openDays, undefined);
    teamFit.push(tf);
    const prior: StayPrior = { mu0: tf.mu, tau2: betweenRepVariance(reps[s]!, minRep), a0, b0: (a0 - 1) * tf.sigma2, pi0: tf.pi };
    const fits = new Map<number, StayFit>();
    for (const [r, g] of reps[s]!) fits.set(r, fitStay(g.durations, g.openDays, prior));
    repFit.push(fits);
  }
  const fitFor = (s: number, rep: number): StayFit => (rep >= 0 ? repFit[s]!.get(rep) : undefined) ?? teamFit[s]!;
  for (const p of paths) {
    const k = p.stages.length - 1;
    const s = p.stages[k]!;
    p.z = s < OPEN_STAGES ? deadProbability(fitFor(s, p.rep), asOf - p.days[k]!) : 0;
  }

  // 4. win counts per stage reached: closed deals, plus each open deal's dead probability as a loss
  for (const p of paths) {
    const last = p.stages[p.stages.length - 1]!;
    const reached = new Set<number>();
    for (const s of p.stages) if (s < OPEN_STAGES) reached.add(s);
    for (const s of reached) {
      for (const g of groupsOf(s, p.rep)) {
        if (last === WON) {
          g.wins++;
          g.closed++;
        } else if (last === LOST) g.closed++;
        else g.deadWeight += p.z;
      }
    }
  }
  const winTeam: (number | undefined)[] = [];
  const winPrior: { alpha: number; beta: number }[] = [];
  for (let s = 0; s < OPEN_STAGES; s++) {
    const g = team[s]!;
    const trials = g.closed + g.deadWeight;
    const p = trials > 0 ? g.wins / trials : undefined;
    winTeam.push(p);
    const strength = p === undefined ? WIN_STRENGTH_DEFAULT : winStrength(reps[s]!, minRep);
    winPrior.push({ alpha: (p ?? 0) * strength, beta: (1 - (p ?? 0)) * strength });
  }
  const winOf = (s: number, rep: number): number | undefined => {
    const p = winTeam[s];
    const g = rep >= 0 ? reps[s]!.get(rep) : undefined;
    if (p === undefined || !g) return p;
    const { alpha, beta } = winPrior[s]!;
    return (g.wins + alpha) / (g.closed + g.deadWeight + alpha + beta);
  };

  // 5. the table
  const table: StageStats[] = [];
  const rowIndex = new Map<string, number>();
  const repOrder = [...repsSeen].sort((x, y) => x - y);
  for (let s = 0; s < OPEN_STAGES; s++) {
    const put = (rep: number, g: Group, f: StayFit): void => {
      rowIndex.set(`${s}:${rep}`, table.length);
      table.push(stats(DEAL_STAGES[s]!, rep >= 0 ? ids.reps.values[rep]! : null, g, f, winOf(s, rep)));
    };
    put(-1, team[s]!, teamFit[s]!);
    for (const r of repOrder) put(r, reps[s]!.get(r)!, repFit[s]!.get(r)!);
  }

  // 6. deals
  const states: DealState[] = [];
  const dealIndex = new Map<string, number>();
  for (const p of paths) {
    const k = p.stages.length - 1;
    const s = p.stages[k]!;
    const status = s === WON ? "won" : s === LOST ? "lost" : "open";
    const daysInStage = asOf - p.days[k]!;
    let percentile: number | undefined;
    let win: number | undefined = status === "won" ? 1 : 0;
    if (status === "open") {
      const f = fitFor(s, p.rep);
      percentile = stayCdf(f, daysInStage);
      const w = winOf(s, p.rep);
      win = w === undefined ? undefined : f.pi >= 1 ? 0 : Math.min(1, (w * (1 - p.z)) / (1 - f.pi));
    }
    const amount = Number.isNaN(p.amount) ? undefined : p.amount;
    const dealId = ids.deals.values[p.id]!;
    dealIndex.set(dealId, states.length);
    states.push({
      dealId,
      customerId: ids.customers.values[p.customer]!,
      repId: p.rep >= 0 ? ids.reps.values[p.rep]! : undefined,
      stage: DEAL_STAGES[s]!,
      enteredAt: formatDay(p.days[k]!),
      daysInStage,
      durationPercentile: percentile,
      deadProbability: p.z,
      winProbability: win,
      amount,
      expectedValue: amount === undefined || win === undefined ? undefined : amount * win,
      status,
    });
  }
  const open = states
    .filter((d) => d.status === "open")
    .sort((x, y) => y.durationPercentile! - x.durationPercentile! || (x.dealId < y.dealId ? -1 : x.dealId > y.dealId ? 1 : 0));

  const stageIndex = (stage: DealStage): number => {
    const s = DEAL_STAGES.indexOf(stage);
    return s >= 0 && s < OPEN_STAGES ? s : -1;
  };
  const repIndex = (repId: string | null | undefined): number => (repId === null || repId === undefined ? -1 : ids.reps.indexOf(repId));
  return {
    asOf: formatDay(asOf),
    stages: () => table,
    stage: (stage: DealStage, repId?: string | null) => {
      const s = stageIndex(stage);
      if (s < 0) return undefined;
      const r = repIndex(repId);
      if (r < 0 && repId !== null && repId !== undefined) return undefined;
      const k = rowIndex.get(`${s}:${r}`);
      return k === undefined ? undefined : table[k];
    },
    durationPercentile: (stage: DealStage, repId: string | null, days: number) => {
      const s = stageIndex(stage);
      return s < 0 || !Number.isFinite(days) ? undefined : stayCdf(fitFor(s, repIndex(repId)), days);
    },
    deal: (dealId: string) => {
      const k = dealIndex.get(dealId);
      return k === undefined ? undefined : states[k];
    },
    openDeals: () => open,
  };
}

function newGroup(): Group {
  return { entered: 0, durations: [], advanced: 0, lost: 0, openDays: [], wins: 0, closed: 0, deadWeight: 0 };
}

function stats(stage: DealStage, repId: string | null, g: Group, f: StayFit, win: number | undefined): StageStats {
  return {
    stage,
    repId,
    entered: g.entered,
    completed: g.durations.length,
    advanced: g.advanced,
    lost: g.lost,
    open: g.openDays.length,
    quantiles: quantiles(g.durations),
    typicalDays: Math.exp(f.mu),
    deadShare: f.pi,
    posterior: { mu: f.mu, muVariance: f.muVariance, sigma2: f.sigma2, nu: f.nu, scale: f.scale },
    wins: g.wins,
    closed: g.closed,
    trials: g.closed + g.deadWeight,
    winProbability: win,
  };
}

const logDays = (days: number): number => Math.log(Math.max(MIN_DAYS, days));

/** Predictive P(completed stay < days). */
function stayCdf(f: StayFit, days: number): number {
  return studentTCdf((logDays(days) - f.mu) / f.scale, f.nu);
}

/** P(dead | still in the stage after `days`) = π / (π + (1 − π)·S(days)), S under Normal(μ, σ²) on the log scale. */
function deadProbability(f: StayFit, days: number): number {
  if (f.pi <= 0) return 0;
  const surv = normalSurvival((logDays(days) - f.mu) / Math.sqrt(f.sigma2));
  return f.pi / (f.pi + (1 - f.pi) * surv);
}

/**
 * Mixture cure model of the stays in one group, fitted by EM. Completed log-durations y_i are
 * observed; an open stay of c_j log-days is dead with probability z_j = π / (π + (1 − π)S(c_j)),
 * else alive and longer than c_j: its log-duration is imputed by the truncated-normal moments
 * E[y | y > c] = μ + σλ, E[y² | y > c] = μ² + σ² + σλ(c + μ), λ = φ(α) / (1 − Φ(α)), α = (c − μ)/σ.
 * M-step on the weighted sufficient statistics: without a prior (the team) μ = mean,
 * σ² = ss / (n − 1), π = Σz / N; with the rep prior the conditionally conjugate posterior of the
 * interval model and π = (Σz + m·π₀) / (N + m). The team with fewer than two completed stays keeps
 * μ and σ² at the weak default (the one stay's log-duration, else log 14; σ² = 1) and fits π only
 * (0 without a completed stay).
 */
function fitStay(durations: readonly number[], openDays: readonly number[], prior: StayPrior | undefined): StayFit {
  const n = durations.length;
  let sy = 0, syy = 0;
  for (const d of durations) {
    const y = logDays(d);
    sy += y;
    syy += y * y;
  }
  // the open stays by distinct length (sorted): a round costs the distinct lengths, not the deals
  // (each round passed over every open deal: 32,000 stalled deals took 21 s)
  const byDays = new Map<number, number>();
  for (const d of openDays) byDays.set(d, (byDays.get(d) ?? 0) + 1);
  const lengths = [...byDays.keys()].sort((x, y) => x - y);
  const cs = lengths.map(logDays);
  const times = lengths.map((d) => byDays.get(d)!);
  const total = n + openDays.length;
  let mu: number, sigma2: number;
  if (n >= 2) {
    mu = sy / n;
    sigma2 = Math.max(1e-4, (syy - n * mu * mu) / (n - 1));
  } else if (prior) {
    mu = prior.mu0;
    sigma2 = prior.b0 / (prior.a0 - 1);
  } else {
    mu = n === 1 ? sy : DEFAULT_MU;
    sigma2 = DEFAULT_SIGMA2;
  }
  // the team with fewer than two completed stays keeps μ and σ² at the weak default: fitted, the
  // open stays' imputed tails would feed the mean they are imputed from (μ grows without bound);
  // only π is fitted, and without any completed stay it is 0 (not identified: the likelihood
  // grows up to π = 1, every open stay dead however young)
  const fixed = n < 2 && !prior;
  let pi = prior ? (prior.pi0 * DEAD_PRIOR_STAYS) / (total + DEAD_PRIOR_STAYS) : 0;
  if (cs.length > 0 && !prior && n > 0) pi = 0.1;
  let post = posterior(n, sy, syy, mu, sigma2, prior);
  for (let iter = 0; iter < EM_MAX_ROUNDS; iter++) {
    const sigma = Math.sqrt(sigma2);
    let w = 0, a1 = 0, a2 = 0, zs = 0;
    for (let k = 0; k < cs.length; k++) {
      const c = cs[k]!, m = times[k]!;
      const alpha = (c - mu) / sigma;
      const surv = normalSurvival(alpha);
      const z = pi <= 0 ? 0 : pi / (pi + (1 - pi) * surv);
      const lambda = surv > 1e-300 ? normalDensity(alpha) / surv : Math.max(alpha, 0);
      const alive = m * (1 - z);
      w += alive;
      a1 += alive * (mu + sigma * lambda);
      a2 += alive * (mu * mu + sigma2 + sigma * lambda * (c + mu));
      zs += m * z;
    }
    if (!fixed) post = posterior(n + w, sy + a1, syy + a2, mu, sigma2, prior);
    const nextPi = cs.length === 0 && !prior ? 0 : prior ? (zs + prior.pi0 * DEAD_PRIOR_STAYS) / (total + DEAD_PRIOR_STAYS) : zs / total;
    const change = Math.abs(post.mu - mu) + Math.abs(post.sigma2 - sigma2) + Math.abs(nextPi - pi);
    mu = post.mu;
    sigma2 = post.sigma2;
    pi = nextPi;
    if (cs.length === 0 || change < 1e-10) break;
  }
  return { ...post, pi };
}

/**
 * Posterior from (possibly fractional) sufficient statistics: count n, Σy, Σy². Without a prior:
 * μ = ȳ, σ² = ss/(n − 1), predictive t with n − 1 degrees of freedom and scale √(σ²(1 + 1/n)).
 * With a prior: σ² ~ IG(a0 + n/2, b0 + ss/2) (its mean), μ by precision weighting.
 */
function posterior(n: number, sy: number, syy: number, mu: number, sigma2: number, prior: StayPrior | undefined): StayPosterior {
  const mean = n > 0 ? sy / n : 0;
  const ss = n > 0 ? Math.max(0, syy - n * mean * mean) : 0;
  if (!prior) {
    if (n < 2) {
      const m = n > 0 ? mean : mu;
      return { mu: m, muVariance: sigma2, sigma2, nu: 1, scale: Math.sqrt(2 * sigma2) };
    }
    const s2 = Math.max(1e-4, ss / (n - 1));
    return { mu: mean, muVariance: s2 / n, sigma2: s2, nu: n - 1, scale: Math.sqrt(s2 * (1 + 1 / n)) };
  }
  const a = prior.a0 + n / 2;
  const b = prior.b0 + ss / 2;
  const s2 = Math.max(1e-4, b / (a - 1));
  const precision = 1 / prior.tau2 + n / s2;
  const m = (prior.mu0 / prior.tau2 + (n * mean) / s2) / precision;
  return { mu: m, muVariance: 1 / precision, sigma2: s2, nu: 2 * a, scale: Math.sqrt(s2 + 1 / precision) };
}

/** τ² by the method of moments: variance of the reps' mean log-stays minus their average sampling variance (reps with >= minRep stays). */
function betweenRepVariance(groups: ReadonlyMap<number, Group>, minRep: number): number {
  const means: number[] = [];
  const sampling: number[] = [];
  for (const g of groups.values()) {
    const n = g.durations.length;
    if (n < minRep) continue;
    let s = 0, ss = 0;
    for (const d of g.durations) s += logDays(d);
    const m = s / n;
    for (const d of g.durations) ss += (logDays(d) - m) ** 2;
    means.push(m);
    sampling.push(ss / (n - 1) / n);
  }
  if (means.length < 2) return TAU2_DEFAULT;
  const grand = avg(means);
  let v = 0;
  for (const m of means) v += (m - grand) ** 2;
  return Math.max(TAU2_FLOOR, v / (means.length - 1) - avg(sampling));
}

/** α + β of the win-rate prior by the method of moments across reps with >= minRep trials (Kleinman 1973), clamped to [2, 50]. */
function winStrength(groups: ReadonlyMap<number, Group>, minRep: number): number {
  const rates: number[] = [];
  const trials: number[] = [];
  for (const g of groups.values()) {
    const t = g.closed + g.deadWeight;
    if (t < minRep) continue;
    rates.push(g.wins / t);
    trials.push(t);
  }
  if (rates.length < 2) return WIN_STRENGTH_DEFAULT;
  const m = avg(rates);
  let v = 0, sampling = 0;
  for (let k = 0; k < rates.length; k++) {
    v += (rates[k]! - m) ** 2;
    sampling += (m * (1 - m)) / trials[k]!;
  }
  v = v / (rates.length - 1) - sampling / rates.length;
  const mm = Math.min(0.999, Math.max(0.001, m));
  return v > 1e-9 ? Math.min(WIN_STRENGTH_MAX, Math.max(WIN_STRENGTH_MIN, (mm * (1 - mm)) / v - 1)) : WIN_STRENGTH_MAX;
}

/** Type-7 quantiles (R's default: linear interpolation between order statistics). */
function quantiles(xs: readonly number[]): StayQuantiles | undefined {
  if (xs.length === 0) return undefined;
  const s = [...xs].sort((a, b) => a - b);
  const q = (p: number): number => {
    const h = (s.length - 1) * p;
    const lo = Math.floor(h);
    return s[lo]! + (h - lo) * ((s[Math.min(lo + 1, s.length - 1)] ?? s[lo]!) - s[lo]!);
  };
  return { p10: q(0.1), p25: q(0.25), p50: q(0.5), p75: q(0.75), p90: q(0.9) };
}

function normalDensity(x: number): number {
  return Math.exp(-0.5 * x * x) / Math.sqrt(2 * Math.PI);
}

/** 1 − Φ(x) through erfc (Numerical Recipes' Chebyshev fit, relative error < 1.2e-7 everywhere). */
function normalSurvival(x: number): number {
  const z = Math.abs(x) / Math.SQRT2;
  const t = 1 / (1 + 0.5 * z);
  const r =
    t *
    Math.exp(
      -z * z - 1.26551223 +
        t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? 0.5 * r : 1 - 0.5 * r;
}

/** fitDealStages' default day: the later of the last order and the last deal event (0 without either). */
function defaultAsOf(dataset: Dataset): number {
  const orders = dataset.dayRange?.last, deals = lastDealDay(dataset);
  return orders === undefined ? (deals ?? 0) : deals === undefined ? orders : Math.max(orders, deals);
}
