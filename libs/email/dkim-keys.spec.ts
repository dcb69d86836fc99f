import { createPublicKey } from 'node:crypto';
import { dkimSelector, dnsRecords, generateDkimKey, openPrivateKey, sealPrivateKey } from './dkim-keys';

describe('DKIM keys', () => {
  const key = generateDkimKey();
  const secret = 'd'.repeat(24);

  it('is an RSA-2048 pair whose public half is the base64 SPKI of the private key', () => {
    const pub = createPublicKey({ key: Buffer.from(key.publicKey, 'base64'), format: 'der', type: 'spki' });
    expect(pub.asymmetricKeyType).toBe('rsa');
    expect(pub.asymmetricKeyDetails?.modulusLength).toBe(2048);
    expect(createPublicKey(key.privateKey).export({ type: 'spki', format: 'der' }).toString('base64')).toBe(key.publicKey);
  });

  it('seals the private key so that only the same secret and domain open it', () => {
    const sealed = sealPrivateKey(secret, 'forening.se', key.privateKey);
    expect(sealed).toMatch(/^v1\.[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(sealed).not.toContain('PRIVATE KEY');
    expect(openPrivateKey(secret, 'Forening.se', sealed)).toBe(key.privateKey);
    expect(sealPrivateKey(secret, 'forening.se', key.privateKey)).not.toBe(sealed);
  });

  it.each([
    ['another secret', 'e'.repeat(24), 'forening.se', (s: string) => s],
    ['another domain', 'd'.repeat(24), 'other.se', (s: string) => s],
    ['a changed ciphertext', 'd'.repeat(24), 'forening.se', (s: string) => s.slice(0, -4) + (s.endsWith('AAAA') ? 'BBBB' : 'AAAA')],
    ['not a sealed key', 'd'.repeat(24), 'forening.se', () => 'plain'],
  ])('refuses to open with %s', (_name, s, domain, change) => {
    const sealed = sealPrivateKey(secret, 'forening.se', key.privateKey);
    expect(() => openPrivateKey(s, domain, change(sealed))).toThrow();
  });

  it('names the selector by month of creation', () => {
    expect(dkimSelector(new Date('2026-03-31T23:59:59Z'))).toBe('utskick202603');
    expect(dkimSelector(new Date('2026-12-01T00:00:00Z'))).toBe('utskick202612');
  });

  it('tells the SPF, DKIM and DMARC records to publish', () => {
    expect(dnsRecords('forening.se', 'utskick202603', 'PUB', '_spf.utskick.test')).toEqual([
      { purpose: 'spf', type: 'TXT', name: 'forening.se', value: 'v=spf1 include:_spf.utskick.test ~all' },
      { purpose: 'dkim', type: 'TXT', name: 'utskick202603._domainkey.forening.se', value: 'v=DKIM1; k=rsa; p=PUB' },
      { purpose: 'dmarc', type: 'TXT', name: '_dmarc.forening.se', value: 'v=DMARC1; p=none; rua=mailto:dmarc@forening.se' },
    ]);
  });
});
