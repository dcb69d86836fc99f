import { createCipheriv, createDecipheriv, createHash, generateKeyPairSync, randomBytes } from 'node:crypto';

/** A new RSA-2048 DKIM key: the public key as the base64 SPKI a DKIM record's p= holds, the private key as PEM. */
export function generateDkimKey(): { publicKey: string; privateKey: string } {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'der' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  return { publicKey: publicKey.toString('base64'), privateKey };
}

/** A selector per month of creation, so a rotated key can be published beside the old one. */
export function dkimSelector(now = new Date()): string {
  return `utskick${now.getUTCFullYear()}${String(now.getUTCMonth() + 1).padStart(2, '0')}`;
}

function keyOf(secret: string): Buffer {
  return createHash('sha256').update(secret).digest();
}

/**
 * AES-256-GCM under sha256(DOMAIN_KEY_SECRET), bound to its domain (additional data): a row's key
 * copied onto another domain does not decrypt. Format `v1.<iv>.<tag>.<ciphertext>`, base64url.
 */
export function sealPrivateKey(secret: string, domain: string, privateKey: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', keyOf(secret), iv);
  cipher.setAAD(Buffer.from(domain.toLowerCase()));
  const ct = Buffer.concat([cipher.update(privateKey, 'utf8'), cipher.final()]);
  return ['v1', iv, cipher.getAuthTag(), ct].map((p) => (typeof p === 'string' ? p : p.toString('base64url'))).join('.');
}

/** The private key; throws when the secret, the domain or the text is not what sealed it. */
export function openPrivateKey(secret: string, domain: string, sealed: string): string {
  const [v, iv, tag, ct] = sealed.split('.');
  if (v !== 'v1' || !iv || !tag || ct === undefined) throw new Error('not a sealed DKIM key');
  const decipher = createDecipheriv('aes-256-gcm', keyOf(secret), Buffer.from(iv, 'base64url'));
  decipher.setAAD(Buffer.from(domain.toLowerCase()));
  decipher.setAuthTag(Buffer.from(tag, 'base64url'));
  return Buffer.concat([decipher.update(Buffer.from(ct, 'base64url')), decipher.final()]).toString('utf8');
}

export interface DnsRecord {
  purpose: 'spf' | 'dkim' | 'dmarc';
  type: 'TXT';
  name: string;
  value: string;
}

/** The TXT records a tenant publishes for its sending domain. */
export function dnsRecords(domain: string, selector: string, publicKey: string, spfInclude: string): DnsRecord[] {
  return [
    { purpose: 'spf', type: 'TXT', name: domain, value: `v=spf1 include:${spfInclude} ~all` },
    { purpose: 'dkim', type: 'TXT', name: `${selector}._domainkey.${domain}`, value: `v=DKIM1; k=rsa; p=${publicKey}` },
    { purpose: 'dmarc', type: 'TXT', name: `_dmarc.${domain}`, value: `v=DMARC1; p=none; rua=mailto:dmarc@${domain}` },
  ];
}
