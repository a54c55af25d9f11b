import { Injectable, OnModuleInit } from '@nestjs/common';
import { PlatformConfig } from '@countylink/platform';
import { readDirectorySeed } from './directory-seed';
import { DirectorySeeder } from './directory.seeder';

/** With DIRECTORY_SEED_FILE set, the directory is brought in line with the file at every start. */
@Injectable()
export class DirectorySeedOnBoot implements OnModuleInit {
  constructor(
    private readonly config: PlatformConfig,
    private readonly seeder: DirectorySeeder,
  ) {}

  async onModuleInit(): Promise<void> {
    if (this.config.DIRECTORY_SEED_FILE) await this.seeder.load(readDirectorySeed(this.config.DIRECTORY_SEED_FILE));
  }
}
