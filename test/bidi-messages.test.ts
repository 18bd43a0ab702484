/**
 * English signal and offer messages keep right-to-left names whole: every product, customer,
 * segment and rep name put in an English message is isolated (U+2068 … U+2069) when it holds
 * right-to-left letters or bidi controls. An unclosed right-to-left override (U+202E) in a
 * product's name otherwise reversed the rest of the message, amounts included.
 */
import { describe, expect, it } from "vitest";
import { analyze, fromRowsSync, generateSyntheticDistributor } from "../src/index.ts";
import { outsideIsolates } from "./support/bidi.ts";


const RTL_OR_CONTROL = /[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff\u200f\u202a-\u202e\u2066-\u2069\u061c]/;

describe("English messages isolate right-to-left names", () => {
  it("no right-to-left letter or bidi control is left outside an isolate in any English signal or offer message", () => {
    const synth = generateSyntheticDistributor({ seed: 3, customers: 120 });
    // every name right-to-left, half of them with an unclosed override; segments and reps too
    // a stray U+2069 before the override in a third of them: it closed the isolate put around the name
    const products = synth.products.map((p, k) => ({ ...p, name: k % 3 === 1 ? `מוצר ${k}\u202E` : k % 3 === 2 ? `Item ${k}\u2069\u202E` : `מוצר ${k}` }));
    const customers = synth.customers.map((c, k) => ({ ...c, name: k % 2 ? `לקוח ${k}\u202E` : `לקוח ${k}\u2069\u202E`, segment: c.segment === undefined ? undefined : `פלח ${c.segment}` }));
    const orders = synth.orders.map((o) => ({ ...o, rep_id: o.rep_id === undefined ? undefined : `נציג-${o.rep_id}` }));
    const dealEvents = synth.dealEvents.map((e) => ({ ...e, rep_id: e.rep_id === undefined ? undefined : `נציג-${e.rep_id}` }));
    const { dataset } = fromRowsSync({ orders, customers, products, dealEvents });
    const run = analyze(dataset, { asOf: "2026-10-05", locale: "en" });
    const messages = [...run.signals.map((s) => ({ kind: s.type, message: s.message })), ...run.offers.map((o) => ({ kind: o.kind, message: o.message }))];
    const kinds = new Set(messages.map((m) => m.kind));
    // the check must see names: item-level signals and every offer kind that names products
    expect(kinds.has("cross_sell") && kinds.has("repurchase")).toBe(true);
    expect([...kinds].some((k) => k === "item_dropped" || k === "item_volume_drop" || k === "product_vanishing")).toBe(true);
    expect(messages.filter((m) => m.message.includes("\u2068")).length).toBeGreaterThan(10);
    for (const { kind, message } of messages) expect([kind, outsideIsolates(message)]).toEqual([kind, expect.not.stringMatching(RTL_OR_CONTROL)]);
  });
});
