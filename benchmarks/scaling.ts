/**
 * bench:scaling: how the shapes that were once super-linear grow with their size, each timed at
 * doubling sizes in the same run (median of --runs after a warm-up) and printed with its growth
 * per doubling: about 2 is linear, about 4 quadratic. The baseline of each row is its own
 * smallest size; a row whose last doubling grows more than 3x is marked "super-linear".
 *
 *   node --import tsx benchmarks/scaling.ts [--runs 3] [--max-doublings 3]
 *
 * Shapes (from the scaling reviews of 2026-12-06, where they were quadratic):
 * - pipeline_stall: one rep with n open deals stuck in one stage (its Poisson-binomial tail was
 *   O(n²) per candidate day: 17.8 s at 32,000 deals over three reps); at 2,000 deals the exact
 *   recursion still runs (n·x up to 4M cells, a few ms per candidate day), above it the saddle
 *   point, so the first doubling falls;
 * - product_vanishing: n customers of one segment buying one staple monthly, half of them
 *   dropping it four months before asOf (the same tail);
 * - recommend: n customers sharing one staple in every order (the rule pass was quadratic in the
 *   customers of a staple pair);
 * - engine forget: n overdue customers forgotten one after another (each call split every
 *   cooldown key);
 * - fitDealStages: n deals, three stage events each (the EM was quadratic in the deals).
 */
import { parseArgs } from "node:util";
import { median, timed } from "./support.ts";
import { createEngine, detectSignals, fitDealStages, fromRowsSync, recommend } from "../dist/index.js";
import type { DealEventRow, OrderRow } from "../dist/index.js";

const { values } = parseArgs({ options: { runs: { type: "string" }, "max-doublings": { type: "string" } } });
const RUNS = Math.max(1, Number(values.runs ?? 3));
const DOUBLINGS = Math.max(1, Number(values["max-doublings"] ?? 3));

const AS_OF = "2026-06-30";
const AS = Date.UTC(2026, 5, 30);
/** k days before asOf. */
const day = (k: number): string => new Date(AS - k * 86_400_000).toISOString().slice(0, 10);
const line = (o: string, l: number, k: number, c: string, p: string): OrderRow => ({ order_id: o, line_id: l, order_date: day(k), customer_id: c, product_id: p, quantity: 3, unit_price: 10, unit_cost: 6 });

/** Twenty background customers ordering every one to four weeks for a year (every shape has them). */
function background(): OrderRow[] {
  const orders: OrderRow[] = [];
  for (let c = 0; c < 20; c++) for (let k = 365 + c; k >= 0; k -= 7 + (c % 4) * 7) orders.push(line(`C${c}-${k}`, 1, k, `C${c}`, `P${c % 10}`));
  return orders;
}

/** n deals of `reps` reps (round robin), entered as lead, qualified and proposal 20 days apart and never closed. */
function stalledDeals(n: number, reps: number): DealEventRow[] {
  const dealEvents: DealEventRow[] = [];
  for (let d = 0; d < n; d++) {
    const k = 200 + (d % 100);
    for (const [j, stage] of ["lead", "qualified", "proposal"].entries()) dealEvents.push({ deal_id: `D${d}`, customer_id: `C${d % 20}`, stage, entered_at: day(k - j * 20), rep_id: reps === 1 ? "R0" : `R${d % reps}`, amount: 1000 });
  }
  return dealEvents;
}

/**
 * n customers of one segment ordering monthly for a year, each order the staple P0 and one other
 * product; with `dropHalf`, every other customer buys P9 instead of the staple in its last four
 * months (a vanishing), and the others come from 8 products instead of 9.
 */
function oneSegment(n: number, dropHalf: boolean): ReturnType<typeof fromRowsSync>["dataset"] {
  const orders = background();
  const customers = [];
  for (let c = 0; c < n; c++) {
    customers.push({ customer_id: `N${c}`, segment: "S0" });
    for (let m = 0; m < 12; m++) {
      const k = m * 30 + (c % 25);
      orders.push(line(`N${c}-${m}`, 1, k, `N${c}`, dropHalf && c % 2 === 0 && k < 120 ? "P9" : "P0"));
      orders.push(line(`N${c}-${m}`, 2, k, `N${c}`, `P${1 + ((c + m) % (dropHalf ? 8 : 9))}`));
    }
  }
  return fromRowsSync({ orders, customers }).dataset;
}

