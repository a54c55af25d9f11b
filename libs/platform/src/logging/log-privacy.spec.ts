import { Writable } from 'node:stream';
import pino from 'pino';
import { QueryFailedError } from 'typeorm';
import { REDACT_PATHS, safeError, safeRequest, withoutQueryValues } from './log-privacy';

const NAME = '王建国';

/** A pino logger as the LoggingModule makes it, writing into a string. */
function capture(): { logger: pino.Logger; text: () => string } {
  let out = '';
  const sink = new Writable({ write: (chunk, _enc, done) => ((out += String(chunk)), done()) });
  const logger = pino(
    { redact: { paths: REDACT_PATHS, censor: '[redacted]' }, serializers: { req: safeRequest, err: safeError } },
    sink,
  );
  return { logger, text: () => out };
}

describe('what the logs may carry', () => {
  it("drops a failed query's parameters and the driver's detail, keeping the SQL and where it failed", () => {
    const driver = Object.assign(new Error('duplicate key value violates unique constraint "uq_referral_patient"'), {
      code: '23505',
      detail: `Key (patient_name)=(${NAME}) already exists.`,
      table: 'referral',
      constraint: 'uq_referral_patient',
      schema: 'referral',
    });
    const err = new QueryFailedError(
      'INSERT INTO "referral"."referral" ("patient_name", "patient_birth_date") VALUES ($1, $2)',
      [NAME, '1956-03-14'],
      driver,
    );
    const { logger, text } = capture();
    logger.error({ err }, 'request failed');
    expect(text()).not.toContain(NAME);
    expect(text()).not.toContain('1956-03-14');
    const line = JSON.parse(text()) as { err: Record<string, unknown> };
    expect(line.err).toMatchObject({
      query: expect.stringContaining('VALUES ($1, $2)'),
      driverError: { code: '23505', table: 'referral', constraint: 'uq_referral_patient' },
    });
    expect(line.err.message).toContain('uq_referral_patient');
  });

  it('drops a value PostgreSQL quotes in its message', () => {
    const err = new QueryFailedError(
      'SELECT 1 WHERE id = $1',
      [NAME],
      Object.assign(new Error(`invalid input syntax for type uuid: "${NAME}"`), { code: '22P02' }),
    );
    expect(JSON.stringify(safeError(err))).not.toContain(NAME);
    expect((safeError(err) as { message: string }).message).toBe('invalid input syntax for type uuid: [redacted]');
  });

  it("logs a request's path and query keys, not the values searched for, nor credentials or free-text headers", () => {
    expect(withoutQueryValues(`/fhir/Patient?name=${encodeURIComponent(NAME)}&birthdate=1956-03-14`)).toBe(
      '/fhir/Patient?name=[redacted]&birthdate=[redacted]',
    );
    expect(withoutQueryValues('/api/reads/7')).toBe('/api/reads/7');
    const req = safeRequest({
      id: 'r1',
      method: 'GET',
      url: `/api/referrals?patientName=${NAME}`,
      headers: {
        authorization: 'Bearer x',
        cookie: 'c',
        referer: `http://h/worklist?q=${NAME}`,
        'user-agent': 'ua',
        'x-access-reason': `复查${NAME}`,
      },
    });
    expect(req).toEqual({
      id: 'r1',
      method: 'GET',
      url: '/api/referrals?patientName=[redacted]',
      headers: { referer: 'http://h/worklist?q=[redacted]', 'user-agent': 'ua' },
      remoteAddress: undefined,
      remotePort: undefined,
    });
  });

  it('censors patient fields handed to the logger as objects', () => {
    const { logger, text } = capture();
    logger.warn(
      { referralId: 'r-1', patient: { name: NAME }, data: { patientName: NAME, clinicalSummary: '胸痛' } },
      'something about a referral',
    );
    expect(text()).not.toContain(NAME);
    expect(text()).not.toContain('胸痛');
    expect(JSON.parse(text())).toMatchObject({
      referralId: 'r-1',
      patient: '[redacted]',
      data: { patientName: '[redacted]' },
    });
  });
});
