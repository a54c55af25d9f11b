import { Injectable, OnModuleInit, Type } from '@nestjs/common';
import { Column, Entity, EntityManager, Index, PrimaryColumn } from 'typeorm';
import { EventPayload } from '@countylink/contracts';
import { AppMessaging } from './app-messaging';

/**
 * A member of the group's directory as an app learnt it from `countylink.directory.member-upserted`
 * events (never read from another app's schema): in the app's own schema, for the apps that ask who
 * someone is — clinician-realtime (rooms, the alert ladder) and specialist-slots (whom an HIS books for).
 */
@Entity('known_member')
@Index(['institutionId', 'departmentId'])
export class KnownMember {
  @PrimaryColumn({ type: 'text' })
  id: string;

  @Column({ type: 'text' })
  name: string;

  @Column({ type: 'text' })
  institutionId: string;

  @Column({ type: 'text', nullable: true })
  departmentId: string | null;

  @Column({ type: 'text', array: true })
  roles: string[];

  /** on-duty, department-head or coordinator: the member's place on the alert ladder. */
  @Column({ type: 'text', nullable: true })
  duty: string | null;
}

/** Keeps the replica's member row as the latest event says (an upsert: redelivery changes nothing). */
export async function applyMemberUpserted(
  manager: EntityManager,
  payload: EventPayload<'countylink.directory.member-upserted.v1'>,
): Promise<string | undefined> {
  const m = payload.member;
  if (!m?.id) return undefined;
  await manager.upsert(
    KnownMember,
    {
      id: m.id,
      name: m.name,
      institutionId: m.institutionId,
      departmentId: m.departmentId || null,
      roles: m.roles,
      duty: m.duty || null,
    },
    ['id'],
  );
  return m.id;
}

/** Whether the directory knows `memberId` as a member of `institutionId` holding `role`. */
export async function isMemberWithRole(
  manager: EntityManager,
  memberId: string,
  institutionId: string,
  role: string,
): Promise<boolean> {
  const member = await manager.findOneBy(KnownMember, { id: memberId });
  return member !== null && member.institutionId === institutionId && member.roles.includes(role);
}

/**
 * A provider that keeps the app's `known_member` replica from the directory's member events, in a
 * consumer group of its own (`<app>.directory`): for the apps that ask who someone is but keep no
 * other part of the directory.
 */
export function directoryMembersConsumer(groupId: string): Type<OnModuleInit> {
  @Injectable()
  class DirectoryMembersConsumer implements OnModuleInit {
    constructor(private readonly messaging: AppMessaging) {}

    onModuleInit(): void {
      this.messaging.addConsumer({
        groupId,
        handlers: {
          'countylink.directory.member-upserted.v1': async (event, manager) =>
            void (await applyMemberUpserted(manager, event.payload)),
        },
      });
    }
  }
  return DirectoryMembersConsumer;
}
