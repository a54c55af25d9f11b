import { loadConfig } from './load-config';

const valid = { DATABASE_URL: 'postgres://u:p@localhost:5432/db', IDENTITY_HASH_KEY: 'x'.repeat(32), AUTH_LOCAL_ISSUER: 'enabled' };

describe('loadConfig', () => {
  it('fills defaults and converts types', () => {
    const config = loadConfig({ ...valid, PORT: '8080', LOG_PRETTY: 'true' });
    expect(config.PORT).toBe(8080);
    expect(config.LOG_PRETTY).toBe(true);
    expect(config.REFERRAL_RESPONSE_MINUTES_EMERGENCY).toBe(10);
    expect(config.KAFKA_BROKERS).toBeUndefined();
  });

  it.each([
    [{ DATABASE_URL: undefined }, 'DATABASE_URL'],
    [{ DATABASE_URL: 'mysql://x' }, 'DATABASE_URL'],
    [{ PORT: 'eighty' }, 'PORT'],
    [{ KAFKA_BROKERS: 'localhost' }, 'KAFKA_BROKERS'],
    [{ IDENTITY_HASH_KEY: 'short' }, 'IDENTITY_HASH_KEY'],
    [{ AUTH_JWKS_URL: 'not a url' }, 'AUTH_JWKS_URL'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL'],
  ])('refuses %j naming %s', (override, name) => {
    expect(() => loadConfig({ ...valid, ...override })).toThrow(new RegExp(`\\b${name}=`));
  });
});
