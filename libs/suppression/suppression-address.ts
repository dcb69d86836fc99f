import { normaliseEmail, normalisePhone } from '@utskick/contacts';
import type { CountryCode } from 'libphonenumber-js/max';
import { DataSource } from 'typeorm';
import { z } from 'zod';

export const CHANNELS = ['sms', 'email'] as const;
export type Channel = (typeof CHANNELS)[number];
export const channelSchema = z.enum(CHANNELS, { error: 'must be sms or email' });

const EMAIL = /^[^\s@<>(),;:"\\[\]]+@[^\s@<>(),;:"\\[\]]+\.[^\s@<>(),;:"\\[\]]+$/;

/** An address in its normal form (lower-cased e-mail, E.164 phone in the tenant's country), or null when it is none. */
export function normaliseAddress(channel: Channel, raw: string, defaultCountry: string): string | null {
  if (channel === 'email') {
    const email = normaliseEmail(raw);
    return email && email.length <= 320 && EMAIL.test(email) ? email : null;
  }
  return normalisePhone(raw, defaultCountry as CountryCode).e164;
}

export async function tenantCountry(ds: DataSource, tenantId: string): Promise<string> {
  const [t]: { default_country: string }[] = await ds.query('SELECT default_country FROM tenants WHERE id = $1', [tenantId]);
  return t?.default_country ?? 'SE';
}
