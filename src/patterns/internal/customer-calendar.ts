import { civilFromEpochDay } from "../../data/civil-from-epoch-day.ts";
import { lowerBound } from "../../data/internal/bounds.ts";
import { checkObject } from "../../data/internal/check.ts";
import { OrderpulseError } from "../../data/errors.ts";
import { parseDay } from "../../data/parse-day.ts";
import { optionDay } from "../../data/internal/option-day.ts";

/**
 * A customer's habitual closures, inferred from its own purchase days, and the arithmetic of
 * "open days" that measures its gaps without the closures: a customer that never orders in
 * August is not late in August, and one that never orders on Fridays and Saturdays does not
 * gain two days of lateness every weekend.
 * @internal
 */
export interface Closures {
  /** Bit m (0 = January) set when the customer is closed in that month. */
  readonly months: number;
  /** Bit w (0 = Sunday) set when the customer is closed on that weekday. */
  readonly weekdays: number;
  /** The business calendar's holidays (closed for everyone), when one is given. */
  readonly holidays?: HolidaySet | undefined;
  /**
   * Seasonal intensity per month (0 = January), mean 1 over the open months: an open day of
   * month m counts as `intensity[m]` days on the customer's clock (undefined: every open day is 1).
   */
  readonly intensity?: Float64Array | undefined;
}

/** @internal Holidays as a day bitmap over the month table's range, with their share of open days. */
export interface HolidaySet {
  /** 1 on a holiday, indexed by epoch day − TABLE_START. */
  readonly mask: Uint8Array;
  /** The holidays' epoch days, ascending (for counting them in a range by binary search). */
  readonly days: Int32Array;
  /** Holidays per calendar day over the years the holidays cover (for the open fraction). */
  readonly share: number;
  /**
   * Holidays per (month − 1) × 7 + weekday (0 = Sunday) over the same years, and `monthDays` their
   * calendar days per month: the open fraction's holiday share over a customer's open months and
   * weekdays (a holiday on a closed weekday or in a closed month closes no more days).
   */
  readonly monthWeekday: Float64Array;
  readonly monthDays: Float64Array;
}

/** Holidays of the sorted `days` in [start, end) counted per month and weekday, with the range's calendar days per month. */
function holidayShares(days: Int32Array, start: number, end: number): Pick<HolidaySet, "monthWeekday" | "monthDays"> {
  const monthWeekday = new Float64Array(84), monthDays = new Float64Array(12);
  for (let k = lowerBound(days, start); k < days.length && days[k]! < end; k++) monthWeekday[monthOf(days[k]!) * 7 + weekday(days[k]!)]!++;
  for (let d = start; d < end; ) {
    const next = Math.min(end, nextMonthStart(d));
    monthDays[monthOf(d)]! += next - d;
    d = next;
  }
  return { monthWeekday, monthDays };
}

/** @internal The holiday set of an interval model's business holidays (its `holidays`, YYYY-MM-DD days); undefined without any. */
export function modelHolidays(holidays: readonly string[] | undefined): HolidaySet | undefined {
  return holidays?.length ? holidaySet(holidays.map((d) => parseDay(d, "holidays"))) : undefined;
}

/**
 * @internal A holiday set from epoch days (outside 1950..2149 ignored). The share is taken over
 * the whole years the holidays span, so moving holidays average out.
 */
export function holidaySet(days: readonly number[]): HolidaySet | undefined {
  const mask = new Uint8Array(TABLE_DAYS);
  let lo = Infinity, hi = -Infinity, count = 0;
  for (const d of days) {
    const k = d - TABLE_START;
    if (k < 0 || k >= TABLE_DAYS || mask[k]) continue;
    mask[k] = 1;
    count++;
    lo = Math.min(lo, d);
    hi = Math.max(hi, d);
  }
  if (count === 0) return undefined;
  const y0 = civilFromEpochDay(lo)[0], y1 = civilFromEpochDay(hi)[0];
  const span = epochDayOf(y1 + 1, 1) - epochDayOf(y0, 1);
  const sorted = new Int32Array(count);
  for (let k = 0, j = 0; k < TABLE_DAYS; k++) if (mask[k]) sorted[j++] = k + TABLE_START;
  const start = epochDayOf(y0, 1);
  return { mask, days: sorted, share: count / span, ...holidayShares(sorted, start, start + span) };
}

/**
 * @internal The holiday set with its share taken over the whole years from `from`'s to `to`'s (the
 * data's span): holidays outside it close days as before, but do not move every customer's open
 * fraction (a holiday listed for 2140 changed every gap of 2023-2026 data; israeliHolidays(1900,
 * 2200) and (2023, 2027) gave different models). No holiday in the span: share 0.
 */
export function holidaysOver(h: HolidaySet, from: number, to: number): HolidaySet {
  const y0 = civilFromEpochDay(Math.min(from, to))[0], y1 = civilFromEpochDay(Math.max(from, to))[0];
  const start = epochDayOf(y0, 1), end = epochDayOf(y1 + 1, 1);
  const count = lowerBound(h.days, end) - lowerBound(h.days, start);
  return { mask: h.mask, days: h.days, share: count / (end - start), ...holidayShares(h.days, start, end) };
}

