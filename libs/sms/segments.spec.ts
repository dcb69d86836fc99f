import { analyzeSms, normaliseForGsm, splitSms } from './segments';

const r = (s: string, n: number) => s.repeat(n);
const units16 = (s: string) => s.length;
const septetsOf = (s: string) => [...s].reduce((n, ch) => n + ('^{}\\[~]|€\f'.includes(ch) ? 2 : 1), 0);

describe('analyzeSms', () => {
  it.each([
    ['empty text is one part of nothing', '', 'GSM-7', 0, 1],
    ['"a"×160 fits one part', r('a', 160), 'GSM-7', 160, 1],
    ['"a"×161 needs two', r('a', 161), 'GSM-7', 161, 2],
    ['"a"×306 is exactly two concatenated parts', r('a', 306), 'GSM-7', 306, 2],
    ['"a"×307 needs three', r('a', 307), 'GSM-7', 307, 3],
    ['"a"×159+"€" is 161 septets → 2', r('a', 159) + '€', 'GSM-7', 161, 2],
    ['"a"×158+"€" is 160 septets → 1', r('a', 158) + '€', 'GSM-7', 160, 1],
    ['"€"×80 is 160 septets → 1', r('€', 80), 'GSM-7', 160, 1],
    ['"€"×81 is 162 septets → 2', r('€', 81), 'GSM-7', 162, 2],
    ['form feed costs two septets', r('a', 159) + '\f', 'GSM-7', 161, 2],
    ['each extension character costs two', '^{}\\[~]|€', 'GSM-7', 18, 1],
    ['70 Swedish letters stay GSM-7', r('åäöÅÄÖé', 10), 'GSM-7', 70, 1],
    ['160 Swedish letters stay in one part', r('åäöÅ', 40), 'GSM-7', 160, 1],
    ['basic Latin extras are GSM-7', 'ÉüÜÑñØøÆæßÇèùìòà¤§¡¿£¥$@_', 'GSM-7', 25, 1],
    ['all ten Greek capitals are GSM-7', 'ΔΦΓΛΩΠΨΣΘΞ', 'GSM-7', 10, 1],
    ['LF, CR and space are GSM-7', 'a\nb\rc d', 'GSM-7', 7, 1],
    ['"Ç" is GSM-7', 'Ç', 'GSM-7', 1, 1],
    ['"ç" is UCS-2', 'ç', 'UCS-2', 1, 1],
    ['Greek capital alpha U+0391 is UCS-2', '\u0391', 'UCS-2', 1, 1],
    ['"ê"×70 fits one UCS-2 part', r('ê', 70), 'UCS-2', 70, 1],
    ['"ê"×71 needs two (67+4)', r('ê', 71), 'UCS-2', 71, 2],
    ['"ê"×134 is exactly two parts', r('ê', 134), 'UCS-2', 134, 2],
    ['"ê"×135 needs three', r('ê', 135), 'UCS-2', 135, 3],
    ['"😀"+"a"×68 is 70 units → 1', '😀' + r('a', 68), 'UCS-2', 70, 1],
    ['"😀"+"a"×69 is 71 units → 2', '😀' + r('a', 69), 'UCS-2', 71, 2],
    ['"ê"×66+"😀"+"ê"×5 → 2, the pair not split', r('ê', 66) + '😀' + r('ê', 5), 'UCS-2', 73, 2],
    ['one non-GSM character makes a long GSM text UCS-2', r('a', 100) + '’', 'UCS-2', 101, 2],
  ])('%s', (_name, text, encoding, units, parts) => {
    expect(analyzeSms(text)).toMatchObject({ encoding, units, parts });
    expect(splitSms(text)).toHaveLength(parts);
  });

  it.each([
    ['other Greek letters', 'αβΑΒ', ['α', 'β', 'Α', 'Β']],
    ['French and Spanish accents', 'ça ê á í ó ú', ['ç', 'ê', 'á', 'í', 'ó', 'ú']],
    ['typographic quotes, dashes, ellipsis and no-break space', 'Hej ’du’ “x” – …\u00a0', ['’', '“', '”', '–', '…', '\u00a0']],
    ['an emoji once, however often it appears', 'a😀b😀', ['😀']],
    ['nothing for pure GSM', 'Hej på dig! {€}', []],
  ])('ucs2Characters lists %s, distinct in order', (_name, text, chars) => {
    expect(analyzeSms(text).ucs2Characters).toEqual(chars);
  });
});

describe('splitSms', () => {
  it('keeps a part ≤160 septets whole', () => {
    expect(splitSms(r('a', 160))).toEqual([r('a', 160)]);
  });

  it('splits GSM-7 at 153 septets', () => {
    expect(splitSms(r('a', 161)).map((p) => p.length)).toEqual([153, 8]);
  });

  it('never splits an escape pair: "a"×152+"€" keeps "€" whole in the next part', () => {
    const parts = splitSms(r('a', 152) + '€' + r('a', 10));
    expect(parts).toEqual([r('a', 152), '€' + r('a', 10)]);
    expect(parts.map(septetsOf)).toEqual([152, 12]);
  });

  it('splits UCS-2 at 67 code units: "ê"×71 → 67 + 4', () => {
    expect(splitSms(r('ê', 71)).map(units16)).toEqual([67, 4]);
  });

  it('never splits a surrogate pair: the first part then holds 66 units', () => {
    const parts = splitSms(r('ê', 66) + '😀' + r('ê', 5));
    expect(parts).toEqual([r('ê', 66), '😀' + r('ê', 5)]);
    expect(parts.map(units16)).toEqual([66, 7]);
  });

  it('joins back to the original text', () => {
    const text = r('åä€😀ê', 50);
    expect(splitSms(text).join('')).toBe(text);
    expect(splitSms(r('{a', 200)).join('')).toBe(r('{a', 200));
  });

  it('no GSM-7 part exceeds 153 septets and no UCS-2 part 67 units', () => {
    for (const p of splitSms(r('a€', 300))) expect(septetsOf(p)).toBeLessThanOrEqual(153);
    for (const p of splitSms(r('😀ê', 300))) expect(units16(p)).toBeLessThanOrEqual(67);
  });
});

describe('normaliseForGsm', () => {
  it.each([
    ['curly single quotes', 'Hej ’du‘', "Hej 'du'", [{ from: '’', to: "'", count: 1 }, { from: '‘', to: "'", count: 1 }]],
    ['curly double quotes', '“a” „b”', '"a" "b"', [{ from: '“', to: '"', count: 1 }, { from: '”', to: '"', count: 2 }, { from: '„', to: '"', count: 1 }]],
    ['dashes', 'a – b — c', 'a - b - c', [{ from: '–', to: '-', count: 1 }, { from: '—', to: '-', count: 1 }]],
    ['ellipsis', 'vänta…', 'vänta...', [{ from: '…', to: '...', count: 1 }]],
    ['no-break space', '10\u00a0kr', '10 kr', [{ from: '\u00a0', to: ' ', count: 1 }]],
    ['nothing to replace', 'Hej på dig', 'Hej på dig', []],
    ['leaves other non-GSM characters alone', 'ça ’', "ça '", [{ from: '’', to: "'", count: 1 }]],
  ])('%s', (_name, text, out, replacements) => {
    expect(normaliseForGsm(text)).toEqual({ text: out, replacements });
  });

  it('turns a typographic text into GSM-7', () => {
    const text = 'Hej ’du’ – välkommen…';
    expect(analyzeSms(text).encoding).toBe('UCS-2');
    expect(analyzeSms(normaliseForGsm(text).text).encoding).toBe('GSM-7');
  });
});
