import { DEFAULT_TOKEN_MAX_LIFETIME_SECONDS } from '@countylink/platform';

export interface TokenArgs {
  login: string;
  ttl: number;
  /** AUTH_TOKEN_MAX_LIFETIME_SECONDS as the server reads it. */
  max: number;
}

/** The token CLI's arguments, or the reason they cannot be served (printed with the usage). */
export function parseTokenArgs(
  args: string[],
  env: NodeJS.ProcessEnv,
  logins: string[],
): TokenArgs | { error: string } {
  const login = args.find((a, i) => !a.startsWith('--') && args[i - 1] !== '--ttl');
  const max = Number(env.AUTH_TOKEN_MAX_LIFETIME_SECONDS || DEFAULT_TOKEN_MAX_LIFETIME_SECONDS);
  if (!Number.isSafeInteger(max) || max <= 0)
    return { error: 'AUTH_TOKEN_MAX_LIFETIME_SECONDS must be a whole number of seconds' };
  const ttlIndex = args.indexOf('--ttl');
  const ttl = ttlIndex >= 0 ? Number(args[ttlIndex + 1]) : max;
  if (!login || !logins.includes(login)) return { error: login ? `no login ${login}` : 'a login is required' };
  if (!Number.isSafeInteger(ttl) || ttl <= 0)
    return { error: `--ttl must be a whole number of seconds above 0, not ${args[ttlIndex + 1]}` };
  // The server refuses longer-lived tokens: minting one would only make a token that does not work.
  if (ttl > max)
    return { error: `--ttl ${ttl} is above the maximum token lifetime of ${max} s (AUTH_TOKEN_MAX_LIFETIME_SECONDS)` };
  return { login, ttl, max };
}
