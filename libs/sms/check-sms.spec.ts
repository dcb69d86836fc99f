import { characterCount, checkSmsText } from './check-sms';

const r = (s: string, n: number) => s.repeat(n);
const FOOTER = '\nSvara STOPP för att avsluta'; // 28 septets

describe('checkSmsText', () => {
  it.each([
    ['plain short text', { text: 'Hej', footer: '', textCap: null, maxParts: 10 }, { parts: 1, units: 3 }, []],
    ['footer counted in parts', { text: r('a', 150), footer: FOOTER, textCap: null, maxParts: 10 }, { parts: 2, units: 178 }, []],
    ['footer fits', { text: r('a', 132), footer: FOOTER, textCap: null, maxParts: 10 }, { parts: 1, units: 160 }, []],
    ['placeholders rendered with fallbacks for the sample', { text: 'Hej %FIRST_NAME|vän%', footer: '', textCap: null, maxParts: 10 }, { parts: 1, units: 7 }, []],
    ['placeholders without fallback rendered empty', { text: 'Hej %NAME%', footer: '', textCap: null, maxParts: 10 }, { parts: 1, units: 4 }, []],
    ['cap 149 accepts 149', { text: r('a', 149), footer: '', textCap: 149, maxParts: 10 }, { parts: 1 }, []],
    [
      'cap 149 refuses 150',
      { text: r('a', 150), footer: '', textCap: 149, maxParts: 10 },
      { parts: 1 },
      [{ field: 'text', reason: 'is 150 characters; this account allows at most 149 before the opt-out text' }],
    ],
    [
      'cap counts placeholders as written and emoji as one character',
      { text: '%FIRST_NAME%😀', footer: '', textCap: 12, maxParts: 10 },
      { parts: 1 },
      [{ field: 'text', reason: 'is 13 characters; this account allows at most 12 before the opt-out text' }],
    ],
    ['cap ignores the footer', { text: r('a', 10), footer: FOOTER, textCap: 10, maxParts: 10 }, { parts: 1 }, []],
    ['10 parts allowed', { text: r('a', 1530), footer: '', textCap: null, maxParts: 10 }, { parts: 10 }, []],
    [
      '11 parts refused',
      { text: r('a', 1531), footer: '', textCap: null, maxParts: 10 },
      { parts: 11 },
      [{ field: 'text', reason: 'would be 11 parts; at most 10 are allowed' }],
    ],
    [
      'footer pushes over the part limit',
      { text: r('a', 150), footer: FOOTER, textCap: null, maxParts: 1, field: 'sms.text' },
      { parts: 2 },
      [{ field: 'sms.text', reason: 'would be 2 parts; at most 1 are allowed' }],
    ],
    [
      'unknown placeholders named',
      { text: 'Hej %FOO% %bar%', footer: '', textCap: null, maxParts: 10, field: 'sms.text' },
      { parts: 1 },
      [
        { field: 'sms.text', reason: 'unknown placeholder %FOO%' },
        { field: 'sms.text', reason: 'unknown placeholder %bar%' },
      ],
    ],
    ['a non-GSM footer makes the whole text UCS-2', { text: 'Hej', footer: '\n’STOP’', textCap: null, maxParts: 10 }, { encoding: 'UCS-2', ucs2Characters: ['’'] }, []],
  ])('%s', (_name, input, analysis, problems) => {
    const out = checkSmsText(input);
    expect(out.analysis).toMatchObject(analysis);
    expect(out.problems).toEqual(problems);
  });

  it.each([
    ['', 0],
    ['abc', 3],
    ['😀😀', 2],
    ['åäö', 3],
  ])('characterCount(%j) = %d', (text, n) => {
    expect(characterCount(text)).toBe(n);
  });
});
