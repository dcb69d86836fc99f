import { checkEmailTemplates, escapeHtml, oneLine, renderEmail, RenderEmailInput, textToHtml } from './render-email';

const links = { unsubscribe: 'https://u.test/u/m1.sig', resubscribe: 'https://u.test/r/m1.sig' };
const sender = { name: 'Anna Berg', office: 'Kontoret i Göteborg', replyTo: 'anna@forening.se' };

function render(over: Omit<Partial<RenderEmailInput>, 'content'> & { content?: Partial<RenderEmailInput['content']> } = {}) {
  return renderEmail({
    links,
    contact: { firstName: 'Bo', lastName: 'Ek' },
    tenantName: 'Föreningen',
    ...over,
    content: { subject: 'Hej %FIRST_NAME%', text: 'Hej %NAME%!', sender, ...over.content },
  });
}

const count = (s: string, sub: string) => s.split(sub).length - 1;

describe('renderEmail', () => {
  it.each([
    ['first name in the subject', { subject: 'Hej %FIRST_NAME%' }, {}, 'Hej Bo'],
    ['a fallback for a missing name', { subject: 'Hej %FIRST_NAME|medlem%' }, { firstName: null }, 'Hej medlem'],
    ['a literal percent', { subject: '100%% %LAST_NAME%' }, {}, '100% Ek'],
    ['CR/LF in the subject becomes spaces', { subject: 'Hej\r\nBcc: x@evil' }, {}, 'Hej Bcc: x@evil'],
    ['CR/LF from a contact name becomes spaces', { subject: 'Hej %FIRST_NAME%' }, { firstName: 'Bo\r\nBcc: x@evil' }, 'Hej Bo Bcc: x@evil'],
  ])('subject: %s', (_name, content, contact, subject) => {
    expect(render({ content, contact: { firstName: 'Bo', lastName: 'Ek', ...contact } }).subject).toBe(subject);
  });

  it('renders placeholders in the text part as written', () => {
    expect(render({ content: { text: 'Hej %NAME%, %LAST_NAME|x%.' } }).text.split('\n')[0]).toBe('Hej Bo Ek, Ek.');
  });

  it('escapes contact data in the HTML part, never the author HTML', () => {
    const r = render({ contact: { firstName: '<b>', lastName: '"&' }, content: { html: '<p><strong>Hej %FIRST_NAME% %LAST_NAME%</strong></p>' } });
    expect(r.html).toContain('<p><strong>Hej &lt;b&gt; &quot;&amp;</strong></p>');
    expect(r.html).not.toContain('<b>');
    expect(r.text.startsWith('Hej <b> "&!')).toBe(true);
  });

  it('escapes the plain text when it becomes the HTML part, and makes its links clickable', () => {
    const r = render({ contact: { firstName: '<b>', lastName: null }, content: { text: 'Hej %FIRST_NAME%\nLäs mer: https://x.test/a?b=1&c=2\n\nNytt stycke' } });
    expect(r.html).toContain('<p>Hej &lt;b&gt;<br>\nLäs mer: <a href="https://x.test/a?b=1&amp;c=2">https://x.test/a?b=1&amp;c=2</a></p>');
    expect(r.html).toContain('<p>Nytt stycke</p>');
    expect(r.html).not.toContain('<b>');
    expect(r.html).toMatch(/^<!doctype html>\n<html lang="sv">/);
  });

  it('puts the campaign text and HTML at #CUSTOMTEXT# of the layout, with layout placeholders rendered', () => {
    const layout = { text: 'FÖRENINGEN\n#CUSTOMTEXT#\nHälsningar till %FIRST_NAME%', html: '<html><body><header>Logo %FIRST_NAME%</header>#CUSTOMTEXT#<footer>Adress</footer></body></html>' };
    const r = render({ layout, contact: { firstName: '<i>', lastName: null }, content: { text: 'Text %FIRST_NAME%', html: '<p>Html %FIRST_NAME%</p>' } });
    expect(r.text.startsWith('FÖRENINGEN\nText <i>\nHälsningar till <i>')).toBe(true);
    expect(r.html).toMatch(/^<html><body><header>Logo &lt;i&gt;<\/header><p>Html &lt;i&gt;<\/p><footer>Adress<\/footer><div class="utskick-footer"[\s\S]*<\/div>\n<\/body><\/html>$/);
  });

  it('uses the text (escaped) in a layout that has only HTML, and a layout text around the text only', () => {
    const onlyHtml = render({ layout: { html: '<div>#CUSTOMTEXT#</div>', text: null }, contact: { firstName: '<b>', lastName: null } });
    expect(onlyHtml.html).toContain('<div><p>Hej &lt;b&gt;!</p></div>');
    expect(onlyHtml.text.startsWith('Hej <b>!')).toBe(true);
    const onlyText = render({ layout: { html: null, text: '>> #CUSTOMTEXT# <<' } });
    expect(onlyText.text.startsWith('>> Hej Bo Ek! <<')).toBe(true);
    expect(onlyText.html).toContain('<p>Hej Bo Ek!</p>');
  });

  it('says in both parts who sent it and from which office, with visible unsubscribe and re-subscribe links', () => {
    const r = render();
    expect(r.text).toContain('Skickat av Anna Berg, Kontoret i Göteborg (Föreningen).');
    expect(r.text).toContain(`Avregistrera dig: ${links.unsubscribe}`);
    expect(r.text).toContain(`Prenumerera igen: ${links.resubscribe}`);
    expect(r.html).toContain('<p>Skickat av Anna Berg, Kontoret i Göteborg (Föreningen).</p>');
    expect(r.html).toContain(`<a href="${links.unsubscribe}">Avregistrera dig</a>`);
    expect(r.html).toContain(`<a href="${links.resubscribe}">Prenumerera igen</a>`);
  });

  it('footer in English, and escaped sender data in HTML', () => {
    const r = render({ locale: 'en', content: { sender: { name: '<script>', office: 'HQ', replyTo: 'a@b.test' } } });
    expect(r.text).toContain('Sent by <script>, HQ (Föreningen).');
    expect(r.html).toContain('<p>Sent by &lt;script&gt;, HQ (Föreningen).</p>');
    expect(r.html).toContain('>Unsubscribe</a>');
  });

  it('does not add the unsubscribe link twice when the text already placed it', () => {
    const r = render({ content: { text: 'Avsluta: %UNSUBSCRIBE_URL%' } });
    expect(count(r.text, links.unsubscribe)).toBe(1);
    expect(count(r.text, links.resubscribe)).toBe(1);
    expect(count(r.html, `href="${links.unsubscribe}"`)).toBe(1);
    const html = render({ content: { text: 'x', html: '<a href="%UNSUBSCRIBE_URL%">Sluta</a> <a href="%RESUBSCRIBE_URL%">Igen</a>' } });
    expect(count(html.html, links.unsubscribe)).toBe(1);
    expect(count(html.html, links.resubscribe)).toBe(1);
    // The text part did not place them: its footer does.
    expect(count(html.text, links.unsubscribe)).toBe(1);
  });

  it('transactional mail (no links) has no unsubscribe links, and its placeholders render their fallback', () => {
    const r = render({ links: null, content: { text: 'Kvitto. %UNSUBSCRIBE_URL|%' } });
    expect(r.text).not.toMatch(/Avregistrera|https:/);
    expect(r.html).not.toMatch(/Avregistrera|https:\/\/u\.test/);
    expect(r.text).toContain('Skickat av Anna Berg');
  });

  it('a campaign without a sender is signed by the tenant', () => {
    expect(render({ content: { sender: null } }).text).toContain('Skickat av Föreningen.');
  });

  it('a confirmation request renders its confirm link; other mail cannot hold one', () => {
    const r = render({ confirmUrl: 'https://u.test/c/m1.sig', content: { kind: 'confirmation', text: 'Bekräfta: %CONFIRM_URL%' } });
    expect(r.text).toContain('Bekräfta: https://u.test/c/m1.sig');
    expect(() => render({ confirmUrl: 'https://u.test/c/m1.sig', content: { text: 'Bekräfta: %CONFIRM_URL%' } })).toThrow(/CONFIRM_URL/);
  });

  it('keeps percent-encoded URLs in HTML as written', () => {
    expect(render({ content: { html: '<a href="https://x.test/s%C3%A5">x</a>' } }).html).toContain('https://x.test/s%C3%A5');
  });
});

describe('checkEmailTemplates', () => {
  it.each([
    ['known placeholders', 'Hej %NAME% %UNSUBSCRIBE_URL% %RESUBSCRIBE_URL|x% %first_name%', []],
    ['an unknown one, named', 'Hej %FORNAMN%', [{ field: 'email.text', reason: 'unknown placeholder %FORNAMN%' }]],
    ['the confirm link outside a confirmation request', '%CONFIRM_URL%', [{ field: 'email.text', reason: 'unknown placeholder %CONFIRM_URL%' }]],
  ])('%s', (_name, source, errors) => {
    expect(checkEmailTemplates([{ field: 'email.text', source }, { field: 'email.html', source: undefined }])).toEqual(errors);
  });
});

describe('helpers', () => {
  it.each([
    ['a\r\nb', 'a b'],
    ['a\rb\nc', 'a b c'],
    ['a\n\nb', 'a  b'],
  ])('oneLine(%j)', (input, out) => expect(oneLine(input)).toBe(out));

  it('escapeHtml and textToHtml', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
    expect(textToHtml('a\r\nb\n\n\nc')).toBe('<p>a<br>\nb</p>\n<p>c</p>');
  });
});
