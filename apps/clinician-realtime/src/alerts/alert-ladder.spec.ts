import { acknowledgeDueAt, LadderTimings, nextStep, pageChannel } from './alert-ladder';

const timings: LadderTimings = { firstStepSeconds: { 'green-channel': 180, 'critical-value': 600 }, stepSeconds: 300 };
const at = new Date('2025-03-01T08:00:00Z');

describe('alert ladder', () => {
  it('climbs on-duty → department head → coordinator, then stops', () => {
    expect(nextStep('on-duty')).toBe('department-head');
    expect(nextStep('department-head')).toBe('coordinator');
    expect(nextStep('coordinator')).toBeNull();
  });

  it('gives the first step the time of its kind and later steps the step time', () => {
    expect(acknowledgeDueAt('green-channel', 'on-duty', at, timings)).toEqual(new Date('2025-03-01T08:03:00Z'));
    expect(acknowledgeDueAt('critical-value', 'on-duty', at, timings)).toEqual(new Date('2025-03-01T08:10:00Z'));
    expect(acknowledgeDueAt('green-channel', 'department-head', at, timings)).toEqual(new Date('2025-03-01T08:05:00Z'));
  });

  it('has no deadline at the top, where nobody is left to climb to', () => {
    expect(acknowledgeDueAt('green-channel', 'coordinator', at, timings)).toBeNull();
  });

  it('pages by SMS first and by phone once the alert climbs', () => {
    expect(pageChannel('on-duty')).toBe('sms');
    expect(pageChannel('coordinator')).toBe('phone');
  });
});
