import { isoLtr } from "../../signals/internal/format.ts";
import { formatDay } from "../../data/format-day.ts";
import { parseDay } from "../../data/parse-day.ts";
import { fitPatterns, type FitPatternsOptions } from "../../patterns/fit-patterns.ts";
import { evaluateRecommendations, type RecommendationEvaluation } from "../../recommend/evaluate-recommendations.ts";
import { recommend } from "../../recommend/recommend.ts";
import type { Offer, OfferKind, RecommendOptions } from "../../recommend/types.ts";
import { COMMON_DATA_FLAGS, dayValue, intFlag, parseFlags, readOptionsFromFlags, withCommonOptions } from "../args.ts";
import { WORKERS_FLAG, WORKERS_HELP, withWorkers, workersFlag } from "../workers-flag.ts";
import { analysisInput } from "../analysis-input.ts";
import { CALENDAR_FLAGS, CALENDAR_HELP } from "../calendar-flags.ts";
import { type CliIo, UsageError } from "../io.ts";
import { stageLine } from "../progress.ts";
import { alignedTable, enUsFormat, num, unitPrice } from "../table.ts";
import { readTruth } from "./backtest.ts";
import { AS_OF_HELP } from "../today.ts";
import { presetId } from "../preset-id.ts";

const KINDS: readonly OfferKind[] = ["cross_sell", "repurchase", "winback", "seasonal"];

/** @internal */
export const RECOMMEND_HELP: string = `orderpulse recommend --data PATH [--as-of D] (--customer ID | --all) [-k N] [--kind K[,K...]] [--lang en|he] [--weekend DAYS] [--holidays SRC] [--workers N] [--json] [common options]
orderpulse recommend --data PATH --evaluate --split D [--horizon DAYS | --target next_order] [-k N] [--truth FILE] [--json] [common options]

Offers per customer as of a day (docs/recommend.md): products it does not buy yet that customers
like it buy (cross_sell), items it is due for (repurchase) or has stopped buying (winback), and
seasonal items, each with a suggested price, expected margin and the reason. Repurchase and
win-back use each customer x item rhythm of the pattern model as of the same day (as the customer
card and the brief do).
${AS_OF_HELP}
  --customer ID      one customer (repeatable; a repeated id counts once)
  --all              every customer with a purchase in the year up to --as-of
  -k N               offers per customer (default 10)
  --kind K[,K...]    only these kinds: ${KINDS.join(", ")}
  --lang en|he       language of the messages (default en)
${WORKERS_HELP}
${CALENDAR_HELP}

--evaluate: a temporal split. The recommender and the baselines (global and segment popularity,
SAR-style item-item Jaccard, the customer's own most frequent items) see only the orders before
--split; the truth is what each customer bought from --split on. Prints precision@k, recall@k,
NDCG@k, hit rate and catalogue coverage, for new items and for repeat items.
  --split D          first day of the truth window (YYYY-MM-DD)
  --horizon DAYS     length of the truth window (default 90)
  --target T         horizon (default) or next_order: only each customer's next invoice after --split
  --truth FILE       a truth.json (as 'orderpulse synth' writes): also score the planted adoptions`;

/** The kinds of --kind (repeatable, comma-separated). */
function kindsFlag(v: Record<string, unknown>): OfferKind[] | undefined {
  const raw = v.kind as string[] | undefined;
  if (raw === undefined) return undefined;
  const out: OfferKind[] = [];
  for (const k of raw.flatMap((x) => x.split(",")).map((x) => x.trim()).filter((x) => x !== "")) {
    if (!KINDS.includes(k as OfferKind)) throw new UsageError(`--kind must be one of ${KINDS.join(", ")}, got ${k}`);
    if (!out.includes(k as OfferKind)) out.push(k as OfferKind);
  }
  if (out.length === 0) throw new UsageError("--kind needs at least one kind");
  return out;
}

const money = (x: number): string => (Number.isNaN(x) ? "–" : enUsFormat(2, 2).format(x));

/** The offers table, one block per customer. */
function renderOffers(offers: readonly Offer[], asOf: string, customers: number, k: number): string {
  const head = `offers as of ${asOf}: ${num(offers.length)} for ${num(customers)} customer${customers === 1 ? "" : "s"} (k = ${k}), best first per customer`;
  if (offers.length === 0) return `${head}\n`;
  const table = alignedTable(
    ["customer", "product", "kind", "score", "price", "qty", "margin"],
    // ids isolated: a right-to-left one must not reorder the numbers after it
    offers.map((o) => [isoLtr(o.customerId), isoLtr(o.productId), o.kind, num(o.score, 3), unitPrice(o.suggestedPrice), num(o.quantity, 2), money(o.expectedMargin)]),
    3,
  );
  return [head, ...table.map((line, i) => `${line}  ${i === 0 ? "why" : isoLtr(offers[i - 1]!.message)}`)].join("\n") + "\n";
}

