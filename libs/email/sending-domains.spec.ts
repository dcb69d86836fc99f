import { createSendingDomainSchema } from './sending-domains';

describe('createSendingDomainSchema', () => {
  it.each([
    ['forening.se', 'forening.se'],
    ['  Mail.Forening.SE. ', 'mail.forening.se'],
    ['bücher.de', 'xn--bcher-kva.de'],
  ])('accepts %j as %j', (domain, out) => {
    expect(createSendingDomainSchema.parse({ domain })).toEqual({ domain: out });
  });

  it.each([['localhost'], ['forening'], ['a b.se'], ['-x.se'], ['x.se\r\nBcc: y'], ['1.2.3.4'], ['x..se'], ['_dmarc.x.se'], ['']])('refuses %j', (domain) => {
    expect(createSendingDomainSchema.safeParse({ domain }).success).toBe(false);
  });
});
