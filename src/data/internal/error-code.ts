/**
 * @internal The system error code of a thrown value (`ENOENT`, `EACCES`...), if it has one.
 * @param err - what was thrown
 * @returns its `code` when that is a string, else undefined
 */
export function errorCode(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null | undefined)?.code;
  return typeof code === "string" ? code : undefined;
}
