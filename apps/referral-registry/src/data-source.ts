import { DataSource } from 'typeorm';
import { appDataSourceOptions } from '@countylink/persistence';
import { REFERRAL_MIGRATIONS } from './migrations';
import { REFERRAL_ENTITIES } from './referral-registry.entities';
import { REFERRAL_SCHEMA } from './referral-registry.constants';

/** For the TypeORM CLI (`npm run migration:generate -- referral-registry <Name>`). */
export default new DataSource(
  appDataSourceOptions(process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres', {
    schema: REFERRAL_SCHEMA,
    entities: REFERRAL_ENTITIES,
    migrations: REFERRAL_MIGRATIONS,
  }),
);
