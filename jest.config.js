// Three projects, one setup: unit (core, node), cloud (functions through the local cloud, node),
// component (pages with miniprogram-simulate, jsdom). TZ is UTC like the cloud functions unless
// the caller sets it (npm test runs the time rules again under Asia/Shanghai).
const swc = [
  '@swc/jest',
  {
    jsc: { parser: { syntax: 'typescript' }, target: 'es2020' },
    module: { type: 'commonjs' },
  },
];

const common = {
  rootDir: __dirname,
  transform: { '^.+\\.ts$': swc },
  moduleFileExtensions: ['ts', 'js', 'json'],
};

/** @type {import('jest').Config} */
module.exports = {
  globalSetup: '<rootDir>/test/global-setup.js',
  testTimeout: 30000,
  // Two cores: much of a cloud test is waiting on the local cloud's threads, so two workers pay off.
  maxWorkers: 2,
  projects: [
    { ...common, displayName: 'unit', testEnvironment: 'node', testMatch: ['<rootDir>/test/unit/**/*.test.ts'] },
    { ...common, displayName: 'cloud', testEnvironment: 'node', testMatch: ['<rootDir>/test/cloud/**/*.test.ts'] },
    {
      ...common,
      displayName: 'component',
      testEnvironment: 'jsdom',
      testMatch: ['<rootDir>/test/component/**/*.test.ts'],
      // miniprogram-simulate requires the component's .ts itself: ts must come before json.
      moduleFileExtensions: ['ts', 'js', 'json', 'wxml', 'wxss'],
      transform: { '^.+\\.ts$': swc, 'miniprogram_npm/.+\\.js$': swc },
      transformIgnorePatterns: ['/node_modules/(?!tdesign-miniprogram)'],
      setupFiles: ['<rootDir>/test/component/setup.ts'],
      // Builds miniprogram/miniprogram_npm (TDesign) once if it is missing or stale.
      globalSetup: '<rootDir>/test/component/global-setup.ts',
    },
  ],
};