/** @internal The business calendar: weekend days (bit w, 0 = Sunday) and holidays, closed for every customer. */
export interface BusinessDays {
  readonly weekend: number;
  readonly holidays: HolidaySet | undefined;
}

/** @internal Weekday of an epoch day, 0 = Sunday (epoch day 0, 1970-01-01, was a Thursday). */
export function weekday(day: number): number {
  return (((day + 4) % 7) + 7) % 7;
}

// month of every day from 1950 to 2150, and the days left in its month, built on first use
// (open-day counting goes month by month)
const TABLE_START = -7305; // 1950-01-01
const TABLE_DAYS = 73_049; // to 2149-12-31
let monthTable: Uint8Array | undefined;
let restTable: Uint8Array | undefined;

function buildTables(): void {
  const months = new Uint8Array(TABLE_DAYS);
  const rest = new Uint8Array(TABLE_DAYS);
  let d = TABLE_START;
  for (let y = 1950; y < 2150; y++) {
    for (let m = 1; m <= 12; m++) {
      const next = m === 12 ? epochDayOf(y + 1, 1) : epochDayOf(y, m + 1);
      months.fill(m - 1, d - TABLE_START, next - TABLE_START);
      for (let x = d; x < next; x++) rest[x - TABLE_START] = next - x;
      d = next;
    }
  }
  monthTable = months;
  restTable = rest;
}

/** @internal Month (0..11) of an epoch day. */
export function monthOf(day: number): number {
  const k = day - TABLE_START;
  if (k >= 0 && k < TABLE_DAYS) {
    if (!monthTable) buildTables();
    return monthTable![k]!;
  }
  return civilFromEpochDay(day)[1] - 1;
}

/**
 * @internal Infer closures from sorted purchase days. A weekday is closed when none of at
 * least 30 purchases fell on it (chance for an open weekday under a uniform spread < 1%). A
 * month is closed when the customer was a customer through that month at least once, never
 * bought in it, and would have been expected to buy at least 3 times in those months at its
 * rate in the months it did buy in (Poisson chance of 0 < 5%).
 */
