import { Timestamp, timestampDate } from '@bufbuild/protobuf/wkt';
import { Pool, ReadPriority, ReferralAction, ResourceKind, Urgency } from '@countylink/contracts';
import { parseCommand } from './his-sim-commands';

const context = { commandId: 'c-1', institutionId: 'township-a' };

describe('HIS simulator command lines', () => {
  it('turns a refer line into a create-referral command', () => {
    const parsed = parseCommand(
      'refer county-hospital cardiology emergency I21.9 TA-1 王建国 胸痛 2 小时'.split(' '),
      context,
    );
    expect(parsed).toMatchObject({
      type: 'countylink.his-commands.create-referral.v1',
      command: {
        context,
        toInstitutionId: 'county-hospital',
        urgency: Urgency.EMERGENCY,
        patient: { patientId: 'TA-1', name: '王建国' },
        clinicalSummary: '胸痛 2 小时',
      },
    });
  });

  it('turns transitions into transition-referral commands with their reason', () => {
    expect(parseCommand(['cancel', 'r-1', '患者', '拒绝'], context)).toMatchObject({
      command: { referralId: 'r-1', action: ReferralAction.CANCEL, reason: '患者 拒绝' },
    });
    expect(parseCommand(['accept', 'r-1'], context)).toMatchObject({ command: { action: ReferralAction.ACCEPT } });
  });

  it('turns order-read, publish, book and cancel lines into their commands', () => {
    expect(
      parseCommand('order-read ECG emergency TA-9 李四 township-a-doctor 胸痛 2 小时'.split(' '), context),
    ).toMatchObject({
      type: 'countylink.his-commands.order-read.v1',
      command: {
        modality: 'ECG',
        priority: ReadPriority.EMERGENCY,
        patient: { patientId: 'TA-9', name: '李四' },
        practitionerId: 'township-a-doctor',
        clinicalQuestion: '胸痛 2 小时',
      },
    });
    const publish = parseCommand(
      'publish exam radiology CT 2026-11-23T08:00:00+08:00 2026-11-23T12:00:00+08:00 20 0.3'.split(' '),
      context,
    );
    expect(publish).toMatchObject({
      type: 'countylink.his-commands.publish-schedule.v1',
      command: {
        kind: ResourceKind.EXAM,
        departmentId: 'radiology',
        modality: 'CT',
        capacity: 20,
        reservedShare: 0.3,
        externalId: 'c-1',
      },
    });
    expect(
      timestampDate((publish as unknown as { command: { startsAt: Timestamp } }).command.startsAt).toISOString(),
    ).toBe('2026-11-23T00:00:00.000Z');
    expect(
      parseCommand(
        'publish clinic cardiology county-cardiology 2026-11-23T08:00:00Z 2026-11-23T12:00:00Z 30'.split(' '),
        context,
      ),
    ).toMatchObject({
      command: { kind: ResourceKind.CLINIC_SESSION, practitionerId: 'county-cardiology', reservedShare: 0 },
    });
    expect(parseCommand(['book-reserved', 's-1', 'r-1', 'family-doctor-a'], context)).toMatchObject({
      type: 'countylink.his-commands.book-appointment.v1',
      command: { scheduleId: 's-1', pool: Pool.RESERVED, referralId: 'r-1', practitionerId: 'family-doctor-a' },
    });
    expect(parseCommand(['book-general', 's-1', 'P-1', '张三'], context)).toMatchObject({
      command: { pool: Pool.GENERAL, patient: { patientId: 'P-1', name: '张三' } },
    });
    expect(parseCommand(['cancel-appointment', 'a-1', '患者', '改期'], context)).toMatchObject({
      type: 'countylink.his-commands.cancel-appointment.v1',
      command: { appointmentId: 'a-1', reason: '患者 改期' },
    });
  });

  it('explains what it does not understand', () => {
    expect(parseCommand('publish exam radiology CT tomorrow later 20'.split(' '), context)).toEqual({
      error: expect.stringMatching(/ISO/),
    });
    expect(parseCommand('order-read ECG soon TA-9 李四 dr q'.split(' '), context)).toEqual({
      error: expect.stringMatching(/priority/),
    });
    expect(
      parseCommand('publish beds cardiology - 2026-11-23T00:00:00Z 2026-11-24T00:00:00Z many'.split(' '), context),
    ).toEqual({ error: expect.stringMatching(/capacity/) });
    expect(
      parseCommand('publish beds cardiology - 2026-11-23T00:00:00Z 2026-11-24T00:00:00Z 10 lots'.split(' '), context),
    ).toEqual({ error: expect.stringMatching(/reserved-share/) });
    expect(parseCommand(['refer', 'x'], context)).toHaveProperty('error');
    expect(parseCommand('refer a b soon I10 p n s'.split(' '), context)).toEqual({
      error: expect.stringMatching(/urgency/),
    });
  });
});
