import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { startTestDataSource } from '@countylink/testing';
import { REFERRAL_MIGRATIONS } from '../../apps/referral-registry/src/migrations';
import { REFERRAL_DATA_SOURCE, REFERRAL_SCHEMA } from '../../apps/referral-registry/src/referral-registry.constants';
import { REFERRAL_ENTITIES } from '../../apps/referral-registry/src/referral-registry.entities';
import { Referral } from '../../apps/referral-registry/src/referrals/referral.entity';
import { ReferralCursor, ReferralRepository } from '../../apps/referral-registry/src/referrals/referral.repository';

/**
 * The middle tier: the referral list's paging query against the real PostgreSQL (the app's entities
 * and migrations, a database of its own), without HTTP. Keyset paging on (created_at, id) descending.
 */
describe('referral paging repository on PostgreSQL', () => {
  let dataSource: DataSource;
  let referrals: ReferralRepository;
  const base = Date.UTC(2025, 0, 1, 8);

  beforeAll(async () => {
    dataSource = await startTestDataSource({
      name: REFERRAL_DATA_SOURCE,
      schema: REFERRAL_SCHEMA,
      entities: REFERRAL_ENTITIES,
      migrations: REFERRAL_MIGRATIONS,
    });
    referrals = new ReferralRepository(dataSource);
    // 47 referrals over 12 instants, so many share a created_at and only the id orders them.
    const rows = Array.from({ length: 47 }, (_, i) =>
      referral(
        new Date(base + (i % 12) * 60_000),
        i % 3 === 0 ? 'township-b' : 'township-a',
        i % 2 ? 'routine' : 'urgent',
      ),
    );
    await dataSource.manager.insert(Referral, rows);
  });
  afterAll(async () => {
    await dataSource?.destroy();
  });

  function referral(createdAt: Date, fromInstitutionId: string, urgency: 'routine' | 'urgent'): Referral {
    return {
      id: randomUUID(),
      direction: 'up',
      status: 'requested',
      urgency,
      greenChannelCentre: null,
      directAdmission: false,
      patientId: `P-${randomUUID().slice(0, 8)}`,
      patientName: '测试患者',
      patientSex: 'female',
      patientBirthDate: null,
      patientIdentityHash: null,
      patientIdentityMasked: null,
      fromInstitutionId,
      fromDepartmentId: null,
      fromPractitionerId: `${fromInstitutionId}-doctor`,
      toInstitutionId: 'county-hospital',
      toDepartmentId: 'cardiology',
      diagnosisCode: 'I10',
      diagnosisDisplay: '高血压',
      clinicalSummary: '-',
      reason: '-',
      justification: null,
      inTownshipCatalog: false,
      continuousDeductible: true,
      returnsFromReferralId: null,
      rehabilitationPlan: null,
      responseDueAt: new Date(createdAt.getTime() + 86_400_000),
      escalationLevel: 0,
      createdAt,
      updatedAt: createdAt,
      version: 1,
    } as Referral;
  }

  /** Walks every page as the service does: one row more than a page says whether another follows. */
  async function walk(pageSize: number, visibleTo: string | null, query: object = {}): Promise<Referral[][]> {
    const pages: Referral[][] = [];
    let after: ReferralCursor | null = null;
    for (;;) {
      const rows = await referrals.page(query, visibleTo, after, pageSize + 1);
      const page = rows.slice(0, pageSize);
      pages.push(page);
      if (rows.length <= pageSize) return pages;
      const last = page[page.length - 1];
      after = [last.createdAt, last.id];
    }
  }

  const expected = async (where: (r: Referral) => boolean) =>
    (await dataSource.manager.find(Referral, {}))
      .filter(where)
      .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0))
      .map((r) => r.id);

  it.each([1, 5, 7, 20, 47, 100])(
    'pages of %i cover every referral once, newest first, with no gaps or duplicates',
    async (size) => {
      const pages = await walk(size, null);
      const ids = pages.flat().map((r) => r.id);
      expect(ids).toHaveLength(47);
      expect(new Set(ids).size).toBe(47);
      expect(ids).toEqual(await expected(() => true));
      expect(pages.slice(0, -1).every((p) => p.length === size)).toBe(true);
      expect(pages.length).toBe(Math.max(1, Math.ceil(47 / size)));
    },
  );

  it('keeps the visibility and the filters across pages', async () => {
    const b = (await walk(4, 'township-b')).flat().map((r) => r.id);
    expect(b).toEqual(await expected((r) => r.fromInstitutionId === 'township-b'));
    const urgentA = (await walk(3, 'township-a', { urgency: 'urgent', institutionId: 'township-a' }))
      .flat()
      .map((r) => r.id);
    expect(urgentA).toEqual(await expected((r) => r.fromInstitutionId === 'township-a' && r.urgency === 'urgent'));
    const window = (
      await walk(2, null, {
        createdFrom: new Date(base + 3 * 60_000).toISOString(),
        createdTo: new Date(base + 6 * 60_000).toISOString(),
      })
    )
      .flat()
      .map((r) => r.id);
    expect(window).toEqual(
      await expected((r) => r.createdAt.getTime() >= base + 3 * 60_000 && r.createdAt.getTime() < base + 6 * 60_000),
    );
    expect(await referrals.page({}, 'township-c', null, 10)).toEqual([]);
  });

  it('a cursor in a run of equal created_at continues by id, and a referral added before the cursor never shows up later', async () => {
    const first = await referrals.page({}, null, null, 3);
    const cursor: ReferralCursor = [first[2].createdAt, first[2].id];
    const newer = referral(new Date(base + 3_600_000), 'township-a', 'routine');
    await dataSource.manager.insert(Referral, newer);
    const rest = (await referrals.page({}, null, cursor, 1000)).map((r) => r.id);
    expect(rest).not.toContain(newer.id);
    expect([...first.map((r) => r.id), ...rest]).toEqual(await expected((r) => r.id !== newer.id));
  });
});