export function inferClosures(days: ArrayLike<number>, calendar?: BusinessDays, evidence?: Float64Array, rate?: Float64Array): Closures {
  const n = days.length;
  const weekend = calendar?.weekend ?? 0;
  const holidays = calendar?.holidays;
  evidence?.fill(Number.NaN);
  if (n < 2) return { months: 0, weekdays: weekend, holidays };
  let weekdays = weekend;
  if (n >= 30) {
    const wd = new Int32Array(7);
    for (let i = 0; i < n; i++) wd[weekday(days[i]!)]!++;
    for (let w = 0; w < 7; w++) if (wd[w] === 0) weekdays |= 1 << w;
  }
  const first = days[0]!;
  const last = days[n - 1]!;
  const perMonth = new Int32Array(12);
  for (let i = 0; i < n; i++) perMonth[monthOf(days[i]!)]!++;
  // days of each month fully inside [first, last] (the customer was a customer then)
  const covered = new Int32Array(12);
  const coveredYears = new Int32Array(12);
  const [fy, fm] = civilFromEpochDay(first);
  let y = fy, m = fm; // start with the first full month after the first purchase
  let coveredFrom = Infinity, coveredTo = -Infinity;
  for (;;) {
    m++;
    if (m > 12) {
      m = 1;
      y++;
    }
    const start = epochDayOf(y, m);
    const next = m === 12 ? epochDayOf(y + 1, 1) : epochDayOf(y, m + 1);
    if (next - 1 > last) break;
    covered[m - 1]! += next - start;
    coveredYears[m - 1]!++;
    coveredFrom = Math.min(coveredFrom, start);
    coveredTo = next;
  }
  // the rate while open: purchases per covered day over the months with at least one purchase
  // (a rate over all months would be diluted by the very closures being tested: a May-September
  // buyer's winter would hide itself); only purchases inside the covered months count
  const coveredPurchases = new Int32Array(12);
  for (let i = 0; i < n; i++) if (days[i]! >= coveredFrom && days[i]! < coveredTo) coveredPurchases[monthOf(days[i]!)]!++;
  let openDays = 0, openPurchases = 0;
  for (let k = 0; k < 12; k++) {
    if (perMonth[k]! > 0) {
      openDays += covered[k]!;
      openPurchases += coveredPurchases[k]!;
    }
  }
  // the first purchase after a silent run is the one a closure would have deferred (an order
  // that fell due while closed comes at the reopening), not evidence of the rate while open: the
  // runs are tested with the open rate left without such reopening purchases (below). A yearly
  // buyer (one purchase a year, each after the same eleven silent months) then shows no rate
  // while open, and those months are its rhythm, not a closure; counted in, five years of Marches
  // closed them (P(none in 44 silent months) = (124 / 1464)^4 = 5e-5). `monthIndex`: year × 12 +
  // month of each purchase, for the months a gap crosses (made at the first ask: a customer
  // without a silent month never asks)
  let monthIndex: Int32Array | undefined;
  /** Purchases in the covered months after a gap crossing a month of `block` (bit m = month m). */
  const reopenings = (block: number): number => {
    if (monthIndex === undefined) {
      monthIndex = new Int32Array(n);
      for (let i = 0; i < n; i++) {
        const [y, m] = civilFromEpochDay(days[i]!);
        monthIndex[i] = y * 12 + m - 1;
      }
    }
    let r = 0;
    for (let i = 1; i < n; i++) {
      if (days[i]! < coveredFrom || days[i]! >= coveredTo) continue;
      const to = Math.min(monthIndex[i]!, monthIndex[i - 1]! + 13);
      for (let x = monthIndex[i - 1]! + 1; x < to; x++) {
        if (block & (1 << (x % 12))) {
          r++;
          break;
        }
      }
    }
    return r;
  };
  let silentMonths = 0;
  for (let k = 0; k < 12; k++) if (perMonth[k] === 0) silentMonths |= 1 << k;
  if (rate !== undefined) {
    // the open rate's evidence: purchases and days in the covered months it bought in, less the
    // reopenings after any silent month (the rate a one-month run is tested with: the month just
    // ended, which this rate serves, is one)
    rate[0] = openPurchases - (silentMonths !== 0 && openDays > 0 ? reopenings(silentMonths) : 0);
    rate[1] = openDays;
  }
  if (evidence !== undefined) for (let k = 0; k < 12; k++) if (perMonth[k]! > 0) evidence[k] = 1; // a purchase in it: open
  let months = 0;
  if (openDays > 0) {
    // test each maximal run of consecutive months (circular) without a purchase as one block:
    // closed when a block this long would hold no purchase with probability below
    // exp(−CLOSED_BLOCK_EXPECTED) (< 0.5%, about 5% over a year's blocks) under the open rate's
    // Poisson-gamma predictive: the rate's posterior after k purchases in O open days is
    // Gamma(k, O), so P(none in D days) = (O / (O + D))^k (negative binomial; for many purchases
    // it is the Poisson exp(−kD/O)). The rate's own uncertainty matters for sparse buyers: a
    // yearly buyer's one January purchase does not make its other eleven months "closed".
    // the runs first: a run is tested without the reopenings after it and after every run at
    // least as long (each of those is as much a deferred order: a semi-annual, quarterly or
    // bi-monthly buyer's runs are its rhythm, each tested against the others' reopenings closed
    // them all), but with those after shorter runs (a seasonal buyer's mid-season gaps)
    const runs: { from: number; length: number; days: number; block: number }[] = [];
    const start = perMonth.findIndex((x) => x > 0);
    if (start >= 0) {
      for (let j = 1; j <= 12; j++) {
        const k = (start + j) % 12;
        if (perMonth[k]! > 0) continue;
        let run = 0, days = 0, block = 0;
        while (perMonth[(k + run) % 12] === 0) {
          days += covered[(k + run) % 12]!;
          block |= 1 << ((k + run) % 12);
          run++;
        }
        runs.push({ from: k, length: run, days, block });
        j += run - 1;
      }
    }
    for (const { from: k, length: run, days, block } of runs) {
      let longer = 0;
      for (const r of runs) if (r.length >= run) longer |= r.block;
      const open = openPurchases - reopenings(longer);
      // per silent month: ln P(no purchase in its covered days | open), at the block's rate
      if (evidence !== undefined) for (let r = 0; r < run; r++) if (covered[(k + r) % 12]! > 0) evidence[(k + r) % 12] = silentLogChance(open, openDays, covered[(k + r) % 12]!);
      // a habit: every month of the block was silent in at least two different years, or the
      // block is an off-season (at least 4 months) of a frequent buyer (20+ purchase days:
      // a few scattered purchases cannot tell an off-season from a lapse)
      let habitual = true;
      if (run < 4 || n < 20) for (let r = 0; r < run; r++) if (coveredYears[(k + r) % 12]! < 2) habitual = false;
      if (habitual && -silentLogChance(open, openDays, days) >= CLOSED_BLOCK_EXPECTED) months |= block;
    }
  }
  if (months === 0xfff) months = 0;
  if (weekdays === 0x7f) weekdays = weekend === 0x7f ? 0 : weekend;
  return { months, weekdays, holidays };
}

/**
 * @internal ln P(no purchase in `days` days | open) for a customer with `purchases` purchases in
 * `openDays` open days: the rate's posterior is Gamma(purchases, openDays), so the chance is
 * (openDays / (openDays + days))^purchases (negative binomial; for many purchases the Poisson
 * exp(−purchases × days / openDays)).
 */
export function silentLogChance(purchases: number, openDays: number, days: number): number {
  return -purchases * Math.log1p(days / openDays);
}

/**
 * @internal Whether a silent month is a closure: the posterior π / (π + (1 − π) q) of "closed"
 * (silent for sure) against "open" (silent with chance q = e^lnQ), with the peers' share π as the
 * prior, reaches `threshold` (compared on the log-odds scale).
 */
export function closedPosterior(share: number, lnQ: number, threshold: number): boolean {
  return Math.log(share / (1 - share)) - lnQ >= Math.log(threshold / (1 - threshold));
}

/**
 * @internal The posterior probability of "closed" that {@link closedPosterior} tests:
 * π / (π + (1 − π) q), with the peers' share π as the prior and q = e^lnQ the chance of the
 * customer's silence if it were open.
 */
