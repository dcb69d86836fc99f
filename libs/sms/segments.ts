import type { SmsAnalysis } from './types';

// GSM 03.38 basic character set (one septet each); ESC (0x1B) itself is not a character a text can hold.
const GSM7_BASIC =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?' +
  '¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
// Extension table: each is ESC + character, two septets that must stay in one part.
const GSM7_EXTENSION = '^{}\\[~]|€\f';

const basic = new Set(GSM7_BASIC);
const extension = new Set(GSM7_EXTENSION);

const GSM7_SINGLE = 160;
const GSM7_CONCAT = 153;
const UCS2_SINGLE = 70;
const UCS2_CONCAT = 67;

/** Septets a character takes in GSM-7, or null when it is outside GSM-7. */
function septets(ch: string): 1 | 2 | null {
  if (basic.has(ch)) return 1;
  if (extension.has(ch)) return 2;
  return null;
}

/** Distinct characters (code points) outside GSM-7, in order of first appearance. */
function nonGsm(text: string): string[] {
  const found = new Set<string>();
  for (const ch of text) if (septets(ch) === null) found.add(ch);
  return [...found];
}

/** Splits characters greedily into parts of at most `perPart` units; a character is never cut. */
function pack(chars: Iterable<string>, cost: (ch: string) => number, perPart: number): string[] {
  const parts: string[] = [];
  let current = '';
  let used = 0;
  for (const ch of chars) {
    const c = cost(ch);
    if (used + c > perPart) {
      parts.push(current);
      current = '';
      used = 0;
    }
    current += ch;
    used += c;
  }
  parts.push(current);
  return parts;
}

function encodeParts(text: string): { encoding: SmsAnalysis['encoding']; units: number; parts: string[]; ucs2Characters: string[] } {
  const ucs2Characters = nonGsm(text);
  if (ucs2Characters.length === 0) {
    let units = 0;
    for (const ch of text) units += septets(ch)!;
    const parts = units <= GSM7_SINGLE ? [text] : pack(text, (ch) => septets(ch)!, GSM7_CONCAT);
    return { encoding: 'GSM-7', units, parts, ucs2Characters };
  }
  // UCS-2 as sent is UTF-16: an astral character (emoji) is a surrogate pair of 2 code units.
  const units = text.length;
  const parts = units <= UCS2_SINGLE ? [text] : pack(text, (ch) => ch.length, UCS2_CONCAT);
  return { encoding: 'UCS-2', units, parts, ucs2Characters };
}

/**
 * Encoding, units and parts of an SMS text. The part count comes from actually splitting the
 * text, so an extension character (2 septets) or a surrogate pair (2 units) that does not fit
 * at the end of a part moves whole to the next one (a part may then hold 152 septets or 66 units).
 * An empty text is 1 part of 0 units: providers bill (or refuse) it as one message, never zero.
 */
export function analyzeSms(text: string): SmsAnalysis {
  const { encoding, units, parts, ucs2Characters } = encodeParts(text);
  return { encoding, units, parts: parts.length, ucs2Characters };
}

/** The texts of the parts the message is split into (one element, possibly '', for a single part). */
export function splitSms(text: string): string[] {
  return encodeParts(text).parts;
}

const GSM_REPLACEMENTS: Record<string, string> = {
  '\u2018': "'", // ‘
  '\u2019': "'", // ’
  '\u201A': "'", // ‚
  '\u201C': '"', // “
  '\u201D': '"', // ”
  '\u201E': '"', // „
  '\u2013': '-', // –
  '\u2014': '-', // —
  '\u2026': '...', // …
  '\u00A0': ' ', // no-break space
  '\u202F': ' ', // narrow no-break space (French typography before ; : ! ?)
};

/**
 * The text with typographic characters replaced by GSM-7 look-alikes, and what was replaced.
 * Only ever offered to the author: sending the original text is always their choice.
 */
export function normaliseForGsm(text: string): { text: string; replacements: { from: string; to: string; count: number }[] } {
  const counts = new Map<string, number>();
  let out = '';
  for (const ch of text) {
    const to = GSM_REPLACEMENTS[ch];
    if (to === undefined) {
      out += ch;
    } else {
      out += to;
      counts.set(ch, (counts.get(ch) ?? 0) + 1);
    }
  }
  return { text: out, replacements: [...counts].map(([from, count]) => ({ from, to: GSM_REPLACEMENTS[from], count })) };
}
