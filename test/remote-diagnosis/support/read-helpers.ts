import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { TestApp } from '@countylink/testing';

export function ecgOrder(overrides: Record<string, unknown> = {}) {
  return {
    patient: { patientId: `P-${randomUUID().slice(0, 8)}`, name: '王建国', sex: 'M', birthDate: '1956-03-14' },
    modality: 'ECG',
    priority: 'emergency',
    clinicalQuestion: '胸痛2小时，请排除急性心肌梗死',
    accessionNumber: `A${randomUUID().replace(/-/g, '').slice(0, 12).toUpperCase()}`,
    ...overrides,
  };
}

export async function orderRead(t: TestApp, login: string, body: object, key: string = randomUUID()) {
  return request(t.url)
    .post('/api/reads')
    .set('Authorization', `Bearer ${await t.token(login)}`)
    .set('Idempotency-Key', key)
    .send(body);
}

export async function readAction(t: TestApp, login: string, id: string, action: string, body: object = {}) {
  return request(t.url)
    .post(`/api/reads/${id}/${action}`)
    .set('Authorization', `Bearer ${await t.token(login)}`)
    .send(body);
}

export async function getAs(t: TestApp, login: string, path: string) {
  return request(t.url)
    .get(path)
    .set('Authorization', `Bearer ${await t.token(login)}`);
}

export const STEMI_REPORT = {
  findings: '窦性心律，心率88次/分；V1–V4导联ST段弓背向上抬高0.3–0.5mV',
  impression: '急性前壁ST段抬高型心肌梗死',
  treatmentPlan: '立即嚼服阿司匹林300mg、替格瑞洛180mg；启动胸痛中心绿色通道，转县医院行急诊PCI',
  criticalValue: { category: 'acute-stemi', description: 'V1–V4 ST段抬高，急性心肌梗死' },
};
