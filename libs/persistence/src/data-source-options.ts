import type { DataSourceOptions, EntitySchema, MixedList } from 'typeorm';
import { SnakeNamingStrategy } from './snake-naming.strategy';

export interface AppDataSourceSpec {
  /** The data source's name (Nest's injection token); defaults to the schema. */
  name?: string;
  /** The app's PostgreSQL schema; every table of the app lives in it and nowhere else. */
  schema: string;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  entities: MixedList<Function | string | EntitySchema>;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  migrations: MixedList<Function | string>;
  poolSize?: number;
}

/** Never `synchronize`: the schema changes only through the app's generated migrations. */
export function appDataSourceOptions(url: string, spec: AppDataSourceSpec): DataSourceOptions {
  return {
    type: 'postgres',
    name: spec.name ?? spec.schema,
    url,
    schema: spec.schema,
    entities: spec.entities,
    migrations: spec.migrations,
    migrationsTableName: 'migrations',
    migrationsTransactionMode: 'each',
    synchronize: false,
    migrationsRun: false,
    namingStrategy: new SnakeNamingStrategy(),
    extra: { max: spec.poolSize ?? 10, application_name: `countylink-${spec.schema}` },
  };
}
