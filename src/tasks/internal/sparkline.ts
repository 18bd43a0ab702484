/**
 * @internal A small inline SVG sparkline: a customer's purchase days per week (oldest first)
 * against the expected per week under its rhythm (a dashed line). Self-contained markup with
 * fixed decimals, so the same series always gives the same bytes.
 */

/** Options of {@link sparklineSvg}. */
export interface SparklineOptions {
  /** Width in CSS pixels (default 132). */
  readonly width?: number;
  /** Height in CSS pixels (default 32). */
  readonly height?: number;
  /** Accessible label (already HTML-escaped by the caller). */
  readonly label?: string;
}

const fx = (x: number): string => {
  const r = Math.round(x * 10) / 10;
  return Object.is(r, -0) ? "0" : String(r);
};

/**
 * The SVG markup of a sparkline; an empty series gives an empty frame.
 * @param weekly - purchase days per week, oldest first
 * @param expected - expected purchase days per week, when known
 * @param options - width, height, label
 * @returns `<svg ...>...</svg>`
 */
export function sparklineSvg(weekly: readonly number[], expected: number | undefined, options: SparklineOptions = {}): string {
  const w = options.width ?? 132;
  const h = options.height ?? 32;
  const pad = 3;
  const exp = expected !== undefined && Number.isFinite(expected) && expected > 0 ? expected : undefined;
  let max = exp ?? 0;
  for (const v of weekly) if (Number.isFinite(v) && v > max) max = v;
  if (max <= 0) max = 1;
  const n = weekly.length;
  const x = (i: number): number => (n <= 1 ? w / 2 : pad + ((w - 2 * pad) * i) / (n - 1));
  const y = (v: number): number => h - pad - ((h - 2 * pad) * Math.max(0, v)) / max;
  const label = options.label !== undefined ? ` role="img" aria-label="${options.label}"` : ` aria-hidden="true"`;
  let body = "";
  if (exp !== undefined) body += `<line x1="${pad}" y1="${fx(y(exp))}" x2="${w - pad}" y2="${fx(y(exp))}" stroke="#6e7781" stroke-width="1" stroke-dasharray="3 2"/>`;
  if (n > 0) {
    const pts = weekly.map((v, i) => `${fx(x(i))},${fx(y(Number.isFinite(v) ? v : 0))}`).join(" ");
    body += `<polyline points="${pts}" fill="none" stroke="#1f6feb" stroke-width="1.5" stroke-linejoin="round" stroke-linecap="round"/>`;
    const last = weekly[n - 1]!;
    body += `<circle cx="${fx(x(n - 1))}" cy="${fx(y(Number.isFinite(last) ? last : 0))}" r="2" fill="#1f6feb"/>`;
  }
  return `<svg class="spark" xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}"${label}>${body}</svg>`;
}
