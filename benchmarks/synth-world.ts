/**
 * The seeded synthetic distributor's latent world (not a benchmark): the generator's own
 * customers, with their planted changes, for the benchmarks that score against an oracle of
 * the process that drew the data (bench:recommend-oracle, bench:patterns-accuracy). Imports src
 * directly: the oracle needs the generator's internals.
 */
import { parseDay } from "../src/data/parse-day.ts";
import type { SyntheticDistributorOptions } from "../src/index.ts";
import { buildCalendar } from "../src/synth/internal/calendar.ts";
import { buildCatalog } from "../src/synth/internal/catalog.ts";
import { buildCustomers } from "../src/synth/internal/customers.ts";
import type { Customer, World } from "../src/synth/internal/model.ts";
import { buildReps } from "../src/synth/internal/reps.ts";
import { resolveSynthOptions } from "../src/synth/internal/resolve-options.ts";
import { planSegmentEvents } from "../src/synth/internal/segment-plan.ts";

/**
 * The world and its customers as generateSyntheticDistributor builds them, before the planted
 * customer events (plantCustomerEvents(world, customers) plants them: it sets each customer's
 * plan and moves adopted families from latent to held).
 */
export function syntheticWorld(options: SyntheticDistributorOptions): { world: World; customers: Customer[] } {
  const resolved = resolveSynthOptions(options);
  const cal = buildCalendar(parseDay(resolved.end, "end"), resolved.years);
  const reps = buildReps(resolved.seed, resolved.customers);
  const catalog = buildCatalog(resolved.seed, resolved.products, cal);
  const plan = planSegmentEvents(resolved.seed, cal, catalog, reps.nReps);
  const world: World = { options: resolved, cal, catalog, nReps: reps.nReps, nManagers: reps.nManagers, repRegion: reps.repRegion, plan };
  return { world, customers: buildCustomers(world) };
}
