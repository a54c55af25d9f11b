import { Controller, Get, INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { AccessReason } from './auth.decorators';

@Controller('probe')
class ProbeController {
  @Get()
  reason(@AccessReason() reason?: string) {
    return { reason: reason ?? null };
  }
}

describe('@AccessReason()', () => {
  let app: INestApplication;

  beforeAll(async () => {
    const moduleRef = await Test.createTestingModule({ controllers: [ProbeController] }).compile();
    app = moduleRef.createNestApplication({ logger: false });
    await app.init();
  });
  afterAll(() => app?.close());

  it('gives the X-Access-Reason header, whatever its case', async () => {
    const res = await request(app.getHttpServer()).get('/probe').set('X-Access-Reason', 'consultation');
    expect(res.body).toEqual({ reason: 'consultation' });
    expect((await request(app.getHttpServer()).get('/probe').set('x-access-reason', 'follow-up')).body).toEqual({
      reason: 'follow-up',
    });
  });

  it('gives undefined without the header', async () => {
    expect((await request(app.getHttpServer()).get('/probe')).body).toEqual({ reason: null });
  });
});
