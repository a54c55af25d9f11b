import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { getDataSourceToken } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Principal, Role } from '@countylink/auth';
import { startTestApp, TestApp } from '@countylink/testing';
import { REFERRAL_DATA_SOURCE } from '../../apps/referral-registry/src/referral-registry.constants';
import { ReferralRegistryModule } from '../../apps/referral-registry/src/referral-registry.module';
import { ReferralService } from '../../apps/referral-registry/src/referrals/referral.service';
import { Referral } from '../../apps/referral-registry/src/referrals/referral.entity';
import { DIAGNOSIS_DATA_SOURCE } from '../../apps/remote-diagnosis/src/remote-diagnosis.constants';
import { RemoteDiagnosisModule } from '../../apps/remote-diagnosis/src/remote-diagnosis.module';
import { SCHEDULING_DATA_SOURCE } from '../../apps/specialist-slots/src/specialist-slots.constants';
import { SpecialistSlotsModule } from '../../apps/specialist-slots/src/specialist-slots.module';
import {
  buildReferral,
  insertAppointment,
  insertKnownMember,
  insertRead,
  insertReadWithStudy,
  insertReferral,
  insertReferralSnapshot,
  insertSchedule,
  TEST_IDENTITY_HASH_KEY,
} from '.';

/**
 * The factories against the real PostgreSQL: the rows they write are ones the apps' services and
 * APIs take as their own — a referral the registry shows and moves on, a schedule whose pools the
 * booking service counts, a read with its study on the worklist, members the assign rule reads.
 */
