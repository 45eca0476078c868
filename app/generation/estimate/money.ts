const MICROS_PER_UNIT = 1_000_000;

/**
 * Formats integer micro-units of `currency`. Amounts under one unit keep up
 * to six decimals so per-image prices like $0.0105 are not shown as $0.01.
 */
export function formatMoney(micros: number, currency = "USD", locale = "en-US"): string {
  if (!Number.isInteger(micros)) throw new RangeError(`micros must be an integer, got ${micros}`);
  const amount = micros / MICROS_PER_UNIT;
  const standard = new Intl.NumberFormat(locale, { style: "currency", currency });
  if (Math.abs(amount) >= 1 || micros === 0) return standard.format(amount);
  const digits = standard.resolvedOptions().minimumFractionDigits ?? 2;
  return new Intl.NumberFormat(locale, {
    style: "currency",
    currency,
    minimumFractionDigits: digits,
    maximumFractionDigits: Math.max(digits, 6),
  }).format(amount);
}
