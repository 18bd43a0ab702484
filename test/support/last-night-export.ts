// An export of last night, for the CLI tests of a default --as-of of today: orders.csv with one
// order a day for the 60 days up to yesterday (UTC, the CLI's default time zone), customers C0-C2.
import { writeFileSync } from "node:fs";
import { join } from "node:path";

/** A day's `YYYY-MM-DD` in UTC. */
export const utcDay = (t: number): string => new Date(t).toISOString().slice(0, 10);

/**
 * Write orders.csv into `dir`: an order a day on the 60 days before `now`.
 * @param dir - the folder
 * @param now - the clock, ms since the epoch (the test reads it once and checks midnight did not pass)
 */
export function writeLastNightExport(dir: string, now: number): void {
  const lines = ["order_id,order_date,customer_id,product_id,quantity,unit_price"];
  for (let k = 1; k <= 60; k++) lines.push(`O${k},${utcDay(now - k * 86_400_000)},C${k % 3},P,1,10`);
  writeFileSync(join(dir, "orders.csv"), `${lines.join("\n")}\n`);
}
