import { existsSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { InputError } from '../core/errors';

/**
 * Files a site file names (voice prompts, queue music, announcements): a relative
 * path is taken from the site file's folder, never from wherever the gateway was
 * started, so a site folder can be moved or run from anywhere.
 */
export class SiteFiles {
  private readonly dir: string;

  /** `site`: the site's name, for errors; `siteFile`: the path the site was read from. */
  constructor(
    private readonly site: string,
    siteFile: string,
  ) {
    this.dir = dirname(resolve(siteFile));
  }

  /** `path` as an absolute path. */
  path(path: string): string {
    return isAbsolute(path) ? path : resolve(this.dir, path);
  }

  /** `path` as an absolute path to a file that exists; else a typed error naming `setting` (e.g. 'inbound.queue.music'). */
  existing(setting: string, path: string): string {
    const abs = this.path(path);
    if (!existsSync(abs)) throw new InputError(`site ${this.site} ${setting}`, `${abs} does not exist`);
    return abs;
  }
}
