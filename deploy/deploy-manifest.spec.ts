import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { ALL_TOPICS, deadLetterTopic } from '@countylink/contracts';
import { InvalidConfigError, loadConfig } from '@countylink/platform';

/** No Docker engine runs here: the manifest is checked against the code instead of being started. */
const root = join(__dirname, '..');
const compose = parse(readFileSync(join(__dirname, 'compose.yaml'), 'utf8'), { merge: true }) as {
  services: Record<string, { environment?: Record<string, string | number>; command?: string[]; deploy?: { replicas?: number } }>;
};
const SECRETS: Record<string, string> = {
  POSTGRES_PASSWORD: 'pw-from-the-operator',
  AUTH_JWKS_URL: 'https://idp.county.example/.well-known/jwks.json',
  IDENTITY_HASH_KEY: 'a-key-of-at-least-sixteen-chars',
};

/** Compose's interpolation: ${X}, ${X:-default}, ${X:?error}; `$$` is a literal dollar. */
function interpolate(value: string, env: Record<string, string>): string {
  return value.replace(/\$\$|\$\{(\w+)(?::([-?])([^}]*))?\}/g, (whole, name: string | undefined, op: string | undefined, arg: string | undefined) => {
    if (!name) return '$';
    const set = env[name];
    if (set !== undefined && set !== '') return set;
    if (op === '-') return arg ?? '';
    if (op === '?') throw new Error(`${name}: ${arg}`);
    return '';
  });
}

const environmentOf = (service: string, env: Record<string, string>) =>
  Object.fromEntries(Object.entries(compose.services[service].environment ?? {}).map(([k, v]) => [k, interpolate(String(v), env)]));

const appServices = Object.entries(compose.services).filter(([, s]) => s.environment?.APP !== undefined);

describe('deploy/compose.yaml', () => {
  it('runs every backbone app of nest-cli.json from the image, as its own service', () => {
    const projects = JSON.parse(readFileSync(join(root, 'nest-cli.json'), 'utf8')).projects as Record<string, { type: string }>;
    const backbone = Object.entries(projects)
      .filter(([name, p]) => p.type === 'application' && !['standalone', 'his-simulator'].includes(name))
      .map(([name]) => name)
      .sort();
    expect(appServices.map(([, s]) => s.environment!.APP).sort()).toEqual(backbone);
    for (const [name, service] of appServices) {
      expect(name).toBe(service.environment!.APP);
      expect(existsSync(join(root, 'apps', name, 'src', 'main.ts'))).toBe(true);
    }
    expect(compose.services['clinician-realtime'].deploy?.replicas).toBeGreaterThanOrEqual(2);
  });

  it("gives each app an environment that passes the apps' own config validation, with Kafka and an external JWKS", () => {
    for (const [name] of appServices) {
      const config = loadConfig(environmentOf(name, SECRETS));
      expect({ name, brokers: config.KAFKA_BROKERS?.split(',').length, jwks: config.AUTH_JWKS_URL, env: config.NODE_ENV }).toEqual({
        name, brokers: 3, jwks: SECRETS.AUTH_JWKS_URL, env: 'production',
      });
    }
  });

  it('refuses to start without the secrets an operator must provide', () => {
    for (const secret of Object.keys(SECRETS)) {
      const { [secret]: _missing, ...rest } = SECRETS;
      expect(() => environmentOf('referral-registry', rest)).toThrow(new RegExp(secret));
    }
    // And the apps' validation catches a bad value the interpolation cannot.
    expect(() => loadConfig(environmentOf('referral-registry', { ...SECRETS, IDENTITY_HASH_KEY: 'short' }))).toThrow(InvalidConfigError);
  });

  it('creates every topic the code uses and its dead-letter topic, before any app starts', () => {
    const script = compose.services['kafka-topics'].command!.join('\n');
    const listed = /for topic in([\s\S]*?); do/.exec(script)![1].replace(/\\\n/g, ' ').split(/\s+/).filter(Boolean);
    expect([...listed].sort()).toEqual([...ALL_TOPICS, ...ALL_TOPICS.map(deadLetterTopic)].sort());
    expect(script).toMatch(/--replication-factor 3 --config min\.insync\.replicas=2/);
  });
});
