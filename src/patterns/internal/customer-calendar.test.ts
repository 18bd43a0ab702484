import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { civilFromEpochDay } from "../../data/civil-from-epoch-day.ts";
import { epochDay } from "../../data/epoch-day.ts";
import { addOpenDays, holidaySet, inferClosures, isOpen, lastOpenDayIn, missedOrders, monthOf, openDaysBetween, openFraction, peerClosures, reopening, weekday, type Closures } from "./customer-calendar.ts";

describe("customer calendar", () => {
  it("monthOf and weekday match the civil calendar (table and fallback ranges)", () => {
    fc.assert(
      fc.property(fc.integer({ min: -40_000, max: 100_000 }), (d) => {
        expect(monthOf(d)).toBe(civilFromEpochDay(d)[1] - 1);
        expect(weekday(d)).toBe(new Date(d * 86_400_000).getUTCDay());
      }),
      { numRuns: 5000 },
    );
  });
  it("open days skip closed months and weekdays; addOpenDays inverts openDaysBetween", () => {
    const c = { months: 1 << 7, weekdays: (1 << 5) | (1 << 6) }; // August, Fri-Sat
    const jul31 = epochDay(2026, 7, 31);
    expect(openDaysBetween(jul31, epochDay(2026, 9, 1), c)).toBe(1); // only Tue Sep 1
    fc.assert(
      fc.property(fc.integer({ min: 18_000, max: 22_000 }), fc.integer({ min: 1, max: 400 }), (from, k) => {
        const to = addOpenDays(from, k, c);
        expect(openDaysBetween(from, to, c)).toBe(k);
      }),
      { numRuns: 300 },
    );
  });
  it("openDaysBetween (month by month, weeks counted whole) equals a day-by-day count for any weekdays, months, holidays and intensity", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -8_000, max: 70_000 }),
        fc.integer({ min: -3, max: 900 }),
        fc.integer({ min: 0, max: 0x7f }),
        fc.integer({ min: 0, max: 0xfff }),
        fc.array(fc.integer({ min: 0, max: 1200 }), { maxLength: 40 }),
        fc.option(fc.array(fc.double({ min: 0.2, max: 3, noNaN: true }), { minLength: 12, maxLength: 12 }), { nil: undefined }),
        (from, len, weekdays, months, offsets, ws) => {
          const holidays = offsets.length ? holidaySet(offsets.map((x) => from - 100 + x)) : undefined;
          const intensity = ws ? Float64Array.from(ws) : undefined;
          const c = { months, weekdays, holidays, intensity };
          let naive = 0;
          for (let d = from + 1; d <= from + len; d++) if (isOpen(d, c)) naive += intensity ? intensity[monthOf(d)]! : 1;
          const got = openDaysBetween(from, from + len, c);
          if (intensity) expect(got).toBeCloseTo(naive, 9);
          else expect(got).toBe(naive);
        },
      ),
      { numRuns: 2000 },
    );
  });
  it("openFraction subtracts only the holidays on open weekdays: it is the share of open days a long count finds", () => {
    // every Saturday of 2025 a holiday: closed anyway for a Friday-Saturday customer
    const saturdays: number[] = [];
    for (let d = epochDay(2025, 1, 1); d < epochDay(2026, 1, 1); d++) if (weekday(d) === 6) saturdays.push(d);
    const h = holidaySet(saturdays)!;
    const friSat: Closures = { months: 0, weekdays: (1 << 5) | (1 << 6), holidays: h };
    const year = epochDay(2026, 1, 1) - epochDay(2025, 1, 1);
    expect(openFraction(friSat)).toBeCloseTo(openDaysBetween(epochDay(2025, 1, 1) - 1, epochDay(2026, 1, 1) - 1, friSat) / year, 2); // 261 / 365
    expect(openFraction(friSat)).toBeCloseTo(5 / 7, 12); // was (5/7)(1 − 52/365) = 0.61
    // open every day: each holiday closes a day
    const open: Closures = { months: 0, weekdays: 0, holidays: h };
    expect(openFraction(open)).toBeCloseTo(1 - 52 / 365, 12);
  });
  it("addOpenDays (whole months skipped, then walked) reaches the day a walk of every day reaches", () => {
    // the walk addOpenDays was until 2026-12-06 (a far as-of day made it take seconds a customer)
    const walk = (from: number, k: number, c: Closures): number => {
      let d = from;
      if (c.intensity !== undefined) {
        let acc = 0;
        const limit = from + Math.ceil(k) * 40 + 800;
        while (acc < k - 0.5 && d < limit) if (isOpen(++d, c)) acc += c.intensity[monthOf(d)]!;
        return d;
      }
      const need = Math.max(0, Math.round(k));
      let n = 0;
      const limit = from + need * 40 + 800;
      while (n < need && d < limit) if (isOpen(++d, c)) n++;
      return d;
    };
    fc.assert(
      fc.property(
        fc.integer({ min: -8_000, max: 70_000 }),
        fc.double({ min: 0, max: 4000, noNaN: true }),
        fc.integer({ min: 0, max: 0x7e }),
        fc.integer({ min: 0, max: 0xffe }),
        fc.array(fc.integer({ min: 0, max: 3000 }), { maxLength: 40 }),
        fc.option(fc.array(fc.double({ min: 0.2, max: 3, noNaN: true }), { minLength: 12, maxLength: 12 }), { nil: undefined }),
        (from, k, weekdays, months, offsets, ws) => {
          // (closures leave at least one open weekday and month, as inferred ones do)
          const holidays = offsets.length ? holidaySet(offsets.map((x) => from - 100 + x)) : undefined;
          const intensity = ws ? Float64Array.from(ws) : undefined;
          const c: Closures = { months, weekdays, holidays, intensity };
          const got = addOpenDays(from, k, c), want = walk(from, k, c);
          // a weighted month is one product where the walk adds its days one by one: past 1,500
          // weighted open days (no realistic history) the two may part on a rounding tie
          if (intensity && k > 1500) expect(Math.abs(got - want)).toBeLessThanOrEqual(1);
          else expect(got).toBe(want);
        },
      ),
      { numRuns: 1500 },
    );
    // closed weekdays only (the whole-weeks paths of both), every open-weekday count and distance
    fc.assert(
      fc.property(fc.integer({ min: -8_000, max: 70_000 }), fc.double({ min: 0, max: 400, noNaN: true }), fc.integer({ min: 0, max: 0x7e }), fc.integer({ min: -30, max: 3000 }), (from, k, weekdays, span) => {
        const c: Closures = { months: 0, weekdays };
        expect(addOpenDays(from, k, c)).toBe(walk(from, k, c));
        let open = 0;
        for (let d = from + 1; d <= from + span; d++) if (isOpen(d, c)) open++;
        expect(openDaysBetween(from, from + span, c)).toBe(open);
      }),
      { numRuns: 1500 },
    );
    // a customer closed on weekends, a million open days on: months skipped, the same day
    const weekends: Closures = { months: 0, weekdays: 0b1000001 };
    expect(addOpenDays(0, 1_000_000, weekends)).toBe(walk(0, 1_000_000, weekends));
  });
  it("peerClosures: one weak silent August is a closure among peers that close in August, not among peers that buy then", () => {
    // 41 customers in one group; August (month 7) evidence: `closers` silent with strong evidence
    // (ln q = −10), the rest bought in August, and the last one silent with weak evidence (ln q = −1,
    // about one purchase expected in its August at its open rate)
    const run = (closers: number, groupOfTarget = 0): number => {
      const n = 41;
      const ev = new Float64Array(n * 12).fill(Number.NaN);
      for (let c = 0; c < 40; c++) ev[c * 12 + 7] = c < closers ? -10 : 1;
      ev[40 * 12 + 7] = -1;
      const group = new Int32Array(n);
      group[40] = groupOfTarget;
      const shares = new Float64Array(24);
      const bits = peerClosures(ev, group, 2, 0.5, shares)[40]!;
      lastShare = shares[7]!;
      return bits;
    };
    let lastShare = Number.NaN;
    // 30 closers: the EM share is about (30 + 0.85 + 0.5) / 46 = 0.68, posterior 2.1 e / (1 + 2.1 e) = 0.85
    expect(run(30)).toBe(1 << 7);
    expect(lastShare).toBeCloseTo(0.682, 3);
    // 10 closers: share about 0.23, posterior 0.45 < 0.5
    expect(run(10)).toBe(0);
    expect(run(0)).toBe(0);
    // a group of one (fewer than 20 with evidence) takes the company's share
    expect(run(30, 1)).toBe(1 << 7);
    // strong evidence needs no peers; a month without evidence is never closed
    const ev = new Float64Array(24).fill(Number.NaN);
    ev[7] = -12;
    ev[12 + 7] = 1;
    expect(Array.from(peerClosures(ev, new Int32Array(2), 1, 0.5))).toEqual([1 << 7, 0]);
  });
  it("infers closures only with enough evidence", () => {
    const days: number[] = [];
    for (let d = epochDay(2024, 1, 1); d < epochDay(2026, 6, 1); d += 3) if (monthOf(d) !== 7 && weekday(d) !== 6) days.push(d);
    expect(inferClosures(days)).toEqual({ months: 1 << 7, weekdays: 1 << 6 });
    expect(inferClosures(days.slice(0, 10))).toEqual({ months: 0, weekdays: 0 }); // too few orders to tell
  });
  it("a May-September buyer's winter is an off-season after one winter; a lone silent month needs two years", () => {
    const season: number[] = [];
    for (let d = epochDay(2024, 5, 2); d < epochDay(2025, 10, 1); d += 7) if (monthOf(d) >= 4 && monthOf(d) <= 8) season.push(d);
    // October..April (bits 9,10,11,0,1,2,3) inferred from a single winter: 44 purchase days
    expect(inferClosures(season).months).toBe(0b1110_0000_1111);
    // the same silence with only a few scattered purchases is a lapse, not a season
    expect(inferClosures([epochDay(2024, 5, 2), epochDay(2024, 6, 1), epochDay(2024, 7, 3), epochDay(2025, 5, 5)]).months).toBe(0);
    // one silent August in an otherwise weekly history: not yet a habit
    const weekly: number[] = [];
    for (let d = epochDay(2025, 1, 6); d < epochDay(2025, 12, 31); d += 7) if (monthOf(d) !== 7) weekly.push(d);
    expect(inferClosures(weekly).months).toBe(0);
    for (let d = epochDay(2025, 12, 31); d < epochDay(2026, 10, 1); d += 7) if (monthOf(d) !== 7) weekly.push(d);
    expect(inferClosures(weekly).months).toBe(1 << 7);
  });
  it("a yearly buyer's other eleven months are not closed (the open rate's uncertainty counts)", () => {
    // one purchase in each January: the open rate rests on one purchase in one covered January
    // (1/31 a day), so Poisson alone would expect 21 purchases in the silent Feb-Dec blocks; its
    // Poisson-gamma predictive gives P(none) = (31 / (31 + 668))^1 = 0.044, far from exp(-5.5)
    const yearly = [epochDay(2024, 1, 15), epochDay(2025, 1, 13), epochDay(2026, 1, 12)];
    expect(inferClosures(yearly).months).toBe(0);
    // a weekly buyer closed in two Augusts still is (P(none) = (O / (O + 62))^~100 ≈ 2e-4)
    const weekly: number[] = [];
    for (let d = epochDay(2024, 1, 1); d < epochDay(2026, 1, 1); d += 7) if (monthOf(d) !== 7) weekly.push(d);
    expect(inferClosures(weekly).months).toBe(1 << 7);
  });
  it("a yearly buyer stays unclosed however many years it has: each purchase follows eleven silent months, the order a closure would have deferred", () => {
    // five Marches: without leaving out the reopening purchases, 4 purchases in 4 covered Marches
    // (124 days) gave P(none in 44 silent months) = (124 / 1464)^4 = 5e-5, and Jan-Feb, Apr-Dec closed
    const yearly = [2021, 2022, 2023, 2024, 2025].map((y, k) => epochDay(y, 3, 4 + 3 * k));
    expect(inferClosures(yearly).months).toBe(0);
    const evidence = new Float64Array(12), rate = new Float64Array(2);
    inferClosures(yearly, undefined, evidence, rate);
    expect(rate[0]).toBe(0); // no purchase inside an open run: no evidence of a rate while open
    expect(evidence[5]).toBe(-0); // a silent June is as likely open as closed
    // a seasonal buyer with three orders each May..September is closed the rest of the year
    // (the May orders are reopenings: 7 of 10 covered purchases in 307 open days give
    // P(none in 3 winters, 637 days) = (307 / 944)^7 = 4e-4)
    const season: number[] = [];
    for (const y of [2022, 2023, 2024, 2025]) for (const [m, d] of [[5, 10], [7, 2], [9, 12]] as const) season.push(epochDay(y, m, d));
    expect(inferClosures(season).months).toBe(0b1110_0000_1111);
  });
  it("a semi-annual, every-4-months, quarterly or bi-monthly buyer is not closed between its orders: each run is tested without the reopenings after every run as long (review 2026-12-06)", () => {
    // tested against the other runs' reopenings only, eight years of March-and-September orders
    // closed ten months, and the clock stood from October to March
    for (const months of [[3, 9], [3, 7, 11], [1, 4, 7, 10], [1, 3, 5, 7, 9, 11]]) {
      const days: number[] = [];
      for (let y = 2015; y < 2023; y++) for (const m of months) days.push(epochDay(y, m, 10 + (y % 5)));
      expect(inferClosures(days).months, months.join(",")).toBe(0);
    }
    // a spring buyer (March and May, eight years): its April gap is its rhythm, June-February an off-season
    const spring: number[] = [];
    for (let y = 2015; y < 2023; y++) spring.push(epochDay(y, 3, 10), epochDay(y, 5, 12));
    expect(inferClosures(spring).months).toBe(0b1111_1110_0011);
  });
});

