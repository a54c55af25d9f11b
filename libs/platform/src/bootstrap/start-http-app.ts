import { DynamicModule, INestApplication } from '@nestjs/common';
import compression from 'compression';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { Logger } from 'nestjs-pino';
import { PlatformConfig } from '../config/platform-config';
import { InvalidConfigError, loadConfig } from '../config/load-config';
import { HttpExceptionFilter } from '../errors/http-exception.filter';
import { createValidationPipe } from '../http/validation.pipe';
import { requireJsonBodies } from '../http/require-json-bodies';

export interface HttpAppOptions {
  title: string;
  description?: string;
  /** Bind address; tests use 127.0.0.1 and port 0. */
  host?: string;
  /** Let Nest close the app on SIGTERM/SIGINT (default); off when the caller owns shutdown. */
  shutdownHooks?: boolean;
}

/** Creates, configures and starts a CountyLink HTTP app; OpenAPI at /docs. */
export async function startHttpApp(
  root: DynamicModule,
  config: PlatformConfig,
  options: HttpAppOptions,
): Promise<INestApplication> {
  const app = await NestFactory.create<NestExpressApplication>(root, {
    bufferLogs: true,
    abortOnError: false,
    bodyParser: false,
  });
  app.useLogger(app.get(Logger));
  guardProcess(app.get(Logger));
  // JSON, the console's scripts and SVG tracings go out gzipped (a township line is slow); DICOM,
  // PNG and multipart retrieves are not compressible types and stream as they are.
  app.use(compression({ threshold: 1024 }));
  app.use(requireJsonBodies);
  app.useBodyParser('json', { limit: config.JSON_BODY_LIMIT });
  app.useGlobalFilters(new HttpExceptionFilter());
  app.useGlobalPipes(createValidationPipe());
  app.disable('x-powered-by');
  if (options.shutdownHooks !== false) app.enableShutdownHooks();
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle(options.title)
      .setDescription(options.description ?? '')
      .setVersion('1')
      .addBearerAuth()
      .build(),
  );
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs/openapi.json' });
  await app.listen(config.PORT, options.host ?? '0.0.0.0');
  return app;
}

let guarded = false;

/**
 * A stray rejected promise (a dropped broker connection, a client that hung up mid-stream) is
 * logged, not allowed to take down a process that clinicians depend on.
 */
function guardProcess(logger: Logger): void {
  if (guarded) return;
  guarded = true;
  process.on('unhandledRejection', (reason) => logger.error({ err: reason }, 'unhandled promise rejection'));
}

/** Loads the environment or stops the process with a message that names what is wrong. */
export function loadConfigOrExit(env: NodeJS.ProcessEnv = process.env): PlatformConfig {
  try {
    return loadConfig(env);
  } catch (err) {
    return exitOnInvalidConfig(err);
  }
}

/**
 * A bad setting stops the process with exit code 78 and the message naming it — the platform's,
 * or an app's own, read when its module is set up (`main().catch(exitOnInvalidConfig)`). Anything
 * else is rethrown.
 */
export function exitOnInvalidConfig(err: unknown): never {
  if (err instanceof InvalidConfigError) {
    process.stderr.write(`${err.message}\n`);
    process.exit(78);
  }
  throw err;
}
