import { resolve } from 'node:path';
import request from 'supertest';
import { Role } from '@countylink/auth';
import { DiagnosisTestApp, startDiagnosisApp } from './support/diagnosis-fixtures';

const DEMO_TEMPLATES = resolve(__dirname, '../../apps/remote-diagnosis/seed/demo-report-templates.json');

const NORMAL_ECG = {
  modality: 'ECG',
  title: '正常心电图',
  findings: '窦性心律，心率72次/分，各导联P-QRS-T波形态未见异常',
  impression: '正常心电图',
  treatmentPlan: '无需特殊处理，如有不适随诊',
};

/**
 * 报告模板 over real HTTP and PostgreSQL: the group admin keeps them, county readers use them,
 * nobody else touches them, and a refused write leaves the table as it was.
 */
describe('report templates (/api/report-templates)', () => {
  let t: DiagnosisTestApp;
  const as = async (login: string) => `Bearer ${await t.token(login)}`;
  const list = async (login = 'group-admin', query = '') =>
    request(t.url)
      .get(`/api/report-templates${query}`)
      .set('Authorization', await as(login));
  const create = async (body: object, login = 'group-admin') =>
    request(t.url)
      .post('/api/report-templates')
      .set('Authorization', await as(login))
      .send(body);
  const update = async (id: string, body: object, login = 'group-admin') =>
    request(t.url)
      .put(`/api/report-templates/${id}`)
      .set('Authorization', await as(login))
      .send(body);
  const remove = async (id: string, login = 'group-admin') =>
    request(t.url)
      .delete(`/api/report-templates/${id}`)
      .set('Authorization', await as(login));
  /** Every row as stored, to show that a refused request changed nothing. */
  const rows = () => t.dataSource.query('SELECT * FROM diagnosis.report_template ORDER BY id');

  beforeAll(async () => {
    t = await startDiagnosisApp();
  });
  afterAll(async () => {
    await t?.close();
  });
  afterEach(async () => {
    await t.dataSource.query('DELETE FROM diagnosis.report_template');
  });

  it('lets the group admin create, list by modality, edit and delete a template', async () => {
    const created = await create({ ...NORMAL_ECG, title: '  正常心电图 ' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      ...NORMAL_ECG,
      version: 1,
      createdBy: 'group-admin',
      updatedBy: 'group-admin',
    });
    const id: string = created.body.id;
    const dx = await create({
      modality: 'DX',
      title: '胸部正位片未见异常',
      findings: '双肺纹理清晰',
      impression: '心肺膈未见异常',
      treatmentPlan: '随诊',
    });
    expect(dx.status).toBe(201);

    const ecgOnly = await list('group-admin', '?modality=ECG');
    expect(ecgOnly.status).toBe(200);
    expect(ecgOnly.body.items.map((i: { id: string }) => i.id)).toEqual([id]);
    expect((await list()).body.items.map((i: { modality: string }) => i.modality)).toEqual(['DX', 'ECG']);

    const edited = await update(id, { ...NORMAL_ECG, impression: '1. 窦性心律\n2. 正常心电图', version: 1 });
    expect(edited.status).toBe(200);
    expect(edited.body).toMatchObject({
      id,
      impression: '1. 窦性心律\n2. 正常心电图',
      version: 2,
      createdAt: created.body.createdAt,
    });
    expect(Date.parse(edited.body.updatedAt)).toBeGreaterThanOrEqual(Date.parse(created.body.updatedAt));
    expect((await list('group-admin', '?modality=ECG')).body.items[0]).toMatchObject({
      impression: '1. 窦性心律\n2. 正常心电图',
      version: 2,
    });

    expect((await remove(id)).status).toBe(204);
    expect((await list('group-admin', '?modality=ECG')).body.items).toEqual([]);
    const again = await remove(id);
    expect(again.status).toBe(404);
    expect(again.body.error.code).toBe('REPORT_TEMPLATE_NOT_FOUND');
    const unknownEdit = await update('7f1c2a5e-0000-4000-8000-000000000000', { ...NORMAL_ECG, version: 1 });
    expect(unknownEdit.status).toBe(404);
    expect((await update('not-a-uuid', { ...NORMAL_ECG, version: 1 })).status).toBe(404);
  });

  it('lets any county specialist list templates but not write them; township doctors and HIS get neither', async () => {
    const { body: template } = await create(NORMAL_ECG);
    for (const reader of ['county-ecg', 'county-radiology']) {
      const seen = await list(reader, '?modality=ECG');
      expect(seen.status).toBe(200);
      expect(seen.body.items).toEqual([template]);
    }
    const before = await rows();
    const specialistWrites = [
      await create({ ...NORMAL_ECG, title: '专科医生自建' }, 'county-ecg'),
      await update(template.id, { ...NORMAL_ECG, title: '改名', version: 1 }, 'county-ecg'),
      await remove(template.id, 'county-ecg'),
    ];
    for (const res of specialistWrites) {
      expect(res.status).toBe(403);
      expect(res.body.error.code).toBe('FORBIDDEN');
    }
    expect(await rows()).toEqual(before);
    for (const outsider of ['township-a-doctor', 'family-doctor-a', 'his-county', 'county-coordinator']) {
      expect((await list(outsider)).status).toBe(403);
      expect((await create({ ...NORMAL_ECG, title: outsider }, outsider)).status).toBe(403);
    }
    expect((await request(t.url).get('/api/report-templates')).status).toBe(401);
    // A token with both roles: the admin role is what allows the write.
    const adminToo = await t.mint({
      sub: 'county-admin',
      roles: [Role.CountySpecialist, Role.GroupAdmin],
      institutionId: 'county-hospital',
    });
    expect(
      (await request(t.url).delete(`/api/report-templates/${template.id}`).set('Authorization', `Bearer ${adminToo}`))
        .status,
    ).toBe(204);
  });

  it('answers bad input with a 400 naming the fields, and stores nothing', async () => {
    const { body: template } = await create(NORMAL_ECG);
    const before = await rows();
    const bad: Array<[object, string]> = [
      [{ ...NORMAL_ECG, modality: 'ecg' }, 'modality'],
      [{ ...NORMAL_ECG, modality: undefined }, 'modality'],
      [{ ...NORMAL_ECG, title: '   ' }, 'title'],
      [{ ...NORMAL_ECG, title: '长'.repeat(65) }, 'title'],
      [{ ...NORMAL_ECG, findings: ' \n ' }, 'findings'],
      [{ ...NORMAL_ECG, impression: 42 }, 'impression'],
      [{ ...NORMAL_ECG, treatmentPlan: 'x'.repeat(8001) }, 'treatmentPlan'],
      [{ ...NORMAL_ECG, criticalValue: 'acute-mi' }, 'criticalValue'],
    ];
    for (const [body, field] of bad) {
      const res = await create(body);
      expect({ field, status: res.status, code: res.body.error?.code }).toEqual({
        field,
        status: 400,
        code: 'VALIDATION_FAILED',
      });
      expect(res.body.error.details.map((d: { field: string }) => d.field)).toContain(field);
    }
    const badEdits: Array<[object, string]> = [
      [{ ...NORMAL_ECG }, 'version'],
      [{ ...NORMAL_ECG, version: 0 }, 'version'],
      [{ ...NORMAL_ECG, version: '1' }, 'version'],
      [{ ...NORMAL_ECG, findings: '', version: 1 }, 'findings'],
    ];
    for (const [body, field] of badEdits) {
      const res = await update(template.id, body);
      expect({ field, status: res.status }).toEqual({ field, status: 400 });
      expect(res.body.error.details.map((d: { field: string }) => d.field)).toContain(field);
    }
    const malformed = await request(t.url)
      .post('/api/report-templates')
      .set('Authorization', await as('group-admin'))
      .set('Content-Type', 'application/json')
      .send('{"modality": "ECG",');
    expect(malformed.status).toBe(400);
    expect((await list('county-ecg', '?modality=ECG;DROP')).status).toBe(400);
    expect(await rows()).toEqual(before);
    expect(before).toHaveLength(1);
  });

  it('refuses a second template of the same title and modality (409), also by renaming', async () => {
    const first = await create(NORMAL_ECG);
    const duplicate = await create({ ...NORMAL_ECG, findings: '另一段所见' });
    expect(duplicate.status).toBe(409);
    expect(duplicate.body.error).toMatchObject({
      code: 'REPORT_TEMPLATE_EXISTS',
      details: { modality: 'ECG', title: '正常心电图' },
    });
    // The same title under another modality is another template.
    const dx = await create({ ...NORMAL_ECG, modality: 'DX' });
    expect(dx.status).toBe(201);
    const other = await create({ ...NORMAL_ECG, title: '窦性心动过速' });
    const before = await rows();
    const renamed = await update(other.body.id, { ...NORMAL_ECG, version: 1 });
    expect(renamed.status).toBe(409);
    expect(renamed.body.error.code).toBe('REPORT_TEMPLATE_EXISTS');
    expect(await rows()).toEqual(before);
    expect(first.status).toBe(201);
  });

  it('refuses an edit from a stale version (409 with the current one) and keeps the newer text', async () => {
    const { body: template } = await create(NORMAL_ECG);
    const mine = await update(template.id, { ...NORMAL_ECG, treatmentPlan: '定期复查心电图', version: 1 });
    expect(mine.status).toBe(200);
    const before = await rows();
    const theirs = await update(template.id, { ...NORMAL_ECG, treatmentPlan: '基于旧版本的修改', version: 1 });
    expect(theirs.status).toBe(409);
    expect(theirs.body.error).toMatchObject({ code: 'REPORT_TEMPLATE_STALE', details: { currentVersion: 2 } });
    expect(await rows()).toEqual(before);

    // Two edits from the same version at once: exactly one wins.
    const racing = await Promise.all([
      update(template.id, { ...NORMAL_ECG, treatmentPlan: '甲', version: 2 }),
      update(template.id, { ...NORMAL_ECG, treatmentPlan: '乙', version: 2 }),
    ]);
    expect(racing.map((r) => r.status).sort()).toEqual([200, 409]);
    const winner = racing.find((r) => r.status === 200)!.body;
    expect((await list('county-ecg', '?modality=ECG')).body.items).toEqual([
      expect.objectContaining({ treatmentPlan: winner.treatmentPlan, version: 3 }),
    ]);
  });

  it("seeds the demo templates into an empty group once, and leaves the admin's list alone at the next start", async () => {
    const databaseUrl = t.config.DATABASE_URL;
    let seeded = await startDiagnosisApp({ databaseUrl, env: { REPORT_TEMPLATE_SEED_FILE: DEMO_TEMPLATES } });
    try {
      const res = await request(seeded.url)
        .get('/api/report-templates')
        .set('Authorization', `Bearer ${await seeded.token('county-ecg')}`);
      const byModality = (m: string) =>
        res.body.items.filter((i: { modality: string }) => i.modality === m).map((i: { title: string }) => i.title);
      expect(byModality('ECG')).toEqual(
        expect.arrayContaining(['正常心电图', '心房颤动', '急性下壁ST段抬高型心肌梗死']),
      );
      expect(byModality('DX')).toEqual(expect.arrayContaining(['胸部正位片未见异常', '气胸']));
      const normal = res.body.items.find((i: { title: string }) => i.title === '正常心电图');
      expect(
        (
          await request(seeded.url)
            .delete(`/api/report-templates/${normal.id}`)
            .set('Authorization', `Bearer ${await seeded.token('group-admin')}`)
        ).status,
      ).toBe(204);
      const kept = await seeded.dataSource.query('SELECT id, version FROM diagnosis.report_template ORDER BY id');
      await seeded.close();
      seeded = await startDiagnosisApp({ databaseUrl, env: { REPORT_TEMPLATE_SEED_FILE: DEMO_TEMPLATES } });
      expect(await seeded.dataSource.query('SELECT id, version FROM diagnosis.report_template ORDER BY id')).toEqual(
        kept,
      );
    } finally {
      await seeded.close();
    }
  });
});
