import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { Browser, BrowserContext, Page } from 'playwright-core';
import { TestApp } from '@countylink/testing';
import { createReferral, upReferral } from '../referral-registry/referral-fixtures';
import { fixture, stow } from '../remote-diagnosis/support/diagnosis-fixtures';
import { cloneWithNewUids } from '../remote-diagnosis/support/dicom-writer';
import { ecgOrder, orderRead, readAction } from '../remote-diagnosis/support/read-helpers';
import { knownToSlots, publishOk, session } from '../specialist-slots/slots-fixtures';
import { startConsoleApp } from './support/console-app';
import { REPO } from './support/console-build';
import { launchChromium, screenshot, signedInPage } from './support/console-browser';

const DAY_MS = 86_400_000;
const beijingDate = (iso: string) => new Date(Date.parse(iso) + 8 * 3_600_000).toISOString().slice(0, 10);

/**
 * 预约 in Chromium against the whole backbone, with the demo county's two weeks of schedules: family
 * doctor A books the one reserved place of a cardiology session for a referral, and their second
 * workstation on the same session sees it go without a reload; the next referral joins the waitlist
 * and gets the place when the first is cancelled. A township doctor who is not a family doctor is not
 * offered the screen; the group admin's KPIs (with a township ECG's read turnaround) and schedules are drawn.
 */
/** Several browsers on a 2-core machine that may be busy with other suites: minutes, not jest's default minute. */
const TEST_MS = 180_000;

