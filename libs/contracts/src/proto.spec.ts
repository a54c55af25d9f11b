import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { EventCatalog } from './event-catalog';
import { ALL_TOPICS, HisTopics } from './topics';

const root = resolve(__dirname, '../../..');
const buf = join(root, 'node_modules/.bin/buf');

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : [path];
  });
}

describe('proto/ is the source of truth', () => {
  it('passes buf lint', () => {
    expect(() => execFileSync(buf, ['lint'], { cwd: root, stdio: 'pipe' })).not.toThrow();
  });

  it('stays wire- and JSON-compatible with the last released schema (buf breaking)', () => {
    const released = join(root, 'libs/contracts/released/countylink-events.binpb');
    expect(() => execFileSync(buf, ['breaking', '--against', released], { cwd: root, stdio: 'pipe' })).not.toThrow();
  });

  it('would notice a breaking change: a renumbered field fails buf breaking', () => {
    const copy = mkdtempSync(join(tmpdir(), 'countylink-proto-'));
    cpSync(join(root, 'proto'), join(copy, 'proto'), { recursive: true });
    cpSync(join(root, 'buf.yaml'), join(copy, 'buf.yaml'));
    const file = join(copy, 'proto/countylink/referral/v1/referral.proto');
    writeFileSync(
      file,
      readFileSync(file, 'utf8').replace('string clinical_summary = 13;', 'string clinical_summary = 99;'),
    );
    const released = join(root, 'libs/contracts/released/countylink-events.binpb');
    expect(() => execFileSync(buf, ['breaking', '--against', released], { cwd: copy, stdio: 'pipe' })).toThrow();
  });

  it('matches the committed generated TypeScript exactly', () => {
    const out = mkdtempSync(join(tmpdir(), 'countylink-gen-'));
    const template = JSON.stringify({
      version: 'v2',
      inputs: [{ directory: 'proto' }],
      plugins: [
        { local: join(root, 'node_modules/.bin/protoc-gen-es'), out, opt: ['target=ts', 'import_extension=none'] },
      ],
    });
    execFileSync(buf, ['generate', '--template', template], { cwd: root, stdio: 'pipe' });
    const committed = join(root, 'libs/contracts/src/gen');
    const fresh = files(out)
      .map((f) => relative(out, f))
      .sort();
    expect(
      files(committed)
        .map((f) => relative(committed, f))
        .sort(),
    ).toEqual(fresh);
    for (const file of fresh)
      expect(readFileSync(join(committed, file), 'utf8')).toBe(readFileSync(join(out, file), 'utf8'));
  });

  it('puts every event type on a versioned topic and names it after that topic', () => {
    for (const [type, entry] of Object.entries(EventCatalog)) {
      expect([...ALL_TOPICS, ...Object.values(HisTopics)]).toContain(entry.topic);
      expect(type).toMatch(/^countylink\.[a-z-]+\.[a-z-]+\.v\d+$/);
      // Command results kept their ce_type (countylink.his-results.*) when they moved onto the feeds.
      const domain = entry.topic === HisTopics.feed ? 'his-results' : entry.topic.split('.')[1];
      expect(domain).toBe(type.split('.')[1]);
    }
  });
});
