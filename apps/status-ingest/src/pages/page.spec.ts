import { createHash } from 'node:crypto';
import { fill, PAGE_HEADERS, renderPage } from './page';

describe('recipient page template', () => {
  it.each([
    ['plain values', 'Hej {address}!', { address: 'a@b.se' }, 'Hej <strong>a@b.se</strong>!'],
    ['markup in a value', '{tenant} skickar', { tenant: '<b>Klubb</b> & "vänner"' }, '<strong>&lt;b&gt;Klubb&lt;/b&gt; &amp; &quot;vänner&quot;</strong> skickar'],
    ['markup in the sentence', 'a < b & {x}', { x: "'" }, 'a &lt; b &amp; <strong>&#39;</strong>'],
    ['a slot with no value stays literal', '{tenant} och {okänd}', { tenant: 'T' }, '<strong>T</strong> och {okänd}'],
    ['a value that looks like a slot is not filled again', '{a} {b}', { a: '{b}', b: 'x' }, '<strong>{b}</strong> <strong>x</strong>'],
  ])('fill: %s', (_name, sentence, values, html) => {
    expect(fill(sentence, values)).toBe(html);
  });

  const page = renderPage({
    lang: 'sv',
    heading: 'Avsluta <prenumerationen>',
    paragraphs: ['text'],
    form: { action: '../u/abc.def?lang=sv', button: 'Avsluta & sluta' },
    other: { lang: 'en', name: 'English', navLabel: 'Språk' },
  });

  it('has the language, one h1, a labelled button in a post form, and no script', () => {
    expect(page).toMatch(/^<!doctype html>\n<html lang="sv">/);
    expect(page.match(/<h1>/g)).toHaveLength(1);
    expect(page).toContain('<h1>Avsluta &lt;prenumerationen&gt;</h1>');
    expect(page).toContain('<form method="post" action="../u/abc.def?lang=sv">\n<button type="submit">Avsluta &amp; sluta</button>');
    expect(page).toContain('<nav aria-label="Språk"><a href="?lang=en" hreflang="en" lang="en">English</a></nav>');
    expect(page).not.toMatch(/<script|<table|\son[a-z]+=/i);
  });

  it('allows exactly its own inline style by hash, and nothing else', () => {
    const style = /<style>([\s\S]*?)<\/style>/.exec(page)![1];
    const hash = createHash('sha256').update(style).digest('base64');
    expect(PAGE_HEADERS['Content-Security-Policy']).toBe(`default-src 'none'; style-src 'sha256-${hash}'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'`);
  });
});
