import { describe, expect, it } from "vitest";
import type { Dataset } from "../src/data/dataset.ts";
import { formatDay } from "../src/data/format-day.ts";
import { fromRowsSync } from "../src/data/from-rows-sync.ts";
import { parseDay } from "../src/data/parse-day.ts";
import { computeKpis } from "../src/kpi/compute-kpis.ts";
import { fitPatterns } from "../src/patterns/fit-patterns.ts";
import { recommend } from "../src/recommend/recommend.ts";
import { detectSignals } from "../src/signals/detect-signals.ts";
import { generateSyntheticDistributor } from "../src/synth/generate-synthetic-distributor.ts";

// Dates before 1970 are negative epoch days (1969-12-31 is -1). Results must depend only on the
// data, not on where it sits on the calendar: the same history moved back by a whole number of
// Gregorian cycles (400 years = 146097 days), or by 84 / 56 years within 1901-2099 (same weekdays
// and leap days), gives the same output except for the date texts. (Day sentinels of -1 or 0 and
// sign tests lost churn, the calibration backtest and every offer before 1970.)
const syn = generateSyntheticDistributor({ seed: 3, customers: 40, products: 40, years: 2 });

/** A shift of the calendar: whole years in the text, the same in days. */
interface Shift {
  readonly label: string;
  readonly years: number;
  readonly days: number;
}

const SHIFTS: readonly Shift[] = [
  { label: "400 years (2024-26 -> 1624-26)", years: -400, days: -146097 },
  { label: "1600 years (2024-26 -> 0424-26: years below 1000, four-digit labels)", years: -1600, days: -4 * 146097 },
  { label: "84 years (2024-26 -> 1940-42)", years: -84, days: -30681 },
  { label: "56 years, across 1970 (2024-26 -> 1968-70)", years: -56, days: -20454 },
];

const shiftYear = (text: string, years: number): string => String(Number(text.slice(0, 4)) + years).padStart(4, "0") + text.slice(4);

function build(shift: Shift | undefined): Dataset {
  const y = shift?.years ?? 0;
  const { dataset } = fromRowsSync({
    orders: syn.orders.map((o) => ({ ...o, order_date: shiftYear(String(o.order_date), y) })),
    customers: syn.customers,
    products: syn.products,
    reps: syn.reps,
    dealEvents: syn.dealEvents.map((d) => ({ ...d, entered_at: shiftYear(String(d.entered_at), y) })),
    targets: syn.targets.map((t) => ({ ...t, period: shiftYear(t.period, y) })),
    content: syn.content,
  });
  return dataset;
}

/** Every date-like label (YYYY-MM-DD, YYYY-MM, YYYY-Www, YYYY-Qn) in a JSON text, moved by `years`. */
const moveDates = (json: string, years: number): string =>
  json.replace(/(?<![\d-])(\d{4})(?=-(?:\d{2}|W\d{2}|Q[1-4])(?!\d))/g, (m) => String(Number(m) + years).padStart(4, "0"));

function outputs(ds: Dataset): Record<string, string> {
  const customerIds = [...ds.ids.customers.values];
  return {
    computeKpis: JSON.stringify(computeKpis(ds)),
    fitPatterns: JSON.stringify(fitPatterns(ds).toJSON()),
    detectSignals: JSON.stringify(detectSignals(ds)),
    recommend: JSON.stringify(recommend(ds, { customerIds })),
  };
}

describe("dates before 1970 (negative epoch days) give the same results", () => {
  const base = outputs(build(undefined));

  it("the unshifted control is not trivial: churn, calibration and offers are there", () => {
    const kpis = JSON.parse(base.computeKpis!) as { kpis: { churn_rate: { numerator: number }[] } };
    expect(kpis.kpis.churn_rate.some((r) => r.numerator > 0)).toBe(true);
    const model = JSON.parse(base.fitPatterns!) as { calibration?: { n: number } };
    expect(model.calibration?.n).toBeGreaterThan(0);
    expect((JSON.parse(base.recommend!) as unknown[]).length).toBeGreaterThan(0);
    expect((JSON.parse(base.detectSignals!) as unknown[]).length).toBeGreaterThan(0);
  });

  for (const shift of SHIFTS) {
    describe(`moved back ${shift.label}`, () => {
      const ds = build(shift);
      const got = outputs(ds);

      it("the shift is whole days, same weekdays and leap days, and the data is before 1970", () => {
        for (const d of [syn.truth.start, syn.truth.end, "2024-02-29", "2026-12-31"]) expect(formatDay(parseDay(d) + shift.days)).toBe(shiftYear(d, shift.years));
        expect(Math.abs(shift.days % 7)).toBe(0);
        const base0 = build(undefined).dayRange!;
        expect(ds.dayRange).toEqual({ first: base0.first + shift.days, last: base0.last + shift.days });
        expect(ds.dayRange!.first).toBeLessThan(0);
      });

      for (const key of Object.keys(base)) {
        it(`${key} gives the same output, dates moved`, () => {
          expect(firstDifference(moveDates(got[key]!, -shift.years), base[key]!)).toBeUndefined();
        });
      }
    });
  }
});

/** Where two texts first differ, with some context (undefined: equal). */
function firstDifference(received: string, expected: string): { at: number; received: string; expected: string } | undefined {
  if (received === expected) return undefined;
  let i = 0;
  while (received[i] === expected[i]) i++;
  const from = Math.max(0, i - 160);
  return { at: i, received: received.slice(from, i + 80), expected: expected.slice(from, i + 80) };
}
