import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import type { Principal } from '@countylink/auth';
import { DirectoryReplica } from '../directory/directory-replica.service';
import { roomsFor, Scope } from './rooms';

/** The rooms of a verified principal: its claims, completed from the directory replica. */
@Injectable()
export class MemberRooms {
  constructor(private readonly directory: DirectoryReplica) {}

  async of(manager: EntityManager, principal: Principal): Promise<Scope[]> {
    const member = await this.directory.member(manager, principal.sub);
    // The directory speaks for a member only inside the institution the token names.
    const known = member && member.institutionId === principal.institutionId ? member : null;
    const departmentId = principal.departmentId ?? known?.departmentId ?? null;
    const department = departmentId
      ? await this.directory.department(manager, principal.institutionId, departmentId)
      : null;
    return roomsFor(principal, {
      departmentId,
      departmentSpecialty: department?.specialty ?? null,
      duty: known?.duty ?? null,
    });
  }
}
