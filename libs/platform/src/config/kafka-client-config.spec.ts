import { InvalidConfigError, loadConfig, loadKafkaClientConfig } from './load-config';

const valid = {
  DATABASE_URL: 'postgres://u:p@localhost:5432/db',
  IDENTITY_HASH_KEY: 'x'.repeat(32),
  AUTH_LOCAL_ISSUER: 'enabled',
  KAFKA_BROKERS: '127.0.0.1:9092',
};
const scram = {
  KAFKA_SASL_MECHANISM: 'SCRAM-SHA-512',
  KAFKA_SASL_USERNAME: 'countylink-standalone',
  KAFKA_SASL_PASSWORD: 's3cret-do-not-print',
};

describe('Kafka client settings', () => {
  it('is plaintext and unauthenticated when none is set', () => {
    const config = loadConfig(valid);
    expect([config.KAFKA_SSL, config.KAFKA_SSL_CA_FILE, config.KAFKA_SASL_MECHANISM]).toEqual([
      false,
      undefined,
      undefined,
    ]);
  });

  it('takes TLS with a CA file and SCRAM (mechanism in any case)', () => {
    const config = loadConfig({ ...valid, ...scram, KAFKA_SSL_CA_FILE: '/run/secrets/kafka-ca.pem' });
    expect({
      mechanism: config.KAFKA_SASL_MECHANISM,
      user: config.KAFKA_SASL_USERNAME,
      ca: config.KAFKA_SSL_CA_FILE,
    }).toEqual({
      mechanism: 'scram-sha-512',
      user: 'countylink-standalone',
      ca: '/run/secrets/kafka-ca.pem',
    });
    expect(loadConfig({ ...valid, KAFKA_SSL: 'true' }).KAFKA_SSL).toBe(true);
  });

  it('takes the password from a file instead', () => {
    const { KAFKA_SASL_PASSWORD: _pw, ...rest } = scram;
    expect(
      loadConfig({ ...valid, ...rest, KAFKA_SASL_PASSWORD_FILE: '/run/secrets/kafka-password' })
        .KAFKA_SASL_PASSWORD_FILE,
    ).toBe('/run/secrets/kafka-password');
  });

  it.each([
    [{ KAFKA_SASL_MECHANISM: 'plain', KAFKA_SASL_USERNAME: 'a', KAFKA_SASL_PASSWORD: 'b' }, 'KAFKA_SASL_MECHANISM'],
    [{ KAFKA_SASL_USERNAME: 'a', KAFKA_SASL_PASSWORD: 'b' }, 'KAFKA_SASL_MECHANISM'],
    [{ KAFKA_SASL_MECHANISM: 'scram-sha-512', KAFKA_SASL_PASSWORD: 'b' }, 'KAFKA_SASL_USERNAME'],
    [{ KAFKA_SASL_MECHANISM: 'scram-sha-512', KAFKA_SASL_USERNAME: 'a' }, 'KAFKA_SASL_PASSWORD'],
    [{ ...scram, KAFKA_SASL_PASSWORD_FILE: '/x' }, 'KAFKA_SASL_PASSWORD_FILE'],
    [{ KAFKA_SSL: 'maybe' }, 'KAFKA_SSL'],
  ])('refuses %j naming %s', (override, name) => {
    expect(() => loadConfig({ ...valid, ...override })).toThrow(new RegExp(`\\b${name}=`));
  });

  it('never repeats a secret in its error', () => {
    const attempt = () => loadConfig({ ...valid, ...scram, KAFKA_SASL_MECHANISM: 'gssapi' });
    expect(attempt).toThrow(InvalidConfigError);
    try {
      attempt();
    } catch (err) {
      expect((err as Error).message).toMatch(/KAFKA_SASL_MECHANISM="gssapi"/);
      expect((err as Error).message).not.toMatch(/s3cret/);
    }
    const badPassword = () => loadConfig({ ...valid, ...scram, KAFKA_SASL_PASSWORD_FILE: '/x' });
    expect(badPassword).toThrow(/KAFKA_SASL_PASSWORD_FILE/);
    expect(badPassword).not.toThrow(/s3cret/);
  });

  it('validates the Kafka part alone for tools without a database', () => {
    expect(loadKafkaClientConfig(scram).KAFKA_SASL_USERNAME).toBe('countylink-standalone');
    expect(() => loadKafkaClientConfig({ KAFKA_SASL_USERNAME: 'his-township-b' })).toThrow(/KAFKA_SASL_MECHANISM=/);
  });
});
