import { randomBytes, createHash, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Browser, BrowserContext, Page } from 'playwright-core';
import type { Namespace } from 'socket.io';
import request from 'supertest';
import { TestApp, waitFor } from '@countylink/testing';
import { ClinicianGateway } from '../../apps/clinician-realtime/src/gateway/clinician.gateway';
import { multipartBody } from '../remote-diagnosis/support/diagnosis-fixtures';
import { startConsoleApp } from './support/console-app';
import { REPO } from './support/console-build';
import { clinicianContext, launchChromium, screenshot, signIn } from './support/console-browser';
import { MockOidcProvider, ProviderUser } from './support/mock-oidc-provider';

const CLIENT_ID = 'countylink-console';
const COUNTY_ECG: ProviderUser = {
  sub: 'county-ecg',
  name: '吴婷',
  roles: ['county-specialist'],
  institutionId: 'county-hospital',
  departmentId: 'ecg-room',
};
const TOWNSHIP_A: ProviderUser = {
  sub: 'township-a-doctor',
  name: '张伟',
  roles: ['township-doctor'],
  institutionId: 'township-a',
  departmentId: 'general-practice',
};
const ECG_FILE = join(REPO, 'test/fixtures/dicom/waveform_ecg.dcm');
/** The backbone accepts a token this long past its expiry (TokenVerifier's clock tolerance). */
const CLOCK_TOLERANCE_S = 30;
/** Browsers on a 2-core machine shared with other suites, and a wait past a token's expiry: minutes. */
const TEST_MS = 180_000;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const verifierAndChallenge = () => {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
};

/**
 * Sign-in with the group's OIDC provider (a mock of it, in this file's process): with AUTH_JWKS_URL
 * the console offers the provider's button and no demo logins; authorization code with PKCE lands a
 * county ECG reader on the worklist; the in-memory token is renewed before it expires (iframe
 * prompt=none, or the refresh token when the provider gives one) and the page, its API calls and its
 * socket keep working past the first token's expiry; a 401, or the provider revoking the grant, leads
 * back to sign-in; 退出 ends the provider's session too.
 */
