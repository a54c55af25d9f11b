import { resolve } from 'node:path';
import { PlatformConfig } from '@countylink/platform';
import { AuthModule } from '../auth.module';
import { DemoLoginsController } from './demo-logins.controller';
import { readDemoLogins } from './demo-logins';

const SEED = resolve(__dirname, '../../../../apps/referral-registry/seed/demo-county.json');

describe('demo logins', () => {
  it('lists the people of the seed by login, with name, roles, institution and department names; not the HIS accounts', () => {
    const logins = readDemoLogins(SEED);
    expect(logins.map((l) => l.login)).toEqual(
      expect.arrayContaining(['township-a-doctor', 'county-ecg', 'county-coordinator', 'family-doctor-a']),
    );
    expect(logins.find((l) => l.login === 'county-ecg')).toEqual({
      login: 'county-ecg',
      name: '吴婷 (心电图室)',
      roles: ['county-specialist'],
      institutionId: 'county-hospital',
      institutionName: '平安县人民医院',
      departmentId: 'ecg-room',
      departmentName: '心电图室',
    });
    expect(logins.some((l) => l.login.startsWith('his-'))).toBe(false);
    expect(readDemoLogins(undefined)).toEqual([]);
  });

  it('exists only with the local issuer: a group with AUTH_JWKS_URL has no such routes', () => {
    const config = {
      AUTH_ISSUER: 'i',
      AUTH_AUDIENCE: 'a',
      AUTH_LOCAL_KEYS_DIR: '/tmp/none',
      AUTH_LOCAL_ISSUER: 'enabled',
    } as PlatformConfig;
    expect(AuthModule.forRoot(config).controllers).toContain(DemoLoginsController);
    expect(
      AuthModule.forRoot({
        ...config,
        AUTH_LOCAL_ISSUER: 'disabled',
        AUTH_JWKS_URL: 'https://idp.example/jwks',
      } as PlatformConfig).controllers ?? [],
    ).not.toContain(DemoLoginsController);
  });
});
