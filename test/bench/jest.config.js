// Jest for the benchmark's page figures and the screenshots, not part of `npm test`:
//   npx jest -c test/bench/jest.config.js test/bench/pages.bench.ts     (npm run bench runs it)
//   npx jest -c test/bench/jest.config.js test/bench/screens.bench.ts   (npm run screenshots runs it)
// Pages render as in the component tests (miniprogram-simulate, real TDesign, the same setup), and
// talk real HTTP to a local cloud with the demo data that the global setup starts in its own
// process (or to WCP_BENCH_CLOUD_URL when set).
const path = require('path');

const swc = [
  '@swc/jest',
  {
    jsc: { parser: { syntax: 'typescript' }, target: 'es2020' },
    module: { type: 'commonjs' },
  },
];

/** @type {import('jest').Config} */
module.exports = {
  rootDir: path.join(__dirname, '../..'),
  testEnvironment: 'jsdom',
  testMatch: ['<rootDir>/test/bench/**/*.bench.ts'],
  moduleFileExtensions: ['ts', 'js', 'json', 'wxml', 'wxss'],
  transform: { '^.+\\.ts$': swc, 'miniprogram_npm/.+\\.js$': swc },
  transformIgnorePatterns: ['/node_modules/(?!tdesign-miniprogram)'],
  setupFiles: ['<rootDir>/test/component/setup.ts'],
  globalSetup: '<rootDir>/test/bench/global-setup.ts',
  globalTeardown: '<rootDir>/test/bench/global-teardown.ts',
  testTimeout: 180000,
};
