import { randomUUID } from 'node:crypto';
import { DynamicModule, Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { destination, DestinationStream } from 'pino';
import type { Options as PinoHttpOptions } from 'pino-http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { PlatformConfig } from '../config/platform-config';
import { REDACT_PATHS, safeError, safeRequest } from './log-privacy';

const REQUEST_ID = /^[\w.:-]{1,128}$/;

/** Stdout as pino does by default, or LOG_FILE — appended line by line, as a test reads it while the process runs. */
function withDestination(
  config: PlatformConfig,
  options: PinoHttpOptions,
): PinoHttpOptions | [PinoHttpOptions, DestinationStream] {
  return config.LOG_FILE
    ? [options, destination({ dest: config.LOG_FILE, mkdir: true, append: true, sync: true })]
    : options;
}

/**
 * JSON logs (pino) with a request id that is taken from `X-Request-Id` or made, and echoed back;
 * no patient data in them (see log-privacy). LOG_FILE sends them to a file instead of stdout.
 */
@Module({})
export class LoggingModule {
  static forRoot(config: PlatformConfig): DynamicModule {
    return {
      module: LoggingModule,
      imports: [
        LoggerModule.forRoot({
          pinoHttp: withDestination(config, {
            level: config.LOG_LEVEL,
            transport:
              config.LOG_PRETTY && !config.LOG_FILE
                ? { target: 'pino-pretty', options: { singleLine: true } }
                : undefined,
            genReqId: (req: IncomingMessage, res: ServerResponse) => {
              const given = req.headers['x-request-id'];
              const id = typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
              res.setHeader('X-Request-Id', id);
              return id;
            },
            redact: { paths: REDACT_PATHS, censor: '[redacted]' },
            serializers: { req: safeRequest, err: safeError },
            customLogLevel: (_req, res, err) =>
              err || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info',
            autoLogging: { ignore: (req) => req.url === '/metrics' || (req.url ?? '').startsWith('/health') },
          }),
        }),
      ],
      exports: [LoggerModule],
    };
  }
}
