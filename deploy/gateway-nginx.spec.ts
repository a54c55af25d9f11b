import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, IncomingMessage, request, Server } from 'node:http';
import { AddressInfo, createServer as createTcpServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { waitFor } from '@countylink/testing/app/wait-for';
import { loadConfig } from '@countylink/platform';
import { ClinicianRealtimeModule } from '../apps/clinician-realtime/src/clinician-realtime.module';
import { ReferralRegistryModule } from '../apps/referral-registry/src/referral-registry.module';
import { RemoteDiagnosisModule } from '../apps/remote-diagnosis/src/remote-diagnosis.module';
import { SpecialistSlotsModule } from '../apps/specialist-slots/src/specialist-slots.module';
import { appRoot, consolePaths, locationFor, readGateway, routesOf, sampleUri } from './gateway-routes';

/**
 * deploy/gateway.conf in a real nginx (Debian's `nginx`, as the README's test command installs it):
 * `nginx -t` accepts it, and each app's routes and the console's paths reach the upstream the static
 * check (deploy-manifest.spec.ts) expects. The apps stand behind it as one small HTTP server per
 * upstream that says who it is; only the service names and paths of the container differ from the image.
 */
const NGINX = ['/usr/sbin/nginx', '/usr/local/sbin/nginx', '/usr/bin/nginx'].find(existsSync);
const conf = readFileSync(join(__dirname, 'gateway.conf'), 'utf8');
const gateway = readGateway(conf);
const config = loadConfig({
  NODE_ENV: 'production',
  DATABASE_URL: 'postgres://x@localhost/x',
  KAFKA_BROKERS: 'k:9092',
  AUTH_JWKS_URL: 'https://idp.example/jwks',
  IDENTITY_HASH_KEY: 'a-key-of-at-least-sixteen-chars',
  AUTH_OIDC_AUTHORITY: 'https://idp.example',
  AUTH_OIDC_CLIENT_ID: 'console',
});
const routes = [ReferralRegistryModule, RemoteDiagnosisModule, SpecialistSlotsModule, ClinicianRealtimeModule].flatMap(
  (m) => routesOf(appRoot(config, m)),
);
const uris = [
  ...new Set([
    ...routes.map(sampleUri),
    ...consolePaths(join(__dirname, '../apps/clinician-console/src')).map((p) => p.replace(/\*/g, 'p1')),
  ]),
].sort();

interface Seen {
  upstream: string;
  uri: string;
  headers: IncomingMessage['headers'];
  bodyBytes: number;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createTcpServer()
      .listen(0, '127.0.0.1', () => {
        const { port } = s.address() as AddressInfo;
        s.close(() => resolve(port));
      })
      .on('error', reject);
  });
}

