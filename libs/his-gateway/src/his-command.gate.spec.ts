import { Type } from 'class-transformer';
import { IsString, Length, ValidateNested } from 'class-validator';
import { EntityManager } from 'typeorm';
import { CommandContext, hisCommandTopic } from '@countylink/contracts';
import { EventPublisher, InvalidEventError } from '@countylink/messaging';
import { CommonErrorCode, DomainException } from '@countylink/platform';
import { commandDto, HisCommandGate } from './his-command.gate';

class PatientDto {
  @IsString()
  @Length(1, 64)
  patientId: string;

  @IsString()
  @Length(1, 64)
  name: string;
}

class OrderDto {
  @ValidateNested()
  @Type(() => PatientDto)
  patient: PatientDto;

  @IsString()
  @Length(1, 16)
  modality: string;
}

const valid = { patient: { patientId: 'TA-1', name: '王建国' }, modality: 'ECG' };

function validationError(plain: object): DomainException {
  try {
    commandDto(OrderDto, plain);
  } catch (err) {
    if (err instanceof DomainException) return err;
    throw err;
  }
  throw new Error('the command was valid');
}

describe('HIS command validation', () => {
  it('names a nested field by its path and says why, as the HTTP API does', () => {
    const err = validationError({ ...valid, patient: { patientId: 'TA-1', name: '' } });
    expect(err.code).toBe(CommonErrorCode.VALIDATION_FAILED);
    expect(err.details).toEqual([
      { field: 'patient.name', problems: ['name must be longer than or equal to 1 characters'] },
    ]);
    expect(err.message).toBe(
      'The command is not valid: patient.name: name must be longer than or equal to 1 characters',
    );
  });

  it('lists every field at fault, unknown ones too', () => {
    const err = validationError({ patient: { patientId: '', name: '王建国', nickname: 'x' }, modality: '' });
    expect((err.details as Array<{ field: string }>).map((d) => d.field).sort()).toEqual([
      'modality',
      'patient.nickname',
      'patient.patientId',
    ]);
    expect(err.message).toMatch(/^The command is not valid: /);
    expect(err.message).toContain('patient.nickname: property nickname should not exist');
    expect(err.message).toContain('patient.patientId: patientId must be longer than or equal to 1 characters');
    expect(err.message).toContain('modality: modality must be longer than or equal to 1 characters');
  });

  it('keeps the message short enough for a result, whatever the number of faults', () => {
    const err = validationError({
      patient: {
        patientId: 'x'.repeat(100),
        name: 'y'.repeat(100),
        ...Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`extra${i}`, 1])),
      },
      modality: '',
    });
    expect(err.message.length).toBeLessThanOrEqual(500);
    expect((err.details as unknown[]).length).toBe(43);
  });

  it('passes a valid command through as the DTO', () => {
    expect(commandDto(OrderDto, valid)).toBeInstanceOf(OrderDto);
  });
});

describe('HisCommandGate', () => {
  const published: Array<{ type: string; key: string; payload: Record<string, unknown> }> = [];
  const events = {
    publish: async (_m: EntityManager, type: string, key: string, payload: Record<string, unknown>) =>
      void published.push({ type, key, payload }),
  } as unknown as EventPublisher;
  const manager = { query: async () => [] } as unknown as EntityManager;
  const gate = new HisCommandGate(events);
  const command = (body: Record<string, unknown>) => ({
    id: 'cmd-1',
    type: 'countylink.his-commands.order-read.v1',
    topic: hisCommandTopic('township-a'),
    key: 'township-a',
    body,
    payload: { context: { commandId: 'cmd-1', institutionId: 'township-a' } as CommandContext, ...body },
  });

  beforeEach(() => published.splice(0));

  it('answers an invalid command with VALIDATION_FAILED naming the field and why, and dead-letters it with the details', async () => {
    const event = command({ patient: { patientId: 'TA-1', name: '' }, modality: 'ECG' });
    const refused = await gate
      .run(manager, event, async () => {
        commandDto(OrderDto, event.body);
        return {};
      })
      .then(
        () => undefined,
        (err: unknown) => err,
      );
    expect(refused).toBeInstanceOf(InvalidEventError);
    const invalid = refused as InvalidEventError;
    expect(invalid.message).toMatch(/patient\.name/);
    expect(invalid.message).toContain('"problems":["name must be longer than or equal to 1 characters"]');
    // The consumer writes the rejected result in the transaction of the inbox entry.
    await invalid.answer!(manager);
    expect(published).toEqual([
      {
        type: 'countylink.his-results.command-rejected.v1',
        key: 'township-a',
        payload: expect.objectContaining({
          commandId: 'cmd-1',
          institutionId: 'township-a',
          code: 'VALIDATION_FAILED',
          message: 'The command is not valid: patient.name: name must be longer than or equal to 1 characters',
        }),
      },
    ]);
  });
});
