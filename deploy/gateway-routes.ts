/**
 * What deploy/*.spec.ts check the gateway against, read from the sources rather than restated: the
 * gateway's nginx configuration (parsed, and its location choice as nginx makes it), each app's HTTP
 * routes (from the Nest metadata of the module tree its main.ts boots) and the paths the console calls.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DynamicModule, RequestMethod, Type } from '@nestjs/common';
import { METHOD_METADATA, MODULE_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { GATEWAY_METADATA } from '@nestjs/websockets/constants';
import { AuthModule } from '@countylink/auth';
import { MessagingCoreModule, readinessProbes } from '@countylink/messaging';
import { backboneRootModule, PlatformConfig } from '@countylink/platform';

// ---- nginx configuration ----

export interface Directive {
  name: string;
  args: string[];
  block?: Directive[];
}

/** nginx's syntax: words and quoted strings, `;` ends a directive, `{ … }` is its block, `#` to the end of the line. */
export function parseNginx(text: string): Directive[] {
  const tokens = [...text.matchAll(/#[^\n]*|'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)"|([{};])|([^\s{};'"#]+)/g)]
    .filter((m) => !m[0].startsWith('#'))
    .map((m) => (m[3] ? { punct: m[3] } : { word: m[1] ?? m[2] ?? m[4] }));
  let i = 0;
  const block = (): Directive[] => {
    const out: Directive[] = [];
    while (i < tokens.length) {
      const t = tokens[i++];
      if (t.punct === '}') return out;
      if (t.punct) throw new Error(`unexpected ${t.punct} in the nginx configuration`);
      const d: Directive = { name: t.word!, args: [] };
      for (;;) {
        const next = tokens[i++];
        if (!next) throw new Error(`${d.name}: unterminated directive`);
        if (next.punct === ';') break;
        if (next.punct === '{') {
          d.block = block();
          break;
        }
        if (next.punct === '}') throw new Error(`${d.name}: missing ;`);
        d.args.push(next.word!);
      }
      out.push(d);
    }
    return out;
  };
  return block();
}

export interface Location {
  modifier: '' | '=' | '^~';
  path: string;
  /** The upstream a proxy_pass names, if any. */
  upstream?: string;
  /** `return`'s status, if any. */
  returns?: number;
  directives: Directive[];
}

export interface Gateway {
  upstreams: Record<string, { servers: string[]; directives: Directive[] }>;
  server: Directive[];
  locations: Location[];
}

export function readGateway(text: string): Gateway {
  const top = parseNginx(text);
  const upstreams = Object.fromEntries(
    top
      .filter((d) => d.name === 'upstream')
      .map((d) => [
        d.args[0],
        {
          servers: d.block!.filter((s) => s.name === 'server').map((s) => s.args[0]),
          directives: d.block!,
        },
      ]),
  );
  const servers = top.filter((d) => d.name === 'server');
  if (servers.length !== 1) throw new Error('the gateway configuration has one server block');
  const locations = servers[0]
    .block!.filter((d) => d.name === 'location')
    .map((d): Location => {
      const [modifier, path] = d.args.length === 2 ? d.args : ['', d.args[0]];
      if (!['', '=', '^~'].includes(modifier))
        throw new Error(`location ${d.args.join(' ')}: only prefix and exact locations are matched here`);
      const proxy = d.block!.find((x) => x.name === 'proxy_pass')?.args[0];
      const ret = d.block!.find((x) => x.name === 'return')?.args[0];
      return {
        modifier: modifier as Location['modifier'],
        path,
        directives: d.block!,
        upstream: proxy?.replace(/^http:\/\//, ''),
        returns: ret === undefined ? undefined : Number(ret),
      };
    });
  return { upstreams, server: servers[0].block!, locations };
}

/** nginx's choice without regular-expression locations: an exact match, else the longest matching prefix. */
export function locationFor(gateway: Gateway, uri: string): Location | undefined {
  const exact = gateway.locations.find((l) => l.modifier === '=' && l.path === uri);
  if (exact) return exact;
  return gateway.locations
    .filter((l) => l.modifier !== '=' && uri.startsWith(l.path))
    .sort((a, b) => b.path.length - a.path.length)[0];
}

// ---- the apps' routes ----

export interface Route {
  method: string;
  /** With `:name` for a parameter, as Nest declares it. */
  path: string;
}

type ModuleLike = Type<unknown> | DynamicModule | Promise<DynamicModule> | { forwardRef: () => ModuleLike };

/** Every class of the module tree under `root` (controllers, providers), as Nest would instantiate them. */
function walk(root: ModuleLike, kind: 'controllers' | 'providers'): unknown[] {
  const seen = new Set<unknown>();
  const out: unknown[] = [];
  const visit = (m: ModuleLike | undefined) => {
    if (!m || m instanceof Promise || seen.has(m)) return;
    seen.add(m);
    if ('forwardRef' in m) return visit(m.forwardRef());
    const dynamic = 'module' in m ? m : undefined;
    const cls = dynamic ? dynamic.module : (m as Type<unknown>);
    const key = kind === 'controllers' ? MODULE_METADATA.CONTROLLERS : MODULE_METADATA.PROVIDERS;
    out.push(...((Reflect.getMetadata(key, cls) as unknown[]) ?? []), ...((dynamic?.[kind] as unknown[]) ?? []));
    for (const i of [
      ...((Reflect.getMetadata(MODULE_METADATA.IMPORTS, cls) as ModuleLike[]) ?? []),
      ...((dynamic?.imports as ModuleLike[]) ?? []),
    ])
      visit(i);
  };
  visit(root);
  return out;
}

/** The module tree an app's main.ts boots: the backbone root, auth as configured, messaging, the app. */
export function appRoot(config: PlatformConfig, app: Type<unknown>): DynamicModule {
  return backboneRootModule({
    config,
    imports: [AuthModule.forRoot(config), MessagingCoreModule.forRoot(), app],
    probes: readinessProbes([]),
  });
}

const join2 = (...parts: Array<string | undefined>) =>
  `/${parts
    .flatMap((p) => (p ?? '').split('/'))
    .filter(Boolean)
    .join('/')}`;

export function routesOf(root: DynamicModule): Route[] {
  const routes: Route[] = [];
  for (const controller of walk(root, 'controllers') as Array<Type<unknown>>) {
    const prefixes = [Reflect.getMetadata(PATH_METADATA, controller) as string | string[]].flat();
    const proto = controller.prototype as Record<string, unknown>;
    for (const name of Object.getOwnPropertyNames(proto)) {
      const handler = proto[name];
      if (typeof handler !== 'function' || Reflect.getMetadata(METHOD_METADATA, handler) === undefined) continue;
      const method = RequestMethod[Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod];
      for (const prefix of prefixes)
        for (const path of [Reflect.getMetadata(PATH_METADATA, handler) as string | string[]].flat())
          routes.push({ method, path: join2(prefix, path) });
    }
  }
  return routes;
}

export function hasGateway(root: DynamicModule): boolean {
  return walk(root, 'providers').some(
    (p) => typeof p === 'function' && Reflect.getMetadata(GATEWAY_METADATA, p) === true,
  );
}

/** A concrete URI for a route (each parameter a sample value), for asking the gateway where it goes. */
export const sampleUri = (route: Route) => route.path.replace(/:[^/]+/g, 'p1');

/** Whether `routes` has one `uri` matches; a segment made from a template expression (`*`) matches any. */
export function serves(routes: Route[], uri: string): boolean {
  const want = uri.split('/');
  return routes.some((r) => {
    const have = r.path.split('/');
    return (
      have.length === want.length && have.every((seg, i) => seg.startsWith(':') || want[i] === '*' || seg === want[i])
    );
  });
}

// ---- the console's calls ----

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name)) : /\.tsx?$/.test(e.name) ? [join(dir, e.name)] : [],
  );
}

/**
 * The backbone paths in the console's sources (string and template literals starting /api/ or
 * /dicomweb/): the query dropped, each `${…}` one segment `*`, a trailing `${…}` (an optional query) cut.
 */
export function consolePaths(consoleSrc: string): string[] {
  const found = new Set<string>();
  for (const file of sources(consoleSrc)) {
    for (const m of readFileSync(file, 'utf8').matchAll(/['"`](\/(?:api|dicomweb)\/[^'"`\s]*)/g)) {
      const path = m[1]
        .split('?')[0]
        .replace(/\$\{[^}]*\}/g, '*')
        .replace(/\$\{.*$/, '')
        .replace(/\/$/, '');
      found.add(path);
    }
  }
  return [...found].sort();
}
