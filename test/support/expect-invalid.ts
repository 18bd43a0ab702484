import { expect } from "vitest";
import { isOrderpulseError } from "../../src/data/errors.ts";

/** Assert that `fn` throws an OrderpulseError INVALID_OPTION (naming `option` when given). */
export function expectInvalid(fn: () => unknown, option?: string): void {
  try {
    fn();
  } catch (err) {
    expect(isOrderpulseError(err)).toBe(true);
    expect((err as { code: string }).code).toBe("INVALID_OPTION");
    if (option !== undefined) expect((err as { details: { option: string } }).details.option).toBe(option);
    return;
  }
  throw new Error("expected an INVALID_OPTION error");
}
