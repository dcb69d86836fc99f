import { FieldError } from '@utskick/http';
import type { SenderKind } from '@utskick/persistence';
import { CountryCode, parsePhoneNumberFromString } from 'libphonenumber-js/max';

export const SENDER_KINDS = ['alphanumeric', 'short_code', 'reply_number'] as const;

export interface SenderValue {
  kind: SenderKind;
  value: string;
  keyword: string | null;
}

/**
 * A sender as registered: alphanumeric (≤ 11 ASCII letters, digits and spaces, one letter at least),
 * short code (3–8 digits, with a keyword) or reply number (E.164 in the tenant's default country).
 */
export function normaliseSender(
  input: { kind: SenderKind; value: string; keyword?: string | null },
  defaultCountry: CountryCode,
): { ok: true; sender: SenderValue } | { ok: false; errors: FieldError[] } {
  const value = input.value.trim();
  const keyword = input.keyword?.trim() || null;
  const errors: FieldError[] = [];
  let normalised = value;
  switch (input.kind) {
    case 'alphanumeric':
      if (!value) errors.push({ field: 'value', reason: 'is required' });
      else if (value.length > 11) errors.push({ field: 'value', reason: 'at most 11 characters' });
      else if (!/^[A-Za-z0-9 ]+$/.test(value)) errors.push({ field: 'value', reason: 'only letters A–Z, digits and spaces' });
      else if (!/[A-Za-z]/.test(value)) errors.push({ field: 'value', reason: 'must contain at least one letter' });
      if (keyword) errors.push({ field: 'keyword', reason: 'only a short code has a keyword' });
      break;
    case 'short_code':
      if (!/^[0-9]{3,8}$/.test(value)) errors.push({ field: 'value', reason: 'must be 3 to 8 digits' });
      if (!keyword) errors.push({ field: 'keyword', reason: 'is required for a short code' });
      else if (!/^[A-Za-z0-9]{1,20}$/.test(keyword)) errors.push({ field: 'keyword', reason: 'must be 1 to 20 letters A–Z or digits' });
      break;
    case 'reply_number': {
      const parsed = value ? parsePhoneNumberFromString(value, defaultCountry) : undefined;
      if (!parsed || !parsed.isValid()) errors.push({ field: 'value', reason: 'must be a valid phone number (E.164)' });
      else normalised = parsed.number;
      if (keyword) errors.push({ field: 'keyword', reason: 'only a short code has a keyword' });
      break;
    }
  }
  if (errors.length) return { ok: false, errors };
  return { ok: true, sender: { kind: input.kind, value: normalised, keyword: input.kind === 'short_code' ? keyword!.toUpperCase() : null } };
}
