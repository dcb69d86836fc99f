import { loadConfig, smsSchema } from '@utskick/config';
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';

/** Minor units per SMS part, by ISO country code, with a "default". */
export type PriceTable = Record<string, number>;

export interface SmsPricing {
  prices: PriceTable;
  currency: string;
}

let cached: SmsPricing | undefined;

/** The platform's SMS prices from the environment (SMS_PRICES, SMS_CURRENCY), read once. */
export function smsPricing(): SmsPricing {
  if (!cached) {
    const cfg = loadConfig(smsSchema);
    cached = { prices: cfg.SMS_PRICES, currency: cfg.SMS_CURRENCY };
  }
  return cached;
}

/** What one part to this E.164 number costs: its country's price, else the default. */
export function pricePerPart(e164: string, prices: PriceTable): number {
  const country = parsePhoneNumberFromString(e164)?.country;
  return country && Object.hasOwn(prices, country) ? prices[country] : prices.default;
}
