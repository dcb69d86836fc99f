import { apiSchema, ConfigError, loadConfig, natsSchema, workerSchema } from './config';

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
});
