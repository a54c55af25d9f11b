import { readFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { fhirR4Errors } from '@countylink/testing';
import { DiagnosisTestApp, fixture, startDiagnosisApp, stow } from './support/diagnosis-fixtures';
import { cloneWithNewUids } from './support/dicom-writer';
import { ecgOrder, getAs, orderRead, readAction, STEMI_REPORT } from './support/read-helpers';

const DCM = 'http://dicom.nema.org/resources/ontology/DCM';
const decode = (attachment: { data: string }) => Buffer.from(attachment.data, 'base64').toString('utf8');

describe('FHIR R4 views of studies and signed reads', () => {
  let t: DiagnosisTestApp;
  const ecg = readFileSync(fixture('waveform_ecg.dcm'));
  const ct = readFileSync(fixture('CT_small.dcm'));

  beforeAll(async () => {
    t = await startDiagnosisApp();
  });
  afterAll(() => t?.close());

  /** A township ECG, ordered and uploaded, on the county worklist. */
  async function readyEcg() {
    const order = ecgOrder();
    const ordered = await orderRead(t, 'township-a-doctor', order);
    expect(ordered.status).toBe(201);
    const { bytes, ids } = cloneWithNewUids(ecg, {
      x00080050: order.accessionNumber,
      x00100020: order.patient.patientId,
    });
    expect((await stow(t, 'township-a-doctor', [bytes])).status).toBe(200);
    return { id: ordered.body.id as string, order, ids };
  }

  it('serves a reported ECG with a critical value and an addendum, and its study, as valid FHIR R4 that point at each other', async () => {
    const { id, order, ids } = await readyEcg();
    const early = await getAs(t, 'township-a-doctor', `/fhir/DiagnosticReport/${id}`);
    expect(early.status).toBe(404);
    expect(early.body).toMatchObject({
      resourceType: 'OperationOutcome',
      issue: [{ code: 'not-found', diagnostics: expect.stringContaining('no signed report') }],
    });
    expect(fhirR4Errors(early.body)).toEqual([]);
    expect((await readAction(t, 'county-ecg', id, 'claim')).status).toBe(200);
    expect((await getAs(t, 'township-a-doctor', `/fhir/DiagnosticReport/${id}`)).status).toBe(404);
    expect((await readAction(t, 'county-ecg', id, 'report', STEMI_REPORT)).status).toBe(200);
    const { criticalValue: _cv, ...plain } = STEMI_REPORT;
    const addendum = { ...plain, impression: '补充：建议复查心肌酶谱', treatmentPlan: '6小时后复查肌钙蛋白' };
    expect((await readAction(t, 'county-ecg', id, 'report', { ...addendum, addendum: true })).status).toBe(200);
    const signed = (await getAs(t, 'township-a-doctor', `/api/reads/${id}`)).body.reports;

    const res = await getAs(t, 'township-a-doctor', `/fhir/DiagnosticReport/${id}`);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/application\/fhir\+json/);
    const dr = res.body;
    expect(dr).toMatchObject({
      resourceType: 'DiagnosticReport',
      id,
      status: 'appended',
      category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v2-0074', code: 'EC' }] }],
      code: { coding: [{ system: 'http://loinc.org', code: '11524-6' }] },
      subject: {
        identifier: { system: 'urn:countylink:patient:township-a', value: order.patient.patientId },
        display: order.patient.name,
      },
      basedOn: [{ type: 'ServiceRequest', identifier: { system: 'urn:countylink:read', value: id } }],
      imagingStudy: [{ reference: `ImagingStudy/${ids.studyInstanceUid}` }],
      effectiveDateTime: '2013-01-25',
      issued: signed[1].signedAt,
      performer: [{ display: 'county-hospital/ecg-room' }],
    });
    expect(dr.identifier).toContainEqual(expect.objectContaining({ value: order.accessionNumber }));
    expect(dr.resultsInterpreter.map((r: { display: string }) => r.display)).toEqual(['county-ecg']); // one interpreter, however many reports they signed
    // The original stays first and whole; the addendum follows it.
    expect(dr.conclusion.startsWith(`${STEMI_REPORT.impression}\n治疗方案: ${STEMI_REPORT.treatmentPlan}`)).toBe(true);
    expect(dr.conclusion.indexOf(addendum.impression)).toBeGreaterThan(
      dr.conclusion.indexOf(STEMI_REPORT.treatmentPlan),
    );
    expect(dr.conclusion).toContain(addendum.treatmentPlan);
    expect(dr.conclusionCode).toEqual([
      {
        coding: [
          {
            system: 'http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation',
            code: 'AA',
            display: 'Critical abnormal',
          },
          { system: 'urn:countylink:critical-value', code: 'acute-stemi' },
        ],
        text: `危急值: ${STEMI_REPORT.criticalValue.description}`,
      },
    ]);
    expect(dr.presentedForm.map(decode)).toEqual([
      expect.stringContaining(STEMI_REPORT.findings),
      expect.stringContaining(addendum.impression),
    ]);
    expect(decode(dr.presentedForm[0])).toContain(STEMI_REPORT.criticalValue.description);
    expect(fhirR4Errors(dr)).toEqual([]);

    // Follow the report to its study.
    const study = (await getAs(t, 'county-ecg', `/fhir/${dr.imagingStudy[0].reference}`)).body;
    expect(study).toMatchObject({
      resourceType: 'ImagingStudy',
      id: ids.studyInstanceUid,
      status: 'available',
      modality: [{ system: DCM, code: 'ECG' }],
      subject: { identifier: dr.subject.identifier },
      basedOn: [{ identifier: { system: 'urn:countylink:read', value: id } }],
      started: '2013-01-25T10:59:19+08:00',
      numberOfSeries: 1,
      numberOfInstances: 1,
      series: [
        {
          uid: ids.seriesInstanceUid,
          modality: { system: DCM, code: 'ECG' },
          numberOfInstances: 1,
          instance: [
            {
              uid: ids.sopInstanceUid,
              number: 1,
              sopClass: { system: 'urn:ietf:rfc:3986', code: 'urn:oid:1.2.840.10008.5.1.4.1.1.9.1.1' },
            },
          ],
        },
      ],
    });
    expect(study.identifier).toContainEqual({ system: 'urn:dicom:uid', value: `urn:oid:${ids.studyInstanceUid}` });
    expect(study.identifier).toContainEqual(
      expect.objectContaining({ system: 'urn:countylink:accession:township-a', value: order.accessionNumber }),
    );
    expect(fhirR4Errors(study)).toEqual([]);
    // The contained Endpoint is a working DICOMweb base for this study.
    const endpoint = study.contained.find((r: { id: string }) => `#${r.id}` === study.endpoint[0].reference);
    expect(endpoint).toMatchObject({
      resourceType: 'Endpoint',
      connectionType: { code: 'dicom-wado-rs' },
      address: `${t.url}/dicomweb`,
    });
    const series = await request(endpoint.address)
      .get(`/studies/${ids.studyInstanceUid}/series`)
      .set('Authorization', `Bearer ${await t.token('county-ecg')}`);
    expect(series.status).toBe(200);
    expect(series.body[0]['0020000E'].Value).toEqual([ids.seriesInstanceUid]);

    // The validator would notice these going wrong (so the checks above can fail).
    expect(fhirR4Errors({ ...dr, status: 'signed' })).not.toEqual([]);
    expect(fhirR4Errors({ ...study, status: 'done' })).not.toEqual([]);
    const { subject: _subject, ...anonymous } = study;
    expect(fhirR4Errors(anonymous)).not.toEqual([]);

    const audit = await t.dataSource.query(
      `SELECT action, actor_subject, resource_id FROM diagnosis.audit_entry WHERE reason = 'fhir' AND resource_id IN ($1, $2) ORDER BY id`,
      [id, ids.studyInstanceUid],
    );
    expect(audit).toEqual([
      { action: 'read.read', actor_subject: 'township-a-doctor', resource_id: id },
      { action: 'read.read', actor_subject: 'township-a-doctor', resource_id: id },
      { action: 'read.read', actor_subject: 'township-a-doctor', resource_id: id },
      { action: 'study.read', actor_subject: 'county-ecg', resource_id: ids.studyInstanceUid },
    ]);
  });

  it('serves a CT read without a critical value as a final radiology report', async () => {
    const patientId = `CT-${randomUUID().slice(0, 8)}`;
    const { bytes, ids } = cloneWithNewUids(ct, { x00100020: patientId });
    expect((await stow(t, 'township-a-doctor', [bytes])).status).toBe(200);
    const study = (await getAs(t, 'township-a-doctor', `/fhir/ImagingStudy/${ids.studyInstanceUid}`)).body;
    expect(study).toMatchObject({
      modality: [{ system: DCM, code: 'CT' }],
      started: '2004-01-19T07:27:30+08:00',
      subject: { display: 'CompressedSamples CT1' },
    });
    expect(fhirR4Errors(study)).toEqual([]);
    // The read this study came in for, as the read API lists it for that patient.
    const [read] = (await getAs(t, 'township-a-doctor', `/api/reads?patientId=${patientId}`)).body.items;
    expect(study.basedOn[0].identifier.value).toBe(read.id);

    expect((await readAction(t, 'county-radiology', read.id, 'claim')).status).toBe(200);
    const { criticalValue: _cv, ...plain } = STEMI_REPORT;
    const report = {
      ...plain,
      findings: '右下肺野斑片状高密度影',
      impression: '右下肺炎',
      treatmentPlan: '抗感染治疗，1周后复查',
    };
    expect((await readAction(t, 'county-radiology', read.id, 'report', report)).status).toBe(200);
    const dr = (await getAs(t, 'township-a-doctor', `/fhir/DiagnosticReport/${read.id}`)).body;
    expect(dr).toMatchObject({
      status: 'final',
      category: [{ coding: [{ code: 'RAD' }] }],
      code: { coding: [{ system: 'http://loinc.org', code: '18748-4' }] },
      conclusion: `${report.impression}\n治疗方案: ${report.treatmentPlan}`,
      performer: [{ display: 'county-hospital/radiology' }],
      resultsInterpreter: [{ display: 'county-radiology' }],
    });
    expect(dr.conclusionCode).toBeUndefined();
    expect(dr.presentedForm).toHaveLength(1);
    expect(fhirR4Errors(dr)).toEqual([]);
  });

  it("hides another institution's study and report, and answers errors as OperationOutcome", async () => {
    const { id, ids } = await readyEcg();
    expect((await readAction(t, 'county-ecg', id, 'claim')).status).toBe(200);
    expect((await readAction(t, 'county-ecg', id, 'report', STEMI_REPORT)).status).toBe(200);
    expect((await getAs(t, 'township-a-doctor', `/fhir/DiagnosticReport/${id}`)).status).toBe(200);
    expect((await getAs(t, 'township-a-doctor', `/fhir/ImagingStudy/${ids.studyInstanceUid}`)).status).toBe(200);

    const pairs = [
      [`/fhir/DiagnosticReport/${id}`, `/fhir/DiagnosticReport/${randomUUID()}`],
      [
        `/fhir/ImagingStudy/${ids.studyInstanceUid}`,
        `/fhir/ImagingStudy/${cloneWithNewUids(ecg).ids.studyInstanceUid}`,
      ],
    ];
    for (const [foreign, unknown] of pairs) {
      const [other, missing] = [
        await getAs(t, 'township-b-doctor', foreign),
        await getAs(t, 'township-b-doctor', unknown),
      ];
      for (const res of [other, missing]) {
        expect(res.status).toBe(404);
        expect(res.headers['content-type']).toMatch(/application\/fhir\+json/);
        expect(res.body).toMatchObject({
          resourceType: 'OperationOutcome',
          issue: [{ severity: 'error', code: 'not-found' }],
        });
        expect(fhirR4Errors(res.body)).toEqual([]);
      }
      // A foreign id and one that does not exist are answered alike.
      expect(other.body.issue[0].details).toEqual(missing.body.issue[0].details);
      const anonymous = await request(t.url).get(foreign);
      expect({
        status: anonymous.status,
        type: anonymous.body.resourceType,
        code: anonymous.body.issue?.[0]?.code,
      }).toEqual({ status: 401, type: 'OperationOutcome', code: 'login' });
    }
    expect((await getAs(t, 'township-a-doctor', '/fhir/ImagingStudy/not-a-uid')).status).toBe(404);
    expect((await getAs(t, 'group-admin', `/fhir/DiagnosticReport/${id}`)).body).toMatchObject({
      resourceType: 'OperationOutcome',
      issue: [{ code: 'forbidden' }],
    });
  });

  it("finds a patient's signed reports and studies by patient identifier, for those who may see them", async () => {
    const { id, order, ids } = await readyEcg();
    const patient = `urn:countylink:patient:township-a|${order.patient.patientId}`;
    const search = (login: string, type: string, q = `patient:identifier=${encodeURIComponent(patient)}`) =>
      getAs(t, login, `/fhir/${type}?${q}`);
    // Not signed yet: no report to find, but the study is there.
    expect((await search('township-a-doctor', 'DiagnosticReport')).body).toMatchObject({
      resourceType: 'Bundle',
      type: 'searchset',
      total: 0,
    });
    expect((await readAction(t, 'county-ecg', id, 'claim')).status).toBe(200);
    expect((await readAction(t, 'county-ecg', id, 'report', STEMI_REPORT)).status).toBe(200);

    for (const login of ['township-a-doctor', 'county-ecg']) {
      const reports = (await search(login, 'DiagnosticReport')).body;
      expect(reports).toMatchObject({
        total: 1,
        entry: [
          {
            fullUrl: `${t.url}/fhir/DiagnosticReport/${id}`,
            resource: { resourceType: 'DiagnosticReport', id, status: 'final' },
          },
        ],
      });
      expect(fhirR4Errors(reports)).toEqual([]);
      const studies = (await search(login, 'ImagingStudy')).body;
      expect(studies).toMatchObject({
        total: 1,
        entry: [{ resource: { resourceType: 'ImagingStudy', id: ids.studyInstanceUid, numberOfInstances: 1 } }],
      });
      expect(fhirR4Errors(studies)).toEqual([]);
    }
    // Another township finds nothing of township A's patient; a malformed search is a 400 OperationOutcome.
    for (const type of ['DiagnosticReport', 'ImagingStudy']) {
      expect((await search('township-b-doctor', type)).body).toMatchObject({ resourceType: 'Bundle', total: 0 });
      for (const bad of ['', 'patient:identifier=TA-1', `patient:identifier=${encodeURIComponent(patient)}&_count=0`]) {
        const refused = await search('township-a-doctor', type, bad);
        expect({ bad, status: refused.status, type: refused.body.resourceType }).toEqual({
          bad,
          status: 400,
          type: 'OperationOutcome',
        });
      }
    }
  });
});
