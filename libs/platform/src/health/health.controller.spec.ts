import { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { HttpExceptionFilter } from '../errors/http-exception.filter';
import { HealthModule } from './health.module';
import { ReadinessProbe } from './readiness-probe';

const SECRET_LOOKING = 'connect ECONNREFUSED 10.2.3.4:5432 (user countylink_app, query SELECT patient_name …)';

describe('GET /health/ready', () => {
  let app: INestApplication;
  const probes: ReadinessProbe[] = [
    { name: 'database:referral', check: async () => undefined },
    { name: 'kafka', check: async () => Promise.reject(new Error(SECRET_LOOKING)) },
  ];

  beforeAll(async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [HealthModule.forRoot({ useValue: probes } as Parameters<typeof HealthModule.forRoot>[0])],
    }).compile();
    app = moduleRef.createNestApplication({ logger: false });
    app.useGlobalFilters(new HttpExceptionFilter());
    await app.init();
  });
  afterAll(() => app?.close());

  it('names each dependency and its state to anyone, never the error', async () => {
    const res = await request(app.getHttpServer()).get('/health/ready');
    expect(res.status).toBe(503);
    expect(res.body.error).toMatchObject({
      code: 'NOT_READY',
      details: { details: { 'database:referral': { status: 'up' }, kafka: { status: 'down' } } },
    });
    expect(JSON.stringify(res.body)).not.toMatch(/ECONNREFUSED|10\.2\.3\.4|countylink_app|patient_name/);
  });
});