describe('console booking (Chromium)', () => {
  let t: TestApp;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  const open = (login: string): Promise<Page> => signedInPage(browser, t.url, login, contexts);
  const referral = async (patientId: string, name: string): Promise<string> => {
    const res = await createReferral(t, 'family-doctor-a', upReferral({ patient: { patientId, name, sex: 'female' } }));
    expect({ http: res.status, body: res.body }).toMatchObject({ http: 201 });
    await knownToSlots(t, res.body.id, 'requested');
    return res.body.id as string;
  };

  beforeAll(async () => {
    [t, browser] = await Promise.all([
      startConsoleApp({ SCHEDULE_SEED_FILE: join(REPO, 'apps/specialist-slots/seed/demo-schedules.json') }),
      launchChromium(),
    ]);
  }, 240_000);
  afterAll(async () => {
    for (const c of contexts) await c.close();
    await browser?.close();
    await t?.close();
  }, TEST_MS);

  it(
    'books a reserved place that disappears live on another screen, waits for the next one, and keeps it from a township doctor',
    async () => {
      // An evening cardiology clinic (18:30 Beijing) three days out with one reserved place (5 × 20%).
      const start = new Date(`${beijingDate(new Date(Date.now() + 3 * DAY_MS).toISOString())}T18:30:00+08:00`);
      const scheduleId = await publishOk(
        t,
        session({
          capacity: 5,
          startsAt: start.toISOString(),
          endsAt: new Date(start.getTime() + 3 * 3_600_000).toISOString(),
        }),
      );
      const first = await referral('TA-550101', '周淑芬');
      const second = await referral('TA-550102', '吴秀兰');
      const card = (page: Page) => page.locator(`[data-testid="schedule-card"][data-schedule-id="${scheduleId}"]`);
      const reservedLeft = (page: Page, n: number) =>
        card(page).locator(`[data-testid="reserved-available"][data-available="${n}"]`);

      // The second workstation opens the same session's day; the first picks the referral, which picks the department.
      const watcher = await open('family-doctor-a');
      await watcher.goto(
        `${t.url}/booking?department=county-hospital/cardiology&date=${beijingDate(start.toISOString())}`,
      );
      await reservedLeft(watcher, 1).waitFor();
      const doctor = await open('family-doctor-a');
      await doctor.locator('.ant-menu').getByText('预约', { exact: true }).click();
      await doctor.getByTestId('pick-referral').click();
      await doctor
        .locator('.ant-select-item-option')
        .getByText(/周淑芬/)
        .click();
      await doctor
        .getByTestId('pick-day')
        .locator(`[data-day="${beijingDate(start.toISOString())}"]`)
        .click();
      await reservedLeft(doctor, 1).waitFor();
      await screenshot(doctor, 'booking-01-schedules');

      await card(doctor).getByTestId('book-reserved').click();
      await doctor.locator('.ant-modal').getByText('周淑芬').first().waitFor();
      await screenshot(doctor, 'booking-02-confirm-reserved');
      await doctor.getByTestId('confirm-booking').click();
      // No reload, no navigation: the push refetches the other screen's counts.
      await reservedLeft(watcher, 0).waitFor({ timeout: 20_000 });
      const mine = doctor.locator('[data-appointment-id]').filter({ hasText: '周淑芬' });
      await mine.waitFor();
      await screenshot(watcher, 'booking-03-other-screen-count-dropped');

      // The reserved pool is full: the next referral joins the waitlist, and gets the place the first gives back.
      await doctor.getByTestId('pick-referral').click();
      await doctor
        .locator('.ant-select-item-option')
        .getByText(/吴秀兰/)
        .click();
      await card(doctor).getByTestId('join-waitlist').click();
      await doctor.getByTestId('confirm-booking').click();
      await doctor.getByText(/已加入候补，排第 1 位/).waitFor();
      await mine.getByTestId('cancel-appointment').click();
      await doctor.getByTestId('cancel-reason').fill('患者病情变化，改期');
      await doctor.getByTestId('confirm-cancel').click();
      const heir = doctor.locator('[data-appointment-id]').filter({ hasText: '吴秀兰' });
      await heir.getByText('候补').waitFor();
      await mine.waitFor({ state: 'detached' });
      await reservedLeft(watcher, 0).waitFor();
      await screenshot(doctor, 'booking-04-waitlist-handed-over');
      const token = await t.token('family-doctor-a');
      const held = await request(t.url)
        .get(`/api/appointments?scheduleId=${scheduleId}&status=booked`)
        .set('Authorization', `Bearer ${token}`);
      expect(held.body.items).toMatchObject([{ referralId: second, pool: 'reserved', fromWaitlist: true }]);
      expect(first).not.toBe(second);

      // A township doctor who is not a family doctor: no 预约 in the menu, and the address leads nowhere.
      const township = await open('township-a-doctor');
      await township.locator('.ant-menu').getByText('我的转诊', { exact: true }).waitFor();
      expect(await township.locator('.ant-menu').getByText('预约', { exact: true }).count()).toBe(0);
      await township.goto(`${t.url}/booking`);
      await township.getByText('不存在或无权访问').waitFor();
      expect(await township.getByTestId('book-reserved').count()).toBe(0);
    },
    TEST_MS,
  );

  it(
    "draws the group admin's KPIs (lazily loaded charts) and the schedules with their reserve shares",
    async () => {
      // 东关镇's ECG, ready and reported within seconds: one read on time in today's turnaround.
      const order = ecgOrder({ priority: 'routine' });
      const ordered = await orderRead(t, 'township-a-doctor', order);
      expect(ordered.status).toBe(201);
      const ecg = cloneWithNewUids(readFileSync(fixture('waveform_ecg.dcm')), {
        x00080050: order.accessionNumber,
        x00100020: order.patient.patientId,
      });
      expect((await stow(t, 'township-a-doctor', [ecg.bytes])).status).toBe(200);
      expect((await readAction(t, 'county-ecg', ordered.body.id, 'claim')).status).toBe(200);
      const report = { findings: '窦性心律，心率72次/分', impression: '正常心电图', treatmentPlan: '基层继续随访' };
      expect((await readAction(t, 'county-ecg', ordered.body.id, 'report', report)).status).toBe(200);

      const admin = await open('group-admin');
      await admin.waitForURL(/\/admin\/kpis$/);
      await admin.locator('[data-testid="chart-reserved"] canvas').waitFor();
      await admin.locator('[data-testid="chart-referrals"] canvas').waitFor();
      await admin.getByText('心血管内科·专家门诊').first().waitFor();
      await admin.locator('[data-testid="chart-turnaround"] canvas').waitFor();
      const turnaround = admin.getByTestId('turnaround-table').locator('tr[data-row-key="ECG/township-a"]');
      await turnaround.waitFor();
      const cells = await turnaround.locator('td').allInnerTexts();
      // 检查类型, 申请机构, 就绪, 已报告, 按时报告, 超时报告, 超时未报告, 未到时限, 按时率: the read the API just reported.
      expect(cells.slice(0, 9)).toEqual(['心电图', '东关镇卫生院', '1', '1', '1', '0', '0', '0', '100%']);
      await admin
        .getByTestId('read-turnaround')
        .getByText(/心电图 15\/20\/30/)
        .waitFor();
      await screenshot(admin, 'booking-05-admin-kpis');
      await admin.locator('.ant-menu').getByText('号源与预留', { exact: true }).click();
      // Cardiology's head clinic (Tuesdays and Thursdays) reserves 30%: filtered to cardiology, the
      // first page holds one whatever day of the week the seed's two weeks begin on.
      await admin.locator('.ant-card-extra .ant-select').click();
      await admin.locator('.ant-select-item-option').getByText('心血管内科', { exact: true }).click();
      await admin.getByText('30%').first().waitFor();
      await screenshot(admin, 'booking-06-admin-schedules');
    },
    TEST_MS,
  );
});
