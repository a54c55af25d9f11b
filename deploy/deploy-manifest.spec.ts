import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { ALL_TOPICS, DEAD_LETTER_TOPICS } from '@countylink/contracts';
import { InvalidConfigError, loadConfig, loadSettings } from '@countylink/platform';
import { ClinicianRealtimeConfig } from '../apps/clinician-realtime/src/clinician-realtime.config';
import { ClinicianRealtimeModule } from '../apps/clinician-realtime/src/clinician-realtime.module';
import { ReferralRegistryConfig } from '../apps/referral-registry/src/referral-registry.config';
import { ReferralRegistryModule } from '../apps/referral-registry/src/referral-registry.module';
import { RemoteDiagnosisConfig } from '../apps/remote-diagnosis/src/remote-diagnosis.config';
import { RemoteDiagnosisModule } from '../apps/remote-diagnosis/src/remote-diagnosis.module';
import { SpecialistSlotsConfig } from '../apps/specialist-slots/src/specialist-slots.config';
import { SpecialistSlotsModule } from '../apps/specialist-slots/src/specialist-slots.module';
import {
  appRoot,
  consolePaths,
  hasGateway,
  locationFor,
  readGateway,
  Route,
  routesOf,
  sampleUri,
  serves,
} from './gateway-routes';

/** No Docker engine runs here: the manifest is checked against the code instead of being started. */
const root = join(__dirname, '..');
const compose = parse(readFileSync(join(__dirname, 'compose.yaml'), 'utf8'), { merge: true }) as {
  services: Record<
    string,
    {
      environment?: Record<string, string | number>;
      command?: string[];
      deploy?: { replicas?: number };
      build?: { dockerfile: string; target?: string };
      ports?: string[];
      depends_on?: Record<string, { condition: string }>;
    }
  >;
};
const SECRETS: Record<string, string> = {
  POSTGRES_PASSWORD: 'pw-from-the-operator',
  AUTH_JWKS_URL: 'https://idp.county.example/.well-known/jwks.json',
  IDENTITY_HASH_KEY: 'a-key-of-at-least-sixteen-chars',
  AUTH_OIDC_AUTHORITY: 'https://idp.county.example',
};

/** Compose's interpolation: ${X}, ${X:-default}, ${X:?error}; `$$` is a literal dollar. */
function interpolate(value: string, env: Record<string, string>): string {
  return value.replace(
    /\$\$|\$\{(\w+)(?::([-?])([^}]*))?\}/g,
    (whole, name: string | undefined, op: string | undefined, arg: string | undefined) => {
      if (!name) return '$';
      const set = env[name];
      if (set !== undefined && set !== '') return set;
      if (op === '-') return arg ?? '';
      if (op === '?') throw new Error(`${name}: ${arg}`);
      return '';
    },
  );
}

const environmentOf = (service: string, env: Record<string, string>) =>
  Object.fromEntries(
    Object.entries(compose.services[service].environment ?? {}).map(([k, v]) => [k, interpolate(String(v), env)]),
  );

const appServices = Object.entries(compose.services).filter(([, s]) => s.environment?.APP !== undefined);

const APP_MODULES: Record<string, Parameters<typeof appRoot>[1]> = {
  'referral-registry': ReferralRegistryModule,
  'remote-diagnosis': RemoteDiagnosisModule,
  'specialist-slots': SpecialistSlotsModule,
  'clinician-realtime': ClinicianRealtimeModule,
};
/** Each app's own config class, which its module loads from the same environment. */
const APP_CONFIGS: Record<string, new () => object> = {
  'referral-registry': ReferralRegistryConfig,
  'remote-diagnosis': RemoteDiagnosisConfig,
  'specialist-slots': SpecialistSlotsConfig,
  'clinician-realtime': ClinicianRealtimeConfig,
};
const gatewayConf = readFileSync(join(__dirname, 'gateway.conf'), 'utf8');
const gateway = readGateway(gatewayConf);
/** Each app's routes as its service is configured (production auth: the provider's JWKS, no demo logins). */
const appRoutes: Record<string, Route[]> = Object.fromEntries(
  Object.entries(APP_MODULES).map(([app, module]) => [
    app,
    routesOf(appRoot(loadConfig(environmentOf(app, SECRETS)), module)),
  ]),
);
/** Health, metrics: per app on its own port, for the orchestrator and Prometheus, not through the gateway. */
const NOT_PUBLIC = /^\/(health|metrics)(\/|$)/;

/** The app whose service an upstream's `server` names (`host:port`), or why none. */
function appBehind(upstream: string | undefined): string {
  const servers = upstream === undefined ? [] : (gateway.upstreams[upstream]?.servers ?? []);
  if (servers.length !== 1) return `upstream ${upstream}: ${servers.length} servers`;
  const [host, port] = servers[0].split(':');
  const env = compose.services[host]?.environment;
  if (!env?.APP) return `${servers[0]}: no app service ${host}`;
  return String(env.PORT) === port ? String(env.APP) : `${servers[0]}: ${host} listens on ${env.PORT}`;
}

