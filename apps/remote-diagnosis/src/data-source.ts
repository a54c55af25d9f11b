import { DataSource } from 'typeorm';
import { appDataSourceOptions } from '@countylink/persistence';
import { DIAGNOSIS_MIGRATIONS } from './migrations';
import { DIAGNOSIS_ENTITIES } from './remote-diagnosis.entities';
import { DIAGNOSIS_SCHEMA } from './remote-diagnosis.constants';

/** For the TypeORM CLI (`npm run migration:generate -- remote-diagnosis <Name>`). */
export default new DataSource(
  appDataSourceOptions(process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres', {
    schema: DIAGNOSIS_SCHEMA,
    entities: DIAGNOSIS_ENTITIES,
    migrations: DIAGNOSIS_MIGRATIONS,
  }),
);
