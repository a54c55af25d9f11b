import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Browser, BrowserContext, Page } from 'playwright-core';
import request from 'supertest';
import { TestApp } from '@countylink/testing';
import { multipartBody } from '../remote-diagnosis/support/diagnosis-fixtures';
import { cloneWithNewUids } from '../remote-diagnosis/support/dicom-writer';
import { startConsoleApp } from './support/console-app';
import { REPO } from './support/console-build';
import { launchChromium, screenshot, signedInPage } from './support/console-browser';

const ECG_FILE = join(REPO, 'test/fixtures/dicom/waveform_ecg.dcm');
const TEMPLATE = {
  title: '急性前壁心肌梗死',
  findings: '窦性心律，心率92次/分；V1–V4导联ST段弓背向上抬高0.3–0.5mV',
  impression: '急性前壁ST段抬高型心肌梗死',
  treatmentPlan: '立即嚼服阿司匹林300mg、替格瑞洛180mg；启动胸痛中心绿色通道，转县医院行急诊PCI',
};
// Several browsers on two cores, beside other suites, outlast jest's default minute.
const TEST_MS = 180_000;

/**
 * 报告模板 in Chromium against the whole backbone: the group admin writes a template on the admin
 * screen, and the ECG room starts a report from it (asked first, since it had typed something).
 */
