import { createHash } from 'node:crypto';
import type { PageLang } from './language';

/** HTML-escaped text. Everything a page shows passes through here or through `fill`. */
export function esc(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** A sentence with {name} slots: the sentence escaped, each value escaped and emphasised. */
export function fill(sentence: string, values: Record<string, string>): string {
  return esc(sentence).replace(/\{(\w+)\}/g, (slot, name: string) => (name in values ? `<strong>${esc(values[name])}</strong>` : slot));
}

// Contrast (WCAG AA and better): text #1b1b1b and links/buttons #0b4f9c on white ≥ 7:1; the focus ring #b34700 ≥ 4.5:1.
const STYLE = [
  ':root{color-scheme:light}',
  'body{margin:0;font:1.125rem/1.55 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;color:#1b1b1b;background:#fff}',
  'header,main{box-sizing:border-box;max-width:38rem;margin:0 auto;padding:1rem 1.25rem}',
  'header{text-align:right}',
  'h1{font-size:1.65rem;line-height:1.25;margin:1.5rem 0 1rem}',
  'a{color:#0b4f9c;text-underline-offset:.15em}',
  'form{margin:1.5rem 0}',
  'button{font:inherit;font-weight:600;color:#fff;background:#0b4f9c;border:2px solid #0b4f9c;border-radius:.4rem;padding:.6rem 1.25rem;min-height:2.75rem;cursor:pointer}',
  'button:hover{background:#083b75;border-color:#083b75}',
  'a:focus-visible,button:focus-visible{outline:3px solid #b34700;outline-offset:3px}',
  '.note{color:#3d3d3d;font-size:1rem}',
].join('\n');

/** Served with every page: nothing runs, nothing loads, the page's own form posts only to us, no framing, no referrer (the URL holds a token). */
export const PAGE_HEADERS: Record<string, string> = {
  'Content-Security-Policy': `default-src 'none'; style-src 'sha256-${createHash('sha256').update(STYLE).digest('base64')}'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'`,
  'Cache-Control': 'no-store',
  'Referrer-Policy': 'no-referrer',
  'X-Content-Type-Options': 'nosniff',
  'X-Robots-Tag': 'noindex, nofollow',
  Vary: 'Accept-Language',
};

export interface PageView {
  lang: PageLang;
  heading: string;
  /** Paragraphs as HTML built with `esc` / `fill`. */
  paragraphs: string[];
  form?: { action: string; button: string; lead?: string };
  /** A smaller closing line (HTML). */
  note?: string;
  /** The other language's switch link. */
  other: { lang: PageLang; name: string; navLabel: string };
}

/** The one page template: a language switch, one h1, text, at most one form with one labelled button. No script. */
export function renderPage(v: PageView): string {
  const form = v.form
    ? `${v.form.lead ? `<p>${v.form.lead}</p>\n` : ''}<form method="post" action="${esc(v.form.action)}">\n<button type="submit">${esc(v.form.button)}</button>\n</form>\n`
    : '';
  return (
    `<!doctype html>\n<html lang="${v.lang}">\n<head>\n<meta charset="utf-8">\n` +
    `<meta name="viewport" content="width=device-width, initial-scale=1">\n<meta name="robots" content="noindex, nofollow">\n` +
    `<meta name="referrer" content="no-referrer">\n<title>${esc(v.heading)}</title>\n<style>${STYLE}</style>\n</head>\n<body>\n` +
    `<header>\n<nav aria-label="${esc(v.other.navLabel)}"><a href="?lang=${v.other.lang}" hreflang="${v.other.lang}" lang="${v.other.lang}">${esc(v.other.name)}</a></nav>\n</header>\n` +
    `<main>\n<h1>${esc(v.heading)}</h1>\n${v.paragraphs.map((p) => `<p>${p}</p>\n`).join('')}${form}${v.note ? `<p class="note">${v.note}</p>\n` : ''}</main>\n</body>\n</html>\n`
  );
}
