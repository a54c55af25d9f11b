import { getDataSourceToken } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { ReadinessProbe } from '@countylink/platform';
import { TRANSPORT, Transport } from './transport';

/** Ready = every app database answers and the broker (when Kafka is configured) answers. */
export function readinessProbes(dataSourceNames: string[]) {
  return {
    inject: [TRANSPORT, ...dataSourceNames.map((name) => getDataSourceToken(name))],
    useFactory: (transport: Transport, ...dataSources: DataSource[]): ReadinessProbe[] => [
      ...dataSources.map((ds, i) => ({
        name: `database:${dataSourceNames[i]}`,
        check: async () => void (await ds.query('SELECT 1')),
      })),
      ...(transport.kind === 'kafka' ? [{ name: 'kafka', check: () => transport.check() }] : []),
    ],
  };
}
