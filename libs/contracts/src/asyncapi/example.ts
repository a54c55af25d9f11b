import { DescField, DescMessage, ScalarType } from '@bufbuild/protobuf';

const SAMPLE_STRINGS: Array<[RegExp, string]> = [
  [/institution_id$/, 'township-a'],
  [/department_id$/, 'cardiology'],
  [/practitioner_id$|subject$/, 'township-a-doctor'],
  [/_hash$/, 'b4f0c6…(HMAC-SHA256, hex)'],
  [/^patient_id$/, 'TA-000123'],
  [/(^|_)id$/, '5f0c2a9e-7d1b-4c3e-9a51-2b8e6f4d1c07'],
  [/^modality$/, 'ECG'],
  [/accession_number$/, 'TA20261122001'],
  [/clinical_question$/, '胸痛2小时，请排除急性心肌梗死'],
  [/clinical_summary$/, '胸痛2小时，心电图ST段抬高'],
  [/treatment_plan$/, '立即转县医院胸痛中心行PCI'],
  [/birth_date$/, '1956-03-14'],
  [/code$/, 'I21.9'],
  [/display$/, '急性心肌梗死'],
  [/name$/, '王建国'],
  [/roles?$/, 'township-doctor'],
];

function sampleString(field: string): string {
  return SAMPLE_STRINGS.find(([pattern]) => pattern.test(field))?.[1] ?? `…${field}…`;
}

function sampleScalar(field: DescField & { scalar?: ScalarType }, type: ScalarType): unknown {
  if (type === ScalarType.STRING) return sampleString(field.name);
  if (type === ScalarType.BOOL) return true;
  if (type === ScalarType.BYTES) return '';
  return 1;
}

/** A plausible example in the protobuf JSON mapping, for the documentation. */
export function exampleOf(desc: DescMessage, depth = 0): unknown {
  if (desc.typeName === 'google.protobuf.Timestamp') return '2026-11-22T08:00:00Z';
  if (depth > 4) return {};
  const out: Record<string, unknown> = {};
  for (const field of desc.fields) {
    switch (field.fieldKind) {
      case 'scalar':
        out[field.jsonName] = sampleScalar(field, field.scalar);
        break;
      case 'enum':
        out[field.jsonName] = (field.enum.values.find((v) => v.number !== 0) ?? field.enum.values[0]).name;
        break;
      case 'message':
        out[field.jsonName] = exampleOf(field.message, depth + 1);
        break;
      case 'list':
        out[field.jsonName] =
          field.listKind === 'message'
            ? [exampleOf(field.message, depth + 1)]
            : field.listKind === 'enum'
              ? [(field.enum.values.find((v) => v.number !== 0) ?? field.enum.values[0]).name]
              : [sampleScalar(field, field.scalar)];
        break;
      case 'map':
        out[field.jsonName] = {};
        break;
    }
  }
  return out;
}
