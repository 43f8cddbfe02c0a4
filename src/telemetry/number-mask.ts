/**
 * Phone numbers are personal data: telemetry shows only their last digits unless
 * the operator explicitly asks for them in clear.
 */
const KEEP_DIGITS = 4;

export function maskNumber(number: string): string {
  if (number.length <= KEEP_DIGITS) return '*'.repeat(number.length);
  return '*'.repeat(number.length - KEEP_DIGITS) + number.slice(-KEEP_DIGITS);
}

export type NumberPolicy = 'masked' | 'clear';

export function presentNumber(number: string | undefined, policy: NumberPolicy): string | undefined {
  if (number === undefined) return undefined;
  return policy === 'clear' ? number : maskNumber(number);
}
