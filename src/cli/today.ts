/** Today's date (YYYY-MM-DD) in a time zone: the CLI's default `--as-of`, the one wall-clock read. @internal */
export function today(timeZone: string | undefined): string {
  const parts = new Intl.DateTimeFormat("en-CA", { timeZone: timeZone ?? "UTC", year: "numeric", month: "2-digit", day: "2-digit" }).formatToParts(new Date());
  const get = (t: string): string => parts.find((p) => p.type === t)?.value ?? "";
  return `${get("year")}-${get("month")}-${get("day")}`;
}
