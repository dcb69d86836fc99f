import { checkSmsText } from './check-sms';
import { optOutText } from './opt-out-text';
import type { SenderRef } from './types';

const reply: SenderRef = { kind: 'reply_number', value: '+46701234567', keyword: null };
const alpha: SenderRef = { kind: 'alphanumeric', value: 'Butiken', keyword: null };
const short: SenderRef = { kind: 'short_code', value: '71123', keyword: 'BUTIK' };

describe('optOutText', () => {
  it.each([
    ['sv reply number', reply, 'sv', '\nSvara STOPP för att avsluta'],
    ['sv text sender → shared short code', alpha, 'sv', '\nSMS STOPP till 72080'],
    ['sv short code → its keyword', short, 'sv', '\nSvara STOPP eller BUTIK STOPP'],
    ['sv unknown sender → text-sender wording', null, 'sv', '\nSMS STOPP till 72080'],
    ['en reply number', reply, 'en', '\nReply STOP to opt out'],
    ['en text sender', alpha, 'en', '\nText STOP to 72080 to opt out'],
    ['en short code', short, 'en', '\nReply STOP or BUTIK STOP to opt out'],
    ['fr reply number', reply, 'fr', '\nRépondez STOP pour vous désabonner'],
    ['fr text sender', alpha, 'fr', '\nSTOP au 72080'],
    ['fr short code', short, 'fr', '\nRépondez STOP ou BUTIK STOP'],
  ] as const)('default %s', (_name, sender, locale, text) => {
    expect(optOutText(sender, locale, {}, '72080')).toBe(text);
  });

  it.each([
    ['override for the locale and kind', alpha, 'fr', { fr: { alphanumeric: 'STOP au {shortCode}' } }, '\nSTOP au 36608'],
    ['an override starting with punctuation is appended as written (the French ".STOP 36608")', alpha, 'fr', { fr: { alphanumeric: '.STOP {shortCode}' } }, '.STOP 36608'],
    ['an override starting with a space is appended as written', reply, 'en', { en: { reply_number: ' Reply STOP' } }, ' Reply STOP'],
    ['{shortCode} of a short code sender is its own code', short, 'sv', { sv: { short_code: 'STOPP {keyword} till {shortCode}' } }, '\nSTOPP BUTIK till 71123'],
    ['override for another kind does not apply', reply, 'sv', { sv: { alphanumeric: 'x' } }, '\nSvara STOPP för att avsluta'],
    ['override for another locale does not apply', alpha, 'en', { sv: { alphanumeric: 'x' } }, '\nText STOP to 36608 to opt out'],
    ['a blank override is ignored', reply, 'sv', { sv: { reply_number: '  ' } }, '\nSvara STOPP för att avsluta'],
    ['unknown sender uses the alphanumeric override', null, 'sv', { sv: { alphanumeric: 'Avsluta: SMS STOPP till {shortCode}' } }, '\nAvsluta: SMS STOPP till 36608'],
  ] as const)('%s', (_name, sender, locale, overrides, text) => {
    expect(optOutText(sender, locale, overrides, '36608')).toBe(text);
  });

  it('keeps a 149-character French text with ".STOP 36608" in one part', () => {
    const footer = optOutText(alpha, 'fr', { fr: { alphanumeric: '.STOP {shortCode}' } }, '36608');
    expect(checkSmsText({ text: 'a'.repeat(149), footer, textCap: 149, maxParts: 10 }).analysis.parts).toBe(1);
  });
});
