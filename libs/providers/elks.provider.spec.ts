import { RecordingServer, Reply } from '../../test/support/recording-server';
import { ElksProvider } from './elks.provider';
import { RetryableProviderError } from './send-result';

/** A stand-in for api.46elks.com: records each request and answers with the next scripted reply. */
class FakeElks extends RecordingServer {
  replies: { status: number; body: string; headers?: Record<string, string> }[] = [];

  protected override reply(): Reply {
    const r = this.replies.shift() ?? { status: 500, body: 'no reply scripted' };
    return { status: r.status, body: r.body, headers: { 'content-type': r.body.startsWith('{') ? 'application/json' : 'text/plain', ...r.headers } };
  }
}

describe('ElksProvider', () => {
  const fake = new FakeElks();
  let elks: ElksProvider;
  const submission = {
    to: '+46701234567',
    from: 'Skolan',
    message: 'Hej & välkommen',
    whendelivered: 'https://hooks.example/webhooks/46elks/t/tok/delivery/m1',
  };

  beforeAll(async () => {
    await fake.start();
    elks = new ElksProvider({ username: 'u0123', password: 'p4ss:word', baseUrl: `${fake.url}/` }, 2, 2000);
  });
  afterAll(async () => {
    await elks.close();
    await fake.stop();
  });
  beforeEach(() => {
    fake.requests.length = 0;
    fake.replies = [];
  });

  it('posts the form fields to /a1/sms with Basic auth and returns the 46elks id', async () => {
    fake.replies = [{ status: 200, body: JSON.stringify({ status: 'created', id: 's70df59406a1b4643b96f3f91e0bfb7b0', parts: 1, cost: 3500, to: '+46701234567' }) }];
    await expect(elks.submit(submission)).resolves.toEqual({ kind: 'accepted', providerMessageId: 's70df59406a1b4643b96f3f91e0bfb7b0' });
    const [req] = fake.requests;
    expect(req.method).toBe('POST');
    expect(req.path).toBe('/a1/sms');
    expect(req.headers.authorization).toBe('Basic ' + Buffer.from('u0123:p4ss:word').toString('base64'));
    expect(req.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(Object.fromEntries(new URLSearchParams(req.body))).toEqual(submission);
  });

  it('rejects a per-message refusal and throws a retryable error on credit, auth, rate and server trouble', async () => {
    fake.replies = [
      { status: 400, body: 'Invalid to number' },
      { status: 403, body: 'Not enough credits' },
      { status: 401, body: 'Authentication failed' },
      { status: 429, body: 'Too many requests', headers: { 'retry-after': '3' } },
      { status: 502, body: '<html>bad gateway</html>' },
      { status: 200, body: '{"status":"created"}' },
    ];
    await expect(elks.submit(submission)).resolves.toEqual({ kind: 'rejected', status: 'failed', error: '46elks 400: Invalid to number', markNotMobile: false });
    await expect(elks.submit(submission)).rejects.toThrow(/46elks 403: Not enough credits/);
    await expect(elks.submit(submission)).rejects.toBeInstanceOf(RetryableProviderError);
    await expect(elks.submit(submission)).rejects.toMatchObject({ retryAfterMs: 3000 });
    await expect(elks.submit(submission)).rejects.toBeInstanceOf(RetryableProviderError);
    await expect(elks.submit(submission)).rejects.toThrow(/accepted without an id/);
  });

  it('throws a retryable error when the API cannot be reached', async () => {
    const down = new ElksProvider({ username: 'u', password: 'p', baseUrl: 'http://127.0.0.1:1' }, 1, 500);
    await expect(down.submit(submission)).rejects.toBeInstanceOf(RetryableProviderError);
    await down.close();
  });

  it('fetches a status with GET /a1/sms/{id} and maps it with the 46elks table', async () => {
    fake.replies = [
      { status: 200, body: JSON.stringify({ id: 'sabc', status: 'delivered', delivered: '2026-01-01T10:00:00.000000' }) },
      { status: 404, body: 'Not found' },
      { status: 500, body: 'oops' },
    ];
    const polled = await elks.fetchStatus('sabc');
    expect(fake.requests[0]).toMatchObject({ method: 'GET', path: '/a1/sms/sabc' });
    expect(fake.requests[0].headers.authorization).toBe('Basic ' + Buffer.from('u0123:p4ss:word').toString('base64'));
    expect(polled).toMatchObject({ providerMessageId: 'sabc', status: 'delivered', errorCode: null });
    expect(elks.report(polled!)).toMatchObject({ status: 'delivered' });
    await expect(elks.fetchStatus('snone')).resolves.toBeNull();
    await expect(elks.fetchStatus('sabc')).rejects.toBeInstanceOf(RetryableProviderError);
  });
});
