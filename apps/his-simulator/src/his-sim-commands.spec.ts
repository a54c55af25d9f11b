import { ReferralAction, Urgency } from '@countylink/contracts';
import { parseCommand } from './his-sim-commands';

const context = { commandId: 'c-1', institutionId: 'township-a', token: 't' };

describe('HIS simulator command lines', () => {
  it('turns a refer line into a create-referral command', () => {
    const parsed = parseCommand('refer county-hospital cardiology emergency I21.9 TA-1 王建国 胸痛 2 小时'.split(' '), context);
    expect(parsed).toMatchObject({
      type: 'countylink.his-commands.create-referral.v1',
      command: { context, toInstitutionId: 'county-hospital', urgency: Urgency.EMERGENCY, patient: { patientId: 'TA-1', name: '王建国' }, clinicalSummary: '胸痛 2 小时' },
    });
  });

  it('turns transitions into transition-referral commands with their reason', () => {
    expect(parseCommand(['cancel', 'r-1', '患者', '拒绝'], context)).toMatchObject({ command: { referralId: 'r-1', action: ReferralAction.CANCEL, reason: '患者 拒绝' } });
    expect(parseCommand(['accept', 'r-1'], context)).toMatchObject({ command: { action: ReferralAction.ACCEPT } });
  });

  it('explains what it does not understand', () => {
    expect(parseCommand(['refer', 'x'], context)).toHaveProperty('error');
    expect(parseCommand('refer a b soon I10 p n s'.split(' '), context)).toEqual({ error: expect.stringMatching(/urgency/) });
  });
});