describe("seasonal intensity", () => {
  it("shrinks a customer's monthly profile to its segment's, mean 1 over open months; no history gives the prior", async () => {
    const { shrunkIntensity, monthlyCounts } = await import("./customer-calendar.ts");
    const prior = Float64Array.from([1, 1, 1, 1, 1, 1.5, 1.5, 1.5, 1, 1, 0.5, 0.5]);
    const none = shrunkIntensity(new Float64Array(12), new Float64Array(12), prior, 50, 0);
    const days = [31, 28.2425, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
    const mean = (w: Float64Array): number => w.reduce((s, x, m) => s + x * days[m]!, 0) / days.reduce((s, x) => s + x, 0);
    expect(mean(none)).toBeCloseTo(1, 12);
    expect(none[6]! / none[0]!).toBeCloseTo(1.5, 12);
    // a customer buying twice as often in January as in other months, with lots of history
    const p = new Float64Array(12).fill(30), e = new Float64Array(12).fill(90);
    p[0] = 60;
    const own = shrunkIntensity(p, e, new Float64Array(12).fill(1), 5, 0);
    // κ = 1 / τ², τ² the months' spread beyond Poisson noise (E_m = 390/1080 × 90 = 32.5 expected
    // purchases a month): January 60/32.5, the others 30/32.5 (above the minimum of 5)
    const E = 32.5, tau2 = ((60 / E - 1) ** 2 - 1 / E + 11 * ((30 / E - 1) ** 2 - 1 / E)) / 12;
    expect(own[0]! / own[1]!).toBeCloseTo((60 + 1 / tau2) / (30 + 1 / tau2), 12);
    expect(own[0]! / own[1]!).toBeGreaterThan(1.4);
    expect(shrunkIntensity(p, e, new Float64Array(12).fill(1), 1e9, 0)[0]).toBeCloseTo(1, 6); // all prior
    // counts within their noise (a 10-day buyer: 3 or 4 purchases a month) give the prior itself,
    // not a season of a few percent (review 2026-12-07: a clockwork buyer's exact gaps, measured on
    // such a clock, read 9.3-10.8 days)
    const tenDay = Float64Array.from([3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3].map((x, m) => x + (m % 3 === 0 ? 1 : 0)));
    const flatDays = Float64Array.from(days);
    expect(Array.from(shrunkIntensity(tenDay, flatDays, prior, 50, 0)).map((x) => Number(x.toFixed(12)))).toEqual(Array.from(none).map((x) => Number(x.toFixed(12))));
    // closed months keep 1 and are left out of the mean
    const closed = shrunkIntensity(p, e, new Float64Array(12).fill(1), 5, 1 << 7);
    expect(closed[7]).toBe(1);
    // counts: purchases and exposure per month over the whole months strictly between the first
    // purchase's month (December 2024) and asOf's (April 2025), closed months (February) left out
    const pc = new Float64Array(12), ec = new Float64Array(12);
    const bought = [epochDay(2024, 12, 20), epochDay(2025, 1, 10), epochDay(2025, 1, 20), epochDay(2025, 3, 5), epochDay(2025, 4, 2)];
    monthlyCounts(bought, epochDay(2025, 4, 15), { months: 1 << 1, weekdays: 0 }, pc, ec);
    expect(Array.from(pc)).toEqual([2, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    expect(Array.from(ec)).toEqual([31, 0, 31, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    // asOf on a month's last day: that month is still left out (a window that ends at a purchase
    // there is biased like any other edge month)
    monthlyCounts(bought, epochDay(2025, 3, 31), { months: 0, weekdays: 0 }, pc, ec);
    expect(Array.from(pc.slice(0, 4))).toEqual([2, 0, 0, 0]);
    expect(Array.from(ec.slice(0, 4))).toEqual([31, 28, 0, 0]);
    monthlyCounts([epochDay(2025, 1, 10)], epochDay(2025, 1, 31), { months: 0, weekdays: 0 }, pc, ec);
    expect(Array.from(ec).every((x) => x === 0)).toBe(true);
  });

  it("a steady weekly buyer's expected profile is flat whatever day its history starts on (no edge-month bias)", async () => {
    const { monthlyCounts } = await import("./customer-calendar.ts");
    // until 2026-12-06 the window ran from the first purchase to the last, both counted: the first
    // and the last month got about half a purchase more than their days give (renewal theory),
    // and on the synthetic data every history's first and last month looked 8-38% busier. Over
    // the 7 phases of a weekly grid every calendar day is bought on exactly once, so the summed
    // counts must be exactly the summed exposure / 7 in every month
    for (let endShift = 0; endShift <= 4; endShift++) {
      const pSum = new Float64Array(12), eSum = new Float64Array(12);
      for (let phase = 0; phase < 7; phase++) {
        const days: number[] = [];
        for (let d = epochDay(2023, 11, 24) + phase; d <= epochDay(2026, 10, 20) + endShift; d += 7) days.push(d);
        const p = new Float64Array(12), e = new Float64Array(12);
        monthlyCounts(days, days[days.length - 1]!, { months: 0, weekdays: 0 }, p, e);
        for (let m = 0; m < 12; m++) {
          pSum[m]! += p[m]!;
          eSum[m]! += e[m]!;
        }
      }
      for (let m = 0; m < 12; m++) expect(pSum[m]! * 7).toBe(eSum[m]!);
      expect(eSum[10]).toBe(7 * 60); // November: 2024 and 2025 only, not the first purchase's
      expect(eSum[9]).toBe(7 * 62); // October: 2024 and 2025 only, not the last purchase's
    }
  });
});

describe("weighted clock", () => {
  it("month-chunked sums equal day-by-day sums; addOpenDays lands within half a day's weight", () => {
    fc.assert(
      fc.property(fc.integer({ min: 18_000, max: 21_000 }), fc.integer({ min: 0, max: 500 }), fc.array(fc.double({ min: 0.2, max: 3, noNaN: true }), { minLength: 12, maxLength: 12 }), (from, len, ws) => {
        const intensity = Float64Array.from(ws);
        const c = { months: 0, weekdays: 0, intensity };
        let naive = 0;
        for (let d = from + 1; d <= from + len; d++) naive += intensity[monthOf(d)]!;
        expect(openDaysBetween(from, from + len, c)).toBeCloseTo(naive, 9);
        const k = openDaysBetween(from, from + len, c);
        const to = addOpenDays(from, k, c);
        expect(Math.abs(openDaysBetween(from, to, c) - k)).toBeLessThanOrEqual(3);
      }),
      { numRuns: 300 },
    );
  });
});

describe("the expected date's fallbacks in a month the customer may close (review 2026-12-06)", () => {
  // a Monday-only buyer (every other weekday closed) whose last Monday of August 2026 (the 31st)
  // and the Monday after (September 7) are holidays
  const mondaysOnly = 0b1111101; // weekdays closed: Sunday 0, Tuesday 2 ... Saturday 6
  const c: Closures = { months: 0, weekdays: mondaysOnly, holidays: holidaySet([epochDay(2026, 8, 31), epochDay(2026, 9, 7)]) };
  const end = epochDay(2026, 8, 31), start = epochDay(2026, 8, 1);
  it("the month's last open day is found however far back it is, and is open", () => {
    // the old walk stopped 7 days back, on Monday August 24's weekday successor: a closed Tuesday
    expect(weekday(end - 7)).toBe(1); // (the 24th is a Monday: the walk's stop, end − 7, was it here)
    const d = lastOpenDayIn(start, end, c)!;
    expect(d).toBe(epochDay(2026, 8, 24));
    expect(isOpen(d, c)).toBe(true);
    // none left after asOf in the month: undefined (the caller takes the first open day after it)
    expect(lastOpenDayIn(epochDay(2026, 8, 25), end, c)).toBeUndefined();
    expect(reopening(end + 1, c)).toBe(epochDay(2026, 9, 14));
  });
  it("every day lastOpenDayIn returns is open and the last such day (property)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 126 }), fc.integer({ min: 0, max: 60 }), fc.array(fc.integer({ min: 0, max: 60 }), { maxLength: 10 }), (weekdays, span, hol) => {
        const from = epochDay(2026, 1, 1);
        const cc: Closures = { months: 0, weekdays, holidays: holidaySet(hol.map((x) => from + x)) };
        const d = lastOpenDayIn(from, from + span, cc);
        const open = Array.from({ length: span + 1 }, (_, k) => from + k).filter((x) => isOpen(x, cc));
        expect(d).toBe(open.at(-1));
      }),
      { seed: 11, numRuns: 200 },
    );
  });
});


describe("missedOrders: a tenth of a gap of slack, at most half a day (reviews 2026-12-07)", () => {
  it("a yearly buyer has missed nothing 36 days before its due day; short gaps keep their slack", () => {
    // a yearly buyer (365.3 days), 346 days of silence before asOf: due in 19 days (it read 1)
    expect(missedOrders(346, 365.3)).toBe(0);
    expect(missedOrders(364, 365.3)).toBe(0);
    expect(missedOrders(365, 365.3)).toBe(1);
    // a monthly buyer, one day before its due day: not yet (it read 1)
    expect(missedOrders(29, 30.4)).toBe(0);
    expect(missedOrders(30, 30.4)).toBe(1);
    // a Monday buyer (7.03 days with its holidays): two missed Mondays are 2
    expect(missedOrders(14, 7.03)).toBe(2);
    expect(missedOrders(13, 7.03)).toBe(1);
    // a 10-day buyer on its due day (9 days before asOf): that order may still come (a day of slack read 1)
    expect(missedOrders(9, 10)).toBe(0);
    expect(missedOrders(10, 10)).toBe(1);
    expect(missedOrders(19, 10)).toBe(1);
    // a two-day buyer: a tenth of its gap
    expect(missedOrders(3.8, 2)).toBe(2);
    expect(missedOrders(3.79, 2)).toBe(1);
  });
});
