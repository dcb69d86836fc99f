import { normaliseEmail, normalisePhone } from './phone';

describe('normalisePhone', () => {
  it.each([
    ['070-123 45 67', '+46701234567', 'MOBILE'],
    ['+46 70 123 45 67', '+46701234567', 'MOBILE'],
    ['08-123 456 78', '+46812345678', 'FIXED_LINE'],
    ['12', null, 'INVALID'],
    ['', null, null],
  ])('%s → %s (%s)', (raw, e164, type) => {
    expect(normalisePhone(raw)).toEqual({ e164, type });
  });
});

describe('normaliseEmail', () => {
  it('lower-cases and trims, empty is null', () => {
    expect(normaliseEmail('  Anna@Example.COM ')).toBe('anna@example.com');
    expect(normaliseEmail('  ')).toBeNull();
  });
});
