import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    testTimeout: 20_000,
    hookTimeout: 60_000,
    projects: [
      { extends: true, test: { name: 'all', include: ['tests/**/*.test.ts'], globalSetup: ['tests/support/build.ts'] } },
      // The capability suite again on DingTalk's terms (tests/support/neutral.ts, CAPABILITY_PLATFORM);
      // it spawns no built server, so it needs no build of its own.
      {
        extends: true,
        test: { name: 'capabilities-dingtalk', include: ['tests/capabilities/**/*.test.ts'], env: { CAPABILITY_PLATFORM: 'dingtalk' } },
      },
    ],
  },
});
