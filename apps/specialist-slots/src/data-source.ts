import { DataSource } from 'typeorm';
import { appDataSourceOptions } from '@countylink/persistence';
import { SCHEDULING_MIGRATIONS } from './migrations';
import { SCHEDULING_ENTITIES } from './specialist-slots.entities';
import { SCHEDULING_SCHEMA } from './specialist-slots.constants';

/** For the TypeORM CLI (`npm run migration:generate -- specialist-slots <Name>`). */
export default new DataSource(
  appDataSourceOptions(process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres', {
    schema: SCHEDULING_SCHEMA,
    entities: SCHEDULING_ENTITIES,
    migrations: SCHEDULING_MIGRATIONS,
  }),
);
