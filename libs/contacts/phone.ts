import { parsePhoneNumberFromString, CountryCode } from 'libphonenumber-js/max';

export interface NormalisedPhone {
  e164: string | null;
  /** libphonenumber's type (MOBILE, FIXED_LINE, FIXED_LINE_OR_MOBILE, …), 'INVALID' or null when absent. */
  type: string | null;
}

/** A phone as given → E.164 and type; a bad number is kept (as INVALID), never refused. */
export function normalisePhone(raw: string | null | undefined, defaultCountry: CountryCode = 'SE'): NormalisedPhone {
  const text = raw?.trim();
  if (!text) return { e164: null, type: null };
  const parsed = parsePhoneNumberFromString(text, defaultCountry);
  if (!parsed || !parsed.isValid()) return { e164: null, type: 'INVALID' };
  return { e164: parsed.number, type: parsed.getType() ?? 'UNKNOWN' };
}

export function normaliseEmail(raw: string | null | undefined): string | null {
  const text = raw?.trim().toLowerCase();
  return text ? text : null;
}
