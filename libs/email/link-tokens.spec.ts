import { linkToken, linkUrl, verifyLinkToken } from './link-tokens';

describe('link tokens', () => {
  const secret = 's'.repeat(24);
  const id = '01a2074a-1437-7b2b-ad15-9ab19afab6f8';

  it('verifies its own token and names the message', () => {
    expect(verifyLinkToken(secret, linkToken(secret, id))).toBe(id);
    expect(linkUrl('https://u.test/', secret, 'unsubscribe', id)).toBe(`https://u.test/u/${linkToken(secret, id)}`);
  });

  it.each([
    ['another secret', linkToken('t'.repeat(24), id)],
    ['another message with this signature', `01a2074a-1437-7b2b-ad15-9ab19afab6f9.${linkToken(secret, id).split('.')[1]}`],
    ['a truncated signature', linkToken(secret, id).slice(0, -1)],
    ['no signature', id],
    ['not a uuid', 'x.y'],
    ['undefined', undefined],
  ])('refuses %s', (_name, token) => {
    expect(verifyLinkToken(secret, token)).toBeNull();
  });
});
