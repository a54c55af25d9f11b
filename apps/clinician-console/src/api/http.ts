/**
 * The console's one way to the backbone's HTTP APIs: bearer token on every call, `{ error: { code,
 * message, userMessage } }` turned into an ApiError, and a 401 from anywhere handed to the session (back to sign-in).
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
    /** The server's registered sentence for the clinician (简体中文); `message` is the developer's. */
    readonly userMessage?: string,
  ) {
    super(message);
  }

  /** Another institution's record and a record that does not exist look the same, on purpose. */
  get notFound(): boolean {
    return this.status === 404;
  }
}

interface HttpHooks {
  token: () => string | null;
  onUnauthorized: () => void;
}

let hooks: HttpHooks = { token: () => null, onUnauthorized: () => undefined };

export function configureHttp(next: HttpHooks): void {
  hooks = next;
}

export function currentToken(): string | null {
  return hooks.token();
}

export function unauthorized(): void {
  hooks.onUnauthorized();
}

export interface RequestOptions {
  method?: string;
  body?: unknown;
  headers?: Record<string, string>;
  signal?: AbortSignal;
  /** Calls before sign-in (the demo logins) go without a token and a 401 there is not a lapsed session. */
  anonymous?: boolean;
}

export async function errorFrom(res: Response): Promise<ApiError> {
  let code = `HTTP_${res.status}`;
  let message = res.statusText;
  let details: unknown;
  let userMessage: string | undefined;
  try {
    const body = (await res.json()) as {
      error?: { code?: string; message?: string; details?: unknown; userMessage?: string };
    };
    if (body.error?.code) code = body.error.code;
    if (body.error?.message) message = body.error.message;
    details = body.error?.details;
    if (typeof body.error?.userMessage === 'string' && body.error.userMessage) userMessage = body.error.userMessage;
  } catch {
    // not JSON (a proxy's page): the status says enough
  }
  return new ApiError(res.status, code, message, details, userMessage);
}

export async function send(path: string, options: RequestOptions = {}): Promise<Response> {
  const headers: Record<string, string> = { Accept: 'application/json', ...options.headers };
  const token = options.anonymous ? null : hooks.token();
  if (token) headers.Authorization = `Bearer ${token}`;
  if (options.body !== undefined) headers['Content-Type'] = 'application/json';
  const res = await fetch(path, {
    method: options.method ?? 'GET',
    headers,
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
    signal: options.signal,
  });
  if (res.status === 401 && !options.anonymous) hooks.onUnauthorized();
  if (!res.ok) throw await errorFrom(res);
  return res;
}

export async function api<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const res = await send(path, options);
  return (await res.json()) as T;
}

export async function apiBlob(path: string, options: RequestOptions = {}): Promise<Blob> {
  const res = await send(path, { ...options, headers: { Accept: '*/*', ...options.headers } });
  return res.blob();
}
