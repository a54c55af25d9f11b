import { DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource, DataSourceOptions } from 'typeorm';
import { PlatformConfig } from '@countylink/platform';
import { AppDataSourceSpec, appDataSourceOptions } from './data-source-options';
import { runMigrations } from './run-migrations';

/**
 * An app's own data source (Nest token: `spec.name`, else the schema) on DATABASE_URL, in its own
 * schema, with its migrations run before anything can use the connection. TypeORM's module is
 * global, so the app's providers inject the data source by name wherever they are.
 */
@Module({})
export class DatabaseModule {
  static forApp(spec: AppDataSourceSpec): DynamicModule {
    return {
      module: DatabaseModule,
      imports: [
        TypeOrmModule.forRootAsync({
          name: spec.name ?? spec.schema,
          inject: [PlatformConfig],
          useFactory: (config: PlatformConfig) => appDataSourceOptions(config.DATABASE_URL, spec),
          dataSourceFactory: async (options?: DataSourceOptions) => {
            const dataSource = await new DataSource(options!).initialize();
            await runMigrations(dataSource, spec.schema);
            return dataSource;
          },
        }),
      ],
    };
  }
}
