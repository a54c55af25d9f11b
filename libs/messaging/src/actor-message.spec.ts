import { create } from '@bufbuild/protobuf';
import { Role } from '@countylink/auth';
import { ActorSchema } from '@countylink/contracts';
import { actorMessage, SYSTEM_ACTOR } from './actor-message';

describe('actorMessage', () => {
  it('says who acted: subject, institution, department (empty when none) and roles', () => {
    expect(
      actorMessage({
        sub: 'dr-wang',
        institutionId: 'township-a',
        departmentId: 'general-practice',
        roles: [Role.TownshipDoctor],
      }),
    ).toEqual({
      subject: 'dr-wang',
      institutionId: 'township-a',
      departmentId: 'general-practice',
      roles: [Role.TownshipDoctor],
    });
    expect(
      actorMessage({ sub: 'his-township-a', institutionId: 'township-a', roles: [Role.HisSystem] }).departmentId,
    ).toBe('');
  });

  it('builds a valid Actor, the system one included', () => {
    expect(create(ActorSchema, SYSTEM_ACTOR)).toMatchObject({ subject: 'system', institutionId: '', roles: [] });
    expect(create(ActorSchema, actorMessage({ sub: 's', institutionId: 'i', roles: [] })).subject).toBe('s');
  });
});
