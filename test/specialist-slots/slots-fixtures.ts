import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { getDataSourceToken } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Role } from '@countylink/auth';
import { startTestApp, TestApp, TestAppOptions, waitFor } from '@countylink/testing';
import { REFERRAL_DATA_SOURCE } from '../../apps/referral-registry/src/referral-registry.constants';
import { ReferralRegistryModule } from '../../apps/referral-registry/src/referral-registry.module';
import { SCHEDULING_DATA_SOURCE } from '../../apps/specialist-slots/src/specialist-slots.constants';
import { SpecialistSlotsModule } from '../../apps/specialist-slots/src/specialist-slots.module';
import { createReferral, upReferral } from '../referral-registry/referral-fixtures';

/** The referral registry and specialist slots in one process: referrals reach the slots app as events. */
export function startRegistryAndSlots(options: Partial<TestAppOptions> = {}): Promise<TestApp> {
  return startTestApp({
    features: [ReferralRegistryModule, SpecialistSlotsModule],
    dataSources: [REFERRAL_DATA_SOURCE, SCHEDULING_DATA_SOURCE],
    ...options,
  });
}

/** Another instance of the slots app alone, e.g. on the same database as a first one. */
export function startSlotsOnly(options: Partial<TestAppOptions> = {}): Promise<TestApp> {
  return startTestApp({ features: [SpecialistSlotsModule], dataSources: [SCHEDULING_DATA_SOURCE], ...options });
}

export function slotsDb(t: TestApp): DataSource {
  return t.app.get<DataSource>(getDataSourceToken(SCHEDULING_DATA_SOURCE));
}

const HOUR = 3_600_000;

/** A cardiology session of the county hospital starting in `inHours` hours (open for both pools by default). */
export function session(overrides: Record<string, unknown> = {}, inHours = 48) {
  const startsAt = new Date(Date.now() + inHours * HOUR);
  return {
    kind: 'clinic-session',
    departmentId: 'cardiology',
    practitionerId: 'county-cardiology',
    startsAt: startsAt.toISOString(),
    endsAt: new Date(startsAt.getTime() + 4 * HOUR).toISOString(),
    capacity: 10,
    ...overrides,
  };
}

export async function publish(t: TestApp, body: object, login = 'group-admin') {
  return request(t.url)
    .post('/api/schedules')
    .set('Authorization', `Bearer ${await t.token(login)}`)
    .send(body);
}

export async function publishOk(t: TestApp, body: object): Promise<string> {
  const res = await publish(t, body);
  if (res.status !== 201) throw new Error(`publish failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.id as string;
}

/** A family doctor of another institution (the demo seed has one only, at township A). */
export const familyDoctorB = {
  sub: 'family-doctor-b',
  roles: [Role.FamilyDoctor, Role.TownshipDoctor],
  institutionId: 'township-b',
  departmentId: 'general-practice',
};

export async function bearer(t: TestApp, login: string | typeof familyDoctorB): Promise<string> {
  return `Bearer ${typeof login === 'string' ? await t.token(login) : await t.mint(login)}`;
}

export async function book(t: TestApp, login: string | typeof familyDoctorB, body: object, key: string = randomUUID()) {
  return request(t.url)
    .post('/api/appointments')
    .set('Authorization', await bearer(t, login))
    .set('Idempotency-Key', key)
    .send(body);
}

export async function act(t: TestApp, login: string, id: string, action: string, body: object = {}) {
  return request(t.url)
    .post(`/api/appointments/${id}/${action}`)
    .set('Authorization', await bearer(t, login))
    .send(body);
}

/** Refers a patient up through the registry and waits until the slots app has learnt of it from the event. */
export async function openReferral(
  t: TestApp,
  login = 'family-doctor-a',
  overrides: Record<string, unknown> = {},
): Promise<string> {
  const res = await createReferral(t, login, upReferral(overrides));
  if (res.status !== 201) throw new Error(`referral failed: ${res.status} ${JSON.stringify(res.body)}`);
  await knownToSlots(t, res.body.id, 'requested');
  return res.body.id as string;
}

export async function knownToSlots(t: TestApp, referralId: string, status: string): Promise<void> {
  await waitFor(`referral ${referralId} ${status} in the slots app`, async () => {
    const rows = await slotsDb(t).query('SELECT status FROM scheduling.referral_snapshot WHERE id = $1', [referralId]);
    return rows[0]?.status === status;
  });
}

export async function counts(t: TestApp, scheduleId: string) {
  const [row] = await slotsDb(t).query(
    `SELECT capacity, reserved_capacity, reserved_booked, general_booked, reserve_released, released_unused, version
     FROM scheduling.schedule WHERE id = $1`,
    [scheduleId],
  );
  return row as {
    capacity: number;
    reserved_capacity: number;
    reserved_booked: number;
    general_booked: number;
    reserve_released: boolean;
    released_unused: number;
    version: number;
  };
}

/** Moves a schedule's release into the past, as if its release time came while nothing ran. */
export async function makeReleaseDue(db: Pick<DataSource, 'query'>, scheduleId: string): Promise<void> {
  await db.query(`UPDATE scheduling.schedule SET release_at = now() - interval '1 minute' WHERE id = $1`, [scheduleId]);
  await db.query(`UPDATE scheduling.scheduled_job SET due_at = now() - interval '1 minute' WHERE aggregate_id = $1`, [
    scheduleId,
  ]);
}
