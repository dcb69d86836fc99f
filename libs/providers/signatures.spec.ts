import { parseVerpAddress, verpAddress, verpMessageId } from './verp';
import { sandboxSignature, verifySandboxSignature } from './sandbox-signature';
import { twilioSignature, verifyTwilioSignature } from './twilio-signature';

describe('Twilio request signature', () => {
  // The worked example of Twilio's webhook-security documentation.
  const url = 'https://mycompany.com/myapp.php?foo=1&bar=2';
  const params = { CallSid: 'CA1234567890ABCDE', Caller: '+14158675310', Digits: '1234', From: '+14158675310', To: '+18005551212' };

  it('matches the documented example', () => {
    expect(twilioSignature('12345', url, params)).toBe('GvWf1cFY/Q7PnoempGyD5oXAezc=');
  });

  it('verifies the right signature and rejects a tampered parameter, URL, token or a missing header', () => {
    expect(verifyTwilioSignature('12345', url, params, 'GvWf1cFY/Q7PnoempGyD5oXAezc=')).toBe(true);
    expect(verifyTwilioSignature('12345', url, { ...params, Digits: '1235' }, 'GvWf1cFY/Q7PnoempGyD5oXAezc=')).toBe(false);
    expect(verifyTwilioSignature('12345', url.replace('https', 'http'), params, 'GvWf1cFY/Q7PnoempGyD5oXAezc=')).toBe(false);
    expect(verifyTwilioSignature('54321', url, params, 'GvWf1cFY/Q7PnoempGyD5oXAezc=')).toBe(false);
    expect(verifyTwilioSignature('12345', url, params, undefined)).toBe(false);
    expect(verifyTwilioSignature('12345', url, params, 'short')).toBe(false);
  });
});

describe('VERP return path', () => {
  const id = '01a206c3-2c69-7eb7-b016-fe6e521cc58c';
  it('round-trips our message id under its HMAC', () => {
    const address = verpAddress('secret-secret-secret', 'bounces.example.com', id);
    expect(address).toMatch(/^bounces\+01a206c3-2c69-7eb7-b016-fe6e521cc58c\.[0-9a-f]{16}@bounces\.example\.com$/);
    expect(parseVerpAddress('secret-secret-secret', address)).toBe(id);
    expect(verpMessageId(address)).toBe(id);
  });
  it('refuses a forged tag, another secret, or a foreign address', () => {
    const address = verpAddress('secret-secret-secret', 'b.test', id);
    expect(parseVerpAddress('another-secret-here', address)).toBeNull();
    expect(parseVerpAddress('secret-secret-secret', address.replace(/\.[0-9a-f]{16}@/, '.0000000000000000@'))).toBeNull();
    expect(parseVerpAddress('secret-secret-secret', 'someone@example.com')).toBeNull();
  });
});

describe('sandbox webhook signature', () => {
  it('verifies within the clock skew and rejects stale or altered bodies', () => {
    const now = 1_800_000_000_000;
    const ts = String(now / 1000);
    const body = Buffer.from('[{"event":"delivered"}]');
    const sig = sandboxSignature('s3cret-key', ts, body);
    expect(verifySandboxSignature('s3cret-key', ts, body, sig, 300, now)).toBe(true);
    expect(verifySandboxSignature('s3cret-key', ts, Buffer.from('[]'), sig, 300, now)).toBe(false);
    expect(verifySandboxSignature('s3cret-key', ts, body, sig, 300, now + 301_000)).toBe(false);
    expect(verifySandboxSignature('other-key', ts, body, sig, 300, now)).toBe(false);
  });
});
