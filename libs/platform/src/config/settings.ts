import { Transform } from 'class-transformer';
import { ValidateBy } from 'class-validator';

/** Transforms for environment strings; unset and empty stay undefined, so a default or IsDefined applies. */
export const toInt = ({ value }: { value: unknown }) =>
  value === undefined || value === '' ? undefined : Number(value);
export const toNumber = ({ value }: { value: unknown }) =>
  value === undefined || value === '' ? undefined : Number(value);
export const toBool = ({ value }: { value: unknown }) =>
  value === undefined || value === '' ? undefined : value === true || value === 'true' || value === '1';

/** What a composite setting's parser refused: the text as given and why, for the validation error. */
export class UnparsedSetting {
  constructor(
    readonly raw: string,
    readonly reason: string,
  ) {}
}

/**
 * A composite setting (a list, a table, a map) read once, at load, into the typed value its users
 * take; a value the parser refuses (it throws) fails validation with the parser's message. The
 * field's default is the typed value too (a default is not parsed).
 */
export function ParsedSetting<T>(parse: (raw: string) => T): PropertyDecorator {
  const transform = Transform(({ value }: { value: unknown }) => {
    if (typeof value !== 'string') return value;
    try {
      return parse(value);
    } catch (err) {
      return new UnparsedSetting(value, err instanceof Error ? err.message : String(err));
    }
  });
  const check = ValidateBy({
    name: 'parsedSetting',
    validator: {
      validate: (value) => !(value instanceof UnparsedSetting),
      defaultMessage: (args) =>
        args?.value instanceof UnparsedSetting ? args.value.reason : `${args?.property} cannot be read`,
    },
  });
  return (target, key) => {
    transform(target, key as string);
    check(target, key);
  };
}

/** `a,b , c` → ['a', 'b', 'c'] (empty entries dropped). */
export function commaList(raw: string): string[] {
  return raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}
