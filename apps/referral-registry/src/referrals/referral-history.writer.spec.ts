import type { EntityManager } from 'typeorm';
import { Role } from '@countylink/auth';
import { ReferralHistory } from './referral-history.entity';
import { historyActorOf, SYSTEM_HISTORY_ACTOR, writeHistory } from './referral-history.writer';

describe('referral history writer', () => {
  const inserted: Array<[unknown, Record<string, unknown>]> = [];
  const manager = {
    insert: async (entity: unknown, row: Record<string, unknown>) => void inserted.push([entity, row]),
  } as unknown as EntityManager;
  const at = new Date('2026-03-01T08:00:00Z');
  beforeEach(() => (inserted.length = 0));

  it('writes one row: the status before, the status now, who and why', async () => {
    const principal = {
      sub: 'dr-li',
      institutionId: 'county-hospital',
      departmentId: 'cardiology',
      roles: [Role.CountySpecialist],
    };
    await writeHistory(
      manager,
      { id: 'r-1', status: 'rejected' },
      { action: 'reject', fromStatus: 'received', actor: historyActorOf(principal), reason: '无床位', at },
    );
    expect(inserted).toEqual([
      [
        ReferralHistory,
        {
          referralId: 'r-1',
          action: 'reject',
          fromStatus: 'received',
          toStatus: 'rejected',
          actorSubject: 'dr-li',
          actorInstitutionId: 'county-hospital',
          actorRoles: [Role.CountySpecialist],
          reason: '无床位',
          at,
        },
      ],
    ]);
  });

  it('records the system as an actor without institution or roles', async () => {
    await writeHistory(
      manager,
      { id: 'r-2', status: 'requested' },
      { action: 'escalate', fromStatus: 'requested', actor: SYSTEM_HISTORY_ACTOR, reason: 'late', at },
    );
    expect(inserted[0][1]).toMatchObject({
      actorSubject: 'system',
      actorInstitutionId: null,
      actorRoles: [],
      fromStatus: 'requested',
      toStatus: 'requested',
    });
  });
});
