import { civilFromEpochDay } from "../../data/civil-from-epoch-day.ts";
import { epochDay } from "../../data/epoch-day.ts";
import type { Customer, World } from "./model.ts";
import { AFFINITY, FAMILIES, SEGMENTS } from "./params.ts";
import { Rng, STREAM } from "./rng.ts";

/** @internal Generated order lines in columnar form (orders in generation order). */
export interface OrderColumns {
  /** Order day. */
  orderDay: number[];
  /** Order customer index. */
  orderCustomer: number[];
  /** Rep index who sold the order. */
  orderRep: number[];
  /** Channel index. */
  orderChannel: number[];
  /** First line index. */
  orderFirst: number[];
  /** Number of lines. */
  orderLines: number[];
  /** 1 for a credit note (return), else 0. */
  orderCredit: number[];
  /** Line product index. */
  lineProduct: number[];
  /** Line quantity. */
  lineQty: number[];
  /** Line unit price in cents. */
  linePrice: number[];
  /** Line list price in cents. */
  lineList: number[];
  /** Line unit cost in cents. */
  lineCost: number[];
}

const TWO_PI = 2 * Math.PI;

/**
 * @internal Run every customer's order process (docs/synth.md section 2) with its planted changes
 * applied.
 */
export function generateOrders(w: World, customers: readonly Customer[]): OrderColumns {
  const { cal, catalog, plan, options } = w;
  const cols: OrderColumns = {
    orderDay: [],
    orderCustomer: [],
    orderRep: [],
    orderChannel: [],
    orderFirst: [],
    orderLines: [],
    orderCredit: [],
    lineProduct: [],
    lineQty: [],
    linePrice: [],
    lineList: [],
    lineCost: [],
  };
  const { orderDay, orderCustomer, orderRep, orderChannel, orderFirst, orderLines, orderCredit } = cols;
  const { lineProduct, lineQty, linePrice, lineList, lineCost } = cols;
  const end = cal.end;
  const start = cal.start;
  const mid = (start + end) / 2;
  const ny = cal.years;
  const nf = FAMILIES.length;
  const season = catalog.season;
  const segRate = segmentOrderRates();
  // per segment: cumulative family weights for noise items
  const noiseFam: Float64Array[] = SEGMENTS.map((_, s) => {
    const cum = new Float64Array(nf);
    let acc = 0;
    for (let f = 0; f < nf; f++) {
      acc += AFFINITY[f]![s]!;
      cum[f] = acc;
    }
    return cum;
  });
  const nReps = w.nReps;

  const inOrder: number[] = [];
  for (const c of customers) {
    const rng = new Rng(options.seed, STREAM.orders, c.index);
    const s = c.segment;
    const p0 = c.plan;
    const stop = p0.stop;
    const items = c.items;
    const nItems = items.length;
    const vp = plan.vanishProduct[s]!;
    const vday = plan.vanishDay[s]!;
    const riseDay = plan.riseDay[s]!;
    const riseMag = plan.riseMagnitude[s]!;
    const segCum = catalog.segmentCum[s]!;
    const famCum = noiseFam[s]!;
    const qtyTrendScale = c.trend / 2 / 365;
    let t = c.firstDay;
    for (;;) {
      t = openDayFrom(w, c, t, rng, false);
      if (t > end || t >= stop) break;
      const o = t - start;
      const doy = cal.doy[o]!;
      const yi = cal.year[o]!;
      const trendF = Math.exp(qtyTrendScale * (t - mid));
      const diversity = t >= p0.diversityDay;
      const oi = orderDay.length;
      const first = lineProduct.length;
      orderDay.push(t);
      orderCustomer.push(c.index);
      orderRep.push(rng.chance(0.92) || nReps < 2 ? c.rep : (c.rep + 1 + rng.int(nReps - 1)) % nReps);
      orderChannel.push(rng.chance(0.85) ? c.channel : (c.channel + 1 + rng.int(3)) % 4);
      orderCredit.push(0);
      inOrder.length = 0;
      let best = -1;
      let bestP = -1;
      for (let j = 0; j < nItems; j++) {
        const it = items[j]!;
        if (t < it.from || t >= it.until) continue;
        let p = it.p * season[it.family * 367 + doy]!;
        if (diversity && !it.core) p *= 0.2;
        if (p > 0.98) p = 0.98;
        if (p > bestP) {
          bestP = p;
          best = j;
        }
        if (rng.next() < p) inOrder.push(j);
      }
      if (inOrder.length === 0 && best >= 0) inOrder.push(best);
      for (let k = 0; k < inOrder.length; k++) {
        const it = items[inOrder[k]!]!;
        const pr = it.product;
        if (Number.isNaN(it.firstBought)) it.firstBought = t;
        let q = it.q * trendF * Math.sqrt(season[it.family * 367 + doy]!) * rng.lognormal(0, 0.35);
        if (t >= it.volDay) q *= it.volFactor;
        pushLine(pr, Math.max(1, Math.round(q)), it.discount + (t >= riseDay ? riseMag : 0), yi);
      }
      if (!diversity) {
        const k = rng.poisson(c.noise);
        for (let j = 0; j < k; j++) {
          const f = rng.pickCumulative(famCum);
          const pr = rng.pickCumulative(segCum, catalog.familyStart[f]!, catalog.familyStart[f + 1]!);
          if (pr === c.excluded || (pr === vp && t >= vday)) continue;
          let dup = false;
          for (let x = first; x < lineProduct.length; x++) if (lineProduct[x] === pr) dup = true;
          if (dup) continue;
          let regular = false;
          for (let x = 0; x < nItems; x++) if (items[x]!.product === pr) regular = true;
          if (regular) continue;
          const q = (FAMILIES[f]!.baseQty * Math.pow(c.size, 0.6) * Math.sqrt(c.meanGap / 14)) / 3;
          const qty = Math.max(1, Math.round(q * rng.lognormal(0, 0.5)));
          pushLine(pr, qty, c.discount + 0.015 * rng.normal() + (t >= riseDay ? riseMag : 0), yi);
        }
      }
      orderFirst.push(first);
      orderLines.push(lineProduct.length - first);
      // returns: each purchase line may spawn a credit note 3..28 days later
      const last = lineProduct.length;
      for (let x = first; x < last; x++) {
        if (rng.next() >= c.returnRate) continue;
        const rd = openDayFrom(w, c, t + 3 + rng.int(26), rng, true);
        const q = Math.ceil(lineQty[x]! * rng.uniform(0.1, 1));
        if (rd > end || rd >= stop) continue;
        orderDay.push(rd);
        orderCustomer.push(c.index);
        orderRep.push(orderRep[oi]!);
        orderChannel.push(orderChannel[oi]!);
        orderCredit.push(1);
        orderFirst.push(lineProduct.length);
        orderLines.push(1);
        lineProduct.push(lineProduct[x]!);
        lineQty.push(-q);
        linePrice.push(linePrice[x]!);
        lineList.push(lineList[x]!);
        lineCost.push(lineCost[x]!);
      }
      t += nextGapDays(c, t, mid, segRate[s * 367 + doy]!, rng);
    }
  }
  return cols;

  function pushLine(product: number, qty: number, discount: number, yi: number): void {
    const m = catalog.margin[product]!;
    let d = discount;
    if (d > m - 0.02) d = m - 0.02;
    if (d < 0) d = 0;
    const list = catalog.listCents[product * ny + yi]!;
    let price = Math.round(list * (1 - d));
    if (price < 1) price = 1;
    lineProduct.push(product);
    lineQty.push(qty);
    linePrice.push(price);
    lineList.push(list);
    lineCost.push(catalog.costCents[product * ny + yi]!);
  }
}