interface Shape {
  readonly name: string;
  readonly sizes: readonly number[];
  /** Builds the input of size n (untimed) and returns the timed operation. */
  readonly prepare: (n: number) => () => unknown;
  /** The operation times its own part and returns the milliseconds (the engine's setup is not forget's cost). */
  readonly selfTimed?: boolean;
}

const SHAPES: readonly Shape[] = [
  {
    name: "pipeline_stall: n open deals of one rep in one stage",
    sizes: [2000, 4000, 8000, 16000],
    prepare: (n) => {
      const { dataset } = fromRowsSync({ orders: background(), dealEvents: stalledDeals(n, 1) });
      return () => detectSignals(dataset, { asOf: AS_OF, types: ["pipeline_stall"] });
    },
  },
  {
    name: "product_vanishing: n customers of one segment, half drop their staple",
    sizes: [1000, 2000, 4000, 8000],
    prepare: (n) => {
      const dataset = oneSegment(n, true);
      return () => detectSignals(dataset, { asOf: AS_OF, types: ["product_vanishing"] });
    },
  },
  {
    name: "recommend: n customers sharing one staple in every order",
    sizes: [500, 1000, 2000, 4000],
    prepare: (n) => {
      const dataset = oneSegment(n, false);
      return () => recommend(dataset, { asOf: AS_OF, kinds: ["cross_sell"] });
    },
  },
  {
    name: "engine forget: n overdue customers, one call each",
    sizes: [500, 1000, 2000, 4000],
    selfTimed: true,
    prepare: (n) => {
      const orders: OrderRow[] = [];
      for (let c = 0; c < n; c++) for (let k = 60 + (c % 7); k < 420; k += 7) orders.push(line(`W${c}-${k}`, 1, k, `W${c}`, `P${c % 10}`));
      const { dataset } = fromRowsSync({ orders });
      const engine = createEngine({ dataset, options: { asOf: AS_OF, types: ["customer_overdue"] } });
      engine.detect();
      const snapshot = engine.snapshot();
      return () => {
        const e = createEngine({ dataset, options: { asOf: AS_OF, types: ["customer_overdue"] } });
        e.restore(snapshot);
        const t = performance.now();
        for (let c = 0; c < n; c++) e.forget(`W${c}`);
        return performance.now() - t;
      };
    },
  },
  {
    name: "fitDealStages: n deals, three stage events each",
    sizes: [4000, 8000, 16000, 32000],
    prepare: (n) => {
      const { dataset } = fromRowsSync({ orders: background(), dealEvents: stalledDeals(n, 3) });
      return () => fitDealStages(dataset, { asOf: AS_OF });
    },
  },
];

async function main(): Promise<void> {
  console.log(`bench:scaling: median of ${RUNS} runs after a warm-up per size; growth per doubling (2 = linear, 4 = quadratic); node ${process.version}`);
  for (const shape of SHAPES) {
    const sizes = shape.sizes.slice(0, DOUBLINGS + 1);
    const cells: string[] = [];
    let prev: number | undefined;
    let last = 0;
    for (const n of sizes) {
      const op = shape.prepare(n);
      let ms: number;
      if (shape.selfTimed) {
        op(); // warm-up
        ms = median(Array.from({ length: RUNS }, () => op() as number));
      } else ms = (await timed(op, RUNS)).ms;
      cells.push(`${n.toLocaleString("en-US")}: ${ms.toFixed(0)} ms${prev !== undefined ? ` (x${(ms / prev).toFixed(1)})` : ""}`);
      if (prev !== undefined) last = ms / prev;
      prev = Math.max(ms, 1e-3);
    }
    console.log(`${shape.name.padEnd(72)} ${cells.join("  ")}${last > 3 ? "  super-linear" : ""}`);
  }
}

await main();
