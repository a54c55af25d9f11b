import request from 'supertest';
import { Browser, BrowserContext, Page } from 'playwright-core';
import { TestApp, waitFor } from '@countylink/testing';
import { sql } from '../clinician-realtime/realtime-fixtures';
import { createReferral, upReferral } from '../referral-registry/referral-fixtures';
import { startConsoleApp } from './support/console-app';
import { audioRecord, pageClock, recordAudio, tonesStarted } from './support/console-audio';
import { clinicianContext, launchChromium, screenshot, signIn } from './support/console-browser';

/** A ladder short enough to watch: 8 s for the on-duty doctors, then 4 s a step. */
const LADDER_ENV = { ALERT_ACK_SECONDS_GREEN_CHANNEL: '8', ALERT_ESCALATION_STEP_SECONDS: '4' };
/** Pushes arrive in well under a second on an idle machine; a shared two-core one can take many. */
const LIVE_MS = 20_000;
const PATIENT = { id: 'TA-880231', name: '赵建军' };

/**
 * Referrals in Chromium against the whole backbone: township A refers a chest-pain patient through
 * the green channel with no department named (the whole county hospital is the receiving team, the
 * referral office included); the coordinator's console rings, the ack stops the ladder, statuses move
 * live on township A's screen, and a second alert nobody takes climbs the ladder in front of them.
 */
/** Several browsers on a 2-core machine that may be busy with other suites: minutes, not jest's default minute. */
const TEST_MS = 180_000;

