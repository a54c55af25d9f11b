import { Injectable } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { IsInt, IsString, Matches, Min, MinLength } from 'class-validator';
import { Transform } from 'class-transformer';
import { appConfigProvider, ConfigModule } from './config.module';
import { InvalidConfigError, loadConfig, loadSettings, maskUrlCredentials } from './load-config';
import { commaList, ParsedSetting, toInt } from './settings';

const valid = { DATABASE_URL: 'postgres://u:p@localhost:5432/db', AUTH_LOCAL_ISSUER: 'enabled' };

const refusal = (load: () => unknown): string => {
  try {
    load();
  } catch (err) {
    if (err instanceof InvalidConfigError) return err.message;
    throw err;
  }
  throw new Error('the configuration was accepted');
};

describe('loadConfig', () => {
  it('fills defaults and converts types', () => {
    const config = loadConfig({ ...valid, PORT: '8080', LOG_PRETTY: 'true' });
    expect(config.PORT).toBe(8080);
    expect(config.LOG_PRETTY).toBe(true);
    expect(config.TIMER_POLL_MS).toBe(1000);
    expect(config.KAFKA_BROKERS).toBeUndefined();
  });

  it('reads KAFKA_BROKERS once, into the broker list', () => {
    expect(loadConfig({ ...valid, KAFKA_BROKERS: 'kafka-1:9092,kafka-2:9092' }).KAFKA_BROKERS).toEqual([
      'kafka-1:9092',
      'kafka-2:9092',
    ]);
    expect(refusal(() => loadConfig({ ...valid, KAFKA_BROKERS: 'kafka-1:9092,kafka-2' }))).toMatch(
      /KAFKA_BROKERS="kafka-1:9092,kafka-2": KAFKA_BROKERS must be host:port/,
    );
  });

  it.each([
    [{ DATABASE_URL: undefined }, 'DATABASE_URL'],
    [{ DATABASE_URL: 'mysql://x' }, 'DATABASE_URL'],
    [{ PORT: 'eighty' }, 'PORT'],
    [{ KAFKA_BROKERS: 'localhost' }, 'KAFKA_BROKERS'],
    [{ AUTH_JWKS_URL: 'not a url' }, 'AUTH_JWKS_URL'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL'],
  ])('refuses %j naming %s', (override, name) => {
    expect(() => loadConfig({ ...valid, ...override })).toThrow(new RegExp(`\\b${name}=`));
  });

  it("asks nothing of an app's settings: no IDENTITY_HASH_KEY, and another app's bad value is not its business", () => {
    expect(() =>
      loadConfig({ ...valid, READ_DEPARTMENTS: 'not a table', REFERRAL_RESPONSE_MINUTES_URGENT: 'soon' }),
    ).not.toThrow();
  });
});

class Signing {
  @IsString()
  @MinLength(40, { message: 'SIGNING_KEY $value is too short' })
  SIGNING_KEY: string;

  @IsString()
  @MinLength(12, { message: 'SMTP_PASSWORD must be at least 12 characters' })
  SMTP_PASSWORD: string;

  @IsString()
  @Matches(/^https:\/\/[^@]+$/, { message: 'MAIL_URL $value must be https:// without credentials' })
  MAIL_URL = 'https://mail.example';
}

describe('a validation error never repeats a secret', () => {
  it('masks the whole password of a DATABASE_URL, even one with @ in it', () => {
    const message = refusal(() =>
      loadConfig({ ...valid, DATABASE_URL: 'postgresql://countylink:p@ss@w0rd@db.example:5432/countylink', PORT: 'x' }),
    );
    expect(message).toMatch(/\bPORT=null: /);
    expect(message).not.toContain('p@ss');
    expect(message).not.toContain('w0rd');
    const bad = refusal(() =>
      loadConfig({ ...valid, DATABASE_URL: 'mysql://countylink:p@ss@w0rd@db.example/countylink' }),
    );
    expect(bad).toContain('DATABASE_URL="mysql://countylink:***@db.example/countylink"');
    expect(bad).not.toMatch(/p@ss|w0rd/);
  });

  it('masks the password of an AUTH_JWKS_URL it refuses', () => {
    for (const url of [
      'http://svc:s3cr3t-pw@idp.example/jwks',
      'https://svc:s3cr3t-pw@/jwks',
      'ftp://s3cr3t-pw@idp.example/jwks',
    ]) {
      const message = refusal(() => loadConfig({ ...valid, AUTH_LOCAL_ISSUER: 'disabled', AUTH_JWKS_URL: url }));
      expect(message).toMatch(/AUTH_JWKS_URL="/);
      expect(message).not.toContain('s3cr3t-pw');
    }
  });

  it('redacts *_PASSWORD and *_KEY settings, also where a message quotes the value', () => {
    const message = refusal(() =>
      loadSettings(Signing, {
        SIGNING_KEY: 'short-signing-secret',
        SMTP_PASSWORD: 'pw-secret',
        MAIL_URL: 'https://mailer:mail-secret@mail.example',
      }),
    );
    expect(message).toMatch(/SIGNING_KEY="\[redacted\]": SIGNING_KEY \[redacted\] is too short/);
    expect(message).toMatch(/SMTP_PASSWORD="\[redacted\]"/);
    expect(message).toMatch(
      /MAIL_URL="https:\/\/mailer:\*\*\*@mail.example": MAIL_URL https:\/\/mailer:\*\*\*@mail.example must be/,
    );
    for (const secret of ['short-signing-secret', 'pw-secret', 'mail-secret']) expect(message).not.toContain(secret);
    expect(
      refusal(() =>
        loadConfig({
          ...valid,
          KAFKA_SASL_MECHANISM: 'plain',
          KAFKA_SASL_USERNAME: 'u',
          KAFKA_SASL_PASSWORD: 'kafka-secret',
        }),
      ),
    ).not.toContain('kafka-secret');
  });

  it('maskUrlCredentials keeps the user, hides the password or a token', () => {
    expect(maskUrlCredentials('postgres://u:p@ss@host:5432/db')).toBe('postgres://u:***@host:5432/db');
    expect(maskUrlCredentials('https://token@idp.example/jwks')).toBe('https://***@idp.example/jwks');
    expect(maskUrlCredentials('https://idp.example/jwks')).toBe('https://idp.example/jwks');
    expect(maskUrlCredentials('not a url @ all')).toBe('not a url @ all');
  });
});

const LEVELS = /^[a-z]+(,[a-z]+)*$/;

class Tuned {
  @Transform(toInt)
  @IsInt()
  @Min(1)
  TUNED_LIMIT = 5;

  @ParsedSetting((raw) => {
    if (!LEVELS.test(raw)) throw new Error('TUNED_LEVELS must be names separated by commas');
    return commaList(raw);
  })
  TUNED_LEVELS: string[] = ['low', 'high'];
}

@Injectable()
class UsesTuned {
  constructor(readonly tuned: Tuned) {}
}

describe("an app's own config (loadSettings, appConfigProvider)", () => {
  it('parses a composite value once, at load, and refuses a malformed one naming it', () => {
    expect(loadSettings(Tuned, {}).TUNED_LEVELS).toEqual(['low', 'high']);
    expect(loadSettings(Tuned, { TUNED_LEVELS: 'a,b,c' }).TUNED_LEVELS).toEqual(['a', 'b', 'c']);
    expect(refusal(() => loadSettings(Tuned, { TUNED_LEVELS: 'a,,B' }))).toMatch(
      /TUNED_LEVELS="a,,B": TUNED_LEVELS must be names separated by commas/,
    );
  });

  it('is read by its module from the environment the platform config came from, not process.env', async () => {
    const platform = loadConfig({ ...valid, TUNED_LIMIT: '9' });
    const moduleRef = await Test.createTestingModule({
      imports: [ConfigModule.forRoot(platform)],
      providers: [appConfigProvider(Tuned), UsesTuned],
    }).compile();
    expect(moduleRef.get(UsesTuned).tuned.TUNED_LIMIT).toBe(9);
    await moduleRef.close();
  });

  it('stops the module from being set up when one of its settings is bad', async () => {
    const platform = loadConfig({ ...valid, TUNED_LIMIT: '0' });
    await expect(
      Test.createTestingModule({
        imports: [ConfigModule.forRoot(platform)],
        providers: [appConfigProvider(Tuned)],
      }).compile(),
    ).rejects.toThrow(/TUNED_LIMIT=0/);
  });
});
