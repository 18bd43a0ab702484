import type { CustomerRow, ProductRow } from "../data/rows.ts";
import { formatDay } from "../data/format-day.ts";
import { parseDay } from "../data/parse-day.ts";
import { buildCalendar } from "./internal/calendar.ts";
import { buildCatalog } from "./internal/catalog.ts";
import { buildContent } from "./internal/content.ts";
import { plantCustomerEvents } from "./internal/customer-events.ts";
import { buildCustomers } from "./internal/customers.ts";
import { generateDeals } from "./internal/deals.ts";
import type { World } from "./internal/model.ts";
import { orderRows, sortOrders } from "./internal/order-rows.ts";
import { generateOrders } from "./internal/orders.ts";
import { CHANNELS, FAMILIES, REGIONS, SEGMENTS } from "./internal/params.ts";
import { buildReps } from "./internal/reps.ts";
import { resolveSynthOptions } from "./internal/resolve-options.ts";
import { planSegmentEvents } from "./internal/segment-plan.ts";
import { generateTargets } from "./internal/targets.ts";
import { buildTruth, publicEvents, segmentEvents } from "./internal/truth.ts";
import type { SyntheticDistributor, SyntheticDistributorOptions } from "./types.ts";

/**
 * Generate a seeded synthetic B2B food-service distributor: the seven contract tables (orders,
 * customers, products, reps, deal events, targets, content) plus the ground truth of every
 * behaviour change planted in them (churn, frequency and item drops, adoptions, a vanishing
 * product, a discount rise, a stalled pipeline, substitute pairs). docs/synth.md is the
 * specification. Deterministic: the same options give deep-equal output; nothing reads the clock.
 *
 * The defaults (2000 customers, 2500 products, 3 years ending 2026-10-31) give about one million
 * order lines in a few seconds; use small sizes in tests and examples.
 *
 * @param options - `seed` (default 1), `customers` (2000), `products` (2500), `years` (3),
 *   `end` (`"2026-10-31"`, the last day of the history)
 * @returns the rows of each table (contract field names), `truth` (what was planted, as written
 *   to truth.json) and the resolved `options`
 * @throws {OrderpulseError} `INVALID_OPTION` when an option is unknown, not an integer in range,
 *   or `end` is not a `YYYY-MM-DD` date
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { generateSyntheticDistributor } from "orderpulse";
 * const synth = generateSyntheticDistributor({ seed: 7, customers: 30, products: 40, years: 1 });
 * assert.equal(synth.customers.length, 30);
 * assert.ok(synth.orders.length > 0);
 * assert.equal(synth.truth.end, "2026-10-31");
 * const again = generateSyntheticDistributor({ seed: 7, customers: 30, products: 40, years: 1 });
 * assert.deepEqual(again.orders.slice(0, 50), synth.orders.slice(0, 50));
 * ```
 */
export function generateSyntheticDistributor(options: SyntheticDistributorOptions = {}): SyntheticDistributor {
  const resolved = resolveSynthOptions(options);
  const cal = buildCalendar(parseDay(resolved.end, "end"), resolved.years);
  const texts: (string | undefined)[] = new Array<string | undefined>(cal.days);
  const dayText = (day: number): string => {
    const o = day - cal.start;
    if (o < 0 || o >= cal.days) return formatDay(day);
    return (texts[o] ??= formatDay(day));
  };
  const reps = buildReps(resolved.seed, resolved.customers);
  const catalog = buildCatalog(resolved.seed, resolved.products, cal);
  const plan = planSegmentEvents(resolved.seed, cal, catalog, reps.nReps);
  const world: World = {
    options: resolved,
    cal,
    catalog,
    nReps: reps.nReps,
    nManagers: reps.nManagers,
    repRegion: reps.repRegion,
    plan,
  };
  const customers = buildCustomers(world);
  const raw = plantCustomerEvents(world, customers);
  raw.push(...segmentEvents(world));
  const cols = generateOrders(world, customers);
  const sorted = sortOrders(world, cols);
  const orders = orderRows(world, cols, sorted, customers, reps.ids, dayText);
  const customerRows: CustomerRow[] = customers.map((c) => {
    const row: CustomerRow = {
      customer_id: c.id,
      name: c.name,
      segment: SEGMENTS[c.segment]!.name,
      region: REGIONS[c.region]!,
      rep_id: reps.ids[c.rep]!,
      channel: CHANNELS[c.channel]!,
    };
    if (c.parent >= 0) row.parent_id = customers[c.parent]!.id;
    return row;
  });
  const last = cal.years - 1;
  const productRows: ProductRow[] = [];
  for (let p = 0; p < catalog.n; p++) {
    productRows.push({
      product_id: catalog.ids[p]!,
      name: catalog.names[p]!,
      family: FAMILIES[catalog.family[p]!]!.name,
      list_price: catalog.listCents[p * cal.years + last]! / 100,
      unit_cost: catalog.costCents[p * cal.years + last]! / 100,
      active: true,
    });
  }
  productRows.sort((a, b) => (a.product_id < b.product_id ? -1 : 1));
  const dealEvents = generateDeals(world, customers, reps.ids, dayText);
  const targets = generateTargets(world, cols, customers, reps.ids);
  const content = buildContent(world);
  const events = publicEvents(world, raw, customers, reps.ids, dayText);
  const truth = buildTruth(world, resolved, events, customers, dayText);
  return {
    orders,
    customers: customerRows,
    products: productRows,
    reps: reps.rows,
    dealEvents,
    targets,
    content,
    truth,
    options: resolved,
  };
}