const r3 = (x: number | undefined): string => (x === undefined ? "–" : x.toFixed(3)); // – : a part with no customer

/**
 * A method's row label: the id with spaces; in the repeat part both of orderpulse's lists say so
 * (`orderpulse offers`, `orderpulse item rhythm`: a reader compared the short offers list alone
 * with the personal top frequency).
 */
function methodLabel(method: string, part: string): string {
  if (part === "repeat" && method === "orderpulse") return "orderpulse offers";
  if (method === "item_rhythm") return "orderpulse item rhythm";
  return method.replaceAll("_", " ");
}

/** The evaluation table. @internal */
export function renderEvaluation(r: RecommendationEvaluation, segments: "segments" | "regions" | "none" = "segments"): string {
  const window = r.target === "horizon" ? `purchases ${r.splitDate} .. ${r.windowEnd ?? "–"} (${r.horizonDays} days)` : `each customer's next invoice on or after ${r.splitDate}`;
  const lines = [
    `recommendation evaluation, k = ${r.k}: models see the orders through ${r.trainedThrough}; truth = ${window}`,
    `customers: ${num(r.customersBefore)} with purchases before the split, ${num(r.customersEvaluated)} active on both sides; catalogue ${num(r.catalogue)} products bought before the split`,
  ];
  const title: Record<string, string> = {
    new: "new items (never bought before the split)",
    repeat: "repeat items (bought before the split)",
    adoption: "planted adoptions (truth file) in the window",
  };
  for (const p of r.parts) {
    lines.push("", `${title[p.part]}: ${num(p.customers)} customers, ${num(p.truthItems)} items; orderpulse kinds ${p.kinds.join(", ")}`);
    lines.push(
      ...alignedTable(
        ["method", `precision@${r.k}`, `recall@${r.k}`, `NDCG@${r.k}`, "hit rate", "coverage", "list", "customers"],
        p.methods.map((m) => [methodLabel(m.method, p.part), r3(m.precision), r3(m.recall), r3(m.ndcg), r3(m.hitRate), r3(m.coverage), num(m.meanListLength, 1), num(m.customers)]),
        1,
      ).map((l) => `  ${l}`),
    );
  }
  lines.push("", "means over customers; coverage: distinct products recommended / catalogue; list: mean list length (docs/recommend.md, Evaluation)");
  if (segments !== "segments" && r.parts.some((p) => p.methods.some((m) => m.method === "segment_popularity"))) {
    lines.push(segments === "regions" ? "segment popularity: the data has no segments, so it is the popularity within the customer's region" : "segment popularity: the data has neither segments nor regions, so it is the global popularity");
  }
  if (r.parts.some((p) => p.part === "repeat")) {
    lines.push("repeat items: orderpulse offers are the repurchase / win-back offers (only items due or dropped, so lists are short); orderpulse item rhythm is orderpulse's ranking of every repeat purchase (fitItemRhythm), the list to compare with personal top frequency");
  }
  return lines.join("\n") + "\n";
}

