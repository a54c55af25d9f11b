import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { Browser, BrowserContext, Locator, Page, Response } from 'playwright-core';
import type { Namespace } from 'socket.io';
import request from 'supertest';
import { sql, TestApp, waitFor } from '@countylink/testing';
import { ClinicianGateway } from '../../apps/clinician-realtime/src/gateway/clinician.gateway';
import { multipartBody } from '../remote-diagnosis/support/diagnosis-fixtures';
import { dxBuffer } from '../remote-diagnosis/support/dicom-writer';
import { startConsoleApp } from './support/console-app';
import { REPO } from './support/console-build';
import { clinicianContext, launchChromium, screenshot, signIn, signedInPage } from './support/console-browser';

const ECG_FILE = join(REPO, 'test/fixtures/dicom/waveform_ecg.dcm');
/** The fixture's Patient ID: the order names the same patient, so the upload files under it. */
const PATIENT_ID = '642341';
const PATIENT_NAME = '刘秀英';
const CRITICAL = '急性ST段抬高型心肌梗死';

/**
 * The console in Chromium against the whole backbone: sign-in, a township ECG read reaching the
 * county desk live, the ECG viewer and its calipers, a critical value acknowledged by read-back,
 * and another township kept out of the record.
 */
// Several browsers on two cores, beside other suites, outlast jest's default minute; the live checks keep their own 2 s bounds.
const TEST_MS = 180_000;

