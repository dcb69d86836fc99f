export type PageLang = 'sv' | 'en';

/**
 * The language of a recipient page: `?lang=` when it names one we have, else the best of sv / en in
 * Accept-Language (RFC 9110 q-values, first listed wins a tie), else the tenant's (French mail
 * gets English pages), else Swedish.
 */
export function pageLanguage(query: unknown, acceptLanguage: string | undefined, tenantLocale?: string): PageLang {
  if (query === 'sv' || query === 'en') return query;
  let best: PageLang | null = null;
  let bestQ = 0;
  for (const range of (acceptLanguage ?? '').split(',')) {
    const [tag, ...params] = range.split(';');
    const primary = tag.trim().toLowerCase().split('-')[0];
    if (primary !== 'sv' && primary !== 'en') continue;
    let q = 1;
    for (const p of params) {
      const m = /^\s*q\s*=\s*(0(?:\.\d{0,3})?|1(?:\.0{0,3})?)\s*$/i.exec(p);
      if (m) q = Number(m[1]);
      else if (/^\s*q\s*=/i.test(p)) q = 0; // a malformed weight counts as "not acceptable"
    }
    if (q > bestQ) {
      best = primary;
      bestQ = q;
    }
  }
  if (best) return best;
  if (tenantLocale === undefined) return 'sv';
  return tenantLocale === 'sv' ? 'sv' : 'en';
}