describe('deploy/gateway.conf in nginx', () => {
  const dir = mkdtempSync(join(tmpdir(), 'countylink-gateway-'));
  const upstreams: Server[] = [];
  let nginx: ChildProcess | undefined;
  let base = '';
  const args = ['-p', dir, '-c', join(dir, 'nginx.conf'), '-e', join(dir, 'error.log')];

  const get = (path: string, headers: Record<string, string> = {}, method = 'GET', body?: Buffer) =>
    new Promise<{ status: number; headers: IncomingMessage['headers']; text: string }>((resolve, reject) => {
      const req = request(`${base}${path}`, { method, headers }, (res) => {
        const chunks: Buffer[] = [];
        res
          .on('data', (c: Buffer) => chunks.push(c))
          .on('end', () =>
            resolve({ status: res.statusCode!, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }),
          );
      }).on('error', reject);
      req.end(body);
    });
  const seen = async (path: string, headers: Record<string, string> = {}) => {
    const res = await get(path, headers);
    return res.headers['x-upstream'] ? (JSON.parse(res.text) as Seen) : undefined;
  };

  beforeAll(async () => {
    if (!NGINX)
      throw new Error("nginx is not installed: apt-get install -y nginx (the README's test command installs it)");
    let text = conf;
    const replace = (from: string | RegExp, to: string) => {
      const next = text.replace(from, to);
      if (next === text) throw new Error(`gateway.conf no longer has ${String(from)}: update this test's rewrite`);
      text = next;
    };
    for (const [name, { servers }] of Object.entries(gateway.upstreams)) {
      const server = createServer((req, res) => {
        let bodyBytes = 0;
        req
          .on('data', (c: Buffer) => (bodyBytes += c.length))
          .on('end', () => {
            res.setHeader('X-Upstream', name);
            res.setHeader('Content-Type', 'application/json');
            res.end(
              JSON.stringify({ upstream: name, uri: req.url ?? '', headers: req.headers, bodyBytes } satisfies Seen),
            );
          });
      });
      // The WebSocket handshake's answer, as Socket.IO's engine gives it.
      server.on('upgrade', (req: IncomingMessage, socket) => {
        socket.end(
          `HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nX-Upstream: ${name}\r\nX-Seen-Host: ${req.headers.host}\r\n` +
            `X-Seen-Request-Id: ${String(req.headers['x-request-id'])}\r\n\r\n`,
        );
      });
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      upstreams.push(server);
      replace(`server ${servers[0]};`, `server 127.0.0.1:${(server.address() as AddressInfo).port};`);
    }
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    replace(/listen \d+;/, `listen 127.0.0.1:${port};`);
    replace('root /usr/share/nginx/html;', `root ${join(dir, 'html')};`);
    replace('/var/log/nginx/access.log', join(dir, 'access.log'));
    writeFileSync(join(dir, 'gateway.conf'), text);
    mkdirSync(join(dir, 'logs'));
    mkdirSync(join(dir, 'html/assets'), { recursive: true });
    mkdirSync(join(dir, 'html/auth'), { recursive: true });
    writeFileSync(join(dir, 'html/index.html'), '<!doctype html><title>县域联</title><div id="root"></div>');
    writeFileSync(join(dir, 'html/assets/index-3f1c.js'), 'console.log("console")');
    writeFileSync(join(dir, 'html/auth/silent-callback.html'), '<!doctype html><title>silent</title>');
    for (const sub of ['', 'html', 'html/assets', 'html/auth']) chmodSync(join(dir, sub), 0o755);
    // Workers run as nobody when the master is root: the temp files are theirs to write.
    writeFileSync(
      join(dir, 'nginx.conf'),
      `
${process.getuid?.() === 0 ? 'user root;' : ''}
daemon off;
worker_processes 1;
pid ${join(dir, 'nginx.pid')};
events { worker_connections 128; }
http {
  include /etc/nginx/mime.types;
  default_type application/octet-stream;
  client_body_temp_path ${join(dir, 'body')};
  proxy_temp_path ${join(dir, 'proxy')};
  fastcgi_temp_path ${join(dir, 'fastcgi')};
  uwsgi_temp_path ${join(dir, 'uwsgi')};
  scgi_temp_path ${join(dir, 'scgi')};
  include ${join(dir, 'gateway.conf')};
}
`,
    );
    nginx = spawn(NGINX, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    nginx.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
    await waitFor(
      `nginx on ${base} (${stderr})`,
      () =>
        get('/').then(
          () => true,
          () => (nginx!.exitCode === null ? false : Promise.reject(new Error(stderr))),
        ),
      10_000,
    );
  });
  afterAll(async () => {
    if (nginx && nginx.exitCode === null) {
      const exited = new Promise((r) => nginx!.once('exit', r));
      nginx.kill('SIGQUIT');
      await exited;
    }
    await Promise.all(upstreams.map((s) => new Promise((r) => s.close(r))));
    rmSync(dir, { recursive: true, force: true });
  });

  it('passes nginx -t', () => {
    const check = spawnSync(NGINX!, ['-t', ...args], { encoding: 'utf8' });
    expect({ status: check.status, said: check.stderr }).toEqual({
      status: 0,
      said: expect.stringMatching(/syntax is ok[\s\S]*test is successful/),
    });
    expect(check.stderr).not.toMatch(/\[warn\]|\[emerg\]/);
  });

  it('sends each app route and console path where the static check says, unchanged, with the request id and forwarded-for', async () => {
    expect(uris.length).toBeGreaterThan(40);
    const answered: Array<{ uri: string; upstream: string | undefined }> = [];
    for (const uri of uris) answered.push({ uri, upstream: (await seen(uri))?.upstream });
    expect(answered).toEqual(uris.map((uri) => ({ uri, upstream: locationFor(gateway, uri)?.upstream })));
    // What nothing behind the gateway answers: the per-app health and metrics.
    expect(
      answered
        .filter((a) => a.upstream === undefined)
        .map((a) => a.uri)
        .every((u) => /^\/(health|metrics)(\/|$)/.test(u)),
    ).toBe(true);

    const read = (await seen('/api/reads/p1?status=ready&patientId=TA-1', { 'X-Request-Id': 'req-from-his-42' }))!;
    expect(read).toMatchObject({ upstream: 'remote_diagnosis', uri: '/api/reads/p1?status=ready&patientId=TA-1' });
    // The Host as the client sent it, port and all: remote-diagnosis names retrieve URLs (STOW-RS, QIDO-RS) after it.
    expect(read.headers).toMatchObject({
      host: new URL(base).host,
      'x-request-id': 'req-from-his-42',
      'x-forwarded-for': '127.0.0.1',
      'x-forwarded-proto': 'http',
    });
    expect((await seen('/api/referrals'))!.headers['x-request-id']).toMatch(/^[0-9a-f]{32}$/);
    // The access log has the path, never the query (a query can name a patient).
    expect(readFileSync(join(dir, 'access.log'), 'utf8')).toContain('"GET /api/reads/p1" 200');
    expect(readFileSync(join(dir, 'access.log'), 'utf8')).not.toContain('TA-1');
  });

  it('streams a STOW-RS body past the API limit to remote-diagnosis, and refuses one that size elsewhere', async () => {
    const body = Buffer.alloc(3 * 1024 * 1024, 1);
    const stow = await get(
      '/dicomweb/studies',
      { 'Content-Type': 'multipart/related; type="application/dicom"; boundary=x' },
      'POST',
      body,
    );
    expect(stow.status).toBe(200);
    expect(JSON.parse(stow.text)).toMatchObject({ upstream: 'remote_diagnosis', bodyBytes: body.length });
    expect((await get('/api/reads', { 'Content-Type': 'application/json' }, 'POST', body)).status).toBe(413);
  });

  it('upgrades /socket.io to the realtime app', async () => {
    const answer = await new Promise<IncomingMessage>((resolve, reject) => {
      const req = request(`${base}/socket.io/?EIO=4&transport=websocket`, {
        headers: {
          Connection: 'Upgrade',
          Upgrade: 'websocket',
          'Sec-WebSocket-Version': '13',
          'Sec-WebSocket-Key': 'dGhlIHNhbXBsZSBub25jZQ==',
        },
      });
      req.on('upgrade', (res: IncomingMessage, socket) => {
        socket.destroy();
        resolve(res);
      });
      req.on('response', (res) => reject(new Error(`no upgrade: ${res.statusCode}`)));
      req.on('error', reject);
      req.end();
    });
    expect(answer.statusCode).toBe(101);
    expect(answer.headers).toMatchObject({
      'x-upstream': 'clinician_realtime',
      'x-seen-host': `127.0.0.1:${new URL(base).port}`,
    });
    expect(answer.headers['x-seen-request-id']).toMatch(/^[0-9a-f]{32}$/);
  });

  it('serves the console: index.html for a screen (never cached), hashed assets for a year, a missing asset as 404', async () => {
    for (const screen of ['/', '/reads/3f1c', '/admin/kpis', '/auth/callback?code=abc']) {
      const res = await get(screen, { Accept: 'text/html' });
      expect({
        screen,
        status: res.status,
        cache: res.headers['cache-control'],
        page: res.text.includes('<title>县域联</title>'),
      }).toEqual({ screen, status: 200, cache: 'no-cache', page: true });
    }
    expect((await get('/auth/silent-callback.html')).text).toContain('<title>silent</title>');
    const asset = await get('/assets/index-3f1c.js');
    expect({
      status: asset.status,
      cache: asset.headers['cache-control'],
      type: asset.headers['content-type'],
    }).toEqual({ status: 200, cache: 'public, max-age=31536000, immutable', type: 'application/javascript' });
    expect((await get('/assets/index-gone.js')).status).toBe(404);
    for (const backbone of [
      '/api/nothing',
      '/fhir/Patient',
      '/health/ready',
      '/metrics',
      '/docs',
      '/.well-known/jwks.json',
    ]) {
      const res = await get(backbone, { Accept: 'text/html' });
      expect({
        backbone,
        status: res.status,
        upstream: res.headers['x-upstream'],
        page: res.text.includes('县域联'),
      }).toEqual({ backbone, status: 404, upstream: undefined, page: false });
    }
    expect(JSON.parse((await get('/api/nothing')).text)).toEqual({
      error: { code: 'NOT_FOUND', message: 'No such API' },
    });
  });
});
