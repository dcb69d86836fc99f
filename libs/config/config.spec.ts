import { apiSchema, ConfigError, emailSecretsSchema, loadConfig, natsSchema, statusIngestSchema, workerSchema } from './config';

describe('loadConfig', () => {
  it('refuses to start naming the bad variable', () => {
    expect(() => loadConfig(apiSchema, { ADMIN_TOKEN: 'short' })).toThrow(ConfigError);
    expect(() => loadConfig(apiSchema, { ADMIN_TOKEN: 'short' })).toThrow(/ADMIN_TOKEN/);
    expect(() => loadConfig(apiSchema, { ADMIN_TOKEN: 'a'.repeat(20), API_PORT: 'eighty' })).toThrow(/API_PORT/);
  });
  it('refuses a claim lease a send cannot finish inside', () => {
    expect(() => loadConfig(workerSchema, { CLAIM_LEASE_MS: '3000', PROVIDER_TIMEOUT_MS: '15000' })).toThrow(/CLAIM_LEASE_MS: must exceed PROVIDER_TIMEOUT_MS/);
    expect(loadConfig(workerSchema, { CLAIM_LEASE_MS: '3000', PROVIDER_TIMEOUT_MS: '1000' }).CLAIM_LEASE_MS).toBe(3000);
  });

  it('applies defaults and coerces numbers', () => {
    expect(loadConfig(apiSchema, { ADMIN_TOKEN: 'a'.repeat(20), API_PORT: '8080' })).toEqual({ ADMIN_TOKEN: 'a'.repeat(20), API_PORT: 8080, PUBLIC_BASE_URL: 'http://127.0.0.1:3001' });
    expect(loadConfig(natsSchema, {}).NATS_PREFIX).toBe('utskick');
    expect(() => loadConfig(natsSchema, { NATS_PREFIX: 'Bad.Prefix' })).toThrow(/NATS_PREFIX/);
  });

  it.each([
    ['127.0.0.1:5353', ['127.0.0.1:5353']],
    ['192.0.2.1, [2001:db8::1]:53', ['192.0.2.1', '[2001:db8::1]:53']],
    ['ns.example.se', null],
    ['127.0.0.1:', null],
  ])('DNS_SERVERS %j → %j', (value, servers) => {
    const env = { ADMIN_TOKEN: 'a'.repeat(20), DNS_SERVERS: value };
    if (servers) expect(loadConfig(apiSchema, env).DNS_SERVERS).toEqual(servers);
    else expect(() => loadConfig(apiSchema, env)).toThrow(/DNS_SERVERS/);
  });

  // contracts.md: PUBLIC_BASE_URL is https in production; a loopback http base only for local runs (RFC 8058 wants an HTTPS one-click URI).
  it.each([
    ['https://hooks.utskick.example', true],
    ['https://hooks.utskick.example/edge/', true],
    ['http://127.0.0.1:3001', true],
    ['http://127.1.2.3', true],
    ['http://localhost:3001', true],
    ['http://[::1]:3001', true],
    ['http://hooks.utskick.example', false],
    ['http://10.0.0.5:3001', false],
    ['http://127.0.0.1.example.com', false],
    ['ftp://hooks.utskick.example', false],
    ['javascript:alert(1)', false],
  ])('PUBLIC_BASE_URL %s is accepted: %s', (url, ok) => {
    const secrets = { LINK_SECRET: 'l'.repeat(20), DOMAIN_KEY_SECRET: 'd'.repeat(20), PUBLIC_BASE_URL: url };
    for (const [schema, env] of [
      [emailSecretsSchema, secrets],
      [apiSchema, { ADMIN_TOKEN: 'a'.repeat(20), PUBLIC_BASE_URL: url }],
      [statusIngestSchema, { PUBLIC_BASE_URL: url, ELKS_CALLBACK_SECRET: 'e'.repeat(20) }],
    ] as const) {
      const load = () => loadConfig(schema, env);
      if (ok) expect((load() as { PUBLIC_BASE_URL: string }).PUBLIC_BASE_URL).toBe(url);
      else expect(load).toThrow(/PUBLIC_BASE_URL: must be https/);
    }
  });
});
