import { describe, expect, it } from "vitest";
import { lgamma as logGamma } from "./lgamma.ts";
import { incompleteBeta, studentTCdf, studentTQuantile } from "./student-t.ts";

describe("student-t utilities", () => {
  it("logGamma matches factorials and Γ(1/2) = √π", () => {
    expect(logGamma(1)).toBeCloseTo(0, 13);
    expect(logGamma(5)).toBeCloseTo(Math.log(24), 12);
    expect(logGamma(0.5)).toBeCloseTo(0.5 * Math.log(Math.PI), 12);
    expect(logGamma(171)).toBeCloseTo(706.5730622457874, 8); // ln(170!)
  });
  it("incompleteBeta: closed forms", () => {
    expect(incompleteBeta(0.3, 1, 1)).toBeCloseTo(0.3, 14);
    expect(incompleteBeta(0.3, 2, 1)).toBeCloseTo(0.09, 14);
    expect(incompleteBeta(0.3, 1, 3)).toBeCloseTo(1 - 0.7 ** 3, 14);
  });
  it("t CDF and quantile: Cauchy (ν=1), ν=2 closed forms, symmetry, round trip", () => {
    expect(studentTCdf(1, 1)).toBeCloseTo(0.75, 13);
    expect(studentTCdf(2, 2)).toBeCloseTo(0.5 + 2 / (2 * Math.sqrt(6)), 13);
    expect(studentTCdf(-1.3, 7) + studentTCdf(1.3, 7)).toBeCloseTo(1, 14);
    expect(studentTQuantile(0.975, 1e6)).toBeCloseTo(1.959964, 4);
    expect(studentTQuantile(0.975, 10)).toBeCloseTo(2.228139, 5);
    for (const p of [0.01, 0.1, 0.3, 0.7, 0.9, 0.99]) expect(studentTCdf(studentTQuantile(p, 4.5), 4.5)).toBeCloseTo(p, 10);
  });
});
