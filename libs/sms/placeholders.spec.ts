import { parseTemplate, renderTemplate, SMS_PLACEHOLDERS, Template } from './placeholders';

function parse(text: string): Template {
  const r = parseTemplate(text);
  if (!r.ok) throw new Error(`unexpected unknown ${r.unknown.join(',')}`);
  return r.template;
}

describe('parseTemplate', () => {
  it.each([
    ['plain text', 'Hej!', ['Hej!'], []],
    ['one placeholder', 'Hej %FIRST_NAME%!', ['Hej ', { name: 'FIRST_NAME', fallback: null }, '!'], ['FIRST_NAME']],
    ['a fallback', 'Hej %FIRST_NAME|vän%', ['Hej ', { name: 'FIRST_NAME', fallback: 'vän' }], ['FIRST_NAME']],
    ['an empty fallback', '%NAME|%', [{ name: 'NAME', fallback: '' }], ['NAME']],
    ['names in any case, canonical upper-case', '%first_name% %Last_Name%', [{ name: 'FIRST_NAME', fallback: null }, ' ', { name: 'LAST_NAME', fallback: null }], ['FIRST_NAME', 'LAST_NAME']],
    ['"%%" is a literal percent', '100%% säkert', ['100% säkert'], []],
    ['a lone percent is literal', '50% off, 20% more', ['50% off, 20% more'], []],
    ['a percent before a token', '20% %NAME%', ['20% ', { name: 'NAME', fallback: null }], ['NAME']],
    ['"%%NAME%" is a literal percent then literal text', '%%NAME%', ['%NAME%'], []],
    ['a percent at the end', 'rabatt 10%', ['rabatt 10%'], []],
    ['a fallback cannot span a newline', '%NAME|a\nb%', ['%NAME|a\nb%'], []],
    ['a token name cannot start with a digit', '%1X%', ['%1X%'], []],
    ['repeated placeholders are listed once', '%NAME% %NAME%', [{ name: 'NAME', fallback: null }, ' ', { name: 'NAME', fallback: null }], ['NAME']],
  ])('%s', (_name, text, segments, placeholders) => {
    expect(parse(text)).toEqual({ source: text, segments, placeholders });
  });

  it.each([
    ['an unknown name', 'Hej %FOO%', ['FOO']],
    ['each unknown name once, as written', '%foo% %BAR|x% %foo% %NAME%', ['foo', 'BAR']],
    ['a near miss', '%FIRSTNAME%', ['FIRSTNAME']],
    ['a name with letters outside A–Z', 'Hej %FÖRNAMN%!', ['FÖRNAMN']],
    ['a lower-case non-ASCII name with a fallback', 'Hej %förnamn|vän%!', ['förnamn']],
  ])('refuses %s', (_name, text, unknown) => {
    expect(parseTemplate(text)).toEqual({ ok: false, unknown });
  });

  it('accepts only the names allowed', () => {
    expect(parseTemplate('%CODE%', ['CODE'])).toMatchObject({ ok: true });
    expect(parseTemplate('%NAME%', ['CODE'])).toEqual({ ok: false, unknown: ['NAME'] });
    expect(SMS_PLACEHOLDERS).toEqual(['FIRST_NAME', 'LAST_NAME', 'NAME']);
  });
});

describe('renderTemplate', () => {
  it.each([
    ['first name', 'Hej %FIRST_NAME%!', { firstName: 'Anna' }, 'Hej Anna!'],
    ['trimmed values', 'Hej %FIRST_NAME%!', { firstName: '  Anna ' }, 'Hej Anna!'],
    ['fallback for a missing value', 'Hej %FIRST_NAME|vän%!', {}, 'Hej vän!'],
    ['fallback for a blank value', 'Hej %FIRST_NAME|vän%!', { firstName: '   ' }, 'Hej vän!'],
    ['fallback for null', 'Hej %FIRST_NAME|vän%!', { firstName: null }, 'Hej vän!'],
    ['nothing without a fallback', 'Hej %FIRST_NAME%!', {}, 'Hej !'],
    ['value wins over fallback', 'Hej %FIRST_NAME|vän%!', { firstName: 'Bo' }, 'Hej Bo!'],
    ['full name', '%NAME%', { firstName: 'Anna', lastName: 'Berg' }, 'Anna Berg'],
    ['name with only a last name', '%NAME%', { lastName: ' Berg ' }, 'Berg'],
    ['name with only a first name', '%NAME%', { firstName: 'Anna', lastName: '' }, 'Anna'],
    ['name fallback', '%NAME|kund%', { firstName: ' ', lastName: null }, 'kund'],
    ['last name', '%last_name%', { lastName: 'Berg' }, 'Berg'],
    ['literal percents survive', '%% %NAME% 50%', { firstName: 'A' }, '% A 50%'],
  ])('%s', (_name, text, values, out) => {
    expect(renderTemplate(parse(text), values)).toBe(out);
  });

  it('renders extra names and escapes values, never literal text or fallbacks', () => {
    const r = parseTemplate('<p>%FIRST_NAME|<i>vän</i>% %LINK% %LAST_NAME%</p>', ['FIRST_NAME', 'LAST_NAME', 'LINK']);
    if (!r.ok) throw new Error('unexpected unknown');
    const escape = (v: string) => v.replace(/</g, '&lt;').replace(/>/g, '&gt;');
    expect(renderTemplate(r.template, { lastName: '<b>' }, { extra: { LINK: 'https://x.test/u/1' }, escape })).toBe(
      '<p><i>vän</i> https://x.test/u/1 &lt;b&gt;</p>',
    );
    // An extra value cannot replace a contact's name.
    expect(renderTemplate(r.template, { firstName: 'Bo' }, { extra: { FIRST_NAME: 'Eve' } })).toBe('<p>Bo  </p>');
  });
});

describe('parseTemplate with percent-encoding', () => {
  it.each([
    ['a percent-encoded URL stays literal', 'https://x.test/?q=%C3%A5%C3%B6', true],
    ['without the option it names a placeholder C3', 'https://x.test/?q=%C3%A5%C3%B6', false],
  ])('%s', (_name, text, percentEncoding) => {
    const r = parseTemplate(text, ['NAME'], { percentEncoding });
    if (percentEncoding) expect(r).toEqual({ ok: true, template: { source: text, segments: [text], placeholders: [] } });
    else expect(r).toEqual({ ok: false, unknown: ['C3'] });
  });

  it('still refuses a real unknown name and accepts a hex pair with a fallback as a placeholder', () => {
    expect(parseTemplate('%FOO% %C3%', ['NAME'], { percentEncoding: true })).toEqual({ ok: false, unknown: ['FOO'] });
    expect(parseTemplate('%AB|x%', ['NAME'], { percentEncoding: true })).toEqual({ ok: false, unknown: ['AB'] });
  });
});
