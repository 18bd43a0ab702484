import type { Dataset } from "../../data/dataset.ts";
import { formatDay } from "../../data/format-day.ts";
import { DatasetBuilder } from "../../data/internal/builder.ts";
import { ROW_KEYS, rowFeeder } from "../../data/internal/feed-rows.ts";
import { resolveIngestOptions } from "../../data/internal/resolve-ingest-options.ts";
import type { LineStore, MasterRows } from "./line-store.ts";

/**
 * @internal The whole store as a Dataset, built by the same builder as `fromRowsSync` (so the
 * dictionaries, line order and fallbacks are the ones a batch run on the same rows sees).
 */
export function materialize(store: LineStore, master: MasterRows, timeZone: string, currency: string | undefined): Dataset {
  const builder = new DatasetBuilder(resolveIngestOptions({ timeZone, ...(currency !== undefined ? { currency } : {}) }));
  for (const [table, key] of ROW_KEYS) {
    if (key === "orders") continue;
    const feed = rowFeeder(builder, table);
    for (const row of master[key as keyof MasterRows]) feed(row);
  }
  builder.table("orders");
  builder.reserve(store.size);
  const v: unknown[] = new Array(12);
  const dayText = new Map<number, string>();
  let line = 0;
  store.forEach((l) => {
    let d = dayText.get(l.day);
    if (d === undefined) dayText.set(l.day, (d = formatDay(l.day)));
    v[0] = l.order;
    v[1] = d;
    v[2] = l.customer;
    v[3] = l.product;
    v[4] = l.qty;
    v[5] = l.price;
    v[6] = l.lineId;
    v[7] = Number.isNaN(l.cost) ? undefined : l.cost;
    v[8] = Number.isNaN(l.list) ? undefined : l.list;
    v[9] = l.rep;
    v[10] = l.channel;
    v[11] = undefined;
    builder.addOrder(v, ++line);
  });
  return builder.finish().dataset;
}