describe('clinician console: report templates (Chromium)', () => {
  let t: TestApp;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  const open = (login: string): Promise<Page> => signedInPage(browser, t.url, login, contexts);

  beforeAll(async () => {
    [t, browser] = await Promise.all([startConsoleApp(), launchChromium()]);
  }, 240_000);
  afterAll(async () => {
    for (const c of contexts) await c.close();
    await browser?.close();
    await t?.close();
  });

  it(
    'lets the group admin create, edit and delete templates on 报告模板, and not a county reader',
    async () => {
      const admin = await open('group-admin');
      await admin.locator('.ant-menu-item').getByText('报告模板', { exact: true }).click();
      await admin.waitForURL(/\/admin\/report-templates$/);
      await admin.getByTestId('template-new').click();
      const form = admin.getByTestId('template-form');
      await form.waitFor();
      // The modality starts as ECG (no filter chosen); the rest is typed.
      await form.locator('.ant-select-selection-item[title="心电图（ECG）"]').waitFor();
      await admin.getByTestId('template-title').fill(TEMPLATE.title);
      await admin.getByTestId('template-findings').fill(TEMPLATE.findings);
      await admin.getByTestId('template-impression').fill(TEMPLATE.impression);
      await admin.getByTestId('template-plan').fill(TEMPLATE.treatmentPlan);
      const saved = admin.waitForResponse(
        (res) => res.url().endsWith('/api/report-templates') && res.request().method() === 'POST',
      );
      await admin.getByTestId('template-save').click();
      expect((await saved).status()).toBe(201);
      await admin.locator('tr[data-template-id]').getByText(TEMPLATE.title, { exact: true }).waitFor();
      await screenshot(admin, 'templates-01-admin-list');

      const stored = await request(t.url)
        .get('/api/report-templates?modality=ECG')
        .set('Authorization', `Bearer ${await t.token('county-ecg')}`);
      expect(stored.body.items).toEqual([
        expect.objectContaining({ modality: 'ECG', ...TEMPLATE, createdBy: 'group-admin', version: 1 }),
      ]);

      // A DX template (made over the API) edited and then removed on the screen, the list filtered to DX.
      const admin$ = `Bearer ${await t.token('group-admin')}`;
      const dx = await request(t.url).post('/api/report-templates').set('Authorization', admin$).send({
        modality: 'DX',
        title: '气胸',
        findings: '左侧胸腔外带见无肺纹理透亮区',
        impression: '左侧气胸',
        treatmentPlan: '吸氧，联系胸外科',
      });
      expect(dx.status).toBe(201);
      await admin.getByTestId('template-filter').getByText('X线 (DR)', { exact: true }).click();
      const dxRow = admin.locator(`tr[data-template-id="${dx.body.id}"]`);
      await dxRow.waitFor();
      expect(await admin.locator('tr[data-template-id]').count()).toBe(1);
      await dxRow.getByTestId('template-edit').click();
      await admin.getByTestId('template-impression').fill('左侧气胸（肺组织压缩约30%）');
      const edited = admin.waitForResponse(
        (res) => res.url().endsWith(`/api/report-templates/${dx.body.id}`) && res.request().method() === 'PUT',
      );
      await admin.getByTestId('template-save').click();
      const editAnswer = await edited;
      expect(editAnswer.request().postDataJSON()).toMatchObject({
        version: 1,
        impression: '左侧气胸（肺组织压缩约30%）',
      });
      expect(`${editAnswer.status()} ${await editAnswer.text()}`).toMatch(/^200 /);
      await dxRow.getByText('左侧气胸（肺组织压缩约30%）').waitFor();
      await dxRow.getByTestId('template-delete').click();
      await admin.getByTestId('template-delete-confirm').click();
      await dxRow.waitFor({ state: 'detached' });
      const left = await request(t.url).get('/api/report-templates').set('Authorization', admin$);
      expect(left.body.items.map((i: { title: string }) => i.title)).toEqual([TEMPLATE.title]);

      // The screen is the admin's alone: a county reader is neither offered it nor let in.
      const reader = await open('county-ecg');
      expect(await reader.locator('.ant-menu-item').getByText('报告模板', { exact: true }).count()).toBe(0);
      await reader.goto(`${t.url}/admin/report-templates`);
      await reader.getByTestId('user-name').waitFor();
      expect(await reader.getByTestId('template-new').count()).toBe(0);
    },
    TEST_MS,
  );

  it(
    "fills a claimed ECG read's report from the template, asking before it replaces what the reader typed",
    async () => {
      // The township's side over the API: an ECG ordered, its tracing uploaded, the ECG room claiming it.
      const township = `Bearer ${await t.token('township-a-doctor')}`;
      const patientId = `TA-TPL-${randomUUID().slice(0, 6)}`;
      const order = await request(t.url)
        .post('/api/reads')
        .set('Authorization', township)
        .set('Idempotency-Key', randomUUID())
        .send({
          patient: { patientId, name: '赵春华', sex: 'F' },
          modality: 'ECG',
          priority: 'emergency',
          clinicalQuestion: '胸痛1小时',
        });
      expect(order.status).toBe(201);
      const { bytes } = cloneWithNewUids(readFileSync(ECG_FILE), {
        x00080050: order.body.accessionNumber,
        x00100020: patientId,
      });
      const { body, contentType } = multipartBody([bytes]);
      expect(
        (
          await request(t.url)
            .post('/dicomweb/studies')
            .set('Authorization', township)
            .set('Content-Type', contentType)
            .send(body)
        ).status,
      ).toBe(200);
      const claimed = await request(t.url)
        .post(`/api/reads/${order.body.id}/claim`)
        .set('Authorization', `Bearer ${await t.token('county-ecg')}`);
      expect(claimed.status).toBe(200);

      const reader = await open('county-ecg');
      await reader.goto(`${t.url}/worklist/${order.body.id}`);
      await reader.getByTestId('report-form').waitFor();
      await reader.getByTestId('report-findings').fill('手写：ST段改变待定');

      const pick = async () => {
        await reader.getByTestId('report-template').click();
        await reader.locator('.ant-select-item-option').getByText(TEMPLATE.title, { exact: true }).click();
      };
      // The reader had typed findings: nothing is replaced until they say so, and 保留已填写 keeps them.
      const confirm = reader.locator('.ant-modal-confirm');
      await pick();
      await confirm.getByText('已填写的检查所见将被模板内容替换').waitFor();
      await confirm.getByRole('button', { name: '保留已填写' }).click();
      await confirm.waitFor({ state: 'detached' });
      expect(await reader.getByTestId('report-findings').inputValue()).toBe('手写：ST段改变待定');
      expect(await reader.getByTestId('report-impression-input').inputValue()).toBe('');
      expect(await reader.getByTestId('report-template').locator('.ant-select-selection-placeholder').count()).toBe(1);

      await pick();
      await confirm.getByText('已填写的检查所见将被模板内容替换').waitFor();
      await screenshot(reader, 'templates-02-replace-typed-text');
      await reader.getByTestId('confirm-template').click();
      await confirm.waitFor({ state: 'detached' });

      expect(await reader.getByTestId('report-findings').inputValue()).toBe(TEMPLATE.findings);
      expect(await reader.getByTestId('report-impression-input').inputValue()).toBe(TEMPLATE.impression);
      expect(await reader.getByTestId('report-plan').inputValue()).toBe(TEMPLATE.treatmentPlan);
      await screenshot(reader, 'templates-03-report-filled');

      // Edited after filling, then signed: the report carries the reader's text, not the template's.
      await reader.getByTestId('report-plan').fill(`${TEMPLATE.treatmentPlan}；已电话通知申请医生`);
      const signing = reader.waitForResponse((res) => res.url().endsWith(`/api/reads/${order.body.id}/report`));
      await reader.getByTestId('sign-report').click();
      expect((await signing).status()).toBe(200);
      await reader.waitForURL(/\/worklist$/);
      const read = await request(t.url).get(`/api/reads/${order.body.id}`).set('Authorization', township);
      expect(read.body.reports[0]).toMatchObject({
        findings: TEMPLATE.findings,
        impression: TEMPLATE.impression,
        treatmentPlan: `${TEMPLATE.treatmentPlan}；已电话通知申请医生`,
      });
    },
    TEST_MS,
  );
});
