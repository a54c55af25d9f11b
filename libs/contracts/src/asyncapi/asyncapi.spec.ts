import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import { EventCatalog } from '../event-catalog';
import { ALL_TOPICS, HisTopics } from '../topics';
import { ASYNCAPI_FILE, renderAsyncApi } from './asyncapi.cli';

const root = resolve(__dirname, '../../../..');

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'node_modules' ? [] : sources(path);
    return path.endsWith('.ts') && !path.endsWith('.spec.ts') ? [path] : [];
  });
}

/** Event types the apps name in code: literals, and template literals such as `countylink.referral.${to}.v1`. */
function typesNamedInCode(): { literals: Set<string>; patterns: RegExp[] } {
  const literals = new Set<string>();
  const patterns: RegExp[] = [];
  // Apps and the shared libraries that publish for them (the HIS command gate); not the catalog itself or tests.
  const files = [
    ...sources(join(root, 'apps')),
    ...sources(join(root, 'libs')).filter((f) => !/libs\/(contracts|testing)\//.test(f)),
  ];
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/['"](countylink\.[a-z-]+\.[a-z-]+\.v\d+)['"]/g)) literals.add(m[1]);
    for (const m of text.matchAll(/`(countylink\.[a-z-]+\.)\$\{[^}]+\}(\.v\d+)`/g))
      patterns.push(new RegExp(`^${m[1].replace(/\./g, '\\.')}[a-z-]+${m[2].replace('.', '\\.')}$`));
  }
  return { literals, patterns };
}

describe('AsyncAPI document', () => {
  const committed = readFileSync(join(root, ASYNCAPI_FILE), 'utf8');
  const doc = parse(committed) as {
    channels: Record<string, { address: string; messages: Record<string, unknown> }>;
    components: {
      messages: Record<string, { name: string; payload: { $ref: string }; examples: unknown[] }>;
      schemas: Record<string, unknown>;
    };
  };
  const documented = new Set(Object.values(doc.components.messages).map((m) => m.name));

  it('is up to date with proto/ and the event catalog (npm run asyncapi)', () => {
    expect(committed).toBe(renderAsyncApi(root));
  });

  it('has a channel for every topic and a message, with schema and example, for every event type', () => {
    const perInstitution = Object.values(HisTopics).map((family) => `${family}.{institutionId}`);
    expect(
      Object.values(doc.channels)
        .map((c) => c.address)
        .sort(),
    ).toEqual([...ALL_TOPICS, ...perInstitution].sort());
    expect([...documented].sort()).toEqual(Object.keys(EventCatalog).sort());
    for (const message of Object.values(doc.components.messages)) {
      expect(doc.components.schemas[message.payload.$ref.split('/').pop()!]).toBeDefined();
      expect(message.examples).toHaveLength(1);
    }
  });

  it('puts the HIS channels on the secured server: SCRAM-SHA-512 over TLS, an address per institution', () => {
    const full = parse(committed) as {
      servers: Record<string, { protocol: string; security: Array<{ $ref: string }> }>;
      channels: Record<
        string,
        { address: string; parameters?: Record<string, unknown>; messages: Record<string, unknown> }
      >;
      components: { securitySchemes: Record<string, { type: string }> };
    };
    const [server] = Object.values(full.servers);
    expect(server.protocol).toBe('kafka-secure');
    expect(full.components.securitySchemes[server.security[0].$ref.split('/').pop()!].type).toBe('scramSha512');
    expect(full.channels['his-commands']).toMatchObject({
      address: 'countylink.his-commands.v1.{institutionId}',
      parameters: { institutionId: expect.anything() },
    });
    const feed = Object.keys(full.channels['his-feed'].messages);
    expect(feed).toEqual(
      expect.arrayContaining([
        'his-results_command-accepted_v1',
        'referral_requested_v1',
        'diagnosis_read-reported_v1',
        'scheduling_appointment-booked_v1',
      ]),
    );
    expect(feed.filter((m) => m.startsWith('his-commands') || m.startsWith('directory'))).toEqual([]);
    // No credential in any command any more: neither the field nor a JWT-looking example.
    expect(committed).not.toMatch(/eyJ|context\.token|^\s+token:/m);
  });

  it('lists exactly the event types the code produces or consumes', () => {
    const { literals, patterns } = typesNamedInCode();
    for (const type of literals) expect(documented).toContain(type);
    const unused = [...documented].filter((type) => !literals.has(type) && !patterns.some((p) => p.test(type)));
    expect(unused).toEqual([]);
  });
});