describe('console referrals and the green-channel alarm (Chromium)', () => {
  let t: TestApp;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  const open = async (login: string, options: { audio?: boolean } = {}): Promise<Page> => {
    const context = await clinicianContext(browser);
    contexts.push(context);
    if (options.audio) await recordAudio(context);
    const page = await context.newPage();
    await signIn(page, t.url, login);
    return page;
  };

  beforeAll(async () => {
    [t, browser] = await Promise.all([startConsoleApp(LADDER_ENV), launchChromium()]);
  }, 240_000);
  afterAll(async () => {
    for (const c of contexts) await c.close();
    await browser?.close();
    await t?.close();
  }, TEST_MS);

  it(
    'rings the coordinator for a green-channel referral until acked; an alert nobody takes climbs the ladder',
    async () => {
      const coordinator = await open('county-coordinator', { audio: true });
      await coordinator.waitForURL(/\/referral-desk$/);
      const doctor = await open('township-a-doctor');
      await doctor.locator('.ant-menu').getByText('我的转诊', { exact: true }).click();
      await doctor.waitForURL(/\/referrals$/);

      // The catalog rule: a diagnosis the township treats asks for a justification before sending.
      await doctor.getByTestId('new-referral').click();
      const form = doctor.locator('.ant-modal');
      await form.getByLabel('诊断编码 (ICD-10)').fill('I10');
      await form.getByTestId('catalog-warning').waitFor();
      await form.getByTestId('justification').waitFor();
      await screenshot(doctor, 'referrals-01-catalog-rule');
      await form.getByLabel('诊断编码 (ICD-10)').fill('I21.9');
      await form.getByTestId('catalog-warning').waitFor({ state: 'detached' });

      await form.getByLabel('患者ID').fill(PATIENT.id);
      await form.getByLabel('姓名').fill(PATIENT.name);
      await form.getByLabel('诊断名称').fill('急性ST段抬高型心肌梗死');
      await form.getByTestId('urgency').getByText('急诊', { exact: true }).click();
      await form.getByTestId('green-channel').click();
      await doctor.locator('.ant-select-item-option').getByText('胸痛中心', { exact: true }).click();
      await form.getByLabel('病情摘要').fill('持续胸痛2小时，心电图II、III、aVF导联ST段抬高0.3mV，已嚼服阿司匹林300mg');
      await form.getByLabel('转诊目的').fill('急诊PCI');
      expect(await form.getByTestId('continuous-deductible').isChecked()).toBe(true);
      await screenshot(doctor, 'referrals-02-new-green-channel');
      await form.getByTestId('send-referral').click();
      await doctor.waitForURL(/\/referrals\/[0-9a-f-]{36}$/);
      const referralId = doctor.url().split('/').pop()!;
      const sent = await pageClock(coordinator);

      // The coordinator's console rings: the modal, a started AudioContext, tones repeating.
      const alarm = coordinator.getByTestId('green-alert');
      await alarm.waitFor({ timeout: LIVE_MS });
      const alertId = (await alarm.getAttribute('data-alert-id'))!;
      await alarm.getByText(PATIENT.name).first().waitFor();
      await tonesStarted(coordinator, 4);
      const ringing = await audioRecord(coordinator);
      expect(ringing.running).toBeGreaterThanOrEqual(1);
      expect(ringing.tones.some((at) => at >= sent)).toBe(true);
      await coordinator
        .getByTestId('ladder-next')
        .getByText(/升级至第 \d 级：/)
        .first()
        .waitFor();
      await screenshot(coordinator, 'referrals-03-green-channel-alarm');

      // The ack (over the socket) closes it and stops the ladder.
      await coordinator.getByTestId('green-ack').click();
      await alarm.waitFor({ state: 'detached' });
      const acked = await pageClock(coordinator);

      // The desk: green channel first; receive and accept, and township A sees each status live.
      const row = coordinator.locator(`tr[data-referral-id="${referralId}"]`);
      await row.getByTestId('green-channel-tag').waitFor();
      await screenshot(coordinator, 'referrals-04-desk');
      await row.getByTestId('referral-receive').click();
      await doctor
        .locator('[data-testid="referral-status"][data-status="received"]')
        .first()
        .waitFor({ timeout: LIVE_MS });
      await coordinator
        .getByTestId('desk-view')
        .getByText(/待处理/)
        .click();
      await row.getByTestId('referral-accept').click();
      await doctor
        .locator('[data-testid="referral-status"][data-status="accepted"]')
        .first()
        .waitFor({ timeout: LIVE_MS });
      await doctor.locator('[data-testid="history-entry"][data-action="accept"]').waitFor();
      await screenshot(doctor, 'referrals-05-township-detail-live');

      // A second green-channel referral nobody takes climbs the ladder, level by level, on screen.
      const beforeSecond = await pageClock(coordinator);
      const second = await createReferral(
        t,
        'township-a-doctor',
        upReferral({
          toDepartmentId: undefined,
          urgency: 'emergency',
          greenChannelCentre: 'stroke',
          patient: { patientId: 'TA-880232', name: '孙桂兰', sex: 'female' },
          diagnosis: { code: 'I63.9', display: '急性脑梗死' },
        }),
      );
      expect(second.status).toBe(201);
      await coordinator
        .locator('[data-testid="green-alert"]')
        .getByText('孙桂兰')
        .first()
        .waitFor({ timeout: LIVE_MS });
      await coordinator.locator('[data-testid="alert-ladder"][data-level="1"]').waitFor();
      await coordinator
        .getByTestId('ladder-next')
        .getByText(/升级至第 2 级：科主任（刘强/)
        .waitFor();
      await coordinator.locator('[data-testid="alert-ladder"][data-level="2"]').waitFor({ timeout: 30_000 });
      await coordinator
        .getByTestId('ladder-next')
        .getByText(/升级至第 3 级：转诊中心（郑丽/)
        .waitFor();
      await coordinator.locator('[data-testid="alert-ladder"][data-level="3"]').waitFor({ timeout: 30_000 });
      await coordinator
        .getByTestId('ladder-next')
        .getByText(/已升级至最高级/)
        .waitFor();
      await screenshot(coordinator, 'referrals-06-ladder-climbed');

      // The first alert never climbed after its ack, though the second, raised later, climbed twice; and
      // nothing rang between the two alarms.
      const token = await t.token('county-coordinator');
      const log = await waitFor('the second alert escalated twice in the log', async () => {
        const res = await request(t.url).get('/api/notifications?limit=500').set('Authorization', `Bearer ${token}`);
        const frames = res.body.items as Array<{ type: string; at: string; data: { alertId: string } | null }>;
        return frames.filter((f) => f.type === 'alert.escalated' && f.data?.alertId !== alertId).length >= 2
          ? frames
          : undefined;
      });
      const ofFirst = log.filter((f) => f.data?.alertId === alertId);
      const ackedAt = ofFirst.find((f) => f.type === 'alert.acknowledged')!.at;
      expect(ofFirst.filter((f) => f.type === 'alert.escalated' && f.at > ackedAt)).toEqual([]);
      expect((await audioRecord(coordinator)).tones.filter((at) => at > acked + 100 && at < beforeSecond)).toEqual([]);
      await coordinator.getByTestId('green-ack').click();
      await coordinator.getByTestId('green-alert').waitFor({ state: 'detached' });
    },
    TEST_MS,
  );

  it(
    'refers the patient back down with a rehabilitation plan, which township A sees on the referral it receives',
    async () => {
      // Whatever the first test left ringing (it reaches every county console) is taken first.
      const coordinatorToken = await t.token('county-coordinator');
      const alerts = await request(t.url).get('/api/alerts').set('Authorization', `Bearer ${coordinatorToken}`);
      for (const a of alerts.body.items as Array<{ alertId: string }>) {
        await request(t.url)
          .post(`/api/alerts/${a.alertId}/ack`)
          .set('Authorization', `Bearer ${coordinatorToken}`)
          .expect(200);
      }
      const doctorToken = await t.token('township-a-doctor');
      const up = await createReferral(
        t,
        'township-a-doctor',
        upReferral({ patient: { patientId: 'TA-880240', name: '钱玉梅', sex: 'female' } }),
      );
      for (const [login, action] of [
        ['county-coordinator', 'receive'],
        ['county-cardiology', 'accept'],
      ] as const) {
        await request(t.url)
          .post(`/api/referrals/${up.body.id}/${action}`)
          .set('Authorization', `Bearer ${await t.token(login)}`)
          .send({})
          .expect(200);
      }
      const cardiology = await open('county-cardiology');
      await cardiology.goto(`${t.url}/referrals/${up.body.id}`);
      await cardiology.getByTestId('referral-arrive').click();
      await cardiology.getByTestId('refer-down').click();
      const form = cardiology.locator('.ant-modal');
      await form.getByLabel('出院小结 / 病情').fill('冠脉造影示前降支狭窄70%，已植入支架1枚，术后5天病情稳定');
      await form.getByLabel('下转目的').fill('回基层康复随访');
      await form
        .getByTestId('rehabilitation-input')
        .fill('阿司匹林+替格瑞洛双抗12个月；每月随访血压、血脂、肝肾功能；心脏康复运动处方，每周5次步行30分钟');
      await screenshot(cardiology, 'referrals-07-refer-down');
      await form.getByTestId('send-down-referral').click();
      await cardiology.waitForURL((u) => !u.pathname.endsWith(up.body.id));
      const downId = cardiology.url().split('/').pop()!;

      const doctor = await open('township-a-doctor');
      await doctor.locator('.ant-menu').getByText('我的转诊', { exact: true }).click();
      await doctor.getByTestId('tab-received').click();
      await doctor.locator(`tr[data-referral-id="${downId}"]`).getByText('钱玉梅').waitFor();
      await screenshot(doctor, 'referrals-08-my-referrals-received');
      await doctor.locator(`tr[data-referral-id="${downId}"]`).click();
      await doctor
        .getByTestId('rehabilitation-plan')
        .getByText(/双抗12个月/)
        .waitFor();
      await doctor.getByTestId('referral-receive').click();
      await doctor.locator('[data-testid="referral-status"][data-status="received"]').waitFor();
      await screenshot(doctor, 'referrals-09-down-referral-plan');
      const res = await request(t.url).get(`/api/referrals/${downId}`).set('Authorization', `Bearer ${doctorToken}`);
      expect(res.body).toMatchObject({ direction: 'down', returnsFromReferralId: up.body.id, status: 'received' });
    },
    TEST_MS,
  );

  it(
    'orders the desk green channel first, then by urgency, and tints a referral past its answer time',
    async () => {
      const routine = await createReferral(
        t,
        'township-b-doctor',
        upReferral({ urgency: 'routine', patient: { patientId: 'TB-1201', name: '冯德明', sex: 'male' } }),
      );
      const green = await createReferral(
        t,
        'township-c-doctor',
        upReferral({
          urgency: 'emergency',
          greenChannelCentre: 'trauma',
          toDepartmentId: 'orthopaedics',
          patient: { patientId: 'TC-3307', name: '褚志强', sex: 'male' },
          diagnosis: { code: 'S72.0', display: '股骨颈骨折' },
        }),
      );
      // As if the routine one had waited past its answer time (a day by default) unanswered.
      await sql(
        t.config.DATABASE_URL,
        `UPDATE referral.referral SET response_due_at = now() - interval '5 minutes' WHERE id = $1`,
        [routine.body.id],
      );
      const coordinator = await open('county-coordinator');
      const overdue = coordinator.locator(`tr[data-referral-id="${routine.body.id}"][data-overdue="true"]`);
      await overdue.getByText(/已超时/).waitFor({ timeout: LIVE_MS });
      const rows = coordinator.locator('tr[data-referral-id]');
      const order: Array<{ id: string | null; green: boolean }> = [];
      for (let i = 0; i < (await rows.count()); i++) {
        order.push({
          id: await rows.nth(i).getAttribute('data-referral-id'),
          green: (await rows.nth(i).getByTestId('green-channel-tag').count()) > 0,
        });
      }
      const firstPlain = order.findIndex((r) => !r.green);
      expect(order.slice(firstPlain).some((r) => r.green)).toBe(false);
      expect(order.findIndex((r) => r.id === green.body.id)).toBeLessThan(
        order.findIndex((r) => r.id === routine.body.id),
      );
      await screenshot(coordinator, 'referrals-10-desk-order-overdue');
    },
    TEST_MS,
  );
});
