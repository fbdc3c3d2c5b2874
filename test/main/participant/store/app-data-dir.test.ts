import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { resolveAccordHome } from '../../../../main/participant/store/app-data-dir.ts';

const home = '/home/ada';

describe('resolveAccordHome', () => {
  it('follows each OS convention for application data', () => {
    expect(resolveAccordHome(undefined, { env: {}, platform: 'linux', home })).toBe(join(home, '.local/share/accord'));
    expect(resolveAccordHome(undefined, { env: { XDG_DATA_HOME: '/data' }, platform: 'linux', home })).toBe(
      '/data/accord',
    );
    expect(
      resolveAccordHome(undefined, { env: { APPDATA: 'C:/Users/ada/AppData/Roaming' }, platform: 'win32', home }),
    ).toBe(join('C:/Users/ada/AppData/Roaming', 'Accord'));
    expect(resolveAccordHome(undefined, { env: {}, platform: 'darwin', home })).toBe(
      join(home, 'Library/Application Support/Accord'),
    );
  });

  it('prefers the constructor argument, then ACCORD_HOME', () => {
    const environment = {
      env: { ACCORD_HOME: '/srv/accord', XDG_DATA_HOME: '/data' },
      platform: 'linux' as const,
      home,
    };
    expect(resolveAccordHome(undefined, environment)).toBe('/srv/accord');
    expect(resolveAccordHome('/tmp/test', environment)).toBe('/tmp/test');
  });
});
