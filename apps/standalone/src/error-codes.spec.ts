import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { AuthErrorCode } from '@countylink/auth';
import {
  CommonErrorCode,
  registeredErrorCodes,
  registerErrorCodes,
  statusOfCode,
  userMessageOfCode,
} from '@countylink/platform';
import { RealtimeErrorCode } from '../../clinician-realtime/src/clinician-realtime.exception';
import { ReferralErrorCode } from '../../referral-registry/src/referrals/referral.exception';
import { DiagnosisErrorCode } from '../../remote-diagnosis/src/diagnosis.exception';
import { SchedulingErrorCode } from '../../specialist-slots/src/scheduling.exception';

/** Each module's enum, by the module name it registers under: the standalone app runs them all in one process. */
const ENUMS: Record<string, Record<string, string>> = {
  platform: CommonErrorCode,
  auth: AuthErrorCode,
  referral: ReferralErrorCode,
  diagnosis: DiagnosisErrorCode,
  scheduling: SchedulingErrorCode,
  realtime: RealtimeErrorCode,
};
const ENUM_BY_NAME: Record<string, Record<string, string>> = {
  CommonErrorCode,
  AuthErrorCode,
  ReferralErrorCode,
  DiagnosisErrorCode,
  SchedulingErrorCode,
  RealtimeErrorCode,
};
const CJK = /[\u4e00-\u9fff]/;
const ROOT = join(__dirname, '../../..');

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'node_modules' ? [] : sources(path);
    return /\.ts$/.test(name) && !/\.(spec|e2e-spec)\.ts$/.test(name) ? [path] : [];
  });
}

describe('error code registry', () => {
  it.each(Object.entries(ENUMS))(
    'registers every %s code with a status and a Chinese user message, owned by that module',
    (module, codes) => {
      const registry = registeredErrorCodes();
      for (const code of Object.values(codes)) {
        const entry = registry.get(code);
        expect({ code, module: entry?.module }).toEqual({ code, module });
        expect(statusOfCode(code)).toEqual(expect.any(Number));
        expect(statusOfCode(code)! >= 400 && statusOfCode(code)! < 600).toBe(true);
        expect({ code, userMessage: userMessageOfCode(code) }).toEqual({
          code,
          userMessage: expect.stringMatching(CJK),
        });
        // The clinician's sentence is not the developer's: no English particulars leak into it.
        expect(userMessageOfCode(code)).not.toMatch(/[A-Za-z]{4,}/);
      }
    },
  );

  it('has no code in two modules’ enums, and refuses a second module registering a code', () => {
    const all = Object.values(ENUMS).flatMap((codes) => Object.values(codes));
    expect(all.length).toBe(new Set(all).size);
    expect(() =>
      registerErrorCodes('intruder', { [SchedulingErrorCode.POOL_FULL]: { status: 400, userMessage: '重复' } }),
    ).toThrow(/registered by both scheduling and intruder/);
    expect(statusOfCode(SchedulingErrorCode.POOL_FULL)).toBe(409);
  });

  it('registers every code thrown in apps/ and libs/ (by enum member or literal)', () => {
    const unregistered: string[] = [];
    const unknownEnum: string[] = [];
    let seen = 0;
    for (const file of [...sources(join(ROOT, 'apps')), ...sources(join(ROOT, 'libs'))]) {
      if (file.includes('clinician-console')) continue;
      const text = readFileSync(file, 'utf8');
      const where = file.slice(ROOT.length + 1);
      // new DomainException(XErrorCode.Y, …) and new DomainException('Y', …); a typed variable (`code`) is checked by the compiler.
      for (const m of text.matchAll(/new DomainException\(\s*(?:(\w+)\.(\w+)|'([A-Z_]+)')/g)) {
        if (m[1] && !ENUM_BY_NAME[m[1]]) unknownEnum.push(`${where}: ${m[1]}`);
        seen++;
        const code = m[3] ?? ENUM_BY_NAME[m[1]]?.[m[2]];
        if (code === undefined || statusOfCode(code) === undefined) unregistered.push(`${where}: ${m[0]}`);
      }
      // Codes answered without an exception (the realtime ack, body checks): `refused('Y', …)` and `code: 'Y'` in an error.
      for (const m of text.matchAll(/(?:refused\(|error: \{ code: )'([A-Z_]+)'/g)) {
        if (statusOfCode(m[1]) === undefined) unregistered.push(`${where}: ${m[1]}`);
      }
    }
    expect({ unknownEnum, unregistered }).toEqual({ unknownEnum: [], unregistered: [] });
    expect(seen).toBeGreaterThan(50);
  });
});
