export const SMS_PLACEHOLDERS = ['FIRST_NAME', 'LAST_NAME', 'NAME'] as const;

export interface Template {
  source: string;
  /** Literal text and placeholders in order; a placeholder's name is upper-case canonical. */
  segments: (string | { name: string; fallback: string | null })[];
  /** Distinct placeholder names (upper-case) in order of first appearance. */
  placeholders: string[];
}

// `%IDENT%` or `%IDENT|fallback%`; anything else after a `%` leaves that `%` literal ("50% off").
// IDENT takes any letters, so a misspelt `%FÖRNAMN%` is refused by name rather than sent as typed.
const TOKEN = /%(\p{L}[\p{L}\p{N}_]*)(?:\|([^%\n\r]*))?%/uy;

/**
 * Parses an SMS template. Grammar: `%%` is a literal percent; `%NAME%` / `%NAME|fallback%` is a
 * placeholder (fallback used when the value is empty); any other `%` is literal. Names are
 * matched case-insensitively (`%first_name%` is `FIRST_NAME`) because authors type them by hand;
 * a well-formed token with a name outside `allowed` is refused, reported as written.
 */
export function parseTemplate(
  text: string,
  allowed: readonly string[] = SMS_PLACEHOLDERS,
  opts: { percentEncoding?: boolean } = {},
): { ok: true; template: Template } | { ok: false; unknown: string[] } {
  const known = new Set(allowed.map((a) => a.toUpperCase()));
  const segments: Template['segments'] = [];
  const placeholders: string[] = [];
  const unknown: string[] = [];
  let literal = '';
  let i = 0;
  while (i < text.length) {
    const at = text.indexOf('%', i);
    if (at === -1) {
      literal += text.slice(i);
      break;
    }
    literal += text.slice(i, at);
    if (text[at + 1] === '%') {
      literal += '%';
      i = at + 2;
      continue;
    }
    TOKEN.lastIndex = at;
    const m = TOKEN.exec(text);
    // In URLs (e-mail links) "%C3%A5" is a percent-encoded byte, not a placeholder named C3.
    if (!m || (opts.percentEncoding && m[2] === undefined && /^[0-9a-f]{2}$/i.test(m[1]))) {
      literal += '%';
      i = at + 1;
      continue;
    }
    const name = m[1].toUpperCase();
    if (!known.has(name)) {
      if (!unknown.includes(m[1])) unknown.push(m[1]);
    } else {
      if (literal) segments.push(literal);
      literal = '';
      segments.push({ name, fallback: m[2] ?? null });
      if (!placeholders.includes(name)) placeholders.push(name);
    }
    i = at + m[0].length;
  }
  if (unknown.length) return { ok: false, unknown };
  if (literal) segments.push(literal);
  return { ok: true, template: { source: text, segments, placeholders } };
}

/**
 * The text for one recipient: values are trimmed; an empty value becomes the fallback, or nothing.
 * `extra` gives values of further names (e-mail links); `escape` is applied to values only, since
 * literal text and fallbacks are the author's own (HTML source in an HTML part).
 */
export function renderTemplate(
  t: Template,
  values: { firstName?: string | null; lastName?: string | null },
  opts: { extra?: Record<string, string>; escape?: (value: string) => string } = {},
): string {
  const first = values.firstName?.trim() ?? '';
  const last = values.lastName?.trim() ?? '';
  const byName: Record<string, string> = {
    ...opts.extra,
    FIRST_NAME: first,
    LAST_NAME: last,
    NAME: [first, last].filter(Boolean).join(' '),
  };
  let out = '';
  for (const s of t.segments) {
    if (typeof s === 'string') out += s;
    else {
      const value = byName[s.name]?.trim();
      out += value ? (opts.escape ? opts.escape(value) : value) : (s.fallback ?? '');
    }
  }
  return out;
}
