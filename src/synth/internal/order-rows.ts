import type { OrderRow } from "../../data/rows.ts";
import type { Customer, World } from "./model.ts";
import type { OrderColumns } from "./orders.ts";
import { CHANNELS } from "./params.ts";

/** @internal Order indices sorted by (day, generation index). */
export function sortOrders(w: World, cols: OrderColumns): Float64Array {
  const n = cols.orderDay.length;
  const keys = new Float64Array(n);
  for (let i = 0; i < n; i++) keys[i] = (cols.orderDay[i]! - w.cal.start) * 4294967296 + i;
  keys.sort();
  for (let i = 0; i < n; i++) keys[i] = keys[i]! % 4294967296;
  return keys;
}

/** @internal Materialise the order rows in date order with `SO…` / `CN…` ids. */
export function orderRows(
  w: World,
  cols: OrderColumns,
  sorted: Float64Array,
  customers: readonly Customer[],
  repIds: readonly string[],
  dayText: (day: number) => string,
): OrderRow[] {
  const rows: OrderRow[] = new Array<OrderRow>(cols.lineProduct.length);
  const productIds = w.catalog.ids;
  let so = 0;
  let cn = 0;
  let r = 0;
  for (let k = 0; k < sorted.length; k++) {
    const i = sorted[k]!;
    const credit = cols.orderCredit[i] === 1;
    const id = credit ? `CN${String(++cn).padStart(7, "0")}` : `SO${String(++so).padStart(7, "0")}`;
    const date = dayText(cols.orderDay[i]!);
    const customerId = customers[cols.orderCustomer[i]!]!.id;
    const repId = repIds[cols.orderRep[i]!]!;
    const channel = CHANNELS[cols.orderChannel[i]!]!;
    const first = cols.orderFirst[i]!;
    const count = cols.orderLines[i]!;
    for (let x = 0; x < count; x++) {
      const l = first + x;
      rows[r++] = {
        order_id: id,
        order_date: date,
        customer_id: customerId,
        product_id: productIds[cols.lineProduct[l]!]!,
        quantity: cols.lineQty[l]!,
        unit_price: cols.linePrice[l]! / 100,
        line_id: x + 1,
        unit_cost: cols.lineCost[l]! / 100,
        list_price: cols.lineList[l]! / 100,
        rep_id: repId,
        channel,
        currency: "USD",
      };
    }
  }
  return rows;
}