/** Where the gateway sends `uri`, and whether the app there serves it: '' when it does, else what is wrong. */
function misrouted(uri: string): string {
  const location = locationFor(gateway, uri);
  if (!location?.upstream) return `${uri} → location ${location?.path ?? 'none'}, not proxied`;
  const app = appBehind(location.upstream);
  if (!appRoutes[app]) return `${uri} → ${app}`;
  return serves(appRoutes[app], uri) ? '' : `${uri} → ${app}, which has no such route`;
}

describe('deploy/compose.yaml', () => {
  it('runs every backbone app of nest-cli.json from the image, as its own service', () => {
    const projects = JSON.parse(readFileSync(join(root, 'nest-cli.json'), 'utf8')).projects as Record<
      string,
      { type: string }
    >;
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
    expect(Object.keys(APP_MODULES).sort()).toEqual(backbone);
  });

  it("gives each app an environment that passes the apps' own config validation, with Kafka and an external JWKS", () => {
    for (const [name] of appServices) {
      const config = loadConfig(environmentOf(name, SECRETS));
      expect(() => loadSettings(APP_CONFIGS[name], environmentOf(name, SECRETS))).not.toThrow();
      expect({ name, brokers: config.KAFKA_BROKERS?.length, jwks: config.AUTH_JWKS_URL, env: config.NODE_ENV }).toEqual(
        {
          name,
          brokers: 3,
          jwks: SECRETS.AUTH_JWKS_URL,
          env: 'production',
        },
      );
      // The console signs in at the provider: every app answers GET /api/auth/config with its client.
      expect({ name, authority: config.AUTH_OIDC_AUTHORITY, client: config.AUTH_OIDC_CLIENT_ID }).toEqual({
        name,
        authority: SECRETS.AUTH_OIDC_AUTHORITY,
        client: 'countylink-console',
      });
    }
  });

  it('refuses to start without the secrets an operator must provide', () => {
    for (const secret of Object.keys(SECRETS)) {
      const { [secret]: _missing, ...rest } = SECRETS;
      expect(() => environmentOf('referral-registry', rest)).toThrow(new RegExp(secret));
    }
    // And the apps' validation catches a bad value the interpolation cannot.
    expect(() =>
      loadSettings(
        ReferralRegistryConfig,
        environmentOf('referral-registry', { ...SECRETS, IDENTITY_HASH_KEY: 'short' }),
      ),
    ).toThrow(InvalidConfigError);
  });

  it('creates every topic the code uses and its dead-letter topic, before any app starts', () => {
    const script = compose.services['kafka-topics'].command!.join('\n');
    const listed = /for topic in([\s\S]*?); do/.exec(script)![1].replace(/\\\n/g, ' ').split(/\s+/).filter(Boolean);
    // Each institution's command and feed topic comes from the directory, in the kafka-acls job (ensureInstitutionTopics).
    expect([...listed].sort()).toEqual([...ALL_TOPICS, ...DEAD_LETTER_TOPICS].sort());
    expect(script).toMatch(/--replication-factor 3 --config min\.insync\.replicas=2/);
  });
});

