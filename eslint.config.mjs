// TypeScript 5.9 + typescript-eslint (type-aware rules need TS < 6.1; see TOOLCHAIN.md).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const noZoneRules = {
  // Android WeChat lacks time-zone data: windows use fixed UTC+8 arithmetic in core/time.ts and
  // display uses dayjs' utc plugin with utcOffset(480). Intl time-zone calls and dayjs/plugin/timezone
  // would pass tests in Node (full ICU) and break on phones.
  'no-restricted-imports': [
    'error',
    {
      patterns: [
        { group: ['dayjs/plugin/timezone', 'dayjs/plugin/timezone.js', 'dayjs/esm/plugin/timezone'], message: 'Use fixed UTC+8 (core/time.ts) and dayjs utcOffset(480).' },
      ],
    },
  ],
  'no-restricted-syntax': [
    'error',
    { selector: "MemberExpression[object.name='Intl']", message: 'No Intl under miniprogram/: Android WeChat lacks time-zone data. Use core/time.ts or utils/format.ts.' },
    { selector: "Property[key.name='timeZone']", message: 'No time-zone options: use fixed UTC+8 (core/time.ts).' },
    { selector: "CallExpression[callee.property.name=/^(tz|toLocaleString|toLocaleDateString|toLocaleTimeString)$/]", message: 'Locale/zone formatting differs on phones: use utils/format.ts (dayjs utcOffset(480)).' },
  ],
};

export default tseslint.config(
  {
    ignores: [
      'node_modules/**',
      '**/miniprogram_npm/**',
      'cloudfunctions/*/index.js',
      'local-cloud/dist/**',
      'coverage/**',
      '.local-cloud/**',
      '.bench/**',
      'screenshots/**',
      '[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.strict,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  { files: ['miniprogram/**/*.ts'], rules: noZoneRules },
  {
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    languageOptions: { globals: { require: 'readonly', module: 'writable', process: 'readonly', __dirname: 'readonly', console: 'readonly', Buffer: 'readonly', URL: 'readonly', setTimeout: 'readonly' } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