/** `orderpulse recommend`. @internal */
export async function recommendCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const v = parseFlags(argv, {
    ...COMMON_DATA_FLAGS,
    "as-of": { type: "string" },
    customer: { type: "string", multiple: true },
    all: { type: "boolean" },
    k: { type: "string", short: "k" },
    kind: { type: "string", multiple: true },
    lang: { type: "string" },
    evaluate: { type: "boolean" },
    split: { type: "string" },
    horizon: { type: "string" },
    target: { type: "string" },
    truth: { type: "string" },
    ...WORKERS_FLAG,
    ...CALENDAR_FLAGS,
  });
  if (v.help) {
    io.out(`${withCommonOptions(RECOMMEND_HELP)}\n`);
    return 0;
  }
  readOptionsFromFlags(v); // --data and the common flags first: usage errors before anything is read
  const k = intFlag(v, "k") ?? 10;
  if (k > 1000) throw new UsageError(`-k must be at most 1000, got ${k}`);
  if (v.evaluate) {
    for (const f of ["customer", "all", "kind", "lang", "as-of", "weekend", "holidays"]) if (v[f] !== undefined) throw new UsageError(`--${f} does not go with --evaluate`);
    workersFlag(v); // checked as without --evaluate (the evaluation runs in this thread)
    if (typeof v.split !== "string") throw new UsageError("--evaluate needs --split D (YYYY-MM-DD)");
    const split = dayValue(v.split, "--split");
    const target = v.target ?? "horizon";
    if (target !== "horizon" && target !== "next_order") throw new UsageError(`--target must be horizon or next_order, got ${String(target)}`);
    if (target === "next_order" && v.horizon !== undefined) throw new UsageError("--horizon does not go with --target next_order");
    const horizon = intFlag(v, "horizon");
    if (horizon !== undefined && horizon > 3660) throw new UsageError(`--horizon must be at most 3660 days, got ${horizon}`);
    const truth = typeof v.truth === "string" ? await readTruth(v.truth) : undefined;
    const { dataset } = await analysisInput(v, io, split, "--split");
    // (after the data's last day the truth window ran backwards, "2026-11-01 .. 2026-10-31 (0 days)",
    // and every table read "–" with exit 0; backtest refuses a --from there the same way)
    const last = dataset.dayRange?.last;
    if (last !== undefined && parseDay(split) > last) throw new UsageError(`--split ${split} is after the data's last day ${formatDay(last)}: no purchase after it to evaluate against`);
    const result = evaluateRecommendations(dataset, {
      splitDate: split,
      target,
      k,
      ...(horizon !== undefined ? { horizonDays: horizon } : {}),
      ...(truth !== undefined ? { truth } : {}),
    });
    const asked = horizon ?? 90;
    if (result.horizonDays !== undefined && result.horizonDays < asked && v.quiet !== true) io.err(`orderpulse: the truth window stops at the data's last day: ${result.horizonDays} of the ${asked} days of --horizon\n`);
    io.out(v.json ? `${JSON.stringify(result, null, 2)}\n` : renderEvaluation(result, dataset.ids.segments.size > 0 ? "segments" : dataset.ids.regions.size > 0 ? "regions" : "none"));
    return 0;
  }
  for (const f of ["split", "horizon", "target", "truth"]) if (v[f] !== undefined) throw new UsageError(`--${f} needs --evaluate`);
  // a repeated id counts once, in the order first given
  const customers = [...new Set((v.customer as string[] | undefined) ?? [])];
  if (customers.length === 0 && !v.all) throw new UsageError("give --customer ID or --all (or --evaluate --split D)");
  if (customers.length > 0 && v.all) throw new UsageError("--customer and --all do not go together");
  const kinds = kindsFlag(v);
  const lang = v.lang ?? "en";
  if (lang !== "en" && lang !== "he") throw new UsageError(`--lang must be en or he, got ${String(lang)}`);
  workersFlag(v); // checked here: a handful of customers (below) never reaches withWorkers
  const { dataset, asOf, asOfInProgress, calendar } = await analysisInput(v, io);
  // an unknown customer is a typo, not a customer without offers (as orderpulse customer --id says)
  // (as the data hold them: an Online Retail II id typed "15730.0" is 15730)
  // (once each: "15730.0" and "15730" name one customer)
  const held = [...new Set(customers.map((id) => presetId(v.preset, dataset, "customer", id)))];
  customers.splice(0, customers.length, ...held);
  const unknown = customers.filter((id) => dataset.ids.customers.indexOf(id) < 0);
  if (unknown.length > 0) throw new UsageError(`no customer ${unknown.join(", ")} in the data`);
  const options: RecommendOptions = {
    asOf,
    k,
    locale: lang,
    ...(customers.length > 0 ? { customerIds: customers } : {}),
    ...(kinds !== undefined ? { kinds } : {}),
  };
  // the pattern model at the same day and calendar, as analyze() fits it (the customer card, the
  // brief, the demo): repurchase and win-back read its customer x item rhythms
  const fit: FitPatternsOptions = { asOf, ...(calendar !== undefined ? { calendar } : {}), ...(asOfInProgress ? { asOfInProgress } : {}) };
  // a handful of customers is faster in this thread than sending the data to workers
  const stage = stageLine(io, v.quiet === true, "fitting the rhythms and scoring offers", dataset.lines.quantity.length);
  let offers: Offer[];
  try {
    offers =
      customers.length > 0 && customers.length < 50
        ? recommend(dataset, { ...options, model: fitPatterns(dataset, fit) })
        : await withWorkers(v, async (pool) => {
            if (!pool) return recommend(dataset, { ...options, model: fitPatterns(dataset, fit) });
            return pool.recommend(dataset, { ...options, model: await pool.fitPatterns(dataset, fit) });
          });
  } finally {
    stage.done();
  }
  const served = new Set(offers.map((o) => o.customerId)).size;
  if (v.json) {
    io.out(`${JSON.stringify({ asOf, k, count: offers.length, offers }, null, 2)}\n`);
    return 0;
  }
  // one block per customer, in the order of each customer's best offer (recommend() sorts one call's offers by score)
  const rank = new Map<string, number>();
  for (const o of offers) if (!rank.has(o.customerId)) rank.set(o.customerId, rank.size);
  const grouped = offers.map((o, i) => ({ o, i })).sort((a, b) => rank.get(a.o.customerId)! - rank.get(b.o.customerId)! || a.i - b.i).map((x) => x.o);
  io.out(renderOffers(grouped, asOf, customers.length > 0 ? customers.length : served, k));
  return 0;
}