describe('console sign-in at the OIDC provider (Chromium)', () => {
  let idp: MockOidcProvider;
  let t: TestApp;
  let browser: Browser;
  let page: Page;
  const contexts: BrowserContext[] = [];
  const codeExchanges = () => idp.tokenRequests.filter((r) => r.grantType === 'authorization_code' && r.ok).length;
  const newPage = async () => {
    const context = await clinicianContext(browser);
    contexts.push(context);
    return context.newPage();
  };
  const signInAtProvider = async (p: Page) => {
    await p.getByTestId('oidc-sign-in').click();
    await p.waitForURL(/\/worklist$/);
    await p.locator('[data-testid="connection"][data-state="connected"]').waitFor();
  };

  beforeAll(async () => {
    idp = await MockOidcProvider.start(CLIENT_ID, 'countylink');
    [t, browser] = await Promise.all([
      startConsoleApp({
        AUTH_JWKS_URL: `${idp.url}/jwks`,
        AUTH_ISSUER: idp.url,
        AUTH_AUDIENCE: 'countylink',
        AUTH_OIDC_AUTHORITY: idp.url,
        AUTH_OIDC_CLIENT_ID: CLIENT_ID,
      }),
      launchChromium(),
    ]);
    idp.register([`${t.url}/auth/callback`, `${t.url}/auth/silent-callback.html`, `${t.url}/login`]);
    idp.user = COUNTY_ECG;
  }, 240_000);
  afterAll(async () => {
    for (const c of contexts) await c.close();
    await browser?.close();
    await t?.close();
    await idp?.close();
  }, TEST_MS);

  it('tells the console to sign in at the provider, has no demo logins, and the provider holds to PKCE (S256)', async () => {
    expect((await request(t.url).get('/api/auth/config')).body).toEqual({
      mode: 'oidc',
      authority: idp.url,
      clientId: CLIENT_ID,
      scope: 'openid profile',
    });
    expect((await request(t.url).get('/api/auth/demo-logins')).status).toBe(404);
    expect((await request(t.url).post('/api/auth/demo-logins/county-ecg/token')).status).toBe(404);

    const redirectUri = `${t.url}/auth/callback`;
    const authorize = async (challenge: string, method = 'S256') => {
      const q = new URLSearchParams({
        response_type: 'code',
        client_id: CLIENT_ID,
        redirect_uri: redirectUri,
        scope: 'openid profile',
        state: 's',
        code_challenge: challenge,
        code_challenge_method: method,
      });
      const res = await fetch(`${idp.url}/authorize?${q}`, { redirect: 'manual' });
      return new URL(res.headers.get('location') as string).searchParams;
    };
    const exchange = (code: string, verifier?: string) =>
      fetch(`${idp.url}/token`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'authorization_code',
          client_id: CLIENT_ID,
          redirect_uri: redirectUri,
          code,
          ...(verifier ? { code_verifier: verifier } : {}),
        }),
      });
    const pkce = verifierAndChallenge();
    const wrong = await exchange(
      (await authorize(pkce.challenge)).get('code') as string,
      verifierAndChallenge().verifier,
    );
    expect([wrong.status, ((await wrong.json()) as { error: string }).error]).toEqual([400, 'invalid_grant']);
    expect((await exchange((await authorize(pkce.challenge)).get('code') as string)).status).toBe(400);
    expect((await authorize(pkce.verifier, 'plain')).get('error')).toBe('invalid_request');
    const right = await exchange((await authorize(pkce.challenge)).get('code') as string, pkce.verifier);
    expect(right.status).toBe(200);
    const { access_token: token } = (await right.json()) as { access_token: string };
    // The provider's access token carries CountyLink's claims; the backbone reads them through its JWKS.
    expect((await request(t.url).get('/api/auth/me').set('Authorization', `Bearer ${token}`)).body).toEqual({
      sub: 'county-ecg',
      roles: ['county-specialist'],
      institutionId: 'county-hospital',
      departmentId: 'ecg-room',
    });
  });

  it(
    "signs a county ECG reader in (code + PKCE) to the worklist and keeps the page working past the first token's expiry",
    async () => {
      page = await newPage();
      const bearers: Array<{ at: number; token: string }> = [];
      page.on('request', (req) => {
        const auth = req.headers().authorization;
        if (auth?.startsWith('Bearer ')) bearers.push({ at: Date.now(), token: auth.slice(7) });
      });
      // Each Socket.IO connect to /clinician and the token it carries (the CONNECT packet's auth).
      const connects: Array<{ at: number; token: string }> = [];
      page.on('websocket', (ws) =>
        ws.on('framesent', ({ payload }) => {
          const packet = /^40\/clinician,(\{.*\})$/.exec(String(payload));
          if (packet) connects.push({ at: Date.now(), token: (JSON.parse(packet[1]) as { token: string }).token });
        }),
      );
      await page.goto(`${t.url}/worklist`);
      await page.waitForURL(/\/login$/);
      await page.getByRole('button', { name: /用医共体账号登录/ }).waitFor();
      expect(await page.locator('button[data-login]').count()).toBe(0);
      await screenshot(page, 'oidc-01-login');

      const exchangesBefore = codeExchanges();
      await signInAtProvider(page);
      await page.getByTestId('user-name').getByText('吴婷 (心电图室)').waitFor();
      await page.getByText('心电图室').first().waitFor();
      const interactive = idp.authorizeRequests.filter((q) => q.get('prompt') !== 'none').at(-1) as URLSearchParams;
      expect([
        interactive.get('code_challenge_method'),
        interactive.get('code_challenge')?.length,
        interactive.get('redirect_uri'),
      ]).toEqual(['S256', 43, `${t.url}/auth/callback`]);
      expect(codeExchanges()).toBe(exchangesBefore + 1);
      const first = idp.issued.at(-1) as { token: string; exp: number };
      // In memory only: nothing of the token in the tab's storage or cookies.
      const stored = (await page.evaluate(
        'JSON.stringify([Object.values(sessionStorage), Object.values(localStorage), document.cookie])',
      )) as string;
      expect(stored.includes(first.token.slice(-24))).toBe(false);
      await screenshot(page, 'oidc-02-worklist');

      // Renewed before it expires (a hidden prompt=none round trip: this provider gives no refresh token), again and again.
      await waitFor('a silent renewal', () => codeExchanges() >= exchangesBefore + 2, 30_000);
      expect(idp.authorizeRequests.at(-1)?.get('prompt')).toBe('none');
      expect(idp.issued.at(-1)?.exp).toBeGreaterThan(first.exp);
      // Until the backbone no longer takes the first token at all.
      await sleep(Math.max(0, (first.exp + CLOCK_TOLERANCE_S + 1) * 1000 - Date.now()));
      expect((await request(t.url).get('/api/auth/me').set('Authorization', `Bearer ${first.token}`)).status).toBe(401);
      expect(page.url()).toMatch(/\/worklist$/);
      // The server closed the socket at the first token's exp; the console came straight back with the renewed one.
      expect(connects[0]?.token).toBe(first.token);
      const afterExpiry = connects.find((c) => c.at >= first.exp * 1000);
      expect(
        afterExpiry && { renewed: afterExpiry.token !== first.token, soon: afterExpiry.at - first.exp * 1000 < 5_000 },
      ).toEqual({ renewed: true, soon: true });

      // The socket, dropped by the server, comes back with the renewed token (the first one would be refused now).
      (t.app.get(ClinicianGateway) as unknown as { nsp: Namespace }).nsp.in('user:county-ecg').disconnectSockets(true);
      await page.locator('[data-testid="connection"][data-state="restored"]').waitFor({ timeout: 20_000 });

      // Township A orders an ECG read and uploads the tracing: the row arrives live, and the reader claims it.
      const township = `Bearer ${await idp.mint(TOWNSHIP_A)}`;
      const order = await request(t.url)
        .post('/api/reads')
        .set('Authorization', township)
        .set('Idempotency-Key', randomUUID())
        .send({
          patient: { patientId: '642341', name: '刘秀英', sex: 'F' },
          modality: 'ECG',
          priority: 'urgent',
          clinicalQuestion: '胸闷',
        });
      expect(order.status).toBe(201);
      const { body, contentType } = multipartBody([readFileSync(ECG_FILE)]);
      expect(
        (
          await request(t.url)
            .post('/dicomweb/studies')
            .set('Authorization', township)
            .set('Content-Type', contentType)
            .send(body)
        ).status,
      ).toBe(200);
      const row = page.locator(`tr[data-read-id="${order.body.id}"]`);
      await row.waitFor({ timeout: 20_000 });
      await row.getByTestId('claim').click();
      await page.waitForURL(new RegExp(`/worklist/${order.body.id}$`));
      await page.locator('canvas[data-testid="ecg-canvas"][data-leads="12"]').waitFor();
      await screenshot(page, 'oidc-03-renewed-reading');

      const late = bearers.filter((b) => b.at > first.exp * 1000 + 1000);
      expect(late.length).toBeGreaterThan(0);
      expect(late.some((b) => b.token === first.token)).toBe(false);
    },
    TEST_MS,
  );

  it(
    'goes back to sign-in on a 401 from an API, and when the provider ends the session (no silent sign-in after either)',
    async () => {
      await page.locator('.ant-menu').getByText('工作列表', { exact: true }).click();
      await page.waitForURL(/\/worklist$/);
      await page.route('**/api/reads/*/release', (route) =>
        route.fulfill({
          status: 401,
          contentType: 'application/json',
          body: JSON.stringify({ error: { code: 'UNAUTHENTICATED', message: 'token has been revoked' } }),
        }),
      );
      await page.getByTestId('release').first().click();
      await page.waitForURL(/\/login$/);
      await page.getByText('登录已失效，请重新登录', { exact: true }).waitFor();
      await screenshot(page, 'oidc-04-signed-out-401');
      const asked = idp.authorizeRequests.length;
      await sleep(1500);
      expect(idp.authorizeRequests.length).toBe(asked);
      await page.unroute('**/api/reads/*/release');

      // Still signed in at the provider: the button brings the reader straight back; then the provider revokes them.
      await signInAtProvider(page);
      idp.revoke('county-ecg');
      await page.waitForURL(/\/login$/, { timeout: idp.tokenSeconds * 1000 + 10_000 });
      await page.getByText('登录已失效，请重新登录', { exact: true }).waitFor();
      expect(idp.authorizeRequests.at(-1)?.get('prompt')).toBe('none');
    },
    TEST_MS,
  );

  it(
    'renews with the refresh token when the provider gives one; a revoked grant leads back to sign-in; 退出 signs out at the provider too',
    async () => {
      idp.refreshTokens = true;
      const p = await newPage();
      await p.goto(`${t.url}/login`);
      await signInAtProvider(p);
      const refreshed = () => idp.tokenRequests.filter((r) => r.grantType === 'refresh_token' && r.ok).length;
      await waitFor('a renewal by refresh token', () => refreshed() >= 1, 30_000);
      idp.revoke('county-ecg');
      await p.waitForURL(/\/login$/, { timeout: idp.tokenSeconds * 1000 + 10_000 });
      expect(idp.tokenRequests.at(-1)).toMatchObject({ grantType: 'refresh_token', ok: false });

      await signInAtProvider(p);
      await p.getByRole('button', { name: /退出/ }).click();
      await waitFor("the provider's logout", () => idp.logouts.length > 0, 15_000);
      expect([idp.logouts[0].get('post_logout_redirect_uri'), !!idp.logouts[0].get('id_token_hint')]).toEqual([
        `${t.url}/login`,
        true,
      ]);
      await p.waitForURL(/\/login$/);
      await p.getByTestId('oidc-sign-in').waitFor();
      // The provider's session is gone: the login page's quiet attempt (prompt=none) finds no one.
      await waitFor('the quiet attempt', () => idp.authorizeRequests.at(-1)?.get('prompt') === 'none', 10_000);
      await sleep(1500);
      expect(p.url()).toMatch(/\/login$/);
      idp.refreshTokens = false;
    },
    TEST_MS,
  );
});

describe('console sign-in with the local issuer (Chromium): as before', () => {
  let t: TestApp;
  let browser: Browser;

  beforeAll(async () => {
    [t, browser] = await Promise.all([startConsoleApp(), launchChromium()]);
  }, 240_000);
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  }, TEST_MS);

  it(
    'lists the demo logins and no provider button; one click signs in, and a reload keeps the session',
    async () => {
      expect((await request(t.url).get('/api/auth/config')).body).toEqual({
        mode: 'local',
        issuer: 'countylink-local',
      });
      const page = await (await clinicianContext(browser)).newPage();
      await page.goto(`${t.url}/login`);
      await page.locator('button[data-login="county-ecg"]').waitFor();
      expect(await page.getByTestId('oidc-sign-in').count()).toBe(0);
      await signIn(page, t.url, 'county-ecg');
      await page.waitForURL(/\/worklist$/);
      await page.reload();
      await page.locator('[data-testid="connection"][data-state="connected"]').waitFor();
      expect(page.url()).toMatch(/\/worklist$/);
    },
    TEST_MS,
  );
});
