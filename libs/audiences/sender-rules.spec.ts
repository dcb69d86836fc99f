import { normaliseSender } from './sender-rules';

describe('normaliseSender', () => {
  it.each([
    ['alphanumeric', 'Skolan', undefined, { value: 'Skolan', keyword: null }],
    ['alphanumeric', '  Skolan 2  ', undefined, { value: 'Skolan 2', keyword: null }],
    ['alphanumeric', 'ABCDEFGHIJK', undefined, { value: 'ABCDEFGHIJK', keyword: null }],
    ['short_code', '72080', 'skola', { value: '72080', keyword: 'SKOLA' }],
    ['short_code', '123', 'A1', { value: '123', keyword: 'A1' }],
    ['reply_number', '070-123 45 67', undefined, { value: '+46701234567', keyword: null }],
    ['reply_number', '+46 70 123 45 67', undefined, { value: '+46701234567', keyword: null }],
  ] as const)('%s %j (keyword %j) is kept as %j', (kind, value, keyword, expected) => {
    expect(normaliseSender({ kind, value, keyword }, 'SE')).toEqual({ ok: true, sender: { kind, ...expected } });
  });

  it.each([
    ['alphanumeric', 'ABCDEFGHIJKL', undefined, 'value', 'at most 11 characters'],
    ['alphanumeric', '12345', undefined, 'value', 'must contain at least one letter'],
    ['alphanumeric', 'Skolan!', undefined, 'value', 'only letters A–Z, digits and spaces'],
    ['alphanumeric', 'Skålan', undefined, 'value', 'only letters A–Z, digits and spaces'],
    ['alphanumeric', '   ', undefined, 'value', 'is required'],
    ['alphanumeric', 'Skolan', 'KW', 'keyword', 'only a short code has a keyword'],
    ['short_code', '72', 'KW', 'value', 'must be 3 to 8 digits'],
    ['short_code', '123456789', 'KW', 'value', 'must be 3 to 8 digits'],
    ['short_code', '72080', undefined, 'keyword', 'is required for a short code'],
    ['short_code', '72080', 'två ord', 'keyword', 'must be 1 to 20 letters A–Z or digits'],
    ['short_code', '72080', 'A'.repeat(21), 'keyword', 'must be 1 to 20 letters A–Z or digits'],
    ['reply_number', '12', undefined, 'value', 'must be a valid phone number (E.164)'],
    ['reply_number', 'Skolan', undefined, 'value', 'must be a valid phone number (E.164)'],
  ] as const)('%s %j (keyword %j) is refused on %s: %s', (kind, value, keyword, field, reason) => {
    expect(normaliseSender({ kind, value, keyword }, 'SE')).toEqual({ ok: false, errors: [{ field, reason }] });
  });

  it('reads a national reply number in the tenant default country', () => {
    expect(normaliseSender({ kind: 'reply_number', value: '06 12 34 56 78' }, 'FR')).toEqual({
      ok: true,
      sender: { kind: 'reply_number', value: '+33612345678', keyword: null },
    });
  });
});
