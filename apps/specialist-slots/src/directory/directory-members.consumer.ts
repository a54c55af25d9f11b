import { Injectable, OnModuleInit } from '@nestjs/common';
import { AppMessaging, applyMemberUpserted } from '@countylink/messaging';

/**
 * Who the group's members are, learnt from directory events into `scheduling.known_member`: an HIS
 * may book on behalf of a family doctor only if the directory knows that person as one of its own.
 */
@Injectable()
export class DirectoryMembersConsumer implements OnModuleInit {
  constructor(private readonly messaging: AppMessaging) {}

  onModuleInit(): void {
    this.messaging.addConsumer({
      groupId: 'specialist-slots.directory',
      handlers: { 'countylink.directory.member-upserted.v1': async (event, manager) => void (await applyMemberUpserted(manager, event.payload)) },
    });
  }
}