describe('deploy/gateway.conf (the console and the proxy in front of the apps)', () => {
  const dockerfile = readFileSync(join(__dirname, 'Dockerfile'), 'utf8');

  it("is the Dockerfile's gateway stage: the built console as nginx's root, this file as its server", () => {
    const service = compose.services.gateway;
    expect(service.build).toMatchObject({ dockerfile: 'deploy/Dockerfile', target: 'gateway' });
    expect(dockerfile).toMatch(/^FROM nginx:[\d.]+ AS gateway$/m);
    expect(dockerfile).toMatch(/npm run build && npm run build:console && npm prune/);
    const root = gateway.server.find((d) => d.name === 'root')!.args[0];
    expect(dockerfile).toContain(`COPY --from=build /src/dist/clinician-console ${root}`);
    expect(dockerfile).toContain('COPY deploy/gateway.conf /etc/nginx/conf.d/default.conf');
    // The apps build from the last stage by name, not by being last.
    for (const [, app] of appServices) expect(app.build?.target).toBe('app');
    expect(dockerfile).toMatch(/^FROM node:[\w.-]+ AS app$/m);
    const listen = gateway.server.find((d) => d.name === 'listen')!.args[0];
    expect(service.ports?.map((p) => interpolate(p, {}).split(':').pop())).toEqual([listen]);
  });

  it('proxies to every app service and to nothing else, once each is healthy', () => {
    const behind = Object.keys(gateway.upstreams).map((u) => appBehind(u));
    expect([...behind].sort()).toEqual(Object.keys(APP_MODULES).sort());
    expect(Object.keys(compose.services.gateway.depends_on ?? {}).sort()).toEqual(Object.keys(APP_MODULES).sort());
    for (const dep of Object.values(compose.services.gateway.depends_on ?? {}))
      expect(dep.condition).toBe('service_healthy');
    for (const location of gateway.locations)
      if (location.upstream) expect(Object.keys(gateway.upstreams)).toContain(location.upstream);
  });

  it("sends every route of every app's controllers to an app that serves it; health and metrics stay on the apps' ports", () => {
    const problems: string[] = [];
    let checked = 0;
    for (const [app, routes] of Object.entries(appRoutes)) {
      for (const route of routes) {
        const uri = sampleUri(route);
        if (NOT_PUBLIC.test(uri)) {
          if (locationFor(gateway, uri)?.returns !== 404)
            problems.push(`${app} ${uri} is reachable through the gateway`);
          continue;
        }
        checked++;
        const problem = misrouted(uri);
        if (problem) problems.push(`${app} ${route.method} ${route.path}: ${problem}`);
      }
    }
    expect(problems).toEqual([]);
    expect(checked).toBeGreaterThan(40);
  });

  it('sends every path the console calls to a service that serves it', () => {
    const paths = consolePaths(join(root, 'apps/clinician-console/src'));
    expect(paths).toEqual(
      expect.arrayContaining([
        '/api/kpis/read-turnaround',
        '/api/reads',
        '/api/notifications',
        '/api/directory/institutions',
        '/dicomweb/studies',
      ]),
    );
    // The one-click demo sign-in is the local issuer's: with the provider's JWKS no app has it, and the
    // console, told `mode: oidc` by /api/auth/config, never asks for it.
    const demo = (p: string) => p.startsWith('/api/auth/demo-logins');
    expect(paths.filter(demo)).not.toEqual([]);
    for (const p of paths.filter(demo))
      for (const [app, routes] of Object.entries(appRoutes))
        expect({ p, app, served: serves(routes, p) }).toEqual({ p, app, served: false });
    expect(
      paths
        .filter((p) => !demo(p))
        .map(misrouted)
        .filter(Boolean),
    ).toEqual([]);
  });

  it('upgrades /socket.io to the realtime app, the one app with a Socket.IO gateway, sticky across its replicas', () => {
    const location = locationFor(gateway, '/socket.io/');
    expect(appBehind(location?.upstream)).toBe('clinician-realtime');
    for (const [app, module] of Object.entries(APP_MODULES)) {
      expect({ app, gateway: hasGateway(appRoot(loadConfig(environmentOf(app, SECRETS)), module)) }).toEqual({
        app,
        gateway: app === 'clinician-realtime',
      });
    }
    const headers = location!.directives.filter((d) => d.name === 'proxy_set_header').map((d) => d.args.join(' '));
    expect(headers).toEqual(
      expect.arrayContaining([
        'Upgrade $http_upgrade',
        'Connection $connection_upgrade',
        'Host $http_host',
        'X-Request-Id $countylink_request_id',
      ]),
    );
    expect(gatewayConf).toMatch(/map \$http_upgrade \$connection_upgrade \{\s*default upgrade;/);
    expect(gateway.upstreams[location!.upstream!].directives.map((d) => d.name)).toContain('ip_hash');
  });

  it("routes each path of deploy/README.md's table to the app the table names", () => {
    const rows = readFileSync(join(__dirname, 'README.md'), 'utf8')
      .split('\n')
      .map((l) => /^\| (.+) \| ([\w-]+) \|$/.exec(l))
      .filter((m) => m && APP_MODULES[m[2]]);
    const claimed = rows.flatMap((m) =>
      [...m![1].matchAll(/`([^`]+)`/g)].map((p) => ({ path: p[1].replace(/ .*$/, ''), app: m![2] })),
    );
    expect(claimed.length).toBeGreaterThan(20);
    expect(claimed.map(({ path }) => ({ path, app: appBehind(locationFor(gateway, path)?.upstream) }))).toEqual(
      claimed,
    );
  });

  it('answers a screen with index.html, and a backbone path never with the console', () => {
    expect(locationFor(gateway, '/reads/3f1c')?.directives.find((d) => d.name === 'try_files')?.args).toEqual([
      '$uri',
      '/index.html',
    ]);
    expect(locationFor(gateway, '/assets/index-abc.js')?.directives.find((d) => d.name === 'try_files')?.args).toEqual([
      '$uri',
      '=404',
    ]);
    // The standalone app's list of paths the console never answers for (apps/standalone/src/console-static.module.ts).
    for (const uri of [
      '/api',
      '/api/nothing',
      '/dicomweb',
      '/fhir',
      '/fhir/Patient',
      '/docs',
      '/health/ready',
      '/metrics',
      '/socket.io',
      '/.well-known/jwks.json',
    ]) {
      expect({ uri, location: locationFor(gateway, uri)?.path }).not.toEqual({ uri, location: '/' });
    }
  });
});
