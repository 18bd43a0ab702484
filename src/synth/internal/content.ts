import type { ContentRow } from "../../data/rows.ts";
import type { World } from "./model.ts";
import { FAMILIES, SEGMENTS } from "./params.ts";

const BASE = "https://content.example.com";
const label = (s: string): string => s.replace(/_/g, " ").replace(/\b\w/g, (x) => x.toUpperCase());
const slug = (s: string): string => s.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "");

/** @internal The sales content table (docs/synth.md, "Content"). */
export function buildContent(w: World): ContentRow[] {
  const rows: ContentRow[] = [];
  let n = 0;
  const id = (): string => `K${String(++n).padStart(3, "0")}`;
  for (const f of FAMILIES) {
    rows.push({ content_id: id(), title: `${label(f.name)} catalogue`, url: `${BASE}/brochure/${slug(f.name)}`, family: f.name, kind: "brochure" });
  }
  for (const s of SEGMENTS) {
    rows.push({ content_id: id(), title: `How ${s.name} cut waste with weekly deliveries`, url: `${BASE}/case-study/${slug(s.name)}`, segment: s.name, kind: "case_study" });
  }
  rows.push({ content_id: id(), title: "Price list", url: `${BASE}/price-list`, kind: "price_list" });
  const { catalog } = w;
  const top = Array.from({ length: catalog.n }, (_, p) => p)
    .sort((a, b) => catalog.popularity[b]! - catalog.popularity[a]! || catalog.ids[a]!.localeCompare(catalog.ids[b]!))
    .slice(0, 10);
  top.forEach((p, k) => {
    const kind = k % 2 === 0 ? "video" : "spec_sheet";
    const name = catalog.names[p]!;
    rows.push({ content_id: id(), title: `${name}: ${kind === "video" ? "product video" : "spec sheet"}`, url: `${BASE}/${kind.replace("_", "-")}/${slug(catalog.ids[p]!)}`, product_id: catalog.ids[p]!, kind });
  });
  return rows;
}
