import { EntityMetadata } from 'typeorm';

/** An entity's table as SQL: `"schema"."table"`, for the statements written by hand. */
export function quotedTablePath(metadata: EntityMetadata): string {
  return metadata.tablePath
    .split('.')
    .map((part) => `"${part}"`)
    .join('.');
}
