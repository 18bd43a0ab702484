import { open } from "node:fs/promises";
import type { TableName } from "../../data/ingest-report.ts";
import { parseNumber } from "../../data/internal/parse-number.ts";

/** @internal A preset maps another export layout onto the data contract. */
export interface Preset {
  /** Candidate source column names per contract column, per table (first present wins). */
  readonly columns: Partial<Record<TableName, Readonly<Record<string, readonly string[]>>>>;
  /** Date format for the preset's files (ISO is always accepted as well). */
  readonly dateFormat?: string;
  /** Day order read from the start of the orders file when the caller gives no date format (else `dateFormat`). */
  readonly sniffDateFormat?: (file: string, encoding?: string) => Promise<string | undefined>;
  /** Encoding assumed for an orders file that is not valid UTF-8 when the caller gives no encoding (else the read fails with INVALID_ENCODING). */
  readonly fallbackEncoding?: string;
  /** Per-row exclusion rule on the orders file: returns a reason code or undefined. */
  readonly excludeOrder?: (get: (column: string) => string | undefined, decimalComma: boolean) => string | undefined;
  /** Extra source columns the rule or derived tables need. */
  readonly extraOrderColumns?: Readonly<Record<string, readonly string[]>>;
  /** Rewrite a customer id of the orders file (after the exclusion rule). */
  readonly customerId?: (id: string) => string;
  /** Rewrite a product id of the orders file (after the exclusion rule); each changed id is counted as the warning `product_id_upper_cased`. */
  readonly productId?: (id: string) => string;
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

/** An integer written as a float: `13085.0`. */
const INTEGRAL_FLOAT = /^\s*\d+\.0+\s*$/;

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
    sniffDateFormat: (file, encoding) => sniffDayOrder(file, encoding),
    // the widely copied CSV of UCI Online Retail (Kaggle "E-Commerce Data") is ISO-8859-1
    fallbackEncoding: "windows-1252",
    extraOrderColumns: { description: ["Description"], country: ["Country"] },
    excludeOrder: (get, decimalComma) => {
      const customer = get("customer_id");
      if (customer === undefined || customer.trim() === "") return "no_customer";
      const code = (get("product_id") ?? "").trim().toUpperCase();
      if (ONLINE_RETAIL_NON_PRODUCT.has(code) || code.startsWith("GIFT_")) return "non_product_code";
      // a price of 0 (free samples, manual fixes; thousands of UCI lines, a few with a customer) is
      // not a sale and not a data error in this layout: excluded and counted, not rejected
      const price = (get("unit_price") ?? "").trim();
      // (read as the row parser reads it: "0,00" with decimalComma is 0, not NaN)
      if (price !== "" && parseNumber(price, decimalComma) <= 0) return "non_positive_price";
      return undefined;
    },
    // Online Retail II as copied by pandas writes the numeric Customer ID column, which has blanks,
    // as floats ("13085.0"); the same customer is "13085" in Online Retail I
    customerId: (id) => (INTEGRAL_FLOAT.test(id) ? id.trim().replace(/\.0+$/, "") : id),
    // UCI stock codes come in both cases for the same product from 2011 on ("84997b" and "84997B",
    // "15056bl" and "15056BL"): one product, so a customer buying one is not offered the other
    productId: (id) => id.toUpperCase(),
    derive: { productName: "description", customerRegion: "country" },
  },
};

/** Bytes read from the start of a file to tell d/m/y from m/d/y dates (the UCI file's first unambiguous day, 13 December 2010, is about 1.5 MB in). */
const SNIFF_BYTES = 8 << 20;
/** A whole CSV field that is a d/m/y or m/d/y date, with an optional time. */
const SLASH_DATE = /(?:^|[,;\t|])"?(\d{1,2})[/.-](\d{1,2})[/.-](?:\d{4}|\d{2})(?:[ T]\d{1,2}:\d{2}(?::\d{2})?(?: ?[AaPp][Mm])?)?"?(?=[,;\t|\r\n]|$)/gm;

/**
 * @internal The day order of the d/m/y-or-m/d/y dates in the first 8 MB of a file: `dmy` when
 * some date has a first number above 12 and none a second number above 12, `mdy` in the opposite
 * case, `ambiguous` when there are such dates but none tells (only days 1-12) or the evidence
 * conflicts, undefined when there are none (ISO dates). Online Retail exports come as
 * `12/1/2010 8:26` (US) or `01/12/2010 08:26` (UK locales).
 */
export async function sniffDayOrder(file: string, encoding?: string): Promise<"dmy" | "mdy" | "ambiguous" | undefined> {
  let text: string;
  try {
    const handle = await open(file, "r");
    try {
      const buf = Buffer.alloc(SNIFF_BYTES);
      const { bytesRead } = await handle.read(buf, 0, SNIFF_BYTES, 0);
      // (in the file's encoding when given: a UTF-16 file read as latin1 showed no date at all)
      let dec: TextDecoder | undefined;
      try {
        dec = encoding !== undefined ? new TextDecoder(encoding) : undefined;
      } catch {
        dec = undefined; // the reader reports an unknown encoding itself
      }
      text = dec !== undefined ? dec.decode(buf.subarray(0, bytesRead)) : buf.toString("latin1", 0, bytesRead);
    } finally {
      await handle.close();
    }
  } catch {
    return undefined; // the reader reports the file itself
  }
  let dayFirst = 0;
  let monthFirst = 0;
  let any = false;
  for (const m of text.matchAll(SLASH_DATE)) {
    any = true;
    const a = Number(m[1]);
    const b = Number(m[2]);
    if (a > 12 && a <= 31 && b <= 12) dayFirst++;
    else if (b > 12 && b <= 31 && a <= 12) monthFirst++;
  }
  return dayFirst > 0 && monthFirst === 0 ? "dmy" : monthFirst > 0 && dayFirst === 0 ? "mdy" : any ? "ambiguous" : undefined;
}

/**
 * Whether a whole file is valid UTF-8 (a UTF-8 BOM allowed), read in chunks through a fatal
 * decoder; false also when it cannot be read (the reader reports that itself).
 * @internal
 */
export async function isUtf8File(file: string): Promise<boolean> {
  const dec = new TextDecoder("utf-8", { fatal: true });
  try {
    const handle = await open(file, "r");
    try {
      const buf = Buffer.alloc(1 << 20);
      for (;;) {
        const { bytesRead } = await handle.read(buf, 0, buf.length, null);
        if (bytesRead === 0) break;
        dec.decode(buf.subarray(0, bytesRead), { stream: true });
      }
      dec.decode();
      return true;
    } finally {
      await handle.close();
    }
  } catch {
    return false;
  }
}
