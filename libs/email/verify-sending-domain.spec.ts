import { checkDkimRecord, dkimPublicKeyOf } from './verify-sending-domain';

describe('dkimPublicKeyOf', () => {
  it.each([
    ['v=DKIM1; k=rsa; p=ABC', 'ABC'],
    ['v=DKIM1;k=rsa;p=AB C\t D', 'ABCD'],
    [' p = ABC ', ' ABC '.replace(/\s+/g, '')],
    ['v=DKIM1; p=', ''],
    ['v=DKIM1; k=rsa', null],
    ['v=spf1 -all', null],
    ['v=DKIM1; pp=ABC', null],
  ])('%j → %j', (record, key) => {
    expect(dkimPublicKeyOf(record)).toBe(key);
  });
});

describe('checkDkimRecord', () => {
  it.each([
    ['the key in one string', [['v=DKIM1; k=rsa; p=KEY']], { result: 'match' }],
    ['the key split over character-strings', [['v=DKIM1; k=rsa; p=K', 'EY']], { result: 'match' }],
    ['the key beside other records', [['v=spf1 -all'], ['v=DKIM1; p=OLD'], ['v=DKIM1; p=KEY']], { result: 'match' }],
    ['no records', [], { result: 'missing', found: [] }],
    ['records without p=', [['v=spf1 -all']], { result: 'missing', found: ['v=spf1 -all'] }],
    ['another key', [['v=DKIM1; p=OTHER']], { result: 'mismatch', found: ['v=DKIM1; p=OTHER'] }],
    ['a revoked key (empty p=)', [['v=DKIM1; p=']], { result: 'mismatch', found: ['v=DKIM1; p='] }],
    ['the key as a prefix only', [['v=DKIM1; p=KEYX']], { result: 'mismatch', found: ['v=DKIM1; p=KEYX'] }],
  ])('%s', (_name, records, out) => {
    expect(checkDkimRecord(records, 'KEY')).toEqual(out);
  });
});
