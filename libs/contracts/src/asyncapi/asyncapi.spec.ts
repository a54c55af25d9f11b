import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import { EventCatalog } from '../event-catalog';
import { ALL_TOPICS } from '../topics';
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
  const files = [...sources(join(root, 'apps')), ...sources(join(root, 'libs')).filter((f) => !/libs\/(contracts|testing)\//.test(f))];
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/['"](countylink\.[a-z-]+\.[a-z-]+\.v\d+)['"]/g)) literals.add(m[1]);
    for (const m of text.matchAll(/`(countylink\.[a-z-]+\.)\$\{[^}]+\}(\.v\d+)`/g)) patterns.push(new RegExp(`^${m[1].replace(/\./g, '\\.')}[a-z-]+${m[2].replace('.', '\\.')}$`));
  }
  return { literals, patterns };
}

describe('AsyncAPI document', () => {
  const committed = readFileSync(join(root, ASYNCAPI_FILE), 'utf8');
  const doc = parse(committed) as {
    channels: Record<string, { address: string; messages: Record<string, unknown> }>;
    components: { messages: Record<string, { name: string; payload: { $ref: string }; examples: unknown[] }>; schemas: Record<string, unknown> };
  };
  const documented = new Set(Object.values(doc.components.messages).map((m) => m.name));

  it('is up to date with proto/ and the event catalog (npm run asyncapi)', () => {
    expect(committed).toBe(renderAsyncApi(root));
  });

  it('has a channel for every topic and a message, with schema and example, for every event type', () => {
    expect(Object.values(doc.channels).map((c) => c.address).sort()).toEqual([...ALL_TOPICS].sort());
    expect([...documented].sort()).toEqual(Object.keys(EventCatalog).sort());
    for (const message of Object.values(doc.components.messages)) {
      expect(doc.components.schemas[message.payload.$ref.split('/').pop()!]).toBeDefined();
      expect(message.examples).toHaveLength(1);
    }
  });

  it('lists exactly the event types the code produces or consumes', () => {
    const { literals, patterns } = typesNamedInCode();
    for (const type of literals) expect(documented).toContain(type);
    const unused = [...documented].filter((type) => !literals.has(type) && !patterns.some((p) => p.test(type)));
    expect(unused).toEqual([]);
  });
});
