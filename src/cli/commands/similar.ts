import { isoLtr } from "../../signals/internal/format.ts";
import { similarProducts } from "../../recommend/similar-products.ts";
import { COMMON_DATA_FLAGS, intFlag, parseFlags, readOptionsFromFlags, withCommonOptions } from "../args.ts";
import { analysisInput } from "../analysis-input.ts";
import { type CliIo, UsageError } from "../io.ts";
import { alignedTable, num } from "../table.ts";
import { AS_OF_HELP } from "../today.ts";
import { presetId } from "../preset-id.ts";

/** @internal */
export const SIMILAR_HELP: string = `orderpulse similar --data PATH --product ID [--as-of D] [--mode complements|substitutes] [-k N] [--json] [common options]

Products related to one product (docs/recommend.md), from who buys what up to --as-of:
complements are bought by the same customers more often than chance (lift), substitutes are
bought by the same kinds of customers but rarely by the same customer.
${AS_OF_HELP}
  --product ID       the product (required)
  --mode M           complements (default) or substitutes
  -k N               how many (default 10)`;

/** `orderpulse similar`. @internal */
export async function similarCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const v = parseFlags(argv, {
    ...COMMON_DATA_FLAGS,
    "as-of": { type: "string" },
    product: { type: "string" },
    mode: { type: "string" },
    k: { type: "string", short: "k" },
  });
  if (v.help) {
    io.out(`${withCommonOptions(SIMILAR_HELP)}\n`);
    return 0;
  }
  readOptionsFromFlags(v);
  const typed = v.product;
  if (typeof typed !== "string" || typed === "") throw new UsageError("--product ID is required");
  const mode = v.mode ?? "complements";
  if (mode !== "complements" && mode !== "substitutes") throw new UsageError(`--mode must be complements or substitutes, got ${String(mode)}`);
  const k = intFlag(v, "k") ?? 10;
  if (k > 1000) throw new UsageError(`-k must be at most 1000, got ${k}`);
  const { dataset, asOf } = await analysisInput(v, io);
  const product = presetId(v.preset, dataset, "product", typed);
  // an unknown product is a typo, not a product without neighbours (as recommend --customer says)
  if (dataset.ids.products.indexOf(product) < 0) throw new UsageError(`no product ${product} in the data`);
  const similar = similarProducts(dataset, { asOf, productId: product, k, mode });
  if (v.json) {
    io.out(`${JSON.stringify({ asOf, productId: product, mode, count: similar.length, similar }, null, 2)}\n`);
    return 0;
  }
  const name = dataset.products.name[dataset.ids.products.indexOf(product)];
  // (isolated: a right-to-left name, or one with an unclosed override, reordered the rest of the line)
  const lines = [`${mode} of ${isoLtr(product)}${name ? ` (${isoLtr(name)})` : ""} as of ${asOf}: ${similar.length}`];
  if (similar.length > 0) {
    // substitutes: together, expected and lift are those of the named segment (docs/recommend.md
    // §5), jaccard and buyers over every customer; until 2026-12-07 the segment was not printed
    const subs = mode === "substitutes";
    lines.push(
      ...alignedTable(
        subs ? ["product", "name", "score", "segment", "together in it", "expected", "lift", "jaccard (all)", "buyers (all)"] : ["product", "name", "score", "together", "expected", "lift", "jaccard", "buyers"],
        similar.map((s) => [s.productId, s.name ?? "", num(s.score, 3), ...(subs ? [s.segment ?? "(all)"] : []), num(s.together), num(s.expectedTogether, 1), num(s.lift, 2), num(s.jaccard, 3), num(s.buyers)]),
        2,
      ),
    );
  }
  io.out(lines.join("\n") + "\n");
  return 0;
}
