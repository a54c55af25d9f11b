import { DynamicModule, FactoryProvider, Global, Module } from '@nestjs/common';
import { ClassConstructor } from 'class-transformer';
import { environmentOf, loadSettings } from './load-config';
import { PlatformConfig } from './platform-config';

/** The environment the process's configs are read from (the one `loadConfig` was given). */
export const CONFIG_ENVIRONMENT = Symbol('CONFIG_ENVIRONMENT');

/**
 * Makes the validated `PlatformConfig` injectable everywhere, and the environment it came from, for
 * each app module to read its own config (appConfigProvider); the process entry point loads it.
 */
@Global()
@Module({})
export class ConfigModule {
  static forRoot(config: PlatformConfig, env: Readonly<NodeJS.ProcessEnv> = environmentOf(config)): DynamicModule {
    return {
      module: ConfigModule,
      providers: [
        { provide: PlatformConfig, useValue: config },
        { provide: CONFIG_ENVIRONMENT, useValue: env },
      ],
      exports: [PlatformConfig, CONFIG_ENVIRONMENT],
    };
  }
}

/**
 * An app's own config class, read and validated from the process's environment when its module is
 * set up: an app is asked only for its settings, and a bad one stops the start (InvalidConfigError)
 * naming it. The standalone app, importing every app module, reads all of them.
 */
export function appConfigProvider<T extends object>(type: ClassConstructor<T>): FactoryProvider<T> {
  return {
    provide: type,
    inject: [CONFIG_ENVIRONMENT],
    useFactory: (env: NodeJS.ProcessEnv) => loadSettings(type, env),
  };
}
