import { readFileSync } from 'node:fs';
import { plainToInstance, Type } from 'class-transformer';
import {
  ArrayNotEmpty,
  IsIn,
  IsInt,
  IsNumber,
  IsOptional,
  Matches,
  Max,
  Min,
  ValidateNested,
  validateSync,
} from 'class-validator';
import { CreateScheduleDto, DIRECTORY_ID } from './dtos/create-schedule.dto';
import { RESOURCE_KINDS, ResourceKind } from './reserved-pool';

const HHMM = /^([01]\d|2[0-3]):[0-5]\d$/;

/** A weekly template: on these ISO weekdays (1 = Monday), from start to end local time. */
export class ScheduleTemplate {
  @Matches(/^[a-z0-9-]{1,40}$/) key: string;
  @IsIn(RESOURCE_KINDS) kind: ResourceKind;
  @Matches(DIRECTORY_ID) departmentId: string;
  @IsOptional() @Matches(DIRECTORY_ID) practitionerId?: string;
  @IsOptional() @Matches(/^[A-Za-z][A-Za-z0-9-]{0,31}$/) modality?: string;
  @ArrayNotEmpty() @IsInt({ each: true }) @Min(1, { each: true }) @Max(7, { each: true }) weekdays: number[];
  @Matches(HHMM) start: string;
  @Matches(HHMM) end: string;
  @IsInt() @Min(1) capacity: number;
  @IsOptional() @IsNumber() reservedShare?: number;
}

/** Schedules an institution publishes for the coming days (the embedded default's demo data). */
export class ScheduleSeed {
  @Matches(DIRECTORY_ID) institutionId: string;
  @Matches(/^[+-]\d{2}:\d{2}$/) utcOffset: string;
  @IsInt() @Min(1) @Max(90) days: number;
  @ValidateNested({ each: true }) @Type(() => ScheduleTemplate) templates: ScheduleTemplate[];
}

export function readScheduleSeed(path: string): ScheduleSeed {
  const seed = plainToInstance(ScheduleSeed, JSON.parse(readFileSync(path, 'utf8')));
  const errors = validateSync(seed);
  if (errors.length > 0)
    throw new Error(`schedule seed ${path} is not valid: ${errors.map((e) => e.toString()).join('; ')}`);
  return seed;
}

function offsetMs(offset: string): number {
  const sign = offset.startsWith('-') ? -1 : 1;
  const [h, m] = offset.slice(1).split(':').map(Number);
  return sign * (h * 60 + m) * 60_000;
}

/**
 * The schedules of the `days` local days after today, one per template and matching weekday, each
 * with an externalId made of template key and date so that publishing them again changes nothing.
 */
export function expandScheduleSeed(seed: ScheduleSeed, now: Date): CreateScheduleDto[] {
  const shift = offsetMs(seed.utcOffset);
  const localToday = new Date(now.getTime() + shift);
  const out: CreateScheduleDto[] = [];
  for (let d = 1; d <= seed.days; d++) {
    const day = new Date(Date.UTC(localToday.getUTCFullYear(), localToday.getUTCMonth(), localToday.getUTCDate() + d));
    const date = day.toISOString().slice(0, 10);
    const weekday = day.getUTCDay() === 0 ? 7 : day.getUTCDay();
    for (const t of seed.templates.filter((x) => x.weekdays.includes(weekday))) {
      const startsAt = new Date(`${date}T${t.start}:00${seed.utcOffset}`);
      let endsAt = new Date(`${date}T${t.end}:00${seed.utcOffset}`);
      if (endsAt <= startsAt) endsAt = new Date(endsAt.getTime() + 86_400_000);
      out.push({
        kind: t.kind,
        institutionId: seed.institutionId,
        departmentId: t.departmentId,
        practitionerId: t.practitionerId,
        modality: t.modality,
        startsAt: startsAt.toISOString(),
        endsAt: endsAt.toISOString(),
        capacity: t.capacity,
        reservedShare: t.reservedShare,
        externalId: `seed:${t.key}:${date}`,
      });
    }
  }
  return out;
}