/** @internal The segments' order-rate seasonality by day of year (index segment × 367 + day of year). */
export function segmentOrderRates(): Float64Array {
  const segRate = new Float64Array(SEGMENTS.length * 367);
  for (let s = 0; s < SEGMENTS.length; s++) {
    const amp = SEGMENTS[s]!.seasonAmp;
    for (let d = 0; d <= 366; d++) segRate[s * 367 + d] = 1 + amp * Math.cos((TWO_PI * (d - 196)) / 365);
  }
  return segRate;
}

/**
 * @internal The customer's next gap in whole days (>= 1) after an order on day `t`: its rhythm
 * with the mean gap moved by its trend (`mid` the history's middle day), its segment's season
 * (`seasonRate`, the rate on t's day of year) and its planted frequency drop or gradual churn.
 * The generator draws every gap here; benchmarks/patterns-accuracy.ts draws the same process
 * for its oracle.
 */
export function nextGapDays(c: Customer, t: number, mid: number, seasonRate: number, rng: Rng): number {
  const p0 = c.plan;
  let mu = c.meanGap / (Math.exp((c.trend / 2 / 365) * (t - mid)) * seasonRate);
  if (t >= p0.freqDay) mu /= 1 - p0.freqDrop;
  if (t >= p0.stretchFrom) mu *= 1 + (2.5 * (t - p0.stretchFrom)) / Math.max(1, p0.stop - p0.stretchFrom);
  let gap: number;
  switch (c.rhythm) {
    case "yearly":
      gap = 365 + 7 * rng.normal();
      break;
    case "memoryless":
      gap = mu * rng.exponential();
      break;
    case "clockwork":
      if (c.snapped) {
        gap = 7 * Math.max(1, Math.round(mu / 7));
        if (rng.chance(0.03)) gap += 7;
        break;
      }
      gap = rng.gammaMeanCv(mu, c.cv);
      break;
    default:
      gap = rng.gammaMeanCv(mu, c.cv);
  }
  return Math.max(1, Math.round(gap));
}

/**
 * @internal Move day `t` to the customer's next day open for an order: a seasonal buyer's next
 * May, the September after a closed August (its first week), past Dec 25 / Jan 1 and its closed
 * weekdays, to its weekday when snapped (a return, `forReturn`, is not snapped, does not wait
 * out August's week and has no off-season: end + 1).
 */
export function openDayFrom(w: World, c: Customer, t: number, rng: Rng, forReturn: boolean): number {
  const { cal } = w;
  const start = cal.start, end = cal.end;
  for (let guard = 0; guard < 400; guard++) {
    if (t > end) return t;
    const o = t - start;
    const month = cal.month[o]!;
    if (c.rhythm === "seasonal" && (month < 5 || month > 9)) {
      if (forReturn) return end + 1;
      const [y, m] = civilFromEpochDay(t);
      t = epochDay(m >= 10 ? y + 1 : y, 5, 1) + rng.int(7);
      continue;
    }
    if (c.closedAug && month === 8) {
      t += 32 - cal.dom[o]! + (forReturn ? 0 : rng.int(7));
      continue;
    }
    const dom = cal.dom[o]!;
    const dow = cal.dow[o]!;
    if ((month === 12 && dom === 25) || (month === 1 && dom === 1) || (c.closedMask & (1 << dow)) !== 0) {
      t++;
      continue;
    }
    if (c.snapped && !forReturn && dow !== c.weekday) {
      t++;
      continue;
    }
    return t;
  }
  return t;
}
