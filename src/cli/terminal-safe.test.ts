import { describe, expect, it } from "vitest";
import { terminalSafe, terminalSafeErr } from "./terminal-safe.ts";

describe("terminalSafe", () => {
  it("replaces escape sequences' ESC, CR, other C0, DEL and C1 controls with U+FFFD; keeps tab, newline, bidi isolates and all other text", () => {
    expect(terminalSafe("\u001b[2J\u001b]52;c;cGF3bmVk\u0007ACME")).toBe("\ufffd[2J\ufffd]52;c;cGF3bmVk\ufffdACME");
    expect(terminalSafe("a\rb\u0000c\u007fd\u0085e\u009bf")).toBe("a\ufffdb\ufffdc\ufffdd\ufffde\ufffdf");
    const plain = "C1\tקפה הגליל \u2067שם\u2069 😀\n";
    expect(terminalSafe(plain)).toBe(plain);
  });

  it("stderr: the progress line's own carriage return and erase-line are kept, data in notes and errors is not", () => {
    expect(terminalSafeErr("\r\u001b[K")).toBe("\r\u001b[K");
    expect(terminalSafeErr("\rorders.csv [####  ] 40%")).toBe("\rorders.csv [####  ] 40%");
    expect(terminalSafeErr("orderpulse: row 3: quantity \"x\u001b]0;PWNED\u0007\" is not a number\n")).toBe("orderpulse: row 3: quantity \"x\ufffd]0;PWNED\ufffd\" is not a number\n");
    expect(terminalSafeErr("\rdata\u001b[2J…")).toBe("\rdata\ufffd[2J…");
  });
});
