import { describe, expect, it } from "vitest";
import { formatMoney } from "./money";

describe("formatMoney", () => {
  it("formats micro-dollars, keeping precision below one unit", () => {
    expect(formatMoney(7_500_000)).toBe("$7.50");
    expect(formatMoney(1_234_567_890)).toBe("$1,234.57");
    expect(formatMoney(41_667)).toBe("$0.041667");
    expect(formatMoney(10_500)).toBe("$0.0105");
    expect(formatMoney(500_000)).toBe("$0.50");
    expect(formatMoney(0)).toBe("$0.00");
    expect(formatMoney(-250_000)).toBe("-$0.25");
  });

  it("uses the currency's own symbol and digits", () => {
    expect(formatMoney(2_500_000, "EUR", "de-DE")).toBe("2,50\u00a0€");
    expect(formatMoney(1_500_000_000, "JPY")).toBe("¥1,500");
    expect(() => formatMoney(1.5)).toThrow(RangeError);
  });
});
