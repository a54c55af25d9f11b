import request from 'supertest';
import { randomUUID } from 'node:crypto';
import { startTestApp, TestApp, TestAppOptions } from '@countylink/testing';
import { REFERRAL_DATA_SOURCE } from '../../apps/referral-registry/src/referral-registry.constants';
import { ReferralRegistryModule } from '../../apps/referral-registry/src/referral-registry.module';

export function startReferralApp(options: Partial<TestAppOptions> = {}): Promise<TestApp> {
  return startTestApp({ features: [ReferralRegistryModule], dataSources: [REFERRAL_DATA_SOURCE], ...options });
}

/** A chest-pain up-referral from township A to county cardiology, as a township doctor sends it. */
export function upReferral(overrides: Record<string, unknown> = {}) {
  return {
    patient: {
      patientId: `TA-${randomUUID().slice(0, 8)}`,
      name: '王建国',
      sex: 'male',
      birthDate: '1956-03-14',
      identityNumber: '11010519491231002X',
    },
    toInstitutionId: 'county-hospital',
    toDepartmentId: 'cardiology',
    urgency: 'urgent',
    diagnosis: { code: 'I20.0', display: '不稳定型心绞痛' },
    clinicalSummary: '反复胸痛3天，含服硝酸甘油可缓解',
    reason: '需冠脉造影评估',
    ...overrides,
  };
}

export async function createReferral(t: TestApp, login: string, body: object, key: string = randomUUID()) {
  return request(t.url)
    .post('/api/referrals')
    .set('Authorization', `Bearer ${await t.token(login)}`)
    .set('Idempotency-Key', key)
    .send(body);
}

export async function act(t: TestApp, login: string, id: string, action: string, body: object = {}) {
  return request(t.url)
    .post(`/api/referrals/${id}/${action}`)
    .set('Authorization', `Bearer ${await t.token(login)}`)
    .send(body);
}
