// Writes examples/erp-export/data/{orders,customers,products}.csv: a small export as a Hebrew ERP
// gives it: windows-1255 bytes, Hebrew column names, dd/mm/yyyy dates, decimal comma, `;` between
// fields, CRLF line ends. Deterministic (a seeded PRNG, no clock): running it again gives the same
// bytes, and test/examples-erp-export.test.ts checks that the committed files are what it writes.
//   node examples/erp-export/make-export.mjs [out-dir]
// Needs nothing but Node (no orderpulse import): the data stays the same when the library changes.
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

// --- windows-1255: the encoder is built from the WHATWG decoder, so it is the real code page.
const toByte = new Map();
{
  const decoder = new TextDecoder("windows-1255");
  for (let b = 0; b < 256; b++) {
    const ch = decoder.decode(Uint8Array.of(b));
    if (ch !== "\uFFFD" && !toByte.has(ch)) toByte.set(ch, b);
  }
}
function encodeWindows1255(text) {
  const out = new Uint8Array(text.length);
  let i = 0;
  for (const ch of text) {
    const b = toByte.get(ch);
    if (b === undefined) throw new Error(`not in windows-1255: ${JSON.stringify(ch)}`);
    out[i++] = b;
  }
  return out.subarray(0, i);
}

// --- formatting as the ERP does it
const field = (v) => (/[;"\r\n]/.test(String(v)) ? `"${String(v).replaceAll('"', '""')}"` : String(v));
const csv = (header, rows) => [header, ...rows].map((r) => r.map(field).join(";")).join("\r\n") + "\r\n";
/** 1234.5 -> "1.234,50" */
function money(x) {
  const [int, frac] = Math.abs(x).toFixed(2).split(".");
  return `${x < 0 ? "-" : ""}${int.replace(/\B(?=(\d{3})+(?!\d))/g, ".")},${frac}`;
}
const ddmmyyyy = (d) => `${String(d.getUTCDate()).padStart(2, "0")}/${String(d.getUTCMonth() + 1).padStart(2, "0")}/${d.getUTCFullYear()}`;

// --- a seeded PRNG (mulberry32)
let state = 20261031;
function random() {
  state = (state + 0x6d2b79f5) | 0;
  let t = Math.imul(state ^ (state >>> 15), 1 | state);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const pick = (xs) => xs[Math.floor(random() * xs.length)];

// --- master data (ids as the ERP numbers them; names, segments, regions in Hebrew)
const products = [
  // id, name, family, list price, cost
  ["1001", "קפה טורקי 1 ק\"ג", "קפה", 58.9, 41.2],
  ["1002", "פולי קפה אספרסו 1 ק\"ג", "קפה", 89.5, 61.0],
  ["1003", "תה ירוק 100 שקיקים", "תה", 24.9, 14.8],
  ["2001", "חלב 3% 1 ליטר", "חלב", 6.9, 5.1],
  ["2002", "גבינה לבנה 5% 250 גרם", "חלב", 5.6, 4.0],
  ["2003", "חמאה 200 גרם", "חלב", 8.4, 6.2],
  ["3001", "סוכר לבן 1 ק\"ג", "יבשים", 4.9, 3.4],
  ["3002", "קמח לבן 5 ק\"ג", "יבשים", 17.5, 12.1],
  ["3003", "שמן זית כתית 750 מ\"ל", "יבשים", 42.0, 29.5],
  ["4001", "כוסות נייר 1,000 יח'", "חד פעמי", 129.0, 88.0],
  ["4002", "מפיות 500 יח'", "חד פעמי", 19.9, 12.5],
  ["5001", "מכונת קפה מקצועית", "ציוד", 4890.0, 3650.0],
];
const customers = [
  // id, name, segment, region, rep, mean gap (days), items it buys
  ["20001", "מסעדת הים התיכון", "מסעדות", "צפון", "11", 7, ["1001", "2001", "2003", "3002", "3003", "4002"]],
  ["20002", "קפה נחת", "בתי קפה", "מרכז", "12", 5, ["1002", "2001", "3001", "4001", "4002"]],
  ["20003", "מלון גלי כנרת", "בתי מלון", "צפון", "11", 10, ["1001", "1003", "2001", "2002", "2003", "4002"]],
  ["20004", "מכולת השכונה", "מכולות", "ירושלים", "13", 14, ["1001", "2001", "2002", "3001", "3002"]],
  ["20005", "בית אבות נווה שלום", "מוסדות", "דרום", "13", 14, ["1003", "2001", "2002", "3001", "3002", "4002"]],
  ["20006", "ביסטרו תל אביב", "מסעדות", "מרכז", "12", 6, ["1002", "2001", "2003", "3003", "4002"]],
  ["20007", "מאפיית הבוקר", "בתי קפה", "ירושלים", "13", 4, ["2001", "2003", "3001", "3002"]],
  ["20008", "מלון מצפה רמון", "בתי מלון", "דרום", "11", 12, ["1001", "1003", "2001", "2002", "3003", "4001"]],
];
const START = Date.UTC(2026, 0, 1);
const END = Date.UTC(2026, 9, 31);
const DAY = 86_400_000;

const orderRows = [];
let invoice = 500000;
for (const [customerId, , , , rep, gap, items] of customers) {
  let t = START + Math.floor(random() * gap) * DAY;
  // the grocery stops ordering in late July (its last order before the 2 August cut-off) (a churned customer for the signals)
  const until = customerId === "20004" ? Date.UTC(2026, 7, 2) : END;
  while (t <= until) {
    let d = new Date(t);
    if (d.getUTCDay() === 6) d = new Date(t + DAY); // no deliveries on Shabbat
    if (d.getTime() > END) break;
    invoice++;
    let line = 0;
    for (const productId of items) {
      if (random() > 0.7) continue;
      const [, name, , list, cost] = products.find((p) => p[0] === productId);
      const qty = 1 + Math.floor(random() * (list > 50 ? 4 : 24));
      const price = Math.round(list * (0.88 + random() * 0.08) * 100) / 100;
      line++;
      orderRows.push([String(invoice), String(line), ddmmyyyy(d), customerId, productId, name, String(qty), money(price), money(cost), money(qty * price), rep]);
    }
    if (line === 0) invoice--; // nothing picked: no invoice
    t += Math.max(1, Math.round(gap * (0.6 + random() * 0.8))) * DAY;
  }
}
// a coffee machine (a price with thousands: 4.650,00) and its credit note (negative quantity)
orderRows.push(["510001", "1", "15/03/2026", "20002", "5001", "מכונת קפה מקצועית", "1", money(4650), money(3650), money(4650), "12"]);
orderRows.push(["510002", "1", "22/03/2026", "20002", "4001", "כוסות נייר 1,000 יח'", "-2", money(121.5), money(88), money(-243), "12"]);

const files = {
  "orders.csv": csv(["מספר חשבונית", "שורה", "תאריך", "קוד לקוח", "קוד פריט", "תיאור פריט", "כמות", "מחיר נטו", "עלות", "סכום שורה", "סוכן"], orderRows),
  "customers.csv": csv(
    ["קוד לקוח", "שם לקוח", "ענף", "אזור", "סוכן"],
    customers.map(([id, name, segment, region, rep]) => [id, name, segment, region, rep]),
  ),
  "products.csv": csv(
    ["קוד פריט", "שם פריט", "משפחה", "מחיר מחירון", "עלות"],
    products.map(([id, name, family, list, cost]) => [id, name, family, money(list), money(cost)]),
  ),
};

const out = process.argv[2] ?? join(dirname(fileURLToPath(import.meta.url)), "data");
mkdirSync(out, { recursive: true });
for (const [name, text] of Object.entries(files)) writeFileSync(join(out, name), encodeWindows1255(text));
console.log(`wrote ${Object.keys(files).join(", ")} to ${out}: ${orderRows.length} order lines, windows-1255`);
