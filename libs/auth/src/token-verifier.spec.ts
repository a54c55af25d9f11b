import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalIssuer } from './local-issuer';
import { Role } from './roles';
import { TokenVerifier } from './token-verifier';

describe('TokenVerifier', () => {
  let issuer: LocalIssuer;
  let other: LocalIssuer;
  const doctor = { sub: 'township-a-doctor', roles: [Role.TownshipDoctor], institutionId: 'township-a' };

  beforeAll(async () => {
    issuer = await LocalIssuer.open(mkdtempSync(join(tmpdir(), 'issuer-')), 'countylink-local', 'countylink');
    other = await LocalIssuer.open(mkdtempSync(join(tmpdir(), 'forger-')), 'countylink-local', 'countylink');
  });
  afterEach(() => jest.useRealTimers());

  const verifier = () => new TokenVerifier({ issuer: 'countylink-local', audience: 'countylink', localJwks: issuer.jwks() });

  it('accepts a token of the configured issuer and remembers nothing that was refused', async () => {
    const v = verifier();
    const forged = await other.mint(doctor);
    await expect(v.verify(forged)).rejects.toThrow(/not valid/);
    await expect(v.verify(forged)).rejects.toThrow(/not valid/);
    await expect(v.verify(await issuer.mint(doctor))).resolves.toEqual({ ...doctor, departmentId: undefined });
  });

  it('never honours a remembered token past its expiry', async () => {
    const v = verifier();
    const token = await issuer.mint(doctor, 20);
    const now = Date.now();
    await expect(v.verify(token)).resolves.toMatchObject({ sub: 'township-a-doctor' });
    // Only the clock is faked (promises and crypto run as usual).
    jest.useFakeTimers({ now: now + 10_000, doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask', 'setTimeout', 'setInterval'] });
    await expect(v.verify(token)).resolves.toMatchObject({ sub: 'township-a-doctor' });
    // Past expiry and jose's 30 s clock tolerance: checked again, and refused.
    jest.setSystemTime(now + 55_000);
    await expect(v.verify(token)).rejects.toThrow(/expired/);
  });
});
