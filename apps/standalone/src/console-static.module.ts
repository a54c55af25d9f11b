import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DynamicModule, Inject, Logger, MiddlewareConsumer, Module, NestModule, RequestMethod } from '@nestjs/common';
import express, { NextFunction, Request, RequestHandler, Response } from 'express';

/** Where `npm run build:console` writes the clinician console (git-ignored); npm scripts run from the repository root. */
export const CONSOLE_DIST = resolve('dist/clinician-console');
const CONSOLE_DIR = Symbol('CONSOLE_DIR');

/** Paths that belong to the backbone's own APIs: the console never answers for them, not even with index.html. */
const BACKBONE_PATHS = ['/api', '/dicomweb', '/fhir', '/docs', '/health', '/metrics', '/socket.io', '/.well-known'];

const ownedByBackbone = (path: string) => BACKBONE_PATHS.some((p) => path === p || path.startsWith(`${p}/`));

/**
 * The built console as static files with a single-page fallback: a screen's URL (e.g. /reads/…)
 * loads index.html, and the console's router takes it from there. Hashed assets are cached for a
 * year; index.html never, so a new build is picked up on the next load.
 */
export function consoleHandler(dir: string): RequestHandler {
  const assets = express.static(dir, {
    index: false,
    fallthrough: true,
    setHeaders: (res, file) =>
      res.setHeader(
        'Cache-Control',
        file.includes(`${join(dir, 'assets')}`) ? 'public, max-age=31536000, immutable' : 'no-cache',
      ),
  });
  const index = join(dir, 'index.html');
  return (req: Request, res: Response, next: NextFunction) => {
    if ((req.method !== 'GET' && req.method !== 'HEAD') || ownedByBackbone(req.path)) return next();
    assets(req, res, () => {
      // A missing file under /assets is a 404, not the page: a stale tab must not parse HTML as JS.
      if (req.path.startsWith('/assets/') || !req.accepts('html')) return next();
      res.setHeader('Cache-Control', 'no-cache');
      res.sendFile(index, (err) => err && next(err));
    });
  };
}

@Module({})
export class ConsoleStaticModule implements NestModule {
  constructor(@Inject(CONSOLE_DIR) private readonly dir: string) {}

  /** Serves the console from `dir` at `/`; a missing build is said once and the APIs run on. */
  static forRoot(dir: string = CONSOLE_DIST): DynamicModule {
    return { module: ConsoleStaticModule, providers: [{ provide: CONSOLE_DIR, useValue: dir }] };
  }

  configure(consumer: MiddlewareConsumer): void {
    const dir = this.dir;
    if (!existsSync(join(dir, 'index.html'))) {
      new Logger('console').warn(`No console build in ${dir}: run npm run build:console`);
      return;
    }
    consumer.apply(consoleHandler(dir)).forRoutes({ path: '{*splat}', method: RequestMethod.ALL });
  }
}