describe('database factories', () => {
  let t: TestApp;
  let referrals: DataSource;
  let slots: DataSource;
  let diagnosis: DataSource;

  beforeAll(async () => {
    t = await startTestApp({
      features: [ReferralRegistryModule, SpecialistSlotsModule, RemoteDiagnosisModule],
      dataSources: [REFERRAL_DATA_SOURCE, SCHEDULING_DATA_SOURCE, DIAGNOSIS_DATA_SOURCE],
      env: { DICOM_STORAGE_DIR: mkdtempSync(join(tmpdir(), 'countylink-dicom-')) },
    });
    referrals = t.app.get<DataSource>(getDataSourceToken(REFERRAL_DATA_SOURCE));
    slots = t.app.get<DataSource>(getDataSourceToken(SCHEDULING_DATA_SOURCE));
    diagnosis = t.app.get<DataSource>(getDataSourceToken(DIAGNOSIS_DATA_SOURCE));
  });
  afterAll(() => t?.close());

  const as = async (login: string | Principal) =>
    `Bearer ${typeof login === 'string' ? await t.token(login) : await t.mint(login)}`;
  const get = async (login: string | Principal, path: string) =>
    request(t.url)
      .get(path)
      .set('Authorization', await as(login));
  const post = async (login: string | Principal, path: string, body: object = {}, key?: string) => {
    const req = request(t.url)
      .post(path)
      .set('Authorization', await as(login));
    return (key ? req.set('Idempotency-Key', key) : req).send(body);
  };
  const cardiologist: Principal = {
    sub: 'county-cardiology',
    roles: [Role.CountySpecialist],
    institutionId: 'county-hospital',
    departmentId: 'cardiology',
  };

  describe('referrals', () => {
    it('writes a referral with its patient and history that the registry shows to its ends only', async () => {
      const referral = await insertReferral(referrals, { status: 'received' });
      const res = await get('county-cardiology', `/api/referrals/${referral.id}`);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        id: referral.id,
        direction: 'up',
        status: 'received',
        urgency: 'urgent',
        version: 2,
        patient: {
          patientId: referral.patientId,
          name: '王建国',
          sex: 'male',
          birthDate: '1956-03-14',
          identityNumberMasked: null,
        },
        from: { institutionId: 'township-a', departmentId: 'family-doctor-team', practitionerId: 'family-doctor-a' },
        to: { institutionId: 'county-hospital', departmentId: 'cardiology' },
        diagnosis: { code: 'I20.0', display: '不稳定型心绞痛', inTownshipCatalog: false },
        responseDueAt: new Date(referral.createdAt.getTime() + 120 * 60_000).toISOString(),
      });
      expect(
        res.body.history.map((h: { action: string; fromStatus: string | null; toStatus: string }) => [
          h.action,
          h.fromStatus,
          h.toStatus,
        ]),
      ).toEqual([
        ['create', null, 'requested'],
        ['receive', 'requested', 'received'],
      ]);
      expect(res.body.history[0].by).toEqual({
        subject: 'family-doctor-a',
        institutionId: 'township-a',
        roles: ['family-doctor', 'township-doctor'],
      });
      expect((await get('family-doctor-a', `/api/referrals/${referral.id}`)).status).toBe(200);
      expect((await get('township-b-doctor', `/api/referrals/${referral.id}`)).status).toBe(404);
    });

    it('gives ReferralService a referral it moves on: accepted by the department, with its history and version', async () => {
      const referral = await insertReferral(referrals, { status: 'received' });
      const accepted = await t.app.get(ReferralService).transition(cardiologist, referral.id, 'accept', undefined);
      expect(accepted).toMatchObject({ id: referral.id, status: 'accepted', version: 3 });
      expect(await referrals.manager.findOneByOrFail(Referral, { id: referral.id })).toMatchObject({
        status: 'accepted',
        version: 3,
      });
      const history = await referrals.query(
        'SELECT action, from_status, to_status, actor_subject FROM referral.referral_history WHERE referral_id = $1 ORDER BY id',
        [referral.id],
      );
      expect(history).toEqual([
        { action: 'create', from_status: null, to_status: 'requested', actor_subject: 'family-doctor-a' },
        { action: 'receive', from_status: 'requested', to_status: 'received', actor_subject: 'county-coordinator' },
        { action: 'accept', from_status: 'received', to_status: 'accepted', actor_subject: 'county-cardiology' },
      ]);
      // The state machine holds for factory rows as for any: a completed one cannot be accepted.
      const completed = await insertReferral(referrals, { status: 'completed' });
      await expect(
        t.app.get(ReferralService).transition(cardiologist, completed.id, 'accept', undefined),
      ).rejects.toMatchObject({ code: 'REFERRAL_INVALID_TRANSITION' });
    });

    it('stores the identity number as the service does, so a down-referral can return from a factory up-referral', async () => {
      const identityNumber = '11010519491231002X';
      const up = await insertReferral(referrals, { status: 'arrived' }, { identityNumber });
      expect(up.patientIdentityMasked).toBe('110***********002X');
      const down = await post(
        'county-cardiology',
        '/api/referrals',
        {
          patient: {
            patientId: up.patientId,
            name: up.patientName,
            sex: 'male',
            birthDate: '1956-03-14',
            identityNumber,
          },
          toInstitutionId: 'township-a',
          toDepartmentId: 'general-practice',
          urgency: 'routine',
          diagnosis: { code: 'I20.0', display: '不稳定型心绞痛' },
          clinicalSummary: '冠脉支架术后，病情稳定',
          reason: '转回基层康复',
          returnsFromReferralId: up.id,
          rehabilitationPlan: '双抗12个月；每月随访',
        },
        `key-${up.id}`,
      );
      expect(down.status).toBe(201);
      expect(down.body).toMatchObject({
        direction: 'down',
        returnsFromReferralId: up.id,
        patient: { identityNumberMasked: '110***********002X' },
      });
      // With another key the hash differs, and the service refuses the link as another patient's.
      const stranger = await insertReferral(
        referrals,
        { status: 'arrived', patientBirthDate: null },
        { identityNumber, identityHashKey: `not-${TEST_IDENTITY_HASH_KEY}` },
      );
      const refused = await post(
        'county-cardiology',
        '/api/referrals',
        {
          patient: { patientId: stranger.patientId, name: stranger.patientName, sex: 'male', identityNumber },
          toInstitutionId: 'township-a',
          urgency: 'routine',
          diagnosis: { code: 'I20.0', display: '不稳定型心绞痛' },
          clinicalSummary: '-',
          reason: '-',
          returnsFromReferralId: stranger.id,
          rehabilitationPlan: '随访',
        },
        `key-${stranger.id}`,
      );
      expect({ status: refused.status, code: refused.body.error?.code }).toEqual({
        status: 422,
        code: 'REFERRAL_RETURN_LINK_INVALID',
      });
    });

    it('refuses the data source of another app by name', async () => {
      await expect(insertReferral(slots)).rejects.toThrow(
        'Referral is not an entity of this data source: pass the data source of referral-registry',
      );
      expect(buildReferral({ direction: 'down' })).toMatchObject({
        fromInstitutionId: 'county-hospital',
        toInstitutionId: 'township-a',
        rehabilitationPlan: expect.any(String),
      });
    });
  });

  describe('schedules', () => {
    it('writes a schedule whose two pools the slots API reports open, with the counts its appointments took', async () => {
      const schedule = await insertSchedule(slots, { capacity: 5 });
      await insertAppointment(slots, schedule);
      await insertAppointment(slots, schedule, { status: 'cancelled' });
      const res = await get('family-doctor-a', `/api/schedules/${schedule.id}`);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        id: schedule.id,
        kind: 'clinic-session',
        institutionId: 'county-hospital',
        departmentId: 'cardiology',
        capacity: 5,
        reservedShare: 0.2,
        reservedAtPublication: 1,
        version: 2,
        pools: {
          reserved: { capacity: 1, booked: 0, available: 1, state: 'open' },
          general: { capacity: 4, booked: 1, available: 3, state: 'open' },
        },
      });
    });

    it('books the last places through BookingService and then answers POOL_FULL, as for a published schedule', async () => {
      const schedule = await insertSchedule(slots, { capacity: 5 });
      for (let i = 0; i < 3; i++) await insertAppointment(slots, schedule);
      const last = await post(
        'his-county',
        '/api/appointments',
        { scheduleId: schedule.id, pool: 'general', patient: { patientId: 'CH-LAST', name: '赵桂兰', sex: 'female' } },
        `last-${schedule.id}`,
      );
      expect(last.status).toBe(201);
      const full = await post(
        'his-county',
        '/api/appointments',
        { scheduleId: schedule.id, pool: 'general', patient: { patientId: 'CH-MORE', name: '钱志强', sex: 'male' } },
        `more-${schedule.id}`,
      );
      expect({ status: full.status, code: full.body.error?.code }).toEqual({
        status: 409,
        code: 'SCHEDULING_POOL_FULL',
      });
      // The table's CHECKs hold for factory appointments too: no fifth general place.
      await expect(insertAppointment(slots, schedule)).rejects.toThrow(/ck_schedule_general_booked/);
    });

    it('gives a factory referral to the slots app, whose family doctor takes the reserved place for its patient', async () => {
      const referral = await insertReferral(referrals, { status: 'accepted' });
      await insertReferralSnapshot(slots, {}, referral);
      const schedule = await insertSchedule(slots);
      const booked = await post(
        'family-doctor-a',
        '/api/appointments',
        { scheduleId: schedule.id, referralId: referral.id },
        `reserved-${referral.id}`,
      );
      expect(booked.status).toBe(201);
      expect(booked.body).toMatchObject({
        scheduleId: schedule.id,
        pool: 'reserved',
        status: 'booked',
        referralId: referral.id,
      });
      const [row] = await slots.query(
        'SELECT patient_id, patient_name, patient_institution_id FROM scheduling.appointment WHERE referral_id = $1',
        [referral.id],
      );
      expect(row).toEqual({
        patient_id: referral.patientId,
        patient_name: '王建国',
        patient_institution_id: 'township-a',
      });
      // Township B's snapshot is not township A's to book on.
      const other = await insertReferralSnapshot(slots, {
        fromInstitutionId: 'township-b',
        fromPractitionerId: 'township-b-doctor',
      });
      const refused = await post(
        'family-doctor-a',
        '/api/appointments',
        { scheduleId: schedule.id, referralId: other.id },
        `reserved-${other.id}`,
      );
      expect({ status: refused.status, code: refused.body.error?.code }).toEqual({
        status: 422,
        code: 'SCHEDULING_NO_OPEN_REFERRAL',
      });
    });
  });

  describe('reads and studies', () => {
    it('writes a read with its study that the worklist, QIDO-RS and the study scope take as uploaded', async () => {
      const { read, study, instances } = await insertReadWithStudy(diagnosis, {}, { instances: 2 });
      const seen = await get('county-ecg', `/api/reads/${read.id}`);
      expect(seen.status).toBe(200);
      expect(seen.body).toMatchObject({ id: read.id, status: 'ready', modality: 'ECG', priority: 'emergency' });
      expect(seen.body.studies).toEqual([
        { studyInstanceUid: study.studyInstanceUid, studyDate: study.studyDate, accessionNumber: read.accessionNumber },
      ]);
      const found = await get('township-a-doctor', `/dicomweb/studies?PatientID=${read.patientId}`);
      expect(found.status).toBe(200);
      expect(
        found.body.map((s: Record<string, { Value?: unknown[] }>) => [
          s['0020000D']?.Value?.[0],
          s['00201208']?.Value?.[0],
        ]),
      ).toEqual([[study.studyInstanceUid, instances.length]]);
      expect((await get('county-ecg', `/dicomweb/studies?PatientID=${read.patientId}`)).body).toHaveLength(1);
      expect((await get('township-b-doctor', `/dicomweb/studies?PatientID=${read.patientId}`)).body).toEqual([]);
      expect((await get('township-b-doctor', `/api/reads/${read.id}`)).status).toBe(404);
    });

    it('gives ReadService a ready read that the routed department claims and reports, and no other', async () => {
      const read = await insertRead(diagnosis);
      expect(read).toMatchObject({
        readingDepartmentId: 'ecg-room',
        dueAt: new Date(read.readyAt!.getTime() + 15 * 60_000),
      });
      const wrongDepartment = await post('county-cardiology', `/api/reads/${read.id}/claim`);
      expect({ status: wrongDepartment.status, code: wrongDepartment.body.error?.code }).toEqual({
        status: 403,
        code: 'READ_NOT_ALLOWED',
      });
      expect((await post('county-ecg', `/api/reads/${read.id}/claim`)).body).toMatchObject({
        status: 'claimed',
        claim: { by: 'county-ecg' },
      });
      const reported = await post('county-ecg', `/api/reads/${read.id}/report`, {
        findings: '窦性心律',
        impression: '正常心电图',
        treatmentPlan: '门诊随访',
      });
      expect(reported.status).toBe(200);
      expect(reported.body).toMatchObject({
        status: 'reported',
        report: { kind: 'original', impression: '正常心电图' },
      });
    });

    it('writes a reported read with its signed report, which takes an addendum and no second report', async () => {
      const read = await insertRead(diagnosis, { status: 'reported' });
      const seen = await get('township-a-doctor', `/api/reads/${read.id}`);
      expect(seen.body).toMatchObject({
        status: 'reported',
        reports: [{ kind: 'original', impression: '急性前壁ST段抬高型心肌梗死' }],
      });
      const again = await post('county-ecg', `/api/reads/${read.id}/report`, {
        findings: '-',
        impression: '-',
        treatmentPlan: '-',
      });
      expect({ status: again.status, code: again.body.error?.code }).toEqual({
        status: 409,
        code: 'READ_INVALID_TRANSITION',
      });
      const addendum = await post('county-ecg', `/api/reads/${read.id}/report`, {
        findings: '复查',
        impression: '同前',
        treatmentPlan: '同前',
        addendum: true,
      });
      expect(addendum.status).toBe(200);
    });
  });

  describe('known members', () => {
    it('are the directory the assign rule reads: a factory department head gives a read to a factory specialist', async () => {
      const head = await insertKnownMember(diagnosis, { duty: 'department-head' });
      const specialist = await insertKnownMember(diagnosis);
      const neurologist = await insertKnownMember(diagnosis, { departmentId: 'neurology' });
      const read = await insertRead(diagnosis, { readingDepartmentId: 'cardiology' });
      const headToken: Principal = {
        sub: head.id,
        roles: [Role.CountySpecialist],
        institutionId: 'county-hospital',
        departmentId: 'cardiology',
      };
      const outside = await post(headToken, `/api/reads/${read.id}/assign`, {
        readerId: neurologist.id,
        reason: '急诊优先',
      });
      expect({ status: outside.status, code: outside.body.error?.code }).toEqual({
        status: 422,
        code: 'READ_ASSIGNEE_INVALID',
      });
      const given = await post(headToken, `/api/reads/${read.id}/assign`, {
        readerId: specialist.id,
        reason: '急诊优先',
      });
      expect(given.status).toBe(200);
      expect(given.body).toMatchObject({ status: 'claimed', claim: { by: specialist.id } });
      // A specialist of the same department who is not head may not.
      const notHead = await post({ ...headToken, sub: specialist.id }, `/api/reads/${read.id}/assign`, {
        readerId: specialist.id,
        reason: '-',
      });
      expect({ status: notHead.status, code: notHead.body.error?.code }).toEqual({
        status: 403,
        code: 'READ_NOT_ALLOWED',
      });
    });
  });
});