export function closedProbability(share: number, lnQ: number): number {
  return share / (share + (1 - share) * Math.exp(lnQ));
}

/**
 * @internal Closures learned with the peers (empirical Bayes), for customers whose own history
 * is too short to show a habit. `evidence` holds 12 values per customer from
 * {@link inferClosures}: 1 for a month it bought in (open), ln q for a silent month it was a
 * customer through (q = P(no purchase in those days | open) at its open rate), NaN otherwise. For
 * each group (segment) and month, the share π of its customers closed then is the EM estimate of a
 * two-point mixture (closed: silent for sure; open: silent with chance q) with a Beta(0.5, 4.5)
 * prior (Dempster, Laird & Rubin 1977); groups with fewer than 20 customers with evidence use the
 * whole company's. A customer is closed in a silent month when its posterior
 * π / (π + (1 − π) q) reaches `threshold`: one silent August of a weekly buyer among peers that
 * mostly close in August is a closure; the same silence among peers that never close is not.
 * Returns the month bits (bit m = month m, 0 = January) per customer; `shares`, when given,
 * receives each group's share π per month (groups × 12).
 */
export function peerClosures(evidence: Float64Array, group: Int32Array, groups: number, threshold: number, shares?: Float64Array): Uint16Array {
  const nC = group.length;
  const out = new Uint16Array(nC);
  // per month: the customers silent in it (their q, by group) and the customers with evidence per group
  const withEvidence = new Int32Array(groups);
  const silentCount = new Int32Array(groups + 1);
  let q = new Float64Array(256), who = new Int32Array(256);
  for (let m = 0; m < 12; m++) {
    withEvidence.fill(0);
    silentCount.fill(0);
    for (let c = 0; c < nC; c++) {
      const e = evidence[c * 12 + m]!;
      if (Number.isNaN(e)) continue;
      withEvidence[group[c]!]!++;
      if (e <= 0) silentCount[group[c]! + 1]!++;
    }
    // counting sort of the silent customers by group
    for (let g = 0; g < groups; g++) silentCount[g + 1]! += silentCount[g]!;
    const silent = silentCount[groups]!;
    if (silent > q.length) {
      q = new Float64Array(silent * 2);
      who = new Int32Array(silent * 2);
    }
    const cursor = silentCount.slice(0, groups);
    for (let c = 0; c < nC; c++) {
      const e = evidence[c * 12 + m]!;
      if (Number.isNaN(e) || e > 0) continue;
      const at = cursor[group[c]!]!++;
      q[at] = Math.exp(e);
      who[at] = c;
    }
    let all = 0;
    for (let g = 0; g < groups; g++) all += withEvidence[g]!;
    const company = closedShare(q, 0, silent, all);
    for (let g = 0; g < groups; g++) {
      const from = silentCount[g]!, to = silentCount[g + 1]!;
      const pi = withEvidence[g]! >= MIN_CLOSURE_PEERS ? closedShare(q, from, to, withEvidence[g]!) : company;
      if (shares !== undefined) shares[g * 12 + m] = pi;
      for (let k = from; k < to; k++) if (closedPosterior(pi, Math.log(q[k]!), threshold)) out[who[k]!]! |= 1 << m;
    }
  }
  for (let c = 0; c < nC; c++) if (out[c] === 0xfff) out[c] = 0;
  return out;
}

/** EM estimate of the closed share among `n` customers with evidence, of which those in q[from..to) were silent with chance q when open. */
function closedShare(q: Float64Array, from: number, to: number, n: number): number {
  let pi = PRIOR_A / (PRIOR_A + PRIOR_B);
  for (let it = 0; it < 200; it++) {
    let sum = 0;
    for (let k = from; k < to; k++) sum += pi / (pi + (1 - pi) * q[k]!);
    const next = (sum + PRIOR_A) / (n + PRIOR_A + PRIOR_B);
    const done = Math.abs(next - pi) < 1e-7;
    pi = next;
    if (done) break;
  }
  return pi;
}

/** Beta prior of a group's closure share: mean 0.1, worth 5 customers. */
const PRIOR_A = 0.5;
const PRIOR_B = 4.5;
/** Customers with evidence a group needs for its own closure share (else the company's). */
const MIN_CLOSURE_PEERS = 20;

/** −ln of the chance that a run of silent months held no purchase by luck, needed before it counts as a closure. */
const CLOSED_BLOCK_EXPECTED = 5.5;

