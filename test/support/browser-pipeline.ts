/**
 * @internal Test support (not exported): the pipeline that test/browser-library.test.ts runs both
 * in Node (the vitest process, the library imported from src/) and in headless Chromium (the
 * library bundled by esbuild). The library is a parameter, so this module imports nothing at run
 * time (type-only imports are erased) and both sides make exactly the same calls; it is bundled
 * on its own for the page. Everything returned is JSON text, a string or a number, so the two
 * sides compare byte for byte.
 */
import type * as Orderpulse from "../../src/index.ts";

/** The library as seen by the pipeline: the namespace of src/index.ts (Node) or of its browser bundle. */
export type OrderpulseApi = typeof Orderpulse;

/** The fixed synthetic distributor: small, 2 years, fixed seed. */
export const PIPELINE_SYNTH = { seed: 7, customers: 60, products: 80, years: 2 } as const;
/** The as-of day of the analysis (a Monday, three weeks before the synthetic history ends on 2026-10-31). */
export const PIPELINE_AS_OF = "2026-10-12";

/** What the pipeline returns: stage name → its JSON text (or rendered text, or hash). */
export type PipelineResult = Record<string, string>;

/** SHA-256 of the bytes as hex, through Web Crypto (global in browsers and in Node 20). */
async function sha256(bytes: Uint8Array): Promise<string> {
  const digest = await globalThis.crypto.subtle.digest("SHA-256", bytes as Uint8Array<ArrayBuffer>);
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}

/**
 * Run the pipeline: generateSyntheticDistributor → fromRowsSync → computeKpis, fitPatterns,
 * detectSignals, recommend, analyze → rankTasks → weeklyBrief → renderBriefMarkdown and
 * renderBriefHtml (English and Hebrew), and a datasetToBytes/datasetFromBytes round trip; plus the
 * same orders given as `Date` instants ingested in Asia/Jerusalem.
 */
export async function runPipeline(op: OrderpulseApi): Promise<PipelineResult> {
  const out: PipelineResult = {};
  const synth = op.generateSyntheticDistributor(PIPELINE_SYNTH);
  out["synth"] = JSON.stringify({ counts: [synth.orders.length, synth.customers.length, synth.products.length, synth.reps.length, synth.dealEvents.length, synth.targets.length, synth.content.length], truth: synth.truth });

  const { dataset, report } = op.fromRowsSync(synth);
  out["ingestReport"] = JSON.stringify(report);
  const asOf = PIPELINE_AS_OF;

  out["kpis"] = JSON.stringify(op.computeKpis(dataset, { asOf }));
  out["kpisMonthByRep"] = JSON.stringify(op.computeKpis(dataset, { asOf, period: "month", by: "rep" }));
  const model = op.fitPatterns(dataset, { asOf });
  out["patterns"] = JSON.stringify(model.toJSON());
  out["signals"] = JSON.stringify(op.detectSignals(dataset, { asOf, model }));
  out["signalsHe"] = JSON.stringify(op.detectSignals(dataset, { asOf, model, locale: "he" }));
  out["offers"] = JSON.stringify(op.recommend(dataset, { asOf, model, customerIds: dataset.ids.customers.values.slice(0, 20), k: 3 }));

  const analysis = op.analyze(dataset, { asOf, model });
  out["analysis"] = JSON.stringify(analysis);
  for (const locale of ["en", "he"] as const) {
    const tasks = op.rankTasks(analysis, { locale });
    out[`tasks.${locale}`] = JSON.stringify(tasks);
    const rep = analysis.reps.find((r) => r.managerId !== undefined)?.repId; // a rep with accounts, not the manager
    const company = op.weeklyBrief(analysis, { locale, tasks });
    out[`brief.${locale}`] = JSON.stringify(company);
    out[`brief.${locale}.md`] = op.renderBriefMarkdown(company);
    out[`brief.${locale}.html`] = op.renderBriefHtml(company);
    if (rep !== undefined) out[`brief.${locale}.${rep}.md`] = op.renderBriefMarkdown(op.weeklyBrief(analysis, { locale, tasks, repId: rep }));
  }

  // binary round trip: the same bytes back, and the restored dataset gives the same results
  const bytes = op.datasetToBytes(dataset);
  out["bytes"] = `${bytes.length} ${await sha256(bytes)}`;
  const restored = op.datasetFromBytes(bytes);
  const again = op.datasetToBytes(restored);
  out["bytes.roundTrip"] = `${again.length} ${await sha256(again)}`;
  out["kpis.restored"] = JSON.stringify(op.computeKpis(restored, { asOf }));
  out["signals.restored"] = JSON.stringify(op.detectSignals(restored, { asOf }));

  // the orders as Date instants at noon UTC, ingested in Asia/Jerusalem (UTC+2/+3: the same calendar days)
  const orders = synth.orders.map((o) => ({ ...o, order_date: new Date(`${String(o.order_date)}T12:00:00Z`) }));
  const zoned = op.fromRowsSync({ ...synth, orders }, { timeZone: "Asia/Jerusalem" }).dataset;
  const zonedBytes = op.datasetToBytes(zoned);
  out["zoned.bytes"] = `${zonedBytes.length} ${await sha256(zonedBytes)}`;
  out["zoned.kpis"] = JSON.stringify(op.computeKpis(zoned, { asOf }));
  return out;
}
