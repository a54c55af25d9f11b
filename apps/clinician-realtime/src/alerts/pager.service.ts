import { Injectable, Logger } from '@nestjs/common';

/** One outgoing page (SMS or phone call) to a person on the ladder. */
export interface Page {
  /** Stable per alert, step and person: a provider can drop a repeated delivery. */
  id: string;
  channel: 'sms' | 'phone';
  memberId: string;
  memberName: string;
  text: string;
}

/** The SMS / phone gateway. A real provider implements this and is bound to `PAGER`. */
export interface Pager {
  send(page: Page): Promise<void>;
}

export const PAGER = Symbol('PAGER');

/**
 * The default pager (no provider is configured here): logs that a page would go out, to whom and
 * which one — not its text, which names the patient and what is wrong with them.
 */
@Injectable()
export class LoggingPager implements Pager {
  private readonly logger = new Logger('Pager');

  async send(page: Page): Promise<void> {
    this.logger.warn(
      { pageId: page.id, channel: page.channel, memberId: page.memberId, characters: page.text.length },
      `${page.channel} page ${page.id} to ${page.memberId} (no pager provider configured)`,
    );
  }
}
