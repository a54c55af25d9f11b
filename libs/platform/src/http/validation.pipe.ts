import { ValidationError, ValidationPipe } from '@nestjs/common';
import { DomainException } from '../errors/domain.exception';
import { CommonErrorCode } from '../errors/error-codes';

/** One invalid field of a body, by its path (`patient.name`), and what is wrong with it. */
export interface FieldProblem {
  field: string;
  problems: string[];
}

/**
 * class-validator's error tree as a flat list of the fields at fault, nested ones by their path:
 * the `details` of every VALIDATION_FAILED, whether the body came over HTTP or in an HIS command.
 */
export function flattenValidationErrors(errors: ValidationError[], prefix = ''): FieldProblem[] {
  return errors.flatMap((e) => {
    const field = prefix ? `${prefix}.${e.property}` : e.property;
    const own = e.constraints ? [{ field, problems: Object.values(e.constraints) }] : [];
    return [...own, ...flattenValidationErrors(e.children ?? [], field)];
  });
}

/** Unknown fields are refused, not silently dropped: a typo in a clinical field must be seen. */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    exceptionFactory: (errors) =>
      new DomainException(
        CommonErrorCode.VALIDATION_FAILED,
        'The request is not valid',
        flattenValidationErrors(errors),
      ),
  });
}