function epochDayOf(y: number, m: number): number {
  // days_from_civil for the first of a month (kept local: hot in inferClosures)
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const mp = (m + 9) % 12;
  const doy = Math.floor((153 * mp + 2) / 5);
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/**
 * @internal Days of (from, to] in the months `closedMonths` lists (1 = January): the part of a
 * silence the customer was closed for, which its gaps (and so its usual gap) do not count.
 */
export function closedMonthDaysBetween(from: number, to: number, closedMonths: readonly number[]): number {
  if (closedMonths.length === 0 || !(to > from)) return 0;
  let months = 0;
  for (const m of closedMonths) months |= 1 << (m - 1);
  return to - from - openDaysBetween(from, to, { months, weekdays: 0 });
}

/** @internal First day of the month after the one holding `day`. */
export function nextMonthStart(day: number): number {
  const k = day - TABLE_START;
  if (k >= 0 && k < TABLE_DAYS) {
    if (!restTable) buildTables();
    return day + restTable![k]!;
  }
  const [y, m] = civilFromEpochDay(day);
  return m === 12 ? epochDayOf(y + 1, 1) : epochDayOf(y, m + 1);
}

/** @internal True when the customer is open on `day`. */
export function isOpen(day: number, c: Closures): boolean {
  if (c.weekdays !== 0 && c.weekdays & (1 << weekday(day))) return false;
  if (c.months !== 0 && c.months & (1 << monthOf(day))) return false;
  if (c.holidays !== undefined && c.holidays.mask[day - TABLE_START] === 1) return false;
  return true;
}

/**
 * @internal Open days in (from, to]; 0 when to <= from. With a seasonal intensity each open day
 * of month m counts `intensity[m]`. Month by month: a month's open days are its days on open
 * weekdays (whole weeks times the open weekdays, then the rest of the week) minus the holidays
 * on open weekdays (binary search in the sorted list), so the cost is per month, not per day.
 */
export function openDaysBetween(from: number, to: number, c: Closures): number {
  if (to <= from) return 0;
  const w = c.intensity;
  const weekdays = c.weekdays, months = c.months, holidays = c.holidays;
  if (w === undefined && months === 0 && weekdays === 0 && holidays === undefined) return to - from;
  const perWeek = 7 - bitCount(weekdays & 0x7f);
  if (w === undefined && months === 0 && holidays === undefined) return openWeekdaysIn(from + 1, to, weekdays, perWeek); // closed weekdays only
  let n = 0;
  let d = from + 1;
  while (d <= to) {
    const m = monthOf(d);
    const end = Math.min(to, nextMonthStart(d) - 1);
    if (months === 0 || (months & (1 << m)) === 0) {
      let k = weekdays === 0 ? end - d + 1 : openWeekdaysIn(d, end, weekdays, perWeek);
      if (holidays !== undefined) k -= holidaysOnOpenWeekdays(holidays.days, d, end, weekdays);
      n += w === undefined ? k : k * w[m]!;
    }
    d = end + 1;
  }
  return n;
}

/** Days of [d, end] (d <= end) on a weekday not in `weekdays`: whole weeks times the `perWeek` open weekdays, then the rest of the week. */
function openWeekdaysIn(d: number, end: number, weekdays: number, perWeek: number): number {
  const full = Math.floor((end - d + 1) / 7);
  let k = full * perWeek;
  let wd = weekday(d + full * 7);
  for (let x = d + full * 7; x <= end; x++) {
    if ((weekdays & (1 << wd)) === 0) k++;
    wd = wd === 6 ? 0 : wd + 1;
  }
  return k;
}

/** Set bits of a small mask. */
function bitCount(x: number): number {
  let n = 0;
  for (; x; x &= x - 1) n++;
  return n;
}

/** Holidays in [from, to] that fall on a weekday not in `weekdays` (closed weekdays are not counted twice). */
function holidaysOnOpenWeekdays(days: Int32Array, from: number, to: number, weekdays: number): number {
  let n = 0;
  for (let k = lowerBound(days, from); k < days.length && days[k]! <= to; k++) if (weekdays === 0 || (weekdays & (1 << weekday(days[k]!))) === 0) n++;
  return n;
}

/** Weighted open days beyond which {@link addOpenDays} skips whole months (about 4 years of a daily buyer's calendar). */
const WEIGHTED_SKIP_FROM = 1500;
/** Weight kept short of the target when skipping months, so the walk finds the day (a month weighs at most 31 × its intensity). */
const MONTH_MARGIN = 1;

/** @internal The calendar day reached after `k` open days from `from` (k >= 0, rounded to the nearest day). */
export function addOpenDays(from: number, k: number, c: Closures): number {
  // nearest whole open day: for a customer open one weekday a week, one open day is a week.
  // Whole months are skipped while they do not reach the target (counted as openDaysBetween counts
  // them), then the last stretch is walked day by day: a walk of every day took seconds a customer
  // at a far as-of day (9999-12-31: millions of open days since the last order)
  if (c.intensity !== undefined) {
    // weighted clock: the first day whose cumulative weight reaches k (to the nearest half day)
    const w = c.intensity;
    let d = from, acc = 0;
    const limit = from + Math.ceil(k) * 40 + 800;
    // (a month's weight is one product, the walk a sum of days: the two can differ in the last
    // bits, so months are skipped only past WEIGHTED_SKIP_FROM open days, as far as no realistic
    // history reaches; below it the walk is the one it always was)
    if (k > WEIGHTED_SKIP_FROM) {
      for (;;) {
        const end = nextMonthStart(d + 1) - 1;
        const add = openDaysBetween(d, end, c);
        if (!(acc + add < k - 0.5 - MONTH_MARGIN) || end >= limit) break;
        acc += add;
        d = end;
      }
    }
    while (acc < k - 0.5 && d < limit) {
      d++;
      if (isOpen(d, c)) acc += w[monthOf(d)]!;
    }
    return d;
  }
  const need = Math.max(0, Math.round(k));
  if (c.months === 0 && c.holidays === undefined) {
    if (c.weekdays === 0) return from + need;
    // closed weekdays only: whole weeks of the open weekdays, then at most a week day by day
    // (every weekday closed: the walk below, to its limit)
    const perWeek = 7 - bitCount(c.weekdays & 0x7f);
    if (need === 0 || perWeek === 0) return need === 0 ? from : addOpenDaysWalk(from, need, c);
    const weeks = Math.floor((need - 1) / perWeek);
    let d = from + weeks * 7;
    for (let n = weeks * perWeek; n < need; ) if ((c.weekdays & (1 << weekday(++d))) === 0) n++;
    return d;
  }
  return addOpenDaysWalk(from, need, c);
}

/** {@link addOpenDays} without a seasonal intensity: whole months, then day by day, to a limit. */
function addOpenDaysWalk(from: number, need: number, c: Closures): number {
  let d = from;
  let n = 0;
  const limit = from + need * 40 + 800; // closures leave at least one open month and weekday
  // whole months while they stay short of the target (integer counts: the day reached is the walk's)
  for (;;) {
    const end = nextMonthStart(d + 1) - 1;
    if (end >= limit) break;
    const add = openDaysBetween(d, end, c);
    if (n + add >= need) break;
    n += add;
    d = end;
  }
  while (n < need && d < limit) {
    d++;
    if (isOpen(d, c)) n++;
  }
  return d;
}

/**
 * @internal Share of calendar days that are open: (open weekdays / 7 − the share of days that
 * are holidays on an open weekday, when a business calendar is given) × (open months / 12).
 * Open-day gaps divided by it are calendar-equivalent, so customers with different closures
 * share one scale (and one prior): a Monday-only buyer's 1-open-day gap is a 7-day gap. (Until
 * 2026-12-06 the holidays were taken as spread evenly over the weekdays, (open weekdays / 7) ×
 * (1 − share): exact only when they are, while open-day counts skip a holiday on a closed weekday.)
 * `closedMonths` (bits, month − 1): the holidays' share is taken over the open months only, for
 * the day-level closures of a customer whose closed months defer (its gaps are measured across
 * open months): a shutdown on August 1-15 every year read an exact 7-day buyer closed in August
 * as every 7.28 days (a review, 2026-12-07).
 */
export function openFraction(c: Closures, closedMonths: number = c.months): number {
  let days = (7 - bitCount(c.weekdays)) / 7;
  const h = c.holidays;
  // (all months open: the share over the whole range, Σ monthDays = its days)
  if (h !== undefined) {
    let monthDays = 0;
    for (let m = 0; m < 12; m++) if ((closedMonths & (1 << m)) === 0) monthDays += h.monthDays[m]!;
    for (let w = 0; w < 7; w++) {
      if ((c.weekdays & (1 << w)) !== 0) continue;
      let n = 0;
      for (let m = 0; m < 12; m++) if ((closedMonths & (1 << m)) === 0) n += h.monthWeekday[m * 7 + w]!;
      if (monthDays > 0) days -= n / monthDays;
    }
  }
  // at least one open day a year: holidays on every open weekday (six weekend days and each
  // Saturday a holiday) left nothing, and a gap divided by it was infinite
  return Math.max(days, 1 / 365.25) * ((12 - bitCount(c.months)) / 12);
}

/** @internal The last day in [from, to] the customer is open on (closed weekdays, months and holidays skipped); undefined when there is none. */
export function lastOpenDayIn(from: number, to: number, c: Closures): number | undefined {
  for (let d = to; d >= from; d--) if (isOpen(d, c)) return d;
  return undefined;
}

/** @internal The day-level part of the closures (weekdays, holidays): closed months are handled by deferral. */
export function dayClosures(c: Closures): Closures {
  return c.months === 0 ? c : { months: 0, weekdays: c.weekdays, holidays: c.holidays, intensity: c.intensity };
}

function inClosedMonth(day: number, c: Closures): boolean {
  return c.months !== 0 && (c.months & (1 << monthOf(day))) !== 0;
}

/** @internal True when (from, to) holds a day of a closed month (to excluded: the order day itself is open). */
export function spansClosedMonth(from: number, to: number, c: Closures): boolean {
  if (c.months === 0) return false;
  let d = from + 1;
  while (d < to) {
    if (inClosedMonth(d, c)) return true;
    const [y, m] = civilFromEpochDay(d);
    d = m === 12 ? epochDayOf(y + 1, 1) : epochDayOf(y, m + 1);
  }
  return false;
}

/** @internal The first day of the run of closed months holding `day` (or `day` itself when its month is open). */
export function closureStart(day: number, c: Closures): number {
  if (!inClosedMonth(day, c)) return day;
  let [y, m] = civilFromEpochDay(day);
  for (let k = 0; k < 12; k++) {
    const pm = m === 1 ? 12 : m - 1, py = m === 1 ? y - 1 : y;
    if (!(c.months & (1 << (pm - 1)))) break;
    m = pm;
    y = py;
  }
  return epochDayOf(y, m);
}

/** @internal Days after a closure during which a customer's clock still stands (the reopening week: orders deferred by the closure arrive then). */
export const REOPENING_DAYS = 7;

/**
 * @internal The last day of a customer's silence as of `asOf`: asOf, or with asOf still in progress
 * (`asOfInProgress`) the day before; never before its last purchase `last` (a purchase today is no
 * silence). The interval model's every silence and fitPatterns' BG/NBD T end there.
 */
export function silenceEnd(last: number, asOf: number, inProgress: boolean): number {
  return Math.max(last, inProgress ? asOf - 1 : asOf);
}

/**
 * @internal The day a customer's clock has reached at `asOf`: `asOf` itself, or, when a closed
 * month lies within the last REOPENING_DAYS days (inside the closure or its reopening week), the
 * day before that closure began; never before `last`. The clock stands through a closure and the
 * week after it: an order that fell due while the customer was closed comes when it reopens.
 */
export function standingClock(last: number, asOf: number, c: Closures): number {
  let end = asOf;
  if (c.months !== 0) {
    for (let x = asOf; x >= asOf - REOPENING_DAYS; x--) {
      if (c.months & (1 << monthOf(x))) {
        end = closureStart(x, c) - 1;
        break;
      }
    }
  }
  return Math.max(last, end);
}

/**
 * @internal The first open day on or after `day`: past closed months (deferral), closed weekdays
 * and holidays, until neither moves it (a weekend at a month's end led into a closed month: a
 * Thursday-before-August date moved past Friday and Saturday to Sunday, August 2, and stayed there).
 */
export function reopening(day: number, c: Closures): number {
  let d = day;
  const dc = dayClosures(c);
  const days: Closures = { months: 0, weekdays: dc.weekdays, holidays: dc.holidays };
  for (let round = 0; round < 24; round++) {
    for (let k = 0; k < 12 && inClosedMonth(d, c); k++) d = nextMonthStart(d);
    if (isOpen(d, dc)) return d;
    d = addOpenDays(d, 1, days);
    if (!inClosedMonth(d, c)) return d;
  }
  return d;
}

/** Days of each month in an average year (for normalizing intensities). */
const MONTH_DAYS = [31, 28.2425, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * @internal Purchase days and exposure days per month (0 = January) of one customer over the
 * whole months strictly between its first purchase's month and asOf's month, leaving out closed
 * months. The two edge months are left out because they are biased: a window that starts at a
 * purchase holds, in its first month, that purchase plus what follows, about (1 + cv²)/2 more
 * purchases than the month's rate gives (renewal theory: E N(t) ≈ t/μ + (cv² − 1)/2 after an
 * event), and one that ends at the last purchase the same, mirrored. Counted in, they made
 * the first and last month of every history (November and October on the synthetic data)
 * look 8-38% busier, a season no customer had.
 */
export function monthlyCounts(days: readonly number[], asOf: number, c: Closures, purchases: Float64Array, exposure: Float64Array): void {
  purchases.fill(0);
  exposure.fill(0);
  if (days.length === 0) return;
  const from = nextMonthStart(days[0]!);
  let to = from; // end (exclusive) of the whole months before asOf's month
  // exposure in the customer's open days (its closed weekdays and the holidays out), the days the
  // clock weighs by the intensity: counted in calendar days, a holiday-heavy month (September,
  // Rosh Hashanah) read as a quieter one and its open days were discounted a second time (a
  // customer without a season read September 0.93; a Monday buyer's clock ran 2 % slow in an
  // August of five Mondays; a review)
  const open: Closures = { months: 0, weekdays: c.weekdays, holidays: c.holidays };
  for (let next = nextMonthStart(to); next <= asOf; next = nextMonthStart(to)) {
    const m = monthOf(to);
    if (!(c.months & (1 << m))) exposure[m]! += openDaysBetween(to - 1, next - 1, open);
    to = next;
  }
  for (const d of days) {
    if (d < from || d >= to) continue;
    const m = monthOf(d);
    if (!(c.months & (1 << m))) purchases[m]!++;
  }
}

/**
 * @internal Monthly intensity shrunk to a prior profile (Poisson-gamma: (p_m + κ·prior_m) /
 * (r·e_m + κ), r the customer's overall rate, κ = 1 / τ² at least `minKappa`, τ² the months'
 * spread around the prior beyond counting noise: the prior itself when there is none),
 * normalized to mean 1 over the open months (weighted by their days); closed months get 1 (they
 * defer, the clock does not use them).
 */
export function shrunkIntensity(purchases: Float64Array, exposure: Float64Array, prior: Float64Array, minKappa: number, closedMonths: number): Float64Array {
  let p = 0, e = 0;
  for (let m = 0; m < 12; m++) {
    p += purchases[m]!;
    e += exposure[m]!;
  }
  const out = new Float64Array(12).fill(1);
  // no own history: the prior profile itself (with zero counts the formula below gives it)
  const r = e > 0 && p > 0 ? p / e : 0;
  // the months' spread around the prior beyond what counting noise gives (method of moments,
  // Poisson: E (x_m − prior_m)² = τ² + 1 / E_m, E_m = r·e_m expected purchases): pseudo-counts
  // κ = 1 / τ², at least `minKappa`; none beyond the noise, the prior itself. With a fixed κ the
  // months' count noise (a 10-day buyer has 3 or 4 orders a month) stayed in every clock as a
  // season of 3-7 %, and a clockwork buyer's exact gaps, measured on it, read 9.3-10.8 days: its
  // change test saw a change of rhythm (typical gap 10.72, one missed order short; a review)
  let spread = 0, months = 0;
  for (let m = 0; m < 12; m++) {
    const em = r * exposure[m]!;
    if (closedMonths & (1 << m) || !(em > 0)) continue;
    spread += (purchases[m]! / em - prior[m]!) ** 2 - 1 / em;
    months++;
  }
  const tau2 = months > 0 ? spread / months : 0;
  if (!(tau2 > 0)) {
    for (let m = 0; m < 12; m++) if (!(closedMonths & (1 << m))) out[m] = prior[m]!;
  }
  const kappa = Math.max(minKappa, 1 / tau2);
  let num = 0, den = 0;
  for (let m = 0; m < 12; m++) {
    if (closedMonths & (1 << m)) continue;
    if (tau2 > 0) out[m] = (purchases[m]! + kappa * prior[m]!) / (r * exposure[m]! + kappa);
    num += MONTH_DAYS[m]! * out[m]!;
    den += MONTH_DAYS[m]!;
  }
  if (num > 0) for (let m = 0; m < 12; m++) if (!(closedMonths & (1 << m))) out[m]! *= den / num;
  return out;
}

/**
 * @internal The `calendar` option checked and read ({ weekendDays?, holidays? }; undefined when
 * none is given): the one check of every function that takes it (fitIntervalModel, the detectors
 * through fitPatterns, backtest, createEngine).
 */
export function businessDays(o: Record<string, unknown>, fn: string, timeZone = "UTC"): BusinessDays | undefined {
  const cal = checkObject(o, "calendar", ["weekendDays", "holidays"], fn);
  if (o["calendar"] === undefined) return undefined;
  let weekend = 0;
  const wd = cal["weekendDays"];
  if (wd !== undefined) {
    if (!Array.isArray(wd)) throw new OrderpulseError("INVALID_OPTION", `${fn}: invalid option calendar.weekendDays: expected an array of weekdays 0..6`, { option: "calendar.weekendDays", value: wd });
    for (const w of wd) {
      if (!(Number.isInteger(w) && w >= 0 && w <= 6)) throw new OrderpulseError("INVALID_OPTION", `${fn}: invalid option calendar.weekendDays: expected weekdays 0 (Sunday) .. 6 (Saturday), got ${String(w)}`, { option: "calendar.weekendDays", value: wd });
      weekend |= 1 << w;
    }
    if (weekend === 0x7f) throw new OrderpulseError("INVALID_OPTION", `${fn}: invalid option calendar.weekendDays: every day of the week is a weekend`, { option: "calendar.weekendDays", value: wd });
  }
  const hs = cal["holidays"];
  if (hs !== undefined && !Array.isArray(hs)) throw new OrderpulseError("INVALID_OPTION", `${fn}: invalid option calendar.holidays: expected an array of dates`, { option: "calendar.holidays", value: hs });
  // (a Date is the day of its instant in the dataset's time zone, as an order's: Yom Kippur at
  // local midnight in Jerusalem was stored as the UTC date before it, erev Yom Kippur)
  // (Array.from visits the holes of a sparse array as undefined, which optionDay refuses as
  // calendar.holidays; .map skipped them and a NaN day failed deep inside as option "day")
  const days = Array.from((hs ?? []) as (string | Date | number)[], (h) => optionDay(h, "calendar.holidays", timeZone));
  return { weekend, holidays: holidaySet(days) };
}

/**
 * @internal Whole typical gaps a silent customer has missed: the calendar-equivalent days of its
 * silence before the as-of day (an order due that day may still come) over its typical gap, with a
 * tenth of a gap of slack, at most half a day (a Monday buyer's typical gap is a little over 7
 * days, 7.03 with its holidays, and two missed Mondays read 1 without it; a review). The interval
 * model's `missedOrders` and customer_overdue's evidence asked at a later day share it. Until
 * 2026-12-07 the slack was a tenth of any gap: a yearly buyer read 1 missed order 36 days
 * before its order was due; a whole day of it counted a 10-day buyer's order due that day,
 * which may still come, as missed (reviews).
 */
export function missedOrders(daysBefore: number, typical: number): number {
  return Math.max(0, Math.floor((daysBefore + Math.min(0.1 * typical, 0.5)) / typical));
}

/**
 * @internal {@link missedOrders} of a customer silent since its last purchase `last`, asked at
 * `day`: its open days from `last` to the day before `day` (an order due on `day` may still come),
 * closed months left out (`cl`) and not past its standing clock `clock` (a closure's reopening
 * week adds none), in calendar-equivalent days (÷ the open fraction `f`), over its `typical` gap.
 * The one count of the interval model's `missedOrders` and customer_overdue's evidence at any day
 * (each wrote it out until the evidence was left counting past the standing clock: 5 beside the
 * model's 4 in a reopening week; a self-review).
 */
export function missedOrdersSince(last: number, day: number, clock: number, cl: Closures, f: number, typical: number): number {
  return missedOrders(openDaysBetween(last, Math.max(last, Math.min(day - 1, clock)), cl) / f, typical);
}