describe('clinician console (Chromium)', () => {
  let t: TestApp;
  let browser: Browser;
  let readOfTownshipA = '';
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
    'lists the demo logins on the login page; county-ecg signs in to the ECG worklist',
    async () => {
      const context = await clinicianContext(browser);
      contexts.push(context);
      const page = await context.newPage();
      await page.goto(`${t.url}/`);
      await page.waitForURL(/\/login$/);
      for (const login of ['township-a-doctor', 'county-ecg', 'county-coordinator', 'family-doctor-a']) {
        await page.locator(`button[data-login="${login}"]`).waitFor();
      }
      await expectText(page, '吴婷 (心电图室)');
      await screenshot(page, '01-login');

      await page.locator('button[data-login="county-ecg"]').click();
      await page.waitForURL(/\/worklist$/);
      await page.getByText('工作列表', { exact: true }).first().waitFor();
      await expectText(page, '心电图室');
      await screenshot(page, '02-worklist-empty');
    },
    TEST_MS,
  );

  it(
    'carries an ECG from township A to the county desk and a critical value back, live',
    async () => {
      const reader = await open('county-ecg');
      const doctor = await open('township-a-doctor');
      await reader.goto(`${t.url}/worklist`);
      await reader.locator('[data-testid="connection"][data-state="connected"]').waitFor();

      // Township A orders an ECG read, then uploads the tracing onto it.
      await doctor.getByTestId('order-read').click();
      const form = doctor.locator('.ant-modal');
      await form.getByText('急诊', { exact: true }).click();
      await form.getByLabel('患者ID').fill(PATIENT_ID);
      await form.getByLabel('姓名').fill(PATIENT_NAME);
      await form.getByLabel('临床问题').fill('胸痛2小时，心电图请排除急性心梗');
      await screenshot(doctor, '03-order-form');
      await form.getByRole('button', { name: /提交申请/ }).click();
      await doctor.waitForURL(/\/reads\/[0-9a-f-]{36}$/);
      const readId = doctor.url().split('/').pop()!;
      const rowSeenAt = await watchFor(reader, `tr[data-read-id="${readId}"]`);
      const stow = doctor.waitForResponse(
        (res) => res.url().endsWith('/dicomweb/studies') && res.request().method() === 'POST',
      );
      await doctor.locator('input[type="file"]').setInputFiles(ECG_FILE);
      const storedAt = await endedAt(await stow);
      await doctor.locator('[data-testid="upload-row"][data-state="stored"]').waitFor();

      // The county desk's worklist shows it within 2 s (STOW answered → row in the reader's page), with no reload.
      const row = reader.locator(`tr[data-read-id="${readId}"]`);
      await row.waitFor();
      expect((await rowSeenAt()) - storedAt).toBeLessThan(2000);
      await expectText(reader, PATIENT_NAME);
      await screenshot(doctor, '04-township-uploaded');
      await screenshot(reader, '05-worklist-live-row');

      // Claim, view the 12 leads, measure with calipers at both paper speeds.
      await row.getByTestId('claim').click();
      await reader.waitForURL(new RegExp(`/worklist/${readId}$`));
      const canvas = reader.locator('canvas[data-testid="ecg-canvas"][data-leads="12"]');
      await canvas.waitFor();
      const caliper = reader.getByTestId('caliper-result');
      await canvas.click({ position: { x: 144, y: 60 } });
      await canvas.click({ position: { x: 244, y: 100 } });
      await expectText(caliper, 'Δt 1000 ms'); // 100 px at 25 mm/s × 4 px/mm = 1 s
      await expectText(caliper, 'ΔV -1.00 mV'); // 40 px down at 10 mm/mV × 4 px/mm
      await screenshot(reader, '06-ecg-viewer-calipers');
      await reader.getByTestId('ecg-speed').getByText('50 mm/s').click();
      await canvas.click({ position: { x: 144, y: 60 } });
      await canvas.click({ position: { x: 244, y: 60 } });
      await expectText(caliper, 'Δt 500 ms');

      // Report with a critical value.
      await reader.getByTestId('report-findings').fill('窦性心律，II、III、aVF导联ST段抬高0.3mV');
      await reader.getByTestId('report-impression-input').fill('急性下壁心肌梗死');
      await reader.getByTestId('report-plan').fill('立即嚼服阿司匹林300mg，启动胸痛中心绿色通道转县医院行急诊PCI');
      await reader.getByTestId('report-critical').click();
      await reader.getByTestId('critical-category').click();
      await reader.locator('.ant-select-item-option').getByText('急性心肌梗死', { exact: true }).click();
      await reader.getByTestId('critical-description').fill(CRITICAL);
      await screenshot(reader, '07-report-form');
      const modalSeenAt = await watchFor(doctor, '[data-testid="critical-alert"]');
      const signing = reader.waitForResponse((res) => res.url().endsWith(`/api/reads/${readId}/report`));
      await reader.getByTestId('sign-report').click();
      await reader.getByTestId('confirm-critical').click();
      const signedAt = await endedAt(await signing);
      await reader.waitForURL(/\/worklist$/);

      // Township A sees the critical-value modal within 2 s; signing in on a second workstation after
      // it was raised shows it there too. The read-back and ack on one close both.
      const modal = doctor.getByTestId('critical-alert');
      await modal.waitFor();
      expect((await modalSeenAt()) - signedAt).toBeLessThan(2000);
      const doctorElsewhere = await open('township-a-doctor');
      await doctorElsewhere.getByTestId('critical-alert').waitFor();
      await expectText(modal, CRITICAL);
      expect(await doctor.getByTestId('critical-ack').isDisabled()).toBe(true);
      await screenshot(doctor, '08-critical-value-modal');
      await doctor.getByTestId('critical-readback').fill(`${CRITICAL}。`);
      await doctor.getByTestId('critical-ack').click();
      await modal.waitFor({ state: 'detached' });
      await doctorElsewhere.getByTestId('critical-alert').waitFor({ state: 'detached' });

      // The report is on the doctor's page, arrived live.
      await expectText(doctor.getByTestId('report-impression'), '急性下壁心肌梗死');
      await doctor.locator('[data-testid="read-status"][data-status="reported"]').waitFor();
      await doctor.getByTestId('rendered-instance').waitFor();
      await screenshot(doctor, '09-township-report');
      readOfTownshipA = readId;
    },
    TEST_MS,
  );

  it(
    "shows township B 不存在或无权访问 for township A's report, with no patient data anywhere",
    async () => {
      expect(readOfTownshipA).not.toBe('');
      const context = await clinicianContext(browser);
      contexts.push(context);
      const page = await context.newPage();
      await signIn(page, t.url, 'township-b-doctor');
      const bodies: Promise<string>[] = [];
      page.on('response', (res) => bodies.push(res.text().catch(() => '')));
      await page.goto(`${t.url}/reads/${readOfTownshipA}`);
      await page.getByText('不存在或无权访问').waitFor();
      await page.locator('[data-testid="connection"][data-state="connected"]').waitFor();
      await screenshot(page, '10-other-township-not-found');
      const seen = [await page.content(), ...(await Promise.all(bodies))].join('\n');
      for (const secret of [PATIENT_NAME, PATIENT_ID, CRITICAL]) expect(seen).not.toContain(secret);
    },
    TEST_MS,
  );

  it(
    'lets a county radiologist window, rotate and invert a township X-ray',
    async () => {
      // Set up over the API (the township's side of it is the ECG test's): a DX order and its image.
      const township = `Bearer ${await t.token('township-a-doctor')}`;
      const order = await request(t.url)
        .post('/api/reads')
        .set('Authorization', township)
        .set('Idempotency-Key', randomUUID())
        .send({
          patient: { patientId: 'TA-DX-0001', name: '王建国', sex: 'M' },
          modality: 'DX',
          priority: 'urgent',
          clinicalQuestion: '咳嗽两周，胸片',
        });
      expect(order.status).toBe(201);
      const { body, contentType } = multipartBody([
        dxBuffer({ rows: 512, columns: 420, patientId: 'TA-DX-0001', window: { center: 2048, width: 4096 } }),
      ]);
      expect(
        (
          await request(t.url)
            .post('/dicomweb/studies')
            .set('Authorization', township)
            .set('Content-Type', contentType)
            .send(body)
        ).status,
      ).toBe(200);

      const page = await open('county-radiology');
      const row = page.locator(`tr[data-read-id="${order.body.id}"]`);
      await row.getByTestId('claim').click();
      await page.waitForURL(new RegExp(`/worklist/${order.body.id}$`));
      const image = page.getByTestId('xray-image');
      await image.waitFor();
      await screenshot(page, '11-xray-viewer');
      const rendered = page.waitForResponse(
        (res) => res.url().includes('/rendered?window=2048,2048') && res.status() === 200,
      );
      await page.getByRole('button', { name: '高对比' }).click();
      await rendered;
      await page.getByRole('button', { name: '旋转 90°' }).click();
      await page.getByText('反相').getByRole('switch').click();
      await page.locator('[data-testid="xray-image"][style*="rotate(90deg)"][style*="invert(1)"]').waitFor();
      await screenshot(page, '12-xray-windowed-rotated-inverted');
    },
    TEST_MS,
  );

  it(
    'says 连接已断开 then 已恢复 around a dropped connection; what was pushed meanwhile arrives, replayed, with no reload',
    async () => {
      const township = `Bearer ${await t.token('township-a-doctor')}`;
      const order = await request(t.url)
        .post('/api/reads')
        .set('Authorization', township)
        .set('Idempotency-Key', randomUUID())
        .send({ patient: { patientId: 'TA-DX-0002', name: '李建华', sex: 'M' }, modality: 'DX', priority: 'routine' });
      const { body, contentType } = multipartBody([dxBuffer({ rows: 64, columns: 64, patientId: 'TA-DX-0002' })]);
      expect(
        (
          await request(t.url)
            .post('/dicomweb/studies')
            .set('Authorization', township)
            .set('Content-Type', contentType)
            .send(body)
        ).status,
      ).toBe(200);
      const page = await open('township-a-doctor');
      const status = (s: string) =>
        page.locator(`tr[data-read-id="${order.body.id}"] [data-testid="read-status"][data-status="${s}"]`);
      await status('ready').waitFor();

      // The server drops the doctor's sockets (as a restarting instance would); the read is claimed
      // before the console is back: its reconnection is held until the claim's notification is
      // recorded, so that it comes as a replay, not live (the console retries within a second or so).
      const { nsp } = t.app.get(ClinicianGateway) as unknown as { nsp: Namespace };
      const claimNotified = async () =>
        (
          await sql(t.config.DATABASE_URL, `SELECT 1 FROM realtime.notification WHERE subject_id = $1 AND type = $2`, [
            order.body.id,
            'read.claimed',
          ])
        ).length > 0;
      let recorded!: () => void;
      const claimRecorded = new Promise<void>((resolve) => (recorded = resolve));
      nsp.use((_socket, next) => void claimRecorded.then(() => next()));
      nsp.in('user:township-a-doctor').disconnectSockets(true);
      expect(
        (
          await request(t.url)
            .post(`/api/reads/${order.body.id}/claim`)
            .set('Authorization', `Bearer ${await t.token('county-radiology')}`)
        ).status,
      ).toBe(200);
      await page.locator('[data-testid="connection"][data-state="disconnected"]').waitFor();
      await screenshot(page, '13-connection-lost');
      await waitFor('the claim recorded', claimNotified, 30_000);
      recorded();
      await page.locator('[data-testid="connection"][data-state="restored"]').waitFor();
      await status('claimed').waitFor();
      await page.getByTestId('notification-bell').click();
      await expectText(page, '重连后补发');
      await screenshot(page, '14-restored-notification-centre');
    },
    TEST_MS,
  );
});

/**
 * When the element first appears in the page, by the browser's clock (a MutationObserver): the
 * 2 s the issue asks for is what a clinician sees, not how often the test runner looks.
 */
async function watchFor(page: Page, selector: string): Promise<() => Promise<number>> {
  const sel = JSON.stringify(selector);
  await page.evaluate(`(() => {
    const seen = (window.__seen ??= {});
    const check = () => { if (!seen[${sel}] && document.querySelector(${sel})) seen[${sel}] = Date.now(); };
    check();
    new MutationObserver(check).observe(document, { subtree: true, childList: true, attributes: true });
  })()`);
  return async () => Number(await page.evaluate(`window.__seen[${sel}]`));
}

/** When the browser had the whole answer (epoch ms). */
async function endedAt(res: Response): Promise<number> {
  await res.finished();
  const timing = res.request().timing();
  return timing.startTime + timing.responseEnd;
}

/** Waits for the text on the page, or in (or as) the element. */
async function expectText(scope: Page | Locator, text: string): Promise<void> {
  const target = 'goto' in scope ? scope.getByText(text, { exact: false }) : scope.filter({ hasText: text });
  await target.first().waitFor();
}
