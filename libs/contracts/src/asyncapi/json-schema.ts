import { DescEnum, DescField, DescMessage, ScalarType } from '@bufbuild/protobuf';

export type JsonSchema = Record<string, unknown>;

const INT64 = new Set([
  ScalarType.INT64,
  ScalarType.UINT64,
  ScalarType.SINT64,
  ScalarType.FIXED64,
  ScalarType.SFIXED64,
]);

function scalarSchema(type: ScalarType): JsonSchema {
  if (type === ScalarType.STRING) return { type: 'string' };
  if (type === ScalarType.BOOL) return { type: 'boolean' };
  if (type === ScalarType.BYTES) return { type: 'string', contentEncoding: 'base64' };
  if (type === ScalarType.DOUBLE || type === ScalarType.FLOAT) return { type: 'number' };
  // The protobuf JSON mapping writes 64-bit integers as strings.
  if (INT64.has(type)) return { type: 'string', pattern: '^-?[0-9]+$' };
  return { type: 'integer' };
}

/**
 * JSON Schemas (protobuf JSON mapping) of messages and enums, collected as AsyncAPI components
 * so that a message used in several events is described once.
 */
export class SchemaCollector {
  readonly schemas: Record<string, JsonSchema> = {};

  constructor(private readonly comments: Map<string, string>) {}

  ref(desc: DescMessage | DescEnum): JsonSchema {
    const name = desc.typeName;
    if (!this.schemas[name]) {
      this.schemas[name] = {};
      this.schemas[name] = desc.kind === 'message' ? this.message(desc) : this.enumeration(desc);
    }
    return { $ref: `#/components/schemas/${name}` };
  }

  private message(desc: DescMessage): JsonSchema {
    if (desc.typeName === 'google.protobuf.Timestamp') {
      return { type: 'string', format: 'date-time', description: 'RFC 3339 time (google.protobuf.Timestamp)' };
    }
    const properties: Record<string, JsonSchema> = {};
    for (const field of desc.fields) properties[field.jsonName] = this.field(field, `${desc.typeName}.${field.name}`);
    return {
      type: 'object',
      description: this.comments.get(desc.typeName),
      'x-protobuf-message': desc.typeName,
      properties,
    };
  }

  private field(field: DescField, name: string): JsonSchema {
    const base = (): JsonSchema => {
      switch (field.fieldKind) {
        case 'scalar':
          return scalarSchema(field.scalar);
        case 'enum':
          return this.ref(field.enum);
        case 'message':
          return this.ref(field.message);
        case 'list':
          return {
            type: 'array',
            items:
              field.listKind === 'scalar'
                ? scalarSchema(field.scalar)
                : field.listKind === 'enum'
                  ? this.ref(field.enum)
                  : this.ref(field.message),
          };
        case 'map':
          return {
            type: 'object',
            additionalProperties:
              field.mapKind === 'scalar'
                ? scalarSchema(field.scalar)
                : field.mapKind === 'enum'
                  ? this.ref(field.enum)
                  : this.ref(field.message),
          };
      }
    };
    const description = this.comments.get(name);
    const schema = base();
    if (!description) return schema;
    return '$ref' in schema ? { description, allOf: [schema] } : { ...schema, description };
  }

  private enumeration(desc: DescEnum): JsonSchema {
    return {
      type: 'string',
      description: this.comments.get(desc.typeName),
      enum: desc.values.map((v) => v.name),
      'x-enum-descriptions': Object.fromEntries(
        desc.values.map((v) => [v.name, this.comments.get(`${desc.typeName}.${v.name}`) ?? '']),
      ),
    };
  }
}
