/**
 * Prints a token for a demo user of the embedded default:
 *   npm run -s token -- township-a-doctor [--ttl 3600]
 * The lifetime defaults to, and may not exceed, AUTH_TOKEN_MAX_LIFETIME_SECONDS (12 h unless set).
 * The user's roles, institution and department come from the directory seed file; the token is
 * signed with the local issuer's key that the running server trusts.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { LocalIssuer } from '../local-issuer';
import { ALL_ROLES, Role } from '../roles';
import { parseTokenArgs } from './token-args';

interface SeedMember {
  id: string;
  name: string;
  institutionId: string;
  departmentId?: string;
  roles: string[];
}

async function main(): Promise<void> {
  const seedFile = resolve(process.env.DIRECTORY_SEED_FILE ?? 'apps/referral-registry/seed/demo-county.json');
  const members = (JSON.parse(readFileSync(seedFile, 'utf8')) as { members: SeedMember[] }).members;
  const args = parseTokenArgs(
    process.argv.slice(2),
    process.env,
    members.map((m) => m.id),
  );
  if ('error' in args) {
    process.stderr.write(
      `${args.error}\nusage: npm run -s token -- <login> [--ttl seconds]\nlogins: ${members.map((m) => m.id).join(', ')}\n`,
    );
    process.exit(2);
  }
  const { login, ttl, max } = args;
  const member = members.find((m) => m.id === login)!;
  const issuer = await LocalIssuer.open(
    resolve(process.env.AUTH_LOCAL_KEYS_DIR ?? resolve(process.env.COUNTYLINK_DATA_DIR ?? '.data', 'issuer')),
    process.env.AUTH_ISSUER ?? 'countylink-local',
    process.env.AUTH_AUDIENCE ?? 'countylink',
    max,
  );
  const token = await issuer.mint(
    {
      sub: member.id,
      name: member.name,
      roles: member.roles.filter((r): r is Role => ALL_ROLES.includes(r)),
      institutionId: member.institutionId,
      departmentId: member.departmentId,
    },
    ttl,
  );
  process.stdout.write(`${token}\n`);
}

void main();
