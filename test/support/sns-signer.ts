import { execFileSync } from 'node:child_process';
import { createSign, randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { snsStringToSign } from '@utskick/providers';

export interface SnsSigner {
  certPem: string;
  keyPem: string;
  /** A signed SNS message of the given type with these fields (SignatureVersion 2 unless told). */
  message(fields: Record<string, string>, opts?: { version?: '1' | '2'; certUrl?: string }): Record<string, string>;
}

export const SNS_CERT_URL = 'https://sns.eu-north-1.amazonaws.com/SimpleNotificationService-test.pem';
export const SES_TOPIC = 'arn:aws:sns:eu-north-1:123456789012:ses-feedback';

/**
 * A key pair and a self-signed X.509 certificate made with the openssl CLI (node:crypto cannot
 * make certificates), standing in for SNS's signing certificate.
 */
export function snsSigner(): SnsSigner {
  const dir = mkdtempSync(join(tmpdir(), 'sns-cert-'));
  try {
    execFileSync('openssl', [
      'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2',
      '-subj', '/CN=sns.amazonaws.com',
      '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'),
    ], { stdio: 'pipe' });
    const keyPem = readFileSync(join(dir, 'key.pem'), 'utf8');
    const certPem = readFileSync(join(dir, 'cert.pem'), 'utf8');
    return {
      keyPem,
      certPem,
      message(fields, opts = {}) {
        const version = opts.version ?? '2';
        const msg: Record<string, string> = {
          MessageId: randomUUID(),
          TopicArn: SES_TOPIC,
          Timestamp: new Date().toISOString(),
          ...fields,
          SignatureVersion: version,
          SigningCertURL: opts.certUrl ?? SNS_CERT_URL,
        };
        msg.Signature = createSign(version === '1' ? 'RSA-SHA1' : 'RSA-SHA256').update(snsStringToSign(msg)).sign(keyPem, 'base64');
        return msg;
      },
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
