import { DataSource } from 'typeorm';
import { appDataSourceOptions } from '@countylink/persistence';
import { REALTIME_SCHEMA } from './clinician-realtime.constants';
import { REALTIME_ENTITIES } from './clinician-realtime.entities';
import { REALTIME_MIGRATIONS } from './migrations';

/** For the TypeORM CLI (`npm run migration:generate -- clinician-realtime <Name>`). */
export default new DataSource(
  appDataSourceOptions(process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres', {
    schema: REALTIME_SCHEMA,
    entities: REALTIME_ENTITIES,
    migrations: REALTIME_MIGRATIONS,
  }),
);
