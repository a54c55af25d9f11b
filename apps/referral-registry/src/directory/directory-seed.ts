import { readFileSync } from 'node:fs';
import { Type, plainToInstance } from 'class-transformer';
import {
  ArrayNotEmpty,
  IsArray,
  IsIn,
  IsOptional,
  IsString,
  Matches,
  ValidateNested,
  validateSync,
} from 'class-validator';
import { ALL_ROLES } from '@countylink/auth';

const ID = /^[a-z0-9][a-z0-9-]{0,62}$/;

export class SeedDepartment {
  @Matches(ID) id: string;
  @IsString() name: string;
  @IsString() specialty: string;
}

export class SeedInstitution {
  @Matches(ID) id: string;
  @IsString() name: string;
  @IsIn(['county-hospital', 'township-centre', 'community-centre', 'village-clinic']) kind:
    'county-hospital' | 'township-centre' | 'community-centre' | 'village-clinic';
  @IsOptional() @Matches(ID) parentId?: string;
  @IsArray() @ValidateNested({ each: true }) @Type(() => SeedDepartment) departments: SeedDepartment[];
}

export class SeedMember {
  @Matches(ID) id: string;
  @IsString() name: string;
  @Matches(ID) institutionId: string;
  @IsOptional() @Matches(ID) departmentId?: string;
  @ArrayNotEmpty() @IsIn(ALL_ROLES, { each: true }) roles: string[];
  @IsOptional() @IsIn(['on-duty', 'department-head', 'coordinator']) duty?: string;
}

export class SeedCatalogEntry {
  @Matches(/^[A-Z][0-9]{2}(\.[0-9A-Z]{1,4})?$/) code: string;
  @IsString() display: string;
}

/** The medical group as a seed file describes it (institutions, departments, people, catalog). */
export class DirectorySeed {
  @IsArray() @ValidateNested({ each: true }) @Type(() => SeedInstitution) institutions: SeedInstitution[];
  @IsArray() @ValidateNested({ each: true }) @Type(() => SeedMember) members: SeedMember[];
  @IsArray() @ValidateNested({ each: true }) @Type(() => SeedCatalogEntry) townshipCatalog: SeedCatalogEntry[];
}

/** Reads and checks a seed file, including that every reference points at something in it. */
export function readDirectorySeed(path: string): DirectorySeed {
  const seed = plainToInstance(DirectorySeed, JSON.parse(readFileSync(path, 'utf8')));
  const errors = validateSync(seed);
  if (errors.length > 0)
    throw new Error(`directory seed ${path} is not valid: ${errors.map((e) => e.toString()).join('; ')}`);
  const institutions = new Map(seed.institutions.map((i) => [i.id, i]));
  for (const m of seed.members) {
    const inst = institutions.get(m.institutionId);
    if (!inst) throw new Error(`seed member ${m.id}: unknown institution ${m.institutionId}`);
    if (m.departmentId && !inst.departments.some((d) => d.id === m.departmentId)) {
      throw new Error(`seed member ${m.id}: unknown department ${m.departmentId} of ${m.institutionId}`);
    }
  }
  for (const i of seed.institutions) {
    if (i.parentId && !institutions.has(i.parentId))
      throw new Error(`seed institution ${i.id}: unknown parent ${i.parentId}`);
  }
  return seed;
}
