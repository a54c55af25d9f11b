import { randomUUID } from 'node:crypto';
import { deadLetterTopic, hisFeedTopic, HisTopics, ReferralAction, Topics, Urgency } from '@countylink/contracts';
import { hisCommandMessage } from '@countylink/his-gateway';
import { DLQ_REASON_HEADER } from '@countylink/messaging';
import { waitFor } from '@countylink/testing';
import { startReferralApp } from '../referral-registry/referral-fixtures';
import { HisHarness } from './his-harness';

/** An HIS drives referrals with commands on Kafka only and learns the outcome from events only. */
describe('HIS referral commands over Kafka', () => {
  let his: HisHarness;

  beforeAll(async () => {
    his = await HisHarness.start([Topics.referral], (kafka) => startReferralApp({ kafka }));
  });
  afterAll(() => his?.stop());

  const send = (...messages: Parameters<HisHarness['send']>) => his.send(...messages);
  const context = (institutionId: string, commandId?: ReturnType<typeof randomUUID>) =>
    his.context(institutionId, commandId);
  const results = (commandId: string) => his.resultsOf(commandId);
  const resultOf = (commandId: string) => his.resultOf(commandId);
  const transition = (institutionId: string, referralId: string, action: ReferralAction, reason = '') =>
    hisCommandMessage('countylink.his-commands.transition-referral.v1', {
      context: context(institutionId),
      referralId,
      action,
      reason,
    });
  const newReferral = (ctx: ReturnType<typeof context>, extra: Record<string, unknown> = {}) =>
    hisCommandMessage('countylink.his-commands.create-referral.v1', {
      context: ctx,
      patient: { patientId: 'TA-HIS-1', name: '赵秀英', birthDate: '1948-07-02' },
      toInstitutionId: 'county-hospital',
      toDepartmentId: 'neurology',
      urgency: Urgency.URGENT,
      diagnosis: { code: 'I63.9', display: '脑梗死' },
      clinicalSummary: '左侧肢体无力1天',
      reason: '头颅MRI及溶栓评估',
      ...extra,
    });

  const accepted = (message: ReturnType<typeof hisCommandMessage>) => his.accepted(message);

  it('runs a whole up-referral and the down-referral with commands, observed only through events', async () => {
    const { referral_id: id } = await accepted(newReferral(context('township-a')));
    for (const action of [
      ReferralAction.RECEIVE,
      ReferralAction.ACCEPT,
      ReferralAction.ARRIVE,
      ReferralAction.COMPLETE,
    ]) {
      expect(await accepted(transition('county-hospital', id, action))).toEqual({ referral_id: id });
    }
    const down = await accepted(
      newReferral(context('county-hospital'), {
        toInstitutionId: 'township-a',
        toDepartmentId: 'general-practice',
        urgency: Urgency.ROUTINE,
        returnsFromReferralId: id,
        rehabilitationPlan: '康复训练，每周随访',
      }),
    );
    const stream = await his.events.waitForKey(id, 5);
    expect(stream.map((e) => e.type.split('.')[2])).toEqual([
      'requested',
      'received',
      'accepted',
      'arrived',
      'completed',
    ]);
    expect(stream[0].payload).toMatchObject({
      referral: { fromPractitionerId: 'his-township-a', fromInstitutionId: 'township-a' },
    });
    const [downRequested] = await his.events.waitForKey(down.referral_id, 1);
    expect(downRequested.payload).toMatchObject({
      referral: { returnsFromReferralId: id, toInstitutionId: 'township-a' },
    });
  });

  it("keeps each institution's command ids its own: an id another HIS used neither silences a command nor blocks it", async () => {
    const resultsOn = (institutionId: string, commandId: string) =>
      his.resultsOf(commandId).filter((e) => e.topic === hisFeedTopic(institutionId));
    const cancelUnknown = (institutionId: string, commandId: ReturnType<typeof randomUUID>) =>
      hisCommandMessage('countylink.his-commands.transition-referral.v1', {
        context: context(institutionId, commandId),
        referralId: randomUUID(),
        action: ReferralAction.CANCEL,
        reason: '患者失访',
      });
    // Township B sends first, with the id township A is about to use: refused on its own merits, on B's feed.
    const first = randomUUID();
    await send(cancelUnknown('township-b', first));
    const refused = await waitFor("township B's result", () => resultsOn('township-b', first)[0]);
    expect(refused.type).toBe('countylink.his-results.command-rejected.v1');
    // Township A's command with that id is not taken for a duplicate: it acts, and A gets its result.
    await send(newReferral(context('township-a', first)));
    const created = await waitFor("township A's result", () => resultsOn('township-a', first)[0]);
    expect(created).toMatchObject({
      type: 'countylink.his-results.command-accepted.v1',
      payload: { institutionId: 'township-a' },
    });
    expect((created.payload as { resultingIds?: Record<string, string> }).resultingIds?.referral_id).toBeDefined();

    // The other way round: an id township A used, sent by township B, gets B its own answer (not a silence that says "taken").
    const second = randomUUID();
    await accepted(newReferral(context('township-a', second)));
    await send(cancelUnknown('township-b', second));
    const answered = await waitFor("township B's result for A's id", () => resultsOn('township-b', second)[0]);
    expect(answered.payload).toMatchObject({ institutionId: 'township-b', code: expect.stringMatching(/^REFERRAL_/) });
    expect(resultsOn('township-a', second)).toHaveLength(1);
  });

  it('acts once on a command sent twice, and answers a refused transition without dead-lettering it', async () => {
    const create = newReferral(context('township-a'));
    await send(create, create);
    const { referral_id: id } = (await resultOf(create.headers.ce_id)).payload.resultingIds!;
    const refused = transition('county-hospital', id, ReferralAction.ACCEPT);
    await send(refused);
    expect((await resultOf(refused.headers.ce_id)).payload.code).toBe('REFERRAL_INVALID_TRANSITION');
    // The later command's result implies the earlier duplicate was consumed: still one result, one referral.
    expect(results(create.headers.ce_id)).toHaveLength(1);
    expect(his.events.events.filter((e) => e.type === 'countylink.referral.requested.v1' && e.key === id)).toHaveLength(
      1,
    );
    expect(
      his.events.events.filter(
        (e) => e.topic === deadLetterTopic(HisTopics.commands) && e.headers.ce_id === refused.headers.ce_id,
      ),
    ).toHaveLength(0);
  });

  it('refuses to cancel without a reason, as the HTTP API does: VALIDATION_FAILED, and the referral stays requested', async () => {
    const { referral_id: id } = await accepted(newReferral(context('township-a')));
    const reasonless = transition('township-a', id, ReferralAction.CANCEL);
    await send(reasonless);
    expect((await resultOf(reasonless.headers.ce_id)).payload).toMatchObject({
      code: 'VALIDATION_FAILED',
      message: 'reason is required to cancel',
    });
    expect((await his.deadLetter(reasonless.headers.ce_id)).headers[DLQ_REASON_HEADER]).toMatch(
      /reason is required to cancel/,
    );
    expect(await accepted(transition('township-a', id, ReferralAction.CANCEL, '患者拒绝转诊'))).toEqual({
      referral_id: id,
    });
    const stream = await his.events.waitForKey(id, 2);
    expect(stream.map((e) => e.type.split('.')[2])).toEqual(['requested', 'cancelled']);
  });

  it('refuses a command for another institution, an invalid one and garbage: result + dead letter, and goes on', async () => {
    // Township A's HIS, on its own topic, names township B: refused, and answered to township A only.
    const foreign = newReferral(context('township-b'));
    const invalid = newReferral(context('township-a'), { diagnosis: { code: 'stroke', display: '' } });
    const garbage = {
      key: 'township-a',
      value: Buffer.from('\x08\x96\x01garbage'),
      headers: { ce_specversion: '1.0' },
    };
    const after = newReferral(context('township-a'));
    await his.sendAs('township-a', foreign, invalid, garbage);
    await send(after);
    expect((await resultOf(foreign.headers.ce_id)).payload.code).toBe('COMMAND_NOT_ALLOWED');
    expect(results(foreign.headers.ce_id).map((r) => r.topic)).toEqual([hisFeedTopic('township-a')]);
    expect((await resultOf(invalid.headers.ce_id)).payload.code).toBe('VALIDATION_FAILED');
    expect((await resultOf(after.headers.ce_id)).type).toBe('countylink.his-results.command-accepted.v1');
    const dead = await waitFor('three dead letters', () => {
      const found = his.events.events.filter((e) => e.topic === deadLetterTopic(HisTopics.commands));
      return found.length >= 3 ? found : undefined;
    });
    const reasons = dead.map((d) => d.headers[DLQ_REASON_HEADER]);
    expect(reasons).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/not allowed: the command names township-b, but came on the command topic of township-a/),
        expect.stringMatching(/invalid event: The command is not valid/),
        expect.stringMatching(/ce_id is missing|header ce_id/),
      ]),
    );
    // Nothing else changed: township A's HIS created no referral for township B, nor one with the invalid diagnosis.
    // (Other suites share the topics, so look only at what this HIS account did.)
    const byThisHis = his.events.events
      .filter((e) => e.type === 'countylink.referral.requested.v1')
      .map(
        (e) =>
          e.payload as {
            actor?: { subject: string };
            referral?: { fromInstitutionId: string; diagnosis?: { code: string } };
          },
      )
      .filter((p) => p.actor?.subject === 'his-township-a');
    expect(
      byThisHis.filter(
        (p) => p.referral?.fromInstitutionId !== 'township-a' || p.referral?.diagnosis?.code === 'stroke',
      ),
    ).toEqual([]);
  });
});
