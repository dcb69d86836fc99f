import type { SenderKind } from '@utskick/persistence';
import type { SenderRef, SmsLocale } from './types';

export type OptOutOverrides = Partial<Record<SmsLocale, Partial<Record<SenderKind, string>>>>;

/** Default wording by locale and sender kind; `{shortCode}` and `{keyword}` are filled in. */
export const DEFAULT_OPT_OUT_TEXTS: Record<SmsLocale, Record<SenderKind, string>> = {
  sv: {
    reply_number: 'Svara STOPP för att avsluta',
    alphanumeric: 'SMS STOPP till {shortCode}',
    short_code: 'Svara STOPP eller {keyword} STOPP',
  },
  en: {
    reply_number: 'Reply STOP to opt out',
    alphanumeric: 'Text STOP to {shortCode} to opt out',
    short_code: 'Reply STOP or {keyword} STOP to opt out',
  },
  fr: {
    reply_number: 'Répondez STOP pour vous désabonner',
    alphanumeric: 'STOP au {shortCode}',
    short_code: 'Répondez STOP ou {keyword} STOP',
  },
};

/** Separates the opt-out text from the author's text; it is counted in parts like any character. */
export const OPT_OUT_SEPARATOR = '\n';

/**
 * The opt-out footer to append to an SMS, separator included. The wording follows the sender's
 * kind (an unknown sender cannot take replies, so it gets the text-sender wording pointing at the
 * shared short code); a tenant override for the locale and kind wins over the default.
 * `{shortCode}` is the sender's own code for a short code sender, else the platform's shared one;
 * `{keyword}` is the short code sender's keyword (empty for other kinds). Defaults go on a new line.
 */
export function optOutText(sender: SenderRef | null, locale: SmsLocale, overrides: OptOutOverrides, sharedShortCode: string): string {
  const kind: SenderKind = sender?.kind ?? 'alphanumeric';
  const override = overrides?.[locale]?.[kind];
  const custom = override && override.trim() ? override : null;
  const wording = custom ?? (DEFAULT_OPT_OUT_TEXTS[locale] ?? DEFAULT_OPT_OUT_TEXTS.sv)[kind];
  // A tenant's own wording that starts with punctuation or a space brings its own separator (".STOP 36608").
  const separator = custom && /^[^\p{L}\p{N}]/u.test(custom) ? '' : OPT_OUT_SEPARATOR;
  const shortCode = sender?.kind === 'short_code' ? sender.value : sharedShortCode;
  const keyword = sender?.kind === 'short_code' ? (sender.keyword ?? '') : '';
  return separator + wording.replaceAll('{shortCode}', shortCode).replaceAll('{keyword}', keyword);
}
