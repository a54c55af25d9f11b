import { SetMetadata } from '@nestjs/common';

export const IS_PUBLIC = 'countylink:isPublic';

/** Health, metrics and docs only: every other route needs a token. */
export const Public = () => SetMetadata(IS_PUBLIC, true);
