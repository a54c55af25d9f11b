import { randomUUID } from 'node:crypto';
import request from 'supertest';
import type { TestApp } from '@countylink/testing';

type Step = { login: string; action: string };

/** The life of a referral to cardiology: every step is one event that the cardiology room is told of. */
const STEPS: Step[] = [
  { login: 'township-a-doctor', action: 'create' },
  { login: 'county-coordinator', action: 'receive' },
  { login: 'county-cardiology', action: 'accept' },
  { login: 'county-coordinator', action: 'arrive' },
  { login: 'county-cardiology', action: 'complete' },
];

const BODY = {
  patient: { patientId: 'BENCH-1', name: '王建国', sex: 'male', birthDate: '1956-03-14' },
  toInstitutionId: 'county-hospital',
  toDepartmentId: 'cardiology',
  urgency: 'urgent',
  diagnosis: { code: 'I20.0', display: '不稳定型心绞痛' },
  clinicalSummary: '反复胸痛3天',
  reason: '需冠脉造影评估',
};

/**
 * Referral commands over HTTP at a steady rate: a pool of referrals, each moving one step at a time
 * (a step waits for the previous one's answer), one command per tick.
 */
export class ReferralTraffic {
  private readonly slots: Array<{ id?: string; step: number; busy: boolean }> = Array.from({ length: 40 }, () => ({
    step: 0,
    busy: false,
  }));
  private tokens = new Map<string, string>();
  sent = 0;
  failed = 0;
  /** Each command's HTTP round trip (ms): the event's time is taken inside it, before its commit. */
  readonly commandMs: number[] = [];
  skipped = 0;

  constructor(private readonly t: TestApp) {}

  async prepare(): Promise<void> {
    for (const { login } of STEPS) this.tokens.set(login, await this.t.token(login));
  }

  /** Runs `rate` commands a second for `seconds`; resolves when every answer is in. */
  async run(rate: number, seconds: number): Promise<void> {
    const pending: Promise<void>[] = [];
    const total = Math.round(rate * seconds);
    const start = performance.now();
    for (let i = 0; i < total; i++) {
      const wait = start + (i * 1000) / rate - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      const slot = this.slots.find((s) => !s.busy);
      if (!slot) {
        this.skipped++;
        continue;
      }
      pending.push(this.advance(slot));
    }
    await Promise.all(pending);
  }

  private async advance(slot: { id?: string; step: number; busy: boolean }): Promise<void> {
    slot.busy = true;
    const { login, action } = STEPS[slot.step];
    const auth = `Bearer ${this.tokens.get(login)}`;
    const started = performance.now();
    try {
      const res =
        action === 'create'
          ? await request(this.t.url)
              .post('/api/referrals')
              .set('Authorization', auth)
              .set('Idempotency-Key', randomUUID())
              .send(BODY)
          : await request(this.t.url).post(`/api/referrals/${slot.id}/${action}`).set('Authorization', auth).send({});
      if (res.status >= 300) throw new Error(`${action}: ${res.status} ${JSON.stringify(res.body)}`);
      if (action === 'create') slot.id = res.body.id;
      this.commandMs.push(performance.now() - started);
      slot.step = (slot.step + 1) % STEPS.length;
      this.sent++;
    } catch {
      this.failed++;
      slot.step = 0;
    } finally {
      slot.busy = false;
    }
  }
}
