/**
 * Prints a token for a demo user of the embedded default:
 *   npm run -s token -- township-a-doctor [--ttl 3600]
 * The user's roles, institution and department come from the directory seed file; the token is
 * signed with the local issuer's key that the running server trusts.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { LocalIssuer } from '../local-issuer';
import { ALL_ROLES, Role } from '../roles';

interface SeedMember {
  id: string;
  name: string;
  institutionId: string;
  departmentId?: string;
  roles: string[];
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const login = args.find((a) => !a.startsWith('--'));
  const ttlIndex = args.indexOf('--ttl');
  const ttl = ttlIndex >= 0 ? Number(args[ttlIndex + 1]) : 12 * 3600;
  const seedFile = resolve(process.env.DIRECTORY_SEED_FILE ?? 'apps/referral-registry/seed/demo-county.json');
  const members = (JSON.parse(readFileSync(seedFile, 'utf8')) as { members: SeedMember[] }).members;
  const member = members.find((m) => m.id === login);
  if (!member || !Number.isFinite(ttl) || ttl <= 0) {
    process.stderr.write(`usage: npm run -s token -- <login> [--ttl seconds]\nlogins: ${members.map((m) => m.id).join(', ')}\n`);
    process.exit(2);
  }
  const issuer = await LocalIssuer.open(
    resolve(process.env.AUTH_LOCAL_KEYS_DIR ?? resolve(process.env.COUNTYLINK_DATA_DIR ?? '.data', 'issuer')),
    process.env.AUTH_ISSUER ?? 'countylink-local',
    process.env.AUTH_AUDIENCE ?? 'countylink',
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
