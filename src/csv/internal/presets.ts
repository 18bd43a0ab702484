import type { TableName } from "../../data/ingest-report.ts";

/** @internal A preset maps another export layout onto the data contract. */
export interface Preset {
  /** Candidate source column names per contract column, per table (first present wins). */
  readonly columns: Partial<Record<TableName, Readonly<Record<string, readonly string[]>>>>;
  /** Date format for the preset's files (ISO is always accepted as well). */
  readonly dateFormat?: string;
  /** Per-row exclusion rule on the orders file: returns a reason code or undefined. */
  readonly excludeOrder?: (get: (column: string) => string | undefined) => string | undefined;
  /** Extra source columns the rule or derived tables need. */
  readonly extraOrderColumns?: Readonly<Record<string, readonly string[]>>;
  /** Derive master data from extra columns of the orders file. */
  readonly derive?: { readonly productName?: string; readonly customerRegion?: string };
}

/**
 * Stock codes of the UCI "Online Retail" / "Online Retail II" exports that are not products:
 * postage, discounts, manual adjustments, bank charges, fees, samples, test codes.
 * @internal
 */
export const ONLINE_RETAIL_NON_PRODUCT: ReadonlySet<string> = new Set([
  "POST", "D", "DOT", "M", "BANK CHARGES", "AMAZONFEE", "CRUK", "C2", "PADS", "S", "B", "ADJUST", "ADJUST2",
  "TEST001", "TEST002",
]);

/** @internal */
export const PRESETS: Readonly<Record<string, Preset>> = {
  canonical: { columns: {} },
  "online-retail": {
    columns: {
      orders: {
        order_id: ["InvoiceNo", "Invoice"],
        order_date: ["InvoiceDate"],
        customer_id: ["CustomerID", "Customer ID"],
        product_id: ["StockCode"],
        quantity: ["Quantity"],
        unit_price: ["UnitPrice", "Price"],
      },
    },
    dateFormat: "mdy",
    extraOrderColumns: { description: ["Description"], country: ["Country"] },
    excludeOrder: (get) => {
      const customer = get("customer_id");
      if (customer === undefined || customer.trim() === "") return "no_customer";
      const code = (get("product_id") ?? "").trim().toUpperCase();
      if (ONLINE_RETAIL_NON_PRODUCT.has(code) || code.startsWith("GIFT_")) return "non_product_code";
      return undefined;
    },
    derive: { productName: "description", customerRegion: "country" },
  },
};
